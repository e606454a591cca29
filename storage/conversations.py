"""Conversation state: where each person's half-finished conversation stands, kept between messages."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.model import Conversation
from storage.schema import conversations
from storage.sql import advisory_key, prebuilt_upsert

_CONV_KEY = (conversations.c.channel == bindparam("b_channel"), conversations.c.chat_id == bindparam("b_chat"),
             conversations.c.user_id == bindparam("b_user"))
_GET_CONVERSATION = select(conversations).where(*_CONV_KEY)
_DROP_CONVERSATION = delete(conversations).where(*_CONV_KEY)
_CONV_COLUMNS = ("name", "step", "data", "choices", "expects_number", "updated_at")
_SAVE_CONVERSATION = prebuilt_upsert(conversations, ["channel", "chat_id", "user_id"], _CONV_COLUMNS)
_ONE_AT_A_TIME = text("SELECT pg_advisory_xact_lock(:k)")


class SqlConversations:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def get(self, channel: str, chat_id: str, user_id: str) -> Conversation:
        if self.conn.dialect.name == "postgresql":
            # Several bot processes behind one webhook may each get a message of the same person at once. This
            # lock, held to the end of the transaction, makes the second wait for the first to commit and then
            # read what it saved, instead of both continuing from the same state and one losing its update.
            # (SQLite has a single writer: its transactions never overlap.)
            await self.conn.execute(_ONE_AT_A_TIME, {"k": advisory_key(f"conversation:{channel}:{chat_id}:{user_id}")})
        row = (await self.conn.execute(_GET_CONVERSATION, {"b_channel": channel, "b_chat": chat_id,
                                                           "b_user": user_id})).first()
        if row is None:
            return Conversation()
        return Conversation(name=row.name, step=row.step, data=json.loads(row.data),
                            choices=json.loads(row.choices), expects_number=row.expects_number)

    async def save(self, channel: str, chat_id: str, user_id: str, conv: Conversation, at: datetime) -> None:
        if not conv.active and not conv.choices:
            await self.conn.execute(_DROP_CONVERSATION, {"b_channel": channel, "b_chat": chat_id, "b_user": user_id})
            return
        await self.conn.execute(_SAVE_CONVERSATION[self.conn.dialect.name], {
            "channel": channel, "chat_id": chat_id, "user_id": user_id, "name": conv.name, "step": conv.step,
            "data": json.dumps(conv.data, ensure_ascii=False), "choices": json.dumps(conv.choices),
            "expects_number": conv.expects_number, "updated_at": at})
