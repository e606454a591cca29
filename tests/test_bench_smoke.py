"""`python -m benchmarks` at toy size produces every section (the numbers are never checked: they are the machine's).

Nothing here waits on the wall clock: the timed sections run on a clock that moves only when slept on, and the Bot
API double answers at once."""
from __future__ import annotations

import argparse

from benchmarks.run import add_arguments, run, write_doc
from tests.support.fake_time import FakeTime


async def test_the_benchmark_runs_end_to_end_at_toy_size(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nProse that stays.\n\n<!-- bench:results -->\nSTALE-RESULTS\n<!-- /bench:results -->\n")
    args = parser.parse_args(["--quick", "--members", "60", "--days", "2", "--reports", "10", "--concurrency", "5",
                              "--latency-seconds", "0.3", "--rate", "20", "--conversations", "10", "--repeat", "1",
                              "--fanout-seconds", "0.2", "--tokens", "1,2", "--api-latency", "0",
                              "--workdir", str(tmp_path / "bench"), "--write-doc", str(doc)])
    time = FakeTime()
    bench = await run(args, time)
    write_doc(args.write_doc, bench, ["--quick"])
    out = capsys.readouterr().out
    for section in ("machine:", "campaign:", "(a) reports", "(b) reply latency", "(c) daily summary",
                    "(d) resident memory", "(e) reminder fan-out", "(f) reports through python-telegram-bot",
                    "targets (issue 6)", "× baseline", "p99", "RSS"):
        assert section in out, section
    assert all(r["failed"] == 0 for r in bench.results["reports"].values())
    assert bench.results["latency"]["failed"] == 0 and bench.results["memory"]["conversations"] == 10
    assert bench.results["latency"]["reports"] > 0 and time.wakeups  # (b) and (e) kept their schedules on `time`
    assert all(f["failed"] == 0 and f["messages"] == f["tokens"] * 6 for f in bench.results["fanout"])
    assert [(r["reports"], r["answered"]) for r in bench.results["ptb"]] == [(10, 10), (10, 10)]
    text = doc.read_text()
    assert "Prose that stays." in text and "STALE-RESULTS" not in text and "(a) reports" in text
