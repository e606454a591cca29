"""The inbox: raw platform updates stored before the platform is told they arrived, until they are processed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.ports import Pending
from storage.schema import deliveries, inbox
from storage.sql import by_dialect

_PROCESSED = select(deliveries.c.delivery_id).where(deliveries.c.channel == bindparam("channel"),
                                                   deliveries.c.delivery_id.in_(bindparam("ids", expanding=True)))
_PUT = by_dialect(lambda insert: insert(inbox).on_conflict_do_nothing(index_elements=["channel", "delivery_id"]))
_PENDING = select(inbox).where(inbox.c.channel == bindparam("b_channel"), inbox.c.unreadable.is_(None)).order_by(
    inbox.c.id)


class SqlInbox:
    """Processed updates leave it when their delivery is claimed (storage/deliveries.py), in the same transaction."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def put(self, channel: str, items: list[tuple[str, str]], at: datetime) -> list[str]:
        if not items:
            return []
        done = {r.delivery_id for r in await self.conn.execute(_PROCESSED, {
            "channel": channel, "ids": [d for d, _ in items]})}
        put = _PUT[self.conn.dialect.name]
        fresh = []
        for delivery_id, payload in items:
            if delivery_id in done:
                continue
            res = await self.conn.execute(put, {"channel": channel, "delivery_id": delivery_id,
                                                "payload": payload, "received_at": at})
            if res.rowcount == 1:
                fresh.append(delivery_id)
        return fresh

    async def pending(self, channel: str) -> list[Pending]:
        rows = await self.conn.execute(_PENDING, {"b_channel": channel})
        return [Pending(r.channel, r.delivery_id, r.payload) for r in rows]

    async def set_unreadable(self, channel: str, delivery_ids: list[str], reason: str) -> None:
        if delivery_ids:
            await self.conn.execute(update(inbox).where(inbox.c.channel == channel, inbox.c.delivery_id.in_(
                delivery_ids)).values(unreadable=reason[:200]))
