"""Entries and their values: appended, withdrawn or replaced, never changed in place."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Iterable

from sqlalchemy import Integer, and_, bindparam, cast, delete, func, literal_column, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.model import Entry, NewEntry
from storage.scale import team_day_totals as rollup
from storage.schema import entries, entry_values
from storage.sql import by_dialect

_ACTIVE = and_(entries.c.withdrawn_at.is_(None), entries.c.replaced_by.is_(None))
_TEAMS = entries.c.team_id.in_(bindparam("b_teams", expanding=True))
_MEMBERS = entries.c.member_id.in_(bindparam("b_members", expanding=True))
_ADD = by_dialect(lambda insert: insert(entries).on_conflict_do_nothing(index_elements=["source_key"])
                  .returning(entries.c.id))
_ADD_VALUES = entry_values.insert()
_ROLLUP_TEAMS = rollup.c.team_id.in_(bindparam("b_teams", expanding=True))
_TOTALS_TO = (select(rollup.c.team_id, rollup.c.metric, func.sum(rollup.c.total))
              .where(_ROLLUP_TEAMS, rollup.c.day <= bindparam("b_last"))
              .group_by(rollup.c.team_id, rollup.c.metric))
# One day: the totals' key is (team, day, metric), so each row already is the sum; no grouping to do.
_TOTALS_ON = (select(rollup.c.team_id, rollup.c.metric, rollup.c.total)
              .where(_ROLLUP_TEAMS, rollup.c.day == bindparam("b_day")))
_TOTALS_BETWEEN = (select(rollup.c.team_id, rollup.c.metric, func.sum(rollup.c.total))
                   .where(_ROLLUP_TEAMS, rollup.c.day >= bindparam("b_first"), rollup.c.day <= bindparam("b_last"))
                   .group_by(rollup.c.team_id, rollup.c.metric))


def _roll_up(insert):
    stmt = insert(rollup)
    return stmt.on_conflict_do_update(index_elements=["team_id", "day", "metric"], set_={
        "total": rollup.c.total + stmt.excluded.total, "entries": rollup.c.entries + stmt.excluded.entries})


_ROLL_UP = by_dialect(_roll_up)
_PRUNE = delete(rollup).where(rollup.c.team_id == bindparam("b_team"), rollup.c.day == bindparam("b_day"),
                              rollup.c.entries == 0)
_ACTIVE_VALUES = (select(entries.c.team_id, entries.c.day, entry_values.c.metric, entry_values.c.value)
                  .join(entry_values, entry_values.c.entry_id == entries.c.id)
                  .where(entries.c.id.in_(bindparam("b_ids", expanding=True)), _ACTIVE))
_REPORTERS = (select(entries.c.team_id, entries.c.member_id, func.min(cast(entries.c.late, Integer)))
              .where(_TEAMS, entries.c.day == bindparam("b_day"), _ACTIVE)
              .group_by(entries.c.team_id, entries.c.member_id))
_MEMBER_TOTALS = (select(entries.c.member_id, entry_values.c.metric, func.sum(entry_values.c.value))
                  .join(entry_values, entry_values.c.entry_id == entries.c.id)
                  .where(_MEMBERS, entries.c.day == bindparam("b_day"), _ACTIVE)
                  .group_by(entries.c.member_id, entry_values.c.metric))



def _for_report(since: bool):
    """One member's day, their team's day and the team's running total, in one statement (a report previews and
    confirms with them): rows of (0: the member's day, 1: the team's day, 2: to date; metric; total)."""
    member_day = (select(literal_column("0"), entry_values.c.metric, func.sum(entry_values.c.value))
                  .join(entry_values, entry_values.c.entry_id == entries.c.id)
                  .where(entries.c.member_id == bindparam("b_member"), entries.c.day == bindparam("b_day"), _ACTIVE)
                  .group_by(entry_values.c.metric))
    team_day = select(literal_column("1"), rollup.c.metric, rollup.c.total).where(
        rollup.c.team_id == bindparam("b_team"), rollup.c.day == bindparam("b_day"))
    to_date = select(literal_column("2"), rollup.c.metric, func.sum(rollup.c.total)).where(
        rollup.c.team_id == bindparam("b_team"), rollup.c.day <= bindparam("b_day"))
    if since:
        to_date = to_date.where(rollup.c.day >= bindparam("b_first"))
    return union_all(member_day, team_day, to_date.group_by(rollup.c.metric))


_FOR_REPORT = {False: _for_report(False), True: _for_report(True)}


class SqlEntries:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, entry: NewEntry) -> Entry | None:
        res = await self.conn.execute(_ADD[self.conn.dialect.name], {
            "member_id": entry.member_id, "team_id": entry.team_id, "day": entry.day,
            "recorded_at": entry.recorded_at, "source_key": entry.source_key, "late": entry.late})
        new_id = res.scalar_one_or_none()
        if new_id is None:
            return None
        if entry.values:
            await self.conn.execute(_ADD_VALUES, [
                {"entry_id": new_id, "metric": k, "value": v} for k, v in entry.values.items()])
            await self._roll(entry.team_id, entry.day, {k: (v, 1) for k, v in entry.values.items()})
        if entry.replaces:
            await self._deactivate(entry.replaces, update(entries).where(entries.c.id.in_(entry.replaces), _ACTIVE)
                                   .values(replaced_by=new_id))
        return Entry(id=new_id, member_id=entry.member_id, team_id=entry.team_id, day=entry.day,
                     values=dict(entry.values), recorded_at=entry.recorded_at, late=entry.late)

    async def active_for_member(self, member_id: int, day: date) -> list[Entry]:
        rows = (await self.conn.execute(select(entries).where(entries.c.member_id == member_id,
                                                              entries.c.day == day, _ACTIVE)
                                        .order_by(entries.c.id))).all()
        if not rows:
            return []
        values: dict[int, dict[str, int]] = defaultdict(dict)
        for v in await self.conn.execute(select(entry_values).where(entry_values.c.entry_id.in_([r.id for r in rows]))):
            values[v.entry_id][v.metric] = v.value
        return [Entry(id=r.id, member_id=r.member_id, team_id=r.team_id, day=r.day, values=values[r.id],
                      recorded_at=r.recorded_at, late=r.late) for r in rows]

    async def withdraw(self, entry_id: int, at: datetime) -> None:
        await self._deactivate([entry_id], update(entries).where(entries.c.id == entry_id).values(withdrawn_at=at))

    async def _deactivate(self, ids, statement) -> None:
        """Run `statement` (which withdraws or replaces entries), taking the active ones out of the daily totals."""
        leaving: dict[tuple[int, date], dict[str, tuple[int, int]]] = defaultdict(dict)
        for team_id, day, metric, value in await self.conn.execute(_ACTIVE_VALUES, {"b_ids": list(ids)}):
            total, count = leaving[(team_id, day)].get(metric, (0, 0))
            leaving[(team_id, day)][metric] = (total - value, count - 1)
        await self.conn.execute(statement)
        for (team_id, day), changes in leaving.items():
            await self._roll(team_id, day, changes)
            await self.conn.execute(_PRUNE, {"b_team": team_id, "b_day": day})

    async def _roll(self, team_id: int, day: date, changes: dict[str, tuple[int, int]]) -> None:
        """Add to one team's day: per metric, (change of the total, change in the entries making it up)."""
        # Sorted: concurrent PostgreSQL transactions then lock a team's rows in one order, never deadlocking.
        await self.conn.execute(_ROLL_UP[self.conn.dialect.name], [
            {"team_id": team_id, "day": day, "metric": k, "total": total, "entries": count}
            for k, (total, count) in sorted(changes.items())])

    async def totals(self, team_ids: Iterable[int], first_day: date | None, last_day: date) -> dict[int, dict[str, int]]:
        ids = list(team_ids)
        out: dict[int, dict[str, int]] = {t: {} for t in ids}
        if not ids:
            return out
        if first_day is None:
            rows = await self.conn.execute(_TOTALS_TO, {"b_teams": ids, "b_last": last_day})
        elif first_day == last_day:
            rows = await self.conn.execute(_TOTALS_ON, {"b_teams": ids, "b_day": last_day})
        else:
            rows = await self.conn.execute(_TOTALS_BETWEEN, {"b_teams": ids, "b_first": first_day,
                                                             "b_last": last_day})
        for team_id, metric, total in rows:
            out[team_id][metric] = int(total)
        return out

    async def for_report(self, member_id: int, team_id: int, day: date,
                         first_day: date | None) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        params = {"b_member": member_id, "b_team": team_id, "b_day": day}
        if first_day is not None:
            params["b_first"] = first_day
        out: tuple[dict[str, int], dict[str, int], dict[str, int]] = ({}, {}, {})
        for part, metric, total in await self.conn.execute(_FOR_REPORT[first_day is not None], params):
            out[part][metric] = int(total)
        return out

    async def reporters(self, team_ids: Iterable[int], day: date) -> dict[int, dict[int, bool]]:
        ids = list(team_ids)
        out: dict[int, dict[int, bool]] = {t: {} for t in ids}
        if not ids:
            return out
        for team_id, member_id, all_late in await self.conn.execute(_REPORTERS, {"b_teams": ids, "b_day": day}):
            out[team_id][member_id] = bool(all_late)
        return out

    async def member_totals(self, member_ids: Iterable[int], day: date) -> dict[int, dict[str, int]]:
        ids = list(member_ids)
        out: dict[int, dict[str, int]] = {m: {} for m in ids}
        if not ids:
            return out
        for member_id, metric, total in await self.conn.execute(_MEMBER_TOTALS, {"b_members": ids, "b_day": day}):
            out[member_id][metric] = int(total)
        return out

    async def first_day(self) -> date | None:
        return (await self.conn.execute(select(func.min(entries.c.day)).where(_ACTIVE))).scalar_one_or_none()
