"""Reading speed: time per message over the reading corpus, the new reader against the old parse_tally.

Each message is read `repeats` times and its median kept (the machine is shared: one slow pass is the
scheduler's, not the reader's); p50 and p99 are taken over the messages. "first sight" reads each message with the
vocabulary's remembered labels forgotten each time (shapes.py), as the first messages of a deployment are read.
Run: python -m benchmarks.parse [--quick]
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable

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


def _first_sight(texts: list[str], vocab, policy, repeats: int) -> list[float]:
    """Seconds per message read with no label remembered: the median of `repeats` such readings of each."""
    out = []
    for t in texts:
        runs = []
        for _ in range(repeats):
            vocab.labels_read.clear()
            start = time.perf_counter()
            read(t, vocab, TODAY, policy)
            runs.append(time.perf_counter() - start)
        out.append(statistics.median(runs))
    return out


def _summary(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {"p50_ms": round(pick(0.50), 4), "p99_ms": round(pick(0.99), 4), "max_ms": round(ordered[-1] * 1000, 4),
            "messages_per_s": round(len(ordered) / sum(ordered))}


TYPICAL = ("Hộ 25, app 18", "ho 25, app 18, KH M1 12", "HO 25 CAI 18 DK1 15 KH1 12 HS2 4 KH2 1", "25 18 15 12 4 1",
           "hộ: 32; cài: 25; đk1: 20; kh1: 17", "them ho 3, app 2, muc 1 2, kh muc 1 1, muc 2 1",
           "ĐK mức 1: 15, KH mức 1: 12", "hôm nay 25 hộ, cài app 18, đk mức 1 15, kh mức 1 12",
           "Tổ CNS KP3 báo cáo ngày 4/12:\n- Số hộ: 25\n- Cài app: 18\n- ĐK mức 1: 15\n- KH mức 1: 12\n- Mức 2: 4")


def run(quick: bool, say: Callable[[str], None] = print) -> dict:
    texts = _texts()
    if quick:
        texts = texts[::3]
    repeats = 3 if quick else 9
    vocab, policy = vocabulary_for(DEFAULT_METRICS), Policy()
    cold = _summary(_first_sight(texts, vocab, policy, repeats))
    new = _summary(_per_message(lambda t: read(t, vocab, TODAY, policy), texts, repeats))
    old = _summary(_per_message(lambda t: parse_tally(t, DEFAULT_METRICS), texts, repeats))
    result = {"messages": len(texts), "repeats": repeats, "reader": new, "reader_first_sight": cold,
              "baseline_parse_tally": old, "target_p99_ms": TARGET_P99_MS,
              "meets_target": new["p99_ms"] < TARGET_P99_MS}
    say(f"parse: {len(texts)} messages of the reading corpus, median of {repeats} readings each")
    say(f"  {'':34s} {'p50 ms':>8s} {'p99 ms':>8s} {'max ms':>8s} {'msg/s':>8s}")
    for name, r in (("domain.reading.read", new), ("domain.reading.read, first sight", cold),
                    ("parse_tally (before)", old)):
        say(f"  {name:34s} {r['p50_ms']:8.3f} {r['p99_ms']:8.3f} {r['max_ms']:8.3f} {r['messages_per_s']:8d}")
    say(f"  p99 under {TARGET_P99_MS} ms: {'yes' if result['meets_target'] else 'NO'}")
    typical = {}
    say(f"  typical messages, median of {repeats * 11} readings (ms): reader / parse_tally")
    for t in TYPICAL:
        mine = statistics.median(_per_message(lambda x: read(x, vocab, TODAY, policy), [t], repeats * 11)) * 1000
        base = statistics.median(_per_message(lambda x: parse_tally(x, DEFAULT_METRICS), [t], repeats * 11)) * 1000
        typical[t] = {"reader_ms": round(mine, 4), "baseline_ms": round(base, 4)}
        say(f"    {mine:7.3f} / {base:6.3f}  {' | '.join(t.splitlines())[:70]}")
    result["typical"] = typical
    return result


if __name__ == "__main__":
    run(quick="--quick" in sys.argv[1:])
