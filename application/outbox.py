"""Marking the outbox's replies sent: the marks of every reply sent meanwhile go in one write."""
from __future__ import annotations

import asyncio
from collections.abc import Sequence

from domain.clock import Clock
from domain.ports import Store


class SentMarks:
    """While one write marks replies sent, the next replies' marks queue and go together in the next write: under
    load one transaction marks many, and an idle sender waits for its own write only."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._waiting: list[tuple[Sequence[int], asyncio.Future]] = []
        self._flushing: asyncio.Task | None = None

    async def mark(self, reply_ids: Sequence[int]) -> None:
        if not reply_ids:
            return
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((reply_ids, done))
        if self._flushing is None:
            self._flushing = asyncio.create_task(self._flush())
        await done

    async def _flush(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                ids = [i for ids, _ in batch for i in ids]
                try:
                    await self.store.write(lambda tx: tx.replies.mark_sent(ids, self.clock.now()))
                except Exception as exc:
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                else:
                    for _, done in batch:
                        if not done.done():
                            done.set_result(None)
        finally:
            self._flushing = None
