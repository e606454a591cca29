"""Group chats linked to units with /link: their leaders' summaries go there instead of privately."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.model import LinkedChat
from storage.schema import linked_chats
from storage.sql import chunks, upsert


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
