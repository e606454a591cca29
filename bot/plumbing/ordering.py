"""One sender's updates handled in the order they arrived, different senders' side by side."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Hashable
from typing import TypeVar

T = TypeVar("T")


class SenderOrder:
    """A lock per sender (asyncio locks are FIFO: waiters go in arrival order), then, when `limit` is given, one
    of `limit` shared slots. Idle senders are forgotten, or the locks would grow with every person ever seen.

    The order holds only if each update's `run` is entered in arrival order without an await in between, as a
    channel does when it starts one task per update in queue order.
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self._slots = asyncio.Semaphore(limit) if limit else None
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._waiting: dict[Hashable, int] = {}

    async def run(self, sender: Hashable, work: Awaitable[T]) -> T:
        """Await `work` once this sender's earlier work is done (and a slot is free)."""
        lock = self._locks.setdefault(sender, asyncio.Lock())
        self._waiting[sender] = self._waiting.get(sender, 0) + 1
        try:
            async with lock:
                if self._slots is None:
                    return await work
                async with self._slots:
                    return await work
        finally:
            self._waiting[sender] -= 1
            if not self._waiting[sender]:
                del self._waiting[sender]
                del self._locks[sender]

    @property
    def senders(self) -> int:
        """How many senders have work running or waiting."""
        return len(self._locks)
