"""python-telegram-bot's update processor over the channels' per-sender order."""
from __future__ import annotations

from typing import Any, Awaitable, Hashable

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.plumbing.ordering import SenderOrder

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
    """One person's updates in the order sent, different people's at the same time, `max_concurrent` at most.

    PTB starts one task per update in queue order and each reaches `do_process_update` without yielding, so
    the sender's lock sees its waiters line up exactly as the updates arrived.
    """

    def __init__(self, max_concurrent: int = 64) -> None:
        super().__init__(max_concurrent_updates=_OUT_OF_REACH)
        self._limit = max_concurrent
        self.order = SenderOrder(max_concurrent)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await self.order.run(sender_key(update), coroutine)

    async def initialize(self) -> None:
        self.order = SenderOrder(self._limit)

    async def shutdown(self) -> None:
        pass
