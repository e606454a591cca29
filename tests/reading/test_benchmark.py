"""The parse benchmark runs and reports both readers (its numbers are in docs, never asserted here)."""
from __future__ import annotations

from benchmarks.parse import run


def test_the_parse_benchmark_measures_the_reader_and_its_baseline(capsys):
    result = run(quick=True)
    assert result["messages"] > 100
    for reader in ("reader", "baseline_parse_tally"):
        assert set(result[reader]) == {"p50_ms", "p99_ms", "max_ms", "messages_per_s"}
        assert 0 < result[reader]["p50_ms"] <= result[reader]["p99_ms"] <= result[reader]["max_ms"]
    assert "parse_tally (before)" in capsys.readouterr().out
