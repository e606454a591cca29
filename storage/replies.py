"""The outbox of replies: each written in the transaction of the change it confirms, marked once it was sent."""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.messages import Address, Attachment, Button, Outgoing, Reply
from domain.ports import Unsent
from storage.schema import replies
from storage.sql import chunks

_PUT = insert(replies)
_UNSENT = select(replies.c.id, replies.c.channel, replies.c.chat_id, replies.c.body).where(
    replies.c.channel == bindparam("b_channel"), replies.c.sent_at.is_(None)).order_by(replies.c.id)
_MARK = update(replies).where(replies.c.id.in_(bindparam("ids", expanding=True))).values(sent_at=bindparam("at"))


class SqlReplies:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def put(self, outgoing: Sequence[Outgoing], at: datetime) -> list[int]:
        ids = []
        for out in outgoing:  # one at a time: the ids must come back in order on both backends
            res = await self.conn.execute(_PUT, {"channel": out.to.channel, "chat_id": out.to.chat_id,
                                                 "body": encode(out.reply, out.to.thread),
                                                 "created_at": at})
            ids.append(res.inserted_primary_key[0])
        return ids

    async def unsent(self, channel: str) -> list[Unsent]:
        rows = await self.conn.execute(_UNSENT, {"b_channel": channel})
        return [Unsent(r.id, Outgoing(Address(r.channel, r.chat_id, thread(r.body)), decode(r.body), r.id))
                for r in rows]

    async def mark_sent(self, reply_ids: Sequence[int], at: datetime) -> None:
        for part in chunks(reply_ids):
            await self.conn.execute(_MARK, {"ids": part, "at": at})

    async def prune(self, before: datetime) -> int:
        res = await self.conn.execute(delete(replies).where(replies.c.sent_at < before))
        return res.rowcount


def encode(reply: Reply, topic: str = "") -> str:
    """A reply as JSON; its address is kept in columns (`to` is always the row's chat), but for a forum topic."""
    body: dict = {"text": reply.text}
    if topic:
        body["thread"] = topic
    if reply.buttons:
        body["buttons"] = [[[b.label, b.payload, b.typed] for b in row] for row in reply.buttons]
    if reply.attachments:
        body["attachments"] = [a.as_dict() for a in reply.attachments]
    return json.dumps(body, ensure_ascii=False)


def thread(text: str) -> str:
    return json.loads(text).get("thread", "")


def decode(text: str) -> Reply:
    body = json.loads(text)
    buttons = tuple(tuple(Button(*b) for b in row) for row in body.get("buttons", ()))
    attachments = tuple(Attachment.from_dict(a) for a in body.get("attachments", ()))
    return Reply(body["text"], buttons, None, attachments)
