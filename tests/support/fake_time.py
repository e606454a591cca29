"""The one fake monotonic clock of the channel tests: it moves only when the code sleeps on it (pacing, backoff)."""
from __future__ import annotations

import asyncio


class FakeTime:
    """Every sleep returns at once (after one turn of the event loop) and moves the clock on by its length.
    `sleeps` lists the lengths asked for, in order; `wakeups` the clock's time at each sleep's end: when the
    pacing let a message go, read instead of timing it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.wakeups: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        self.wakeups.append(round(self.now, 6))
        await asyncio.sleep(0)
