"""Handle, then send each reply: the one step from a person's message to the core's answers, on every channel."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from domain.messages import Address, Incoming, Outgoing, Reply, SendResult
from domain.ports import Store

log = logging.getLogger(__name__)

Send = Callable[[Address, Reply], Awaitable[SendResult]]


class Handles(Protocol):
    """The core's dispatcher: an incoming message in, the replies out, committed before they are returned."""

    async def handle(self, msg: Incoming) -> list[Outgoing]: ...
    async def sent(self, reply_ids: Sequence[int]) -> None:
        """Mark the outbox's replies sent (the outcome is final: delivered, or refused for good)."""


async def handle_and_reply(core: Handles, send: Send, msg: Incoming,
                           handling: asyncio.Semaphore | None = None) -> list[SendResult]:
    """The core handles `msg` (within `handling`, when the channel bounds how many at once); then every reply
    goes out in order, each through `send`. A reply that fails is logged (where and why, never its text) and
    the next ones still go."""
    if handling is None:
        replies = await core.handle(msg)
    else:
        async with handling:
            replies = await core.handle(msg)
    return await send_all(core, send, replies, msg.channel)


async def send_all(core: Handles, send: Send, replies: Sequence[Outgoing], source: str) -> list[SendResult]:
    """Each reply in order, then the outbox's marks of those it holds. A crash before the marks are written
    sends them again at the next start: a reply may be repeated, never lost."""
    results = []
    for out in replies:
        result = await send(out.to, out.reply)
        if not result.ok:
            log.warning("%s: a reply on %s was not delivered: %s", source, out.to.channel, result.error)
        results.append(result)
    try:
        await core.sent([out.reply_id for out in replies if out.reply_id is not None])
    except Exception as exc:  # the database is away: the next start sends them again, which is allowed
        log.warning("%s: replies sent but not marked sent (%s)", source, type(exc).__name__)
    return results


async def send_unsent(core: Handles, store: Store, send: Send, channel: str) -> int:
    """At a channel's start: the replies to its chats that were committed and never marked sent (the process
    stopped between the commit and the send), sent now in the order they were made; how many."""
    unsent = await store.read(lambda tx: tx.replies.unsent(channel))
    if unsent:
        log.info("%s: sending %d reply(ies) committed before the last stop", channel, len(unsent))
        await send_all(core, send, [u.out for u in unsent], channel)
    return len(unsent)
