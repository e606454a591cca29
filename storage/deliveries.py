"""Processed deliveries: each platform update is handled once, claimed in the transaction that handles it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import deliveries, inbox
from storage.sql import by_dialect

_CLAIM = by_dialect(lambda insert: insert(deliveries).on_conflict_do_nothing(index_elements=["channel", "delivery_id"]))
_UNQUEUE = delete(inbox).where(inbox.c.channel == bindparam("b_channel"), inbox.c.delivery_id == bindparam("b_delivery"))


class SqlDeliveries:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def claim(self, channel: str, delivery_id: str, at: datetime) -> bool:
        res = await self.conn.execute(_CLAIM[self.conn.dialect.name], {
            "channel": channel, "delivery_id": delivery_id, "processed_at": at})
        await self.conn.execute(_UNQUEUE, {"b_channel": channel, "b_delivery": delivery_id})  # processed: out of the inbox
        return res.rowcount == 1

    async def prune(self, before: datetime) -> int:
        res = await self.conn.execute(delete(deliveries).where(deliveries.c.processed_at < before))
        return res.rowcount
