"""The inbox every channel keeps: an update is stored before the platform hears it arrived, handled from there,
and leaves once processed. One the bot cannot read is kept aside as unreadable (its raw text stays for an
admin), logged once by id and reason, and acknowledged all the same: it never blocks what comes after it."""
from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.plumbing.faults import fault
from domain.clock import Clock
from domain.ports import Store, Tx

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_ID = 64  # the width of the inbox's and deliveries' id columns


@dataclass(frozen=True)
class Arrival(Generic[T]):
    """One update as received: its delivery id, its text as the platform sent it, and what it reads as (None:
    unreadable, `problem` says why in the bot's words)."""

    delivery_id: str
    raw: str
    item: T | None
    problem: str = ""


def unreadable_id(raw: str) -> str:
    """A delivery id for an update whose own id cannot be read: the same text gets the same id (so a platform
    sending it again is recognised)."""
    return "unreadable:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:MAX_ID - 11]


class Inbox(Generic[T]):
    """One channel's inbox. `read` turns stored text into the platform's update (raising when it cannot);
    `identify` gives a readable update's delivery id."""

    def __init__(self, store: Store, clock: Clock, channel: str, read: Callable[[str], T],
                 identify: Callable[[T], str]) -> None:
        self.store = store
        self.clock = clock
        self.channel = channel
        self.read = read
        self.identify = identify

    def arrival(self, raw: str, delivery_id: str | None = None) -> Arrival[T]:
        """`raw` read; `delivery_id` where the caller knows it without reading (else the update's own, or, for
        an unreadable one, `unreadable_id`)."""
        try:
            item = self.read(raw)
        except Exception as exc:
            return Arrival(_fitting(delivery_id) or unreadable_id(raw), raw, None, fault(exc))
        return Arrival(delivery_id or self.identify(item), raw, item)

    async def keep(self, arrivals: Sequence[Arrival[T]]) -> list[T]:
        """Store a batch in one transaction, the unreadable set aside in it; returns the readable updates neither
        pending nor processed before, in order. Only after this may the platform hear they arrived."""
        if not arrivals:
            return []
        items = [(a.delivery_id, a.raw) for a in arrivals]
        now = self.clock.now()

        async def work(tx: Tx) -> set[str]:
            fresh = set(await tx.inbox.put(self.channel, items, now))
            await self._set_aside(tx, [a for a in arrivals if a.item is None and a.delivery_id in fresh])
            return fresh

        fresh = await self.store.write(work)
        self._say_unreadable([a for a in arrivals if a.item is None and a.delivery_id in fresh])
        return [a.item for a in arrivals if a.item is not None and a.delivery_id in fresh]

    async def pending(self) -> list[T]:
        """What a previous run stored and did not finish, oldest first. One that no longer reads (after an
        upgrade) is set aside as unreadable rather than block every start."""
        rows = await self.store.read(lambda tx: tx.inbox.pending(self.channel))
        arrivals = [self.arrival(row.payload, row.delivery_id) for row in rows]
        unreadable = [a for a in arrivals if a.item is None]
        if unreadable:
            await self.store.write(lambda tx: self._set_aside(tx, unreadable))
            self._say_unreadable(unreadable)
        return [a.item for a in arrivals if a.item is not None]

    async def done(self, delivery_id: str) -> None:
        """Mark an update the core has no use for as processed, so it leaves the inbox."""
        await self.store.write(lambda tx: tx.deliveries.claim(self.channel, delivery_id, self.clock.now()))

    async def _set_aside(self, tx: Tx, unreadable: list[Arrival[T]]) -> None:
        by_problem: dict[str, list[str]] = defaultdict(list)
        for a in unreadable:
            by_problem[a.problem].append(a.delivery_id)
        for problem, ids in by_problem.items():
            await tx.inbox.set_unreadable(self.channel, ids, problem)

    def _say_unreadable(self, unreadable: list[Arrival[T]]) -> None:
        """Once, after the commit: a copy sent again is not fresh, and set-aside rows are never read again."""
        for a in unreadable:
            log.warning("%s: update %s cannot be read (%s); kept in the inbox as unreadable", self.channel,
                        a.delivery_id, a.problem)


def _fitting(delivery_id: str | None) -> str | None:
    return delivery_id if delivery_id and len(delivery_id) <= MAX_ID else None
