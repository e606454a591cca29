"""The scheduler's tables: every reminder and summary claimed before it is sent, and groups linked to units."""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from sqlalchemy import Column, Date, ForeignKey, String, Table, UniqueConstraint, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.model import LinkedChat
from storage.schema import Id, UtcTime, metadata
from storage.sql import chunks, insert_ignore, upsert
from storage.store import SqlTx

sends = Table(
    "sends", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # remind, missing, summary, unreachable
    Column("topic", String(64), nullable=False),  # the cut-off and reminder offset ("team-30"), or the subject
    Column("day", Date, nullable=False),
    Column("recipient", String(96), nullable=False),  # "member:12" or "chat:telegram:-100…"
    Column("claimed_at", UtcTime, nullable=False),
    Column("outcome", String(16), nullable=True),  # None: claimed, not known to be sent (a crash in between)
    Column("finished_at", UtcTime, nullable=True),
    UniqueConstraint("kind", "topic", "day", "recipient", name="uq_sends_key"),
)

linked_chats = Table(
    "linked_chats", metadata,
    Column("channel", String(64), primary_key=True),
    Column("chat_id", String(64), primary_key=True),
    Column("unit_id", Id, ForeignKey("units.id"), nullable=False, index=True),
    Column("language", String(8), nullable=False),
    Column("linked_by", Id, ForeignKey("members.id"), nullable=True),
    Column("linked_at", UtcTime, nullable=False),
)


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


def _linked(row) -> LinkedChat:
    return LinkedChat(row.channel, row.chat_id, row.unit_id, row.language)


class SqlLinks:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def link(self, chat: LinkedChat, by: int | None, at: datetime) -> None:
        await self.conn.execute(upsert(self.conn, linked_chats, ["channel", "chat_id"], {
            "channel": chat.channel, "chat_id": chat.chat_id, "unit_id": chat.unit_id, "language": chat.language,
            "linked_by": by, "linked_at": at}))

    async def unlink(self, channel: str, chat_id: str) -> bool:
        res = await self.conn.execute(delete(linked_chats).where(linked_chats.c.channel == channel,
                                                                 linked_chats.c.chat_id == chat_id))
        return res.rowcount > 0

    async def move(self, channel: str, old_chat_id: str, new_chat_id: str) -> None:
        await self.conn.execute(update(linked_chats).where(linked_chats.c.channel == channel,
                                                           linked_chats.c.chat_id == old_chat_id)
                                .values(chat_id=new_chat_id))

    async def get(self, channel: str, chat_id: str) -> LinkedChat | None:
        row = (await self.conn.execute(select(linked_chats).where(
            linked_chats.c.channel == channel, linked_chats.c.chat_id == chat_id))).first()
        return _linked(row) if row else None

    async def for_units(self, unit_ids: Iterable[int]) -> list[LinkedChat]:
        found = []
        for ids in chunks(unit_ids):
            found += [_linked(r) for r in await self.conn.execute(
                select(linked_chats).where(linked_chats.c.unit_id.in_(ids))
                .order_by(linked_chats.c.unit_id, linked_chats.c.channel, linked_chats.c.chat_id))]
        return found


SqlTx.extensions["sends"] = lambda tx: SqlSends(tx.conn)
SqlTx.extensions["links"] = lambda tx: SqlLinks(tx.conn)
