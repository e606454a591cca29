"""Conversation state, processed deliveries, the inbox of unprocessed updates, and the audit log."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.model import Conversation
from storage.schema import audit_log, conversations, deliveries, inbox
from storage.sql import advisory_key, by_dialect, prebuilt_upsert

_CONV_KEY = (conversations.c.channel == bindparam("b_channel"), conversations.c.chat_id == bindparam("b_chat"),
             conversations.c.user_id == bindparam("b_user"))
_GET_CONVERSATION = select(conversations).where(*_CONV_KEY)
_DROP_CONVERSATION = delete(conversations).where(*_CONV_KEY)
_CONV_COLUMNS = ("name", "step", "data", "choices", "expects_number", "updated_at")
_SAVE_CONVERSATION = prebuilt_upsert(conversations, ["channel", "chat_id", "user_id"], _CONV_COLUMNS)
_CLAIM = by_dialect(lambda insert: insert(deliveries).on_conflict_do_nothing(index_elements=["channel", "delivery_id"]))
_PROCESSED = select(deliveries.c.delivery_id).where(deliveries.c.channel == bindparam("channel"),
                                                   deliveries.c.delivery_id.in_(bindparam("ids", expanding=True)))
_PUT = by_dialect(lambda insert: insert(inbox).on_conflict_do_nothing(index_elements=["channel", "delivery_id"]))
_UNQUEUE = delete(inbox).where(inbox.c.channel == bindparam("b_channel"), inbox.c.delivery_id == bindparam("b_delivery"))
_AUDIT = audit_log.insert()
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
            "data": json.dumps(conv.data, ensure_ascii=False), "choices": json.dumps(conv.choices), "expects_number": conv.expects_number, "updated_at": at})


class SqlDeliveries:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def claim(self, channel: str, delivery_id: str, at: datetime) -> bool:
        res = await self.conn.execute(_CLAIM[self.conn.dialect.name], {
            "channel": channel, "delivery_id": delivery_id, "processed_at": at})
        await self.conn.execute(_UNQUEUE, {"b_channel": channel, "b_delivery": delivery_id})
        return res.rowcount == 1

    async def prune(self, before: datetime) -> int:
        res = await self.conn.execute(delete(deliveries).where(deliveries.c.processed_at < before))
        return res.rowcount


class SqlAudit:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def record(self, at: datetime, actor_id: int | None, action: str, subject: str,
                     old: Any, new: Any) -> None:
        dump = lambda v: None if v is None else json.dumps(v, ensure_ascii=False, default=str)  # noqa: E731
        await self.conn.execute(_AUDIT, {"at": at, "actor_id": actor_id, "action": action, "subject": subject,
                                         "old": dump(old), "new": dump(new)})


@dataclass(frozen=True)
class Pending:
    channel: str
    delivery_id: str
    payload: str


class SqlInbox:
    """Raw updates written before the platform is told they arrived; processed ones leave it."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def put(self, channel: str, items: list[tuple[str, str]], at: datetime) -> list[str]:
        """Store (delivery_id, payload) pairs; returns the ids that were new (neither pending nor processed)."""
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
        rows = await self.conn.execute(select(inbox).where(inbox.c.channel == channel, inbox.c.unreadable.is_(None))
                                       .order_by(inbox.c.id))
        return [Pending(r.channel, r.delivery_id, r.payload) for r in rows]

    async def set_unreadable(self, channel: str, delivery_ids: list[str], reason: str) -> None:
        """Keep these stored updates aside, never handled: the bot cannot read them (`reason`, no personal data)."""
        if delivery_ids:
            await self.conn.execute(update(inbox).where(inbox.c.channel == channel, inbox.c.delivery_id.in_(
                delivery_ids)).values(unreadable=reason[:200]))
