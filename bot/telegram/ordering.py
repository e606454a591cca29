"""One person's updates in the order sent, different people's at the same time."""
from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Hashable

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB takes a slot of its own semaphore *before* our per-sender lock; were that semaphore the real limit, one
# person's queued updates could hold every slot while waiting for their own lock and stall everyone else. So
# PTB's limit is set out of reach and the real one is taken after the lock.
_OUT_OF_REACH = 1 << 20


def sender_key(update: object) -> Hashable:
    """(chat, user) of an update: what must stay in order. A press on a message too old to be attached
    counts as the person's private chat, as the channel answers it there."""
    if isinstance(update, Update):
        chat, user = update.effective_chat, update.effective_user
        user_id = user.id if user else None
        return (chat.id if chat else user_id, user_id)
    return None


class SenderOrderedProcessor(BaseUpdateProcessor):
    """A lock per (chat, user), taken in arrival order (asyncio locks are FIFO), then a shared work slot.

    PTB starts one task per update in queue order and each reaches `do_process_update` without yielding, so
    the lock's waiters line up exactly as the updates arrived.
    """

    def __init__(self, max_concurrent: int = 64) -> None:
        super().__init__(max_concurrent_updates=_OUT_OF_REACH)
        self._limit = max_concurrent
        self._slots = asyncio.Semaphore(max_concurrent)
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._waiting: dict[Hashable, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = sender_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # forget idle senders, or the dict grows with every user ever seen
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        self._slots = asyncio.Semaphore(self._limit)

    async def shutdown(self) -> None:
        pass
