"""Invite codes (stored hashed), the failed attempts to use one, counted per sender, and the removed members' channels
the codes of before their removal no longer admit."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.model import Invite, Role
from storage.schema import invite_failures, invites, revoked_identities


def _to_invite(r) -> Invite:
    return Invite(id=r.id, unit_id=r.unit_id, role=Role(r.role), expires_at=r.expires_at,
                  max_uses=r.max_uses, uses=r.uses, created_by=r.created_by)


class SqlInvites:
    def __init__(self, conn: AsyncConnection, now) -> None:
        self.conn = conn
        self._now = now

    async def create(self, code_hash: str, unit_id: int, role: Role, expires_at: datetime,
                     max_uses: int, created_by: int | None) -> Invite:
        res = await self.conn.execute(invites.insert().values(
            code_hash=code_hash, unit_id=unit_id, role=role.value, expires_at=expires_at, max_uses=max_uses,
            uses=0, created_by=created_by, created_at=self._now()))
        row = (await self.conn.execute(select(invites).where(invites.c.id == res.inserted_primary_key[0]))).one()
        return _to_invite(row)

    async def by_hash(self, code_hash: str) -> Invite | None:
        row = (await self.conn.execute(select(invites).where(invites.c.code_hash == code_hash))).first()
        return _to_invite(row) if row else None

    async def use(self, invite_id: int) -> bool:
        res = await self.conn.execute(update(invites)
                                      .where(invites.c.id == invite_id, invites.c.uses < invites.c.max_uses)
                                      .values(uses=invites.c.uses + 1))
        return res.rowcount == 1

    async def record_failure(self, channel: str, external_id: str, at: datetime) -> None:
        await self.conn.execute(invite_failures.insert().values(channel=channel, external_id=external_id, at=at))

    async def failures_since(self, channel: str, external_id: str, since: datetime) -> int:
        q = select(func.count()).select_from(invite_failures).where(
            invite_failures.c.channel == channel, invite_failures.c.external_id == external_id,
            invite_failures.c.at >= since)
        return (await self.conn.execute(q)).scalar_one()

    async def revoke(self, member_id: int, identities: Iterable[tuple[str, str]], at: datetime) -> None:
        for channel, external_id in identities:
            await self.conn.execute(revoked_identities.delete().where(
                revoked_identities.c.channel == channel, revoked_identities.c.external_id == external_id))
            await self.conn.execute(revoked_identities.insert().values(
                channel=channel, external_id=external_id, member_id=member_id, revoked_at=at))

    async def revoked(self, invite_id: int, channel: str, external_id: str) -> bool:
        q = (select(revoked_identities.c.member_id)
             .join(invites, invites.c.id == invite_id)
             .where(revoked_identities.c.channel == channel, revoked_identities.c.external_id == external_id,
                    invites.c.created_at <= revoked_identities.c.revoked_at))
        return (await self.conn.execute(q)).first() is not None

    async def removed_as(self, channel: str, external_id: str) -> int | None:
        q = select(revoked_identities.c.member_id).where(revoked_identities.c.channel == channel,
                                                         revoked_identities.c.external_id == external_id)
        return (await self.conn.execute(q)).scalar_one_or_none()
