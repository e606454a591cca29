"""Quotas, targets and phases: the repository that reads and replaces what is planned."""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from sqlalchemy import (BigInteger, Date, String, and_, bindparam, cast, func, literal_column, null, or_, select,
                        union_all)
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.model import Unit
from domain.plans import Phase, Planned, Quota, Target
from storage.schema import Id, entries, phases, quotas, targets, units


def _quota(r) -> Quota:
    return Quota(id=r.id, unit_id=r.unit_id, metric=r.metric, daily=r.daily, first_day=r.first_day,
                 last_day=r.last_day, split_from=r.split_from, basis=r.basis)


def _target(r) -> Target:
    return Target(id=r.id, unit_id=r.unit_id, metric=r.metric, total=int(r.total), end_day=r.end_day)


def _phase(r) -> Phase:
    return Phase(id=r.id, name=r.name, first_day=r.first_day, last_day=r.last_day)


CHUNK = 5000  # ids per IN list: a city-wide split passes thousands; drivers cap bind parameters near 32,767


def _chunks(ids: Iterable[int]) -> list[list[int]]:
    ids = list(ids)
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _same(column, value):
    return column.is_(None) if value is None else column == value


# Every summary reads the plans of its unit's line and children: built once (building costs more than running).
_QUOTAS_FOR = select(quotas).where(quotas.c.unit_id.in_(bindparam("b_ids", expanding=True)))
_TARGETS_FOR = select(targets).where(targets.c.unit_id.in_(bindparam("b_ids", expanding=True)))
_PHASES = select(phases).order_by(phases.c.first_day, phases.c.id)


def _planned(roots: bool):
    """The quotas and targets of the units given (b_line) and of the children of b_parent (or of the roots), and
    every phase, in one statement; rows of (part: 0 quota, 1 target, 2 phase, id, unit, metric, daily or total,
    first day, last day or end day, split from, basis, phase name)."""
    children = select(units.c.id).where(units.c.parent_id.is_(None) if roots else
                                        units.c.parent_id == bindparam("b_parent"))

    def mine(column):
        of_children = column.in_(children)
        return of_children if roots else or_(column.in_(bindparam("b_line", expanding=True)), of_children)

    no_id, no_text, no_day = cast(null(), Id), cast(null(), String), cast(null(), Date)
    return union_all(
        select(literal_column("0"), quotas.c.id, quotas.c.unit_id, quotas.c.metric, quotas.c.daily,
               quotas.c.first_day, quotas.c.last_day, quotas.c.split_from, quotas.c.basis, no_text)
        .where(mine(quotas.c.unit_id)),
        select(literal_column("1"), targets.c.id, targets.c.unit_id, targets.c.metric, targets.c.total, no_day,
               targets.c.end_day, no_id, no_text, no_text).where(mine(targets.c.unit_id)),
        select(literal_column("2"), phases.c.id, no_id, no_text, cast(null(), BigInteger), phases.c.first_day,
               phases.c.last_day, no_id, no_text, phases.c.name))


_PLANNED = {False: _planned(False), True: _planned(True)}


class SqlQuotas:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def quotas_for(self, unit_ids: Iterable[int]) -> list[Quota]:
        found = []
        for ids in _chunks(unit_ids):
            found += [_quota(r) for r in await self.conn.execute(_QUOTAS_FOR, {"b_ids": ids})]
        return sorted(found, key=lambda q: q.id)

    async def set_quota(self, unit_id: int, metric: str, daily: int, first_day: date | None,
                        last_day: date | None, split_from: int | None, basis: str | None,
                        by: int | None, at: datetime) -> Quota | None:
        """Set the quota over exactly this range, replacing one set before over the same range (returned)."""
        replaced = await self.set_quotas(metric, first_day, last_day, [(unit_id, daily, split_from, basis)], by, at)
        return replaced.get(unit_id)

    async def set_quotas(self, metric: str, first_day: date | None, last_day: date | None,
                         rows: list[tuple[int, int, int | None, str | None]], by: int | None,
                         at: datetime) -> dict[int, Quota]:
        """(unit id, daily, split from, basis) for many units at once; returns the quotas replaced, by unit."""
        replaced: dict[int, Quota] = {}
        for chunk in [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)]:
            same = and_(quotas.c.unit_id.in_([r[0] for r in chunk]), quotas.c.metric == metric,
                        _same(quotas.c.first_day, first_day), _same(quotas.c.last_day, last_day))
            for r in await self.conn.execute(select(quotas).where(same).order_by(quotas.c.id)):
                replaced[r.unit_id] = _quota(r)
            await self.conn.execute(quotas.delete().where(same))
            await self.conn.execute(quotas.insert(), [
                {"unit_id": unit_id, "metric": metric, "daily": daily, "first_day": first_day, "last_day": last_day,
                 "split_from": split_from, "basis": basis, "set_by": by, "set_at": at}
                for unit_id, daily, split_from, basis in chunk])
        return replaced

    async def targets_for(self, unit_ids: Iterable[int]) -> list[Target]:
        found = []
        for ids in _chunks(unit_ids):
            found += [_target(r) for r in await self.conn.execute(_TARGETS_FOR, {"b_ids": ids})]
        return sorted(found, key=lambda t: t.id)

    async def set_target(self, unit_id: int, metric: str, total: int, end_day: date, by: int | None,
                         at: datetime) -> Target | None:
        """Set the target for this end date, replacing one set before for the same date (returned)."""
        same = and_(targets.c.unit_id == unit_id, targets.c.metric == metric, targets.c.end_day == end_day)
        old = (await self.conn.execute(select(targets).where(same))).first()
        await self.conn.execute(targets.delete().where(same))
        await self.conn.execute(targets.insert().values(unit_id=unit_id, metric=metric, total=total,
                                                        end_day=end_day, set_by=by, set_at=at))
        return _target(old) if old else None

    async def phases(self) -> list[Phase]:
        rows = await self.conn.execute(_PHASES)
        return [_phase(r) for r in rows]

    async def planned(self, unit: Unit | None) -> Planned:
        params = {} if unit is None else {"b_line": list(unit.line), "b_parent": unit.id}
        quota_rows, target_rows, phase_rows = [], [], []
        for part, id_, unit_id, metric, amount, first, last, split_from, basis, name in \
                await self.conn.execute(_PLANNED[unit is None], params):
            if part == 0:
                quota_rows.append(Quota(id=id_, unit_id=unit_id, metric=metric, daily=int(amount), first_day=first,
                                        last_day=last, split_from=split_from, basis=basis))
            elif part == 1:
                target_rows.append(Target(id=id_, unit_id=unit_id, metric=metric, total=int(amount), end_day=last))
            else:
                phase_rows.append(Phase(id=id_, name=name, first_day=first, last_day=last))
        return Planned(tuple(sorted(quota_rows, key=lambda q: q.id)), tuple(sorted(target_rows, key=lambda t: t.id)),
                       tuple(sorted(phase_rows, key=lambda p: (p.first_day, p.id))))

    async def put_phase(self, name: str, first_day: date, last_day: date, by: int | None,
                        at: datetime) -> Phase | None:
        """Add a phase, or replace the one of the same name (returned)."""
        old = (await self.conn.execute(select(phases).where(phases.c.name == name))).first()
        await self.conn.execute(phases.delete().where(phases.c.name == name))
        await self.conn.execute(phases.insert().values(name=name, first_day=first_day, last_day=last_day,
                                                       set_by=by, set_at=at))
        return _phase(old) if old else None

    async def last_reports(self, member_ids: Iterable[int]) -> dict[int, date]:
        """The last day each member has an entry for that is neither withdrawn nor replaced."""
        out: dict[int, date] = {}
        for ids in _chunks(member_ids):
            q = (select(entries.c.member_id, func.max(entries.c.day))
                 .where(entries.c.member_id.in_(ids), entries.c.withdrawn_at.is_(None),
                        entries.c.replaced_by.is_(None))
                 .group_by(entries.c.member_id))
            out.update({member_id: day for member_id, day in await self.conn.execute(q)})
        return out
