"""The time the timed sections run on: the wall clock; the smoke test gives one that moves only when slept on (tests.support.fake_time.FakeTime)."""
from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Time(Protocol):
    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class WallTime:
    """Real seconds: what every measurement reports."""

    def monotonic(self) -> float:
        return time.perf_counter()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
