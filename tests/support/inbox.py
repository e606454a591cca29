"""What the inbox keeps aside as unreadable, read straight from its table (as an admin would)."""
from __future__ import annotations

from sqlalchemy import select

from storage.schema import inbox


async def unreadable(store, channel: str) -> list[tuple[str, str, str]]:
    """(delivery id, raw text, reason) of every update set aside on `channel`, in arrival order."""
    async def work(tx):
        rows = await tx.conn.execute(select(inbox.c.delivery_id, inbox.c.payload, inbox.c.unreadable).where(
            inbox.c.channel == channel, inbox.c.unreadable.is_not(None)).order_by(inbox.c.id))
        return [tuple(r) for r in rows]
    return await store.read(work)
