"""One-time codes that attach a second channel's identity to an existing member (stored hashed, short-lived)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.ports import AccountLink
from storage.schema import account_links


def _link(r) -> AccountLink:
    return AccountLink(id=r.id, member_id=r.member_id, channel=r.channel, chat_id=r.chat_id,
                       expires_at=r.expires_at, used_at=r.used_at)


class SqlAccountLinks:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def create(self, code_hash: str, member_id: int, channel: str, chat_id: str, expires_at: datetime,
                     at: datetime) -> AccountLink:
        # One open code per member: asking again replaces the previous one (and clears old rows).
        await self.conn.execute(delete(account_links).where(account_links.c.member_id == member_id))
        res = await self.conn.execute(account_links.insert().values(
            code_hash=code_hash, member_id=member_id, channel=channel, chat_id=chat_id, expires_at=expires_at,
            created_at=at))
        row = (await self.conn.execute(select(account_links).where(
            account_links.c.id == res.inserted_primary_key[0]))).one()
        return _link(row)

    async def by_hash(self, code_hash: str) -> AccountLink | None:
        row = (await self.conn.execute(select(account_links).where(account_links.c.code_hash == code_hash))).first()
        return _link(row) if row else None

    async def use(self, link_id: int, at: datetime) -> bool:
        res = await self.conn.execute(update(account_links).where(
            account_links.c.id == link_id, account_links.c.used_at.is_(None)).values(used_at=at))
        return res.rowcount == 1
