"""Reading speed: time per message over the reading corpus, the new reader against the old parse_tally.

Each message is read `repeats` times and its median kept (the machine is shared: one slow pass is the
scheduler's, not the reader's); p50 and p99 are taken over the messages. Run: python -m benchmarks.parse [--quick]
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from benchmarks.baseline_parsing import parse_tally
from domain.reading import Policy, read, vocabulary_for
from domain.settings import DEFAULT_METRICS

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "reading" / "corpus.jsonl"
TODAY = date(2026, 12, 5)
TARGET_P99_MS = 1.0


def _texts() -> list[str]:
    return [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _per_message(fn, texts: list[str], repeats: int) -> list[float]:
    """Seconds per message: the median of `repeats` readings of each."""
    for t in texts:  # warm: the vocabulary and caches are built once per deployment, not per message
        fn(t)
    out = []
    for t in texts:
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn(t)
            runs.append(time.perf_counter() - start)
        out.append(statistics.median(runs))
    return out


def _summary(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {"p50_ms": round(pick(0.50), 4), "p99_ms": round(pick(0.99), 4), "max_ms": round(ordered[-1] * 1000, 4),
            "messages_per_s": round(len(ordered) / sum(ordered))}


def run(quick: bool) -> dict:
    texts = _texts()
    if quick:
        texts = texts[::3]
    repeats = 3 if quick else 9
    vocab, policy = vocabulary_for(DEFAULT_METRICS), Policy()
    new = _summary(_per_message(lambda t: read(t, vocab, TODAY, policy), texts, repeats))
    old = _summary(_per_message(lambda t: parse_tally(t, DEFAULT_METRICS), texts, repeats))
    result = {"messages": len(texts), "repeats": repeats, "reader": new, "baseline_parse_tally": old,
              "target_p99_ms": TARGET_P99_MS, "meets_target": new["p99_ms"] < TARGET_P99_MS}
    print(f"parse: {len(texts)} messages of the reading corpus, median of {repeats} readings each")
    print(f"  {'':22s} {'p50 ms':>8s} {'p99 ms':>8s} {'max ms':>8s} {'msg/s':>8s}")
    for name, r in (("domain.reading.read", new), ("parse_tally (before)", old)):
        print(f"  {name:22s} {r['p50_ms']:8.3f} {r['p99_ms']:8.3f} {r['max_ms']:8.3f} {r['messages_per_s']:8d}")
    print(f"  p99 under {TARGET_P99_MS} ms: {'yes' if result['meets_target'] else 'NO'}")
    return result


if __name__ == "__main__":
    run(quick="--quick" in sys.argv[1:])
