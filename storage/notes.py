"""Members' notes for leaders ("Khó khăn: …") and their days off: kept, and read per unit and period."""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.model import DayOff, MemberNote, Unit
from storage.schema import days_off, entries, members, notes, units
from storage.sql import by_dialect, chunks, prebuilt_upsert

_ADD_NOTE = by_dialect(lambda insert: insert(notes).on_conflict_do_nothing(index_elements=["source_key"])
                       .returning(notes.c.id))
# A member off who reported figures that day worked after all: the figures count, the day off is not shown.
_WORKED = (select(entries.c.id).where(entries.c.member_id == days_off.c.member_id, entries.c.day == days_off.c.day,
                                      entries.c.withdrawn_at.is_(None), entries.c.replaced_by.is_(None)).exists())
_SET_OFF = prebuilt_upsert(days_off, ["member_id", "day"], ("team_id", "reason", "recorded_at"))


def _teams_under(conn: AsyncConnection, scope: Unit | None, team_kind: str):
    """Teams of a kind under `scope` (None: everywhere), by the units' paths as the entries' reads do."""
    path = (scope.path if scope is not None else "/") + ("*" if conn.dialect.name == "sqlite" else "%")
    match = units.c.path.op("GLOB")(path) if conn.dialect.name == "sqlite" else units.c.path.like(path)
    return and_(match, units.c.kind == team_kind)


class SqlNotes:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, member_id: int, team_id: int, day: date, text: str, at: datetime, source_key: str,
                  entry_id: int | None) -> bool:
        res = await self.conn.execute(_ADD_NOTE[self.conn.dialect.name], {
            "member_id": member_id, "team_id": team_id, "day": day, "text": text, "recorded_at": at,
            "source_key": source_key, "entry_id": entry_id})
        return res.scalar_one_or_none() is not None

    async def under(self, scope: Unit | None, team_kind: str, first: date, last: date) -> list[MemberNote]:
        # A note goes with its report's withdrawal (/undo, /rutlai); an edit that replaced the report keeps it.
        kept = or_(notes.c.entry_id.is_(None), entries.c.withdrawn_at.is_(None), entries.c.replaced_by.is_not(None))
        rows = await self.conn.execute(
            select(notes.c.member_id, members.c.name, notes.c.team_id, notes.c.day, notes.c.text)
            .join(units, units.c.id == notes.c.team_id).join(members, members.c.id == notes.c.member_id)
            .outerjoin(entries, entries.c.id == notes.c.entry_id)
            .where(_teams_under(self.conn, scope, team_kind), notes.c.day.between(first, last), kept)
            .order_by(notes.c.day, units.c.code, notes.c.id))
        return [MemberNote(r.member_id, r.name, r.team_id, r.day, r.text) for r in rows]


class SqlDaysOff:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def set(self, member_id: int, team_id: int, day: date, reason: str | None, at: datetime) -> None:
        await self.conn.execute(_SET_OFF[self.conn.dialect.name], {
            "member_id": member_id, "day": day, "team_id": team_id, "reason": reason, "recorded_at": at})

    async def excused(self, day: date, member_ids: Iterable[int]) -> set[int]:
        ids = chunks(member_ids)
        if len(ids) > 1:  # a province or more: the day's days off, one read by the day's index, kept if asked for
            wanted = {i for chunk in ids for i in chunk}
            rows = await self.conn.execute(select(days_off.c.member_id).where(days_off.c.day == day))
            return {r.member_id for r in rows if r.member_id in wanted}
        out: set[int] = set()
        for chunk in ids:
            rows = await self.conn.execute(select(days_off.c.member_id).where(
                days_off.c.day == day, days_off.c.member_id.in_(chunk)))
            out.update(r.member_id for r in rows)
        return out

    async def under(self, scope: Unit | None, team_kind: str, first: date, last: date) -> list[DayOff]:
        rows = await self.conn.execute(
            select(days_off.c.member_id, members.c.name, days_off.c.team_id, days_off.c.day, days_off.c.reason)
            .join(units, units.c.id == days_off.c.team_id).join(members, members.c.id == days_off.c.member_id)
            .where(_teams_under(self.conn, scope, team_kind), days_off.c.day.between(first, last), ~_WORKED)
            .order_by(days_off.c.day, units.c.code, members.c.name))
        return [DayOff(r.member_id, r.name, r.team_id, r.day, r.reason) for r in rows]
