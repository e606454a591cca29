"""Members and their channel identities."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.model import Identity, Member, Membership, Role, Unit
from storage.schema import identities, members, units
from storage.sql import chunks

_IDENTITIES_OF = (select(identities).where(identities.c.member_id.in_(bindparam("b_ids", expanding=True)))
                  .order_by(identities.c.channel))
# What a Member holds, and no more: the timestamps would each be parsed from text on SQLite, for nothing.
_MEMBER = select(members.c.id, members.c.name, members.c.role, members.c.unit_id, members.c.language,
                 members.c.unreachable)
_IN_UNITS = (_MEMBER.where(members.c.unit_id.in_(bindparam("b_units", expanding=True)),
                                  members.c.removed_at.is_(None))
             .order_by(members.c.unit_id, members.c.name, members.c.id))
_ROSTER = (select(members.c.id, members.c.name, members.c.role, members.c.unit_id, members.c.language,
                  members.c.unreachable, members.c.created_at, members.c.removed_at)
           .where(members.c.unit_id.in_(bindparam("b_units", expanding=True)),
                  or_(members.c.removed_at.is_(None), members.c.removed_at >= bindparam("b_since")))
           .order_by(members.c.unit_id, members.c.name, members.c.id))
_GET = _MEMBER.where(members.c.id == bindparam("b_id"), members.c.removed_at.is_(None))
# Who wrote, with all their identities and their unit, in one statement: every message asks it first.
_theirs = identities.alias("theirs")
_SENDER = (select(members.c.id, members.c.name, members.c.role, members.c.unit_id, members.c.language,
                  members.c.unreachable, _theirs.c.channel, _theirs.c.external_id, _theirs.c.chat_id, _theirs.c.blocked,
                  units.c.id.label("u_id"), units.c.code.label("u_code"), units.c.name.label("u_name"), units.c.kind.label("u_kind"),
                  units.c.parent_id.label("u_parent_id"), units.c.path.label("u_path"),
                  units.c.households.label("u_households"), units.c.paused_until.label("u_paused_until"))
           .select_from(identities.join(members, identities.c.member_id == members.c.id)
                        .join(_theirs, _theirs.c.member_id == members.c.id)
                        .outerjoin(units, units.c.id == members.c.unit_id))
           .where(identities.c.channel == bindparam("b_channel"),
                  identities.c.external_id == bindparam("b_external"), members.c.removed_at.is_(None))
           .order_by(_theirs.c.channel))


_ROLES = {r.value: r for r in Role}


class SqlMembers:
    def __init__(self, conn: AsyncConnection, now) -> None:
        self.conn = conn
        self._now = now

    async def _load(self, rows, with_identities: bool = True) -> list[Member]:
        rows = list(rows)
        if not rows:
            return []
        idents: dict[int, list[Identity]] = {}
        if with_identities:
            for chunk in chunks(r.id for r in rows):
                for i in await self.conn.execute(_IDENTITIES_OF, {"b_ids": chunk}):
                    idents.setdefault(i.member_id, []).append(Identity(i.channel, i.external_id, i.chat_id, i.blocked))
        # Positional: a province's roster is 6,000 rows, and Role(...) and row attributes cost more than the SQL.
        roles = _ROLES
        return [Member(i, name, roles[role], unit_id, language, unreachable, tuple(idents.get(i, ())))
                for i, name, role, unit_id, language, unreachable, *_ in rows]

    async def get(self, member_id: int) -> Member | None:
        rows = await self.conn.execute(_GET, {"b_id": member_id})
        found = await self._load(rows)
        return found[0] if found else None

    async def by_identity(self, channel: str, external_id: str) -> Member | None:
        found = await self.sender(channel, external_id)
        return found[0] if found else None

    async def sender(self, channel: str, external_id: str) -> tuple[Member, Unit | None] | None:
        rows = (await self.conn.execute(_SENDER, {"b_channel": channel, "b_external": external_id})).all()
        if not rows:
            return None
        r = rows[0]
        member = Member(id=r.id, name=r.name, role=Role(r.role), unit_id=r.unit_id, language=r.language,
                        unreachable=r.unreachable,
                        identities=tuple(Identity(i.channel, i.external_id, i.chat_id, i.blocked) for i in rows))
        unit = None if r.u_id is None else Unit(
            id=r.u_id, code=r.u_code, name=r.u_name, kind=r.u_kind, parent_id=r.u_parent_id, path=r.u_path,
            households=r.u_households, paused_until=r.u_paused_until)
        return member, unit

    async def create(self, name: str, role: Role, unit_id: int | None, language: str,
                     identity: Identity) -> Member:
        res = await self.conn.execute(members.insert().values(
            name=name, role=role.value, unit_id=unit_id, language=language, unreachable=False,
            created_at=self._now()))
        member_id = res.inserted_primary_key[0]
        await self.add_identity(member_id, identity)
        return await self.get(member_id)

    async def add_identity(self, member_id: int, identity: Identity) -> None:
        await self.conn.execute(identities.delete().where(identities.c.channel == identity.channel,
                                                          identities.c.external_id == identity.external_id))
        await self.conn.execute(identities.insert().values(
            channel=identity.channel, external_id=identity.external_id, member_id=member_id,
            chat_id=identity.chat_id))

    async def set_language(self, member_id: int, language: str) -> None:
        await self.conn.execute(update(members).where(members.c.id == member_id).values(language=language))

    async def set_role(self, member_id: int, role: Role, unit_id: int | None) -> None:
        await self.conn.execute(update(members).where(members.c.id == member_id)
                                .values(role=role.value, unit_id=unit_id))

    async def remove(self, member_id: int, at: datetime) -> None:
        await self.conn.execute(update(members).where(members.c.id == member_id).values(removed_at=at))
        await self.conn.execute(identities.delete().where(identities.c.member_id == member_id))

    async def set_blocked(self, member_id: int, channel: str, chat_id: str, blocked: bool) -> None:
        await self.conn.execute(update(identities).where(
            identities.c.member_id == member_id, identities.c.channel == channel, identities.c.chat_id == chat_id)
            .values(blocked=blocked))

    async def set_unreachable(self, member_id: int, unreachable: bool) -> None:
        await self.conn.execute(update(members).where(members.c.id == member_id)
                                .values(unreachable=unreachable))

    async def in_units(self, unit_ids: Iterable[int], with_identities: bool = True) -> list[Member]:
        rows = []
        for chunk in chunks(unit_ids):
            rows += (await self.conn.execute(_IN_UNITS, {"b_units": chunk})).all()
        return await self._load(rows, with_identities)

    async def roster(self, unit_ids: Iterable[int], since: datetime,
                     with_identities: bool = False) -> list[Membership]:
        rows = []
        for chunk in chunks(unit_ids):
            rows += (await self.conn.execute(_ROSTER, {"b_units": chunk, "b_since": since})).all()
        found = await self._load(rows, with_identities)
        return [Membership(m, r[6], r[7]) for m, r in zip(found, rows)]  # created_at, removed_at
