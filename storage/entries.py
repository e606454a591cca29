"""Entries and their values: appended, withdrawn or replaced, never changed in place."""
from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date, datetime
from functools import lru_cache
from typing import Iterable, Sequence

from sqlalchemy import (Integer, String, and_, bindparam, case, cast, delete, func, literal, literal_column, null, or_,
                        select, union_all, update)
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.model import Entry, NewEntry, TeamFigures, Unit
from domain.ports import TeamDays
from storage.schema import Id, entries, entry_values, members, units
from storage.schema import team_day_totals as rollup
from storage.schema import team_totals as running
from storage.sql import by_dialect, chunks

SLICE = 2_000  # rows of a long read between two turns of the event loop
_ACTIVE = and_(entries.c.withdrawn_at.is_(None), entries.c.replaced_by.is_(None))
_ADD = by_dialect(lambda insert: insert(entries).on_conflict_do_nothing(index_elements=["source_key"])
                  .returning(entries.c.id))
_ADD_VALUES = entry_values.insert()


def _roll_up(insert, table, key):
    stmt = insert(table)
    return stmt.on_conflict_do_update(index_elements=key, set_={
        "total": table.c.total + stmt.excluded.total, "entries": table.c.entries + stmt.excluded.entries})


_ROLL_UP = by_dialect(lambda insert: _roll_up(insert, rollup, ["team_id", "day", "metric"]))
_ROLL_UP_ALL = by_dialect(lambda insert: _roll_up(insert, running, ["team_id", "metric"]))
_PRUNE = delete(rollup).where(rollup.c.team_id == bindparam("b_team"), rollup.c.day == bindparam("b_day"),
                              rollup.c.entries == 0)
_PRUNE_ALL = delete(running).where(running.c.team_id == bindparam("b_team"), running.c.entries == 0)
# FOR NO KEY UPDATE (key_share=True on PostgreSQL): it leaves the foreign-key checks of rows referring to the
# team or member (a new entry, a new member) unblocked.
_HOLD_TEAM = select(units.c.id).where(units.c.id == bindparam("b_id")).with_for_update(key_share=True)
_HOLD_MEMBER = select(members.c.id).where(members.c.id == bindparam("b_id")).with_for_update(key_share=True)
_TEAM_AFTER = select(rollup.c.day, rollup.c.metric, rollup.c.total, rollup.c.entries).where(
    rollup.c.team_id == bindparam("b_team"), rollup.c.day > bindparam("b_day"))
_ACTIVE_VALUES = (select(entries.c.team_id, entries.c.day, entry_values.c.metric, entry_values.c.value)
                  .join(entry_values, entry_values.c.entry_id == entries.c.id)
                  .where(entries.c.id.in_(bindparam("b_ids", expanding=True)), _ACTIVE))
_MEMBER_TOTALS = (select(entries.c.member_id, entry_values.c.metric, func.sum(entry_values.c.value))
                  .join(entry_values, entry_values.c.entry_id == entries.c.id)
                  .where(entries.c.member_id.in_(bindparam("b_members", expanding=True)),
                         entries.c.day == bindparam("b_day"), _ACTIVE)
                  .group_by(entries.c.member_id, entry_values.c.metric))

# Totals over periods, and who reported, for a set of teams in one statement. The teams are given by id ("ids")
# or as every team of a kind under a unit ("under": a subquery on the units' paths, so that a country's 80,000
# teams never become bind parameters), the totals then per team or summed per child of that unit ("children").
# Rows: (part, team or child, metric, member, total, entries), added up per part.
_NO_METRIC = cast(null(), String)
_NO_MEMBER = cast(null(), Id)


def _under(dialect: str):
    """Teams of a kind under a unit. On SQLite by GLOB, which reads the prefix off the path index (LIKE would scan
    every unit); paths hold only digits and "/", nothing either would read as a wildcard."""
    path = units.c.path.op("GLOB")(bindparam("b_prefix")) if dialect == "sqlite" else \
        units.c.path.like(bindparam("b_prefix"))
    return and_(path, units.c.kind == bindparam("b_kind"))


def _child(dialect: str):
    """The id of the scope's child a team is under: the path's part after the scope's own path (b_from = its
    length + 1)."""
    rest = func.substr(units.c.path, bindparam("b_from"))
    end = (func.instr if dialect == "sqlite" else func.strpos)(rest, "/")
    return cast(func.substr(rest, 1, end - 1), Id)


def _in_scope(teams, column):
    """`teams`: None for the ids given, else the scope's teams (a common table expression)."""
    return column.in_(bindparam("b_teams", expanding=True) if teams is None else select(teams.c.id))


def _by_child(teams) -> bool:
    return teams is not None and "child" in teams.c


def _select(teams, table, part, *values):
    """Rows of `table` for the teams in scope: per team, or summed per child of the scope."""
    if not _by_child(teams):
        return select(part, table.c.team_id, table.c.metric, _NO_MEMBER, *values).where(
            _in_scope(teams, table.c.team_id))
    return (select(part, teams.c.child, table.c.metric, _NO_MEMBER, *(func.sum(v) for v in values))
            .select_from(teams.join(table, table.c.team_id == teams.c.id))
            .group_by(teams.c.child, table.c.metric))


def _period(i: int, how: str, teams) -> list:
    """Part i: the teams' totals over [b_first_i, b_last_i], rows per team (or child) and metric to add up."""
    part, first, last = literal_column(str(i)), bindparam(f"b_first_{i}"), bindparam(f"b_last_{i}")
    if how == "on":  # one day: the daily totals' key is (team, day, metric), each row already is the sum
        return [_select(teams, rollup, part, rollup.c.total, rollup.c.entries).where(rollup.c.day == last)]
    if how == "between":
        days = (rollup.c.day >= first, rollup.c.day <= last)
        if _by_child(teams):
            return [_select(teams, rollup, part, rollup.c.total, rollup.c.entries).where(*days)]
        return [_select(teams, rollup, part, func.sum(rollup.c.total), func.sum(rollup.c.entries))
                .where(*days).group_by(rollup.c.team_id, rollup.c.metric)]
    # A long period: the running totals less the days outside it (from the beginning: only the days after it).
    # The days before and after as two selects, not one OR: with OR SQLite skip-scans every team in the table
    # (15 ms for a ward whose summary shows a phase).
    outside = [rollup.c.day > last] + ([] if how == "since" else [rollup.c.day < first])
    every_day = _select(teams, running, part, running.c.total, running.c.entries)
    not_in = [_select(teams, rollup, part, -rollup.c.total, -rollup.c.entries).where(days) for days in outside]
    if _by_child(teams):  # a few rows per child: added up below
        return [every_day, *not_in]
    # Per team, added up here, leaving out a metric whose entries all lie outside (as adding up the days would).
    both = union_all(every_day, *not_in).subquery()
    columns = list(both.c)
    return [select(part, columns[1], columns[2], _NO_MEMBER, func.sum(columns[4]), func.sum(columns[5]))
            .group_by(columns[1], columns[2]).having(func.sum(columns[5]) > 0)]


def _reporters(i: int, teams):
    return (select(literal_column(str(i)), entries.c.team_id, _NO_METRIC, entries.c.member_id,
                   func.min(cast(entries.c.late, Integer)), literal_column("1"))
            .where(_in_scope(teams, entries.c.team_id), entries.c.day == bindparam("b_day"), _ACTIVE)
            .group_by(entries.c.team_id, entries.c.member_id))


@lru_cache(maxsize=256)
def _figures(dialect: str, scope: str, periods: tuple[str, ...], reporters: bool):
    teams = None
    if scope != "ids":  # the scope's teams found once, for every part
        columns = [units.c.id] + ([_child(dialect).label("child")] if scope == "children" else [])
        teams = select(*columns).where(_under(dialect)).cte("scope_teams")
    parts = [p for i, how in enumerate(periods) for p in _period(i, how, teams)]
    if reporters:
        parts.append(_reporters(len(periods), teams))
    return parts[0] if len(parts) == 1 else union_all(*parts)


@lru_cache(maxsize=8)
def _days_under(dialect: str, metrics: tuple[str, ...]):
    """Per team and day of a period under a unit, one row each: the daily totals of `metrics` side by side, and who
    reported (their ids joined by commas) with how many of them only late. Two statements on the scope's teams,
    whatever the number of days; a province's month is 37,200 rows each, not the 200,000 of a row per metric and
    the 150,000 of a row per member."""
    teams = select(units.c.id).where(_under(dialect))
    days = (bindparam("b_first"), bindparam("b_last"))
    totals = (select(rollup.c.team_id, rollup.c.day,
                     *(func.sum(case((rollup.c.metric == literal(m), rollup.c.total), else_=0)) for m in metrics))
              .where(rollup.c.team_id.in_(teams), rollup.c.day >= days[0], rollup.c.day <= days[1],
                     rollup.c.entries > 0)
              .group_by(rollup.c.team_id, rollup.c.day))
    member = (select(entries.c.team_id, entries.c.day, entries.c.member_id,
                     func.min(cast(entries.c.late, Integer)).label("late"))
              .where(entries.c.team_id.in_(teams), entries.c.day >= days[0], entries.c.day <= days[1], _ACTIVE)
              .group_by(entries.c.team_id, entries.c.day, entries.c.member_id).subquery())
    ids = cast(member.c.member_id, String)
    joined = func.group_concat(ids) if dialect == "sqlite" else func.string_agg(ids, literal(","))
    who = (select(member.c.team_id, member.c.day, joined, func.sum(member.c.late))
           .group_by(member.c.team_id, member.c.day))
    return totals, who


# The first day with an active entry (where the campaign began, when no start is configured) and the last day
# with any: how many days lie before and after a period, to add up the fewer.
_DAYS = select(select(func.min(entries.c.day)).where(_ACTIVE).scalar_subquery(),
               select(func.max(entries.c.day)).scalar_subquery())


def _how(first: date | None, last: date, days: tuple[date | None, date | None]) -> str:
    """How to add up [first, last]: one day; its days; or, where fewer days lie outside it than inside (the
    running total of a recent day), the running totals less those days."""
    if first == last:
        return "on"
    earliest, latest = days
    if earliest is None:
        return "between" if first is not None else "since"
    start = max(first or earliest, earliest)
    inside = (last - start).days + 1
    outside = max(0, (latest - last).days) + max(0, (start - earliest).days if first else 0) + 1
    if outside >= inside:
        return "between" if first is not None else "between_all"
    return "since" if first is None else "outside"


def _for_report(since: bool):
    """One member's day, their team's day and the team's running total, in one statement (a report previews and
    confirms with them): rows of (0: the member's day, 1: the team's day, 2: to date; metric; total; entries)."""
    team, day = bindparam("b_team"), bindparam("b_day")
    member_day = (select(literal_column("0"), entry_values.c.metric, func.sum(entry_values.c.value),
                         literal_column("1"))
                  .join(entry_values, entry_values.c.entry_id == entries.c.id)
                  .where(entries.c.member_id == bindparam("b_member"), entries.c.day == day, _ACTIVE)
                  .group_by(entry_values.c.metric))
    team_day = select(literal_column("1"), rollup.c.metric, rollup.c.total, rollup.c.entries).where(
        rollup.c.team_id == team, rollup.c.day == day)
    every_day = select(literal_column("2"), running.c.metric, running.c.total, running.c.entries).where(
        running.c.team_id == team)
    outside = or_(rollup.c.day > day, rollup.c.day < bindparam("b_first")) if since else rollup.c.day > day
    not_yet = select(literal_column("2"), rollup.c.metric, -rollup.c.total, -rollup.c.entries).where(
        rollup.c.team_id == team, outside)
    return union_all(member_day, team_day, every_day, not_yet)


_FOR_REPORT = {False: _for_report(False), True: _for_report(True)}


def _kept(sums: dict, counts: dict) -> dict[str, int]:
    """The sums of the metrics some entry still makes up (a period may subtract a metric away entirely)."""
    return {k: int(v) for k, v in sums.items() if counts[k]}


class SqlEntries:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self._days: tuple[date | None, date | None] | None = None  # _DAYS, while this transaction writes none

    async def _day_range(self) -> tuple[date | None, date | None]:
        if self._days is None:
            self._days = tuple((await self.conn.execute(_DAYS)).one())
        return self._days

    async def add(self, entry: NewEntry) -> Entry | None:
        self._days = None
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

    async def hold(self, team_id: int, member_id: int) -> None:
        if self.conn.dialect.name == "sqlite":
            return  # BEGIN IMMEDIATE: one writer at a time
        # The team first, then the member: every change locks in that order, so two never deadlock.
        await self.conn.execute(_HOLD_TEAM, {"b_id": team_id})
        await self.conn.execute(_HOLD_MEMBER, {"b_id": member_id})

    async def team_after(self, team_id: int, day: date) -> dict[date, dict[str, int]]:
        out: dict[date, dict[str, int]] = defaultdict(dict)
        for later, metric, total, n in await self.conn.execute(_TEAM_AFTER, {"b_team": team_id, "b_day": day}):
            if n:
                out[later][metric] = int(total)
        return dict(sorted(out.items()))

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

    async def replaced_by(self, entry_id: int) -> list[Entry]:
        rows = (await self.conn.execute(select(entries).where(entries.c.replaced_by == entry_id,
                                                              entries.c.withdrawn_at.is_(None))
                                        .order_by(entries.c.id))).all()
        values: dict[int, dict[str, int]] = defaultdict(dict)
        if rows:
            for v in await self.conn.execute(select(entry_values).where(
                    entry_values.c.entry_id.in_([r.id for r in rows]))):
                values[v.entry_id][v.metric] = v.value
        return [Entry(id=r.id, member_id=r.member_id, team_id=r.team_id, day=r.day, values=values[r.id],
                      recorded_at=r.recorded_at, late=r.late) for r in rows]

    async def restore(self, restored: Iterable[Entry]) -> None:
        self._days = None
        for e in restored:
            await self.conn.execute(update(entries).where(entries.c.id == e.id).values(replaced_by=None))
            if e.values:
                await self._roll(e.team_id, e.day, {k: (v, 1) for k, v in e.values.items()})

    async def _deactivate(self, ids, statement) -> None:
        """Run `statement` (which withdraws or replaces entries), taking the active ones out of the totals."""
        self._days = None
        leaving: dict[tuple[int, date], dict[str, tuple[int, int]]] = defaultdict(dict)
        for team_id, day, metric, value in await self.conn.execute(_ACTIVE_VALUES, {"b_ids": list(ids)}):
            total, count = leaving[(team_id, day)].get(metric, (0, 0))
            leaving[(team_id, day)][metric] = (total - value, count - 1)
        await self.conn.execute(statement)
        for (team_id, day), changes in leaving.items():
            await self._roll(team_id, day, changes)
            await self.conn.execute(_PRUNE, {"b_team": team_id, "b_day": day})
            await self.conn.execute(_PRUNE_ALL, {"b_team": team_id})

    async def _roll(self, team_id: int, day: date, changes: dict[str, tuple[int, int]]) -> None:
        """Add to one team's day and running totals: per metric, (change of the total, change in the entries
        making it up)."""
        # Sorted: concurrent PostgreSQL transactions then lock a team's rows in one order, never deadlocking.
        rows = [{"team_id": team_id, "day": day, "metric": k, "total": total, "entries": count}
                for k, (total, count) in sorted(changes.items())]
        dialect = self.conn.dialect.name
        await self.conn.execute(_ROLL_UP[dialect], rows)
        await self.conn.execute(_ROLL_UP_ALL[dialect], rows)

    async def totals(self, team_ids: Iterable[int], first_day: date | None, last_day: date) -> dict[int, dict[str, int]]:
        ids = list(team_ids)
        out: dict[int, dict[str, int]] = {t: {} for t in ids}
        for chunk in chunks(ids):
            out.update((await self._figures("ids", {"b_teams": chunk}, [(first_day, last_day)], None))[0])
        return out

    async def totals_under(self, scope: Unit | None, team_kind: str, periods: Sequence[tuple[date | None, date]],
                           reporters_on: date | None = None, *, by_child: bool = False) -> TeamFigures:
        path = scope.path if scope is not None else "/"
        params = {"b_prefix": path + ("*" if self.conn.dialect.name == "sqlite" else "%"), "b_kind": team_kind,
                  "b_from": len(path) + 1}
        found = await self._figures("children" if by_child else "under", params, periods, reporters_on)
        return TeamFigures(found[:-1], found[-1])

    async def _figures(self, scope: str, params: dict, periods: Sequence[tuple[date | None, date]],
                       reporters_on: date | None) -> list[dict]:
        """Per period, per team, the totals; last, per team who reported on `reporters_on` (if given)."""
        days = (None, None)
        if any(first != last for first, last in periods):
            days = await self._day_range()
        hows = []
        for i, (first, last) in enumerate(periods):
            how = _how(first, last, days)
            params[f"b_last_{i}"] = last
            if how == "between_all":
                how, first = "between", days[0]
            if how in ("between", "outside"):
                params[f"b_first_{i}"] = first
            hows.append(how)
        hows = tuple(hows)
        if reporters_on is not None:
            params["b_day"] = reporters_on
        statement = _figures(self.conn.dialect.name, scope, hows, reporters_on is not None)
        # Per part, key and metric: [total, entries]. Plain dicts and one fetch: a ward's ~200 rows cost more in
        # Python than in SQLite.
        found: list[dict[int, dict[str, list[int]]]] = [{} for _ in periods]
        who: dict[int, dict[int, bool]] = {}
        reporters = len(periods)
        for part, key, metric, member_id, total, n in (await self.conn.execute(statement, params)).all():
            if part == reporters:
                mine = who.get(key)
                if mine is None:
                    mine = who[key] = {}
                mine[member_id] = bool(total)
                continue
            by_key = found[part].get(key)
            if by_key is None:
                by_key = found[part][key] = {}
            sums = by_key.get(metric)
            if sums is None:
                by_key[metric] = [total, n]
            else:
                sums[0] += total
                sums[1] += n
        totals = [{k: {m: int(total) for m, (total, n) in by_key.items() if n} for k, by_key in part.items()}
                  for part in found]
        return [*totals, who]

    async def for_report(self, member_id: int, team_id: int, day: date,
                         first_day: date | None) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        params = {"b_member": member_id, "b_team": team_id, "b_day": day}
        if first_day is not None:
            params["b_first"] = first_day
        sums: tuple[dict, ...] = (defaultdict(int), defaultdict(int), defaultdict(int))
        counts: tuple[dict, ...] = (defaultdict(int), defaultdict(int), defaultdict(int))
        for part, metric, total, n in await self.conn.execute(_FOR_REPORT[first_day is not None], params):
            sums[part][metric] += total
            counts[part][metric] += n
        member_day, team_day, to_date = (_kept(s, c) for s, c in zip(sums, counts))
        return member_day, team_day, to_date

    async def reporters(self, team_ids: Iterable[int], day: date) -> dict[int, dict[int, bool]]:
        ids = list(team_ids)
        out: dict[int, dict[int, bool]] = {t: {} for t in ids}
        for chunk in chunks(ids):
            out.update((await self._figures("ids", {"b_teams": chunk}, [], day))[-1])
        return out

    async def member_totals(self, member_ids: Iterable[int], day: date) -> dict[int, dict[str, int]]:
        ids = list(member_ids)
        out: dict[int, dict[str, int]] = {m: {} for m in ids}
        for chunk in chunks(ids):
            for member_id, metric, total in await self.conn.execute(_MEMBER_TOTALS, {"b_members": chunk, "b_day": day}):
                out[member_id][metric] = int(total)
        return out

    async def first_day(self) -> date | None:
        return (await self._day_range())[0]

    async def days_under(self, scope: Unit | None, team_kind: str, first: date, last: date,
                         metrics: Sequence[str]) -> TeamDays:
        dialect = self.conn.dialect.name
        path = scope.path if scope is not None else "/"
        params = {"b_prefix": path + ("*" if dialect == "sqlite" else "%"), "b_kind": team_kind,
                  "b_first": first, "b_last": last}
        totals_sql, who_sql = _days_under(dialect, tuple(metrics))
        # A province's month is 37,200 rows each: read in slices, the event loop answering others between them.
        totals: dict[tuple[int, date], tuple[int, ...]] = {}
        for rows in (await self.conn.execute(totals_sql, params)).partitions(SLICE):
            totals.update(((row[0], row[1]), tuple(map(int, row[2:]))) for row in rows)
            await asyncio.sleep(0)
        reporters, late = {}, {}
        for rows in (await self.conn.execute(who_sql, params)).partitions(SLICE):
            for team_id, day, joined, n_late in rows:
                reporters[(team_id, day)] = frozenset(map(int, joined.split(",")))
                late[(team_id, day)] = int(n_late)
            await asyncio.sleep(0)
        return TeamDays(totals, reporters, late)
