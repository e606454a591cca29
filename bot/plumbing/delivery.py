"""Handle, then send each reply: the one step from a person's message to the core's answers, on every channel."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from domain.messages import Address, Incoming, Outgoing, Reply, SendResult

log = logging.getLogger(__name__)

Send = Callable[[Address, Reply], Awaitable[SendResult]]


class Handles(Protocol):
    """The core's dispatcher: an incoming message in, the replies out, committed before they are returned."""

    async def handle(self, msg: Incoming) -> list[Outgoing]: ...


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
    results = []
    for out in replies:
        result = await send(out.to, out.reply)
        if not result.ok:
            log.warning("%s: a reply on %s was not delivered: %s", msg.channel, out.to.channel, result.error)
        results.append(result)
    return results
