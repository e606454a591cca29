"""How a reading is judged against a corpus line's meaning (the rules of the shared corpus README)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 12, 5)  # every corpus line is read on this day (a Saturday)


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _nonzero(figures: dict | None) -> dict:
    return {k: int(v) for k, v in (figures or {}).items() if v not in (0, None)}


def judge(case: dict, got: dict) -> str:
    """'ok', 'miss' (not understood, nothing wrong shown) or 'wrong' (a wrong meaning shown as if right)."""
    asks = bool(got.get("questions")) or bool(got.get("error"))
    fig, want = _nonzero(got.get("figures")), _nonzero(case["figures"])
    day, kind = got.get("day") or TODAY.isoformat(), case["kind"]
    if kind in ("EX", "EI"):
        if not asks and fig == want and day == case["day"] and (not case["note"] or bool(got.get("note"))):
            return "ok"
        if not asks:
            return "wrong" if (fig != want or day != case["day"]) else "miss"
        if kind == "EI" and all(want.get(k) == v for k, v in fig.items()):
            return "ok"
        return "miss"
    if kind == "ASK":
        return "ok" if asks else ("wrong" if fig else "miss")
    if kind == "OFF":
        if fig and not asks:
            return "wrong"
        return "ok" if (not fig and (got.get("off") or got.get("note") or asks)) else "miss"
    if kind == "NOFIG":
        return "wrong" if (fig and not asks) else "ok"
    raise ValueError(kind)
