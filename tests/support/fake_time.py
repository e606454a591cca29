"""A monotonic clock for the Telegram pacing that moves only when the code sleeps on it."""
from __future__ import annotations

import asyncio


class PacingTime:
    """Every sleep returns at once and moves the clock to its end (to the latest end, when senders sleep side by
    side); `wakeups` lists those ends: the times the pacing let a message go, read instead of timing it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.wakeups: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        end = self.now + seconds
        self.wakeups.append(round(end, 6))
        self.now = max(self.now, end)
        await asyncio.sleep(0)
