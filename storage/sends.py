"""The scheduler's sends: every reminder and summary claimed before it is sent, and how it went."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import sends
from storage.sql import insert_ignore


class SqlSends:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def claim(self, kind: str, topic: str, day: date, recipient: str, at: datetime) -> bool:
        res = await self.conn.execute(insert_ignore(self.conn, sends, ["kind", "topic", "day", "recipient"]).values(
            kind=kind, topic=topic, day=day, recipient=recipient, claimed_at=at))
        return res.rowcount == 1

    async def finish(self, kind: str, topic: str, day: date, recipient: str, outcome: str, at: datetime) -> None:
        await self.conn.execute(update(sends).where(
            sends.c.kind == kind, sends.c.topic == topic, sends.c.day == day, sends.c.recipient == recipient)
            .values(outcome=outcome, finished_at=at))

    async def prune(self, before: date) -> int:
        res = await self.conn.execute(delete(sends).where(sends.c.day < before))
        return res.rowcount
