"""A leader's file gathered: the neutral Report (domain/exports.py) from the very reads /summary and /progress make,
so every number in a workbook or chart is the bot's own; and the files a reply orders for it."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Sequence

from application import summaries
from application.files import report_files
from application.sends import Send, recipient_key
from application.services import Services
from application.chasing import roll_call
from domain.cutoffs import covered, cutoff_at, summary_kinds
from domain.exports import (Column, Missing, Note, Period, PeriodKind, Place, Report, TeamDay, UnitFigures, figures,
                            goals, trend)
from domain.model import Unit
from domain.plans import Phase, applies, campaign_start, quota_total, working_days
from domain.ports import Tx
from domain.settings import CampaignRules, Cutoff

# Team-days a file made for the chat may hold (a province's month is 37,200): beyond, the command line streams it.
MAX_TEAM_DAYS = 400_000
YIELD_EVERY = 500  # team-days gathered between two turns of the event loop


def place(unit: Unit) -> Place:
    return Place(unit.code, unit.name, unit.kind)


@dataclass
class Part:
    """What one part of the scope (the scope itself; for everything, each root) gives per team and day: the rows
    of "Theo ngày" and "Chưa báo cáo" (when held), the members' reports on time and late per team, and the part's
    totals per day."""

    days: list[TeamDay] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    teams: dict[int, Unit] = field(default_factory=dict)
    counts: dict[int, list[int]] = field(default_factory=dict)  # team id → [on time, late]
    daily: dict[date, dict[str, int]] = field(default_factory=dict)


async def parts(tx: Tx, unit: Unit | None) -> list[Unit | None]:
    """The scopes a report is read in, one after the other: the unit itself; for everything, each root (a
    national export reads, and streams, a province at a time)."""
    return [unit] if unit is not None else list(await tx.units.roots())


async def part_days(tx: Tx, rules: CampaignRules, scope: Unit | None, period: Period, columns: tuple[Column, ...],
                    *, hold: bool = True) -> Part:
    """Every team of `scope`, every day of the period: its figures (the same daily totals the summaries add up),
    who of its members reported and who did not, in the teams' code order, day by day. A province's month is
    37,200 rows: the event loop answers others between slices of them."""
    team_kind = rules.campaign.team_kind
    subtree = await tx.units.in_subtree(scope)
    names = {u.id: u.name for u in subtree}
    teams = [u for u in subtree if u.kind == team_kind]
    if scope is not None and scope.kind == team_kind and scope.parent_id is not None:
        parent = await tx.units.get(scope.parent_id)
        names[scope.parent_id] = parent.name if parent is not None else ""
    found = await tx.entries.days_under(scope, team_kind, period.first, period.last, [c.key for c in columns])
    call = await roll_call(tx, rules, teams, period.first, period.last) if hold else None
    out = Part(teams={t.id: t for t in teams}, counts={t.id: [0, 0] for t in teams})
    # Per team, what every day repeats: (id, its row's place and parent, its reporters on the roster, its counts)
    each = [(t, place(t), names.get(t.parent_id, ""), out.counts[t.id]) for t in teams]
    zero, nobody = (0,) * len(columns), frozenset()
    reporters, lates, totals = found.reporters, found.late, found.totals
    days, missing, done = out.days, out.missing, 0
    for d in period.days():
        day = [0] * len(columns)
        for t, where, parent, counts in each:
            key = (t.id, d)
            who, late, values = reporters.get(key, nobody), lates.get(key, 0), totals.get(key, zero)
            counts[0] += len(who) - late
            counts[1] += late
            if values is not zero:
                day = [a + b for a, b in zip(day, values)]
            if hold:
                expected = call.expected(t.id, d)
                days.append(TeamDay(d, where, parent, values, len(expected), len(who), late))
                absent = tuple(m.name for m in expected if m.id not in who)
                if absent:
                    missing.append(Missing(d, where, parent, absent, len(expected)))
            done += 1
            if done % YIELD_EVERY == 0:
                await asyncio.sleep(0)
        out.daily[d] = {c.key: v for c, v in zip(columns, day)}
    return out


def report_notes(s: summaries.Summary, teams: dict[int, Unit]) -> list[Note]:
    """"Khó khăn, kiến nghị": what members wrote for leaders over the period and the days off they reported (with
    their reasons), by day and team: the very lists /summary shows for the same unit and period."""
    said = [(n.day, teams[n.team_id], Note(n.day, place(teams[n.team_id]), n.member_name, n.text))
            for n in s.notes if n.team_id in teams]
    said += [(d.day, teams[d.team_id], Note(d.day, place(teams[d.team_id]), d.member_name, d.reason or "", off=True))
             for d in s.days_off if d.team_id in teams]
    said.sort(key=lambda x: (x[0], x[1].code))
    return [note for _, _, note in said]


async def collect_report(tx: Tx, rules: CampaignRules, unit: Unit | None, period: Period, language: str,
                         now: datetime, *, hold_days: bool = True) -> Report:
    """The leader's file for `unit` (None: everything) over `period`, in `language`, made `now`.

    Its rows, totals, running totals and teams reporting are /summary's (application.summaries.collect for the same
    unit and period), its quotas and targets /progress's (domain.plans.applies on the period's last day), its days
    the daily totals those summaries add up. `hold_days=False` leaves "Theo ngày" and "Chưa báo cáo" empty (the
    command line streams them part by part, part_days again)."""
    columns = tuple(Column.of(m, language) for m in rules.metrics)
    team_kind = rules.campaign.team_kind
    one_day = period.first == period.last
    s = await summaries.collect(tx, rules, unit, period.last, first_day=None if one_day else period.first)
    counts: dict[int, list[int]] = {}
    teams: dict[int, Unit] = {}
    daily: dict[date, dict[str, int]] = {}
    days: list[TeamDay] = []
    missing: list[Missing] = []
    for scope in await parts(tx, unit):
        part = await part_days(tx, rules, scope, period, columns, hold=hold_days)
        counts.update(part.counts)
        teams.update(part.teams)
        for d, totals in part.daily.items():
            mine = daily.setdefault(d, {})
            for k, v in totals.items():
                mine[k] = mine.get(k, 0) + v
        days += part.days
        missing += part.missing
    own_team = unit is not None and unit.kind == team_kind
    row_units = [unit] if own_team else [r.unit for r in s.rows]
    reports = _reports_by_row(unit, row_units, teams, counts)

    def reports_of(row_unit: Unit | None) -> tuple[int, int]:
        return tuple(reports.get(row_unit.id, (0, 0))) if row_unit is not None else \
            (sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values()))
    plan = await _Plans.load(tx, rules, [u for u in [unit, *row_units] if u is not None], period)
    if own_team:  # a team's file has one row: the team (its summary's rows are its members)
        rows = [UnitFigures(place(unit), figures(columns, s.total), figures(columns, s.to_date),
                            plan.quota(unit, columns), plan.target(unit, columns), s.teams, s.teams_reported,
                            *reports_of(unit), rank=1)]
    else:
        rows = [UnitFigures(place(r.unit), figures(columns, r.totals), figures(columns, r.to_date),
                            plan.quota(r.unit, columns), plan.target(r.unit, columns),
                            0 if r.paused else r.teams, r.teams_reported, *reports_of(r.unit), rank=r.rank)
                for r in s.rows]
    total_place = place(unit) if unit is not None else Place("", "", "")
    total = UnitFigures(total_place, figures(columns, s.total), figures(columns, s.to_date),
                        plan.quota(unit, columns), plan.target(unit, columns), s.teams, s.teams_reported,
                        *reports_of(None))
    rank = rules.rank_metric
    planned = tuple(c.key for i, c in enumerate(columns)
                    if any(r.quota_of(i) is not None or r.target_of(i) is not None for r in [total, *rows]))
    return Report(
        unit=place(unit) if unit is not None else None, period=period, made_at=now.astimezone(rules.campaign.tz),
        language=language, metrics=columns, rank_by=rank.key,
        child_kind=rows[0].unit.kind if rows and not own_team else team_kind, total=total, rows=rows,
        since=s.since, planned=planned, days=days, missing=missing, notes=report_notes(s, teams),
        trend=plan.trend(unit, columns[[c.key for c in columns].index(rank.key)], period, daily, s.to_date),
        team_kind=team_kind)


def _reports_by_row(unit: Unit | None, rows: list[Unit], teams: dict[int, Unit],
                    counts: dict[int, list[int]]) -> dict[int, list[int]]:
    """Members' reports on time and late, added up per row: a team row's own, a child unit's over its teams."""
    out = {u.id: [0, 0] for u in rows}
    for team_id, (on_time, late) in counts.items():
        team = teams[team_id]
        row = team.id if team.id in out else unit.child_towards(team) if unit is not None else team.root_id
        if row in out:
            out[row][0] += on_time
            out[row][1] += late
    return out


@dataclass
class _Plans:
    """Quotas and targets of the report's units and their lines, read once."""

    rules: CampaignRules
    period: Period
    quotas: list
    targets: list

    @classmethod
    async def load(cls, tx: Tx, rules: CampaignRules, units: list[Unit], period: Period) -> "_Plans":
        ids = sorted({i for u in units for i in u.line})
        return cls(rules, period, list(await tx.quotas.quotas_for(ids)), list(await tx.quotas.targets_for(ids)))

    def quota(self, unit: Unit | None, columns: tuple[Column, ...]) -> tuple:
        """The unit's own daily quotas summed over the period's working days, per metric (None: no quota)."""
        if unit is None:
            return ()
        days = working_days(self.period.first, self.period.last, self.rules.campaign.is_day_off)
        return goals(columns, {c.key: quota_total(self.quotas, unit.id, c.key, days) for c in columns})

    def target(self, unit: Unit | None, columns: tuple[Column, ...]) -> tuple:
        """The unit's share of the target that applies on the period's last day, as /progress shows it."""
        if unit is None:
            return ()
        return goals(columns, {c.key: applies(unit.line, c.key, self.period.last, self.quotas, self.targets).share
                               for c in columns})

    def trend(self, unit: Unit | None, column: Column, period: Period, daily: dict[date, dict[str, int]],
              to_date: dict[str, int]):
        """The ranking metric day by day: the unit's figures, its running total (the summary's, through the last
        day), its daily quota and the pace still needed toward its target."""
        start = self.rules.campaign.start_date
        days = [d for d in period.days() if start is None or d >= start]
        if not days:
            return None
        values = [daily.get(d, {}).get(column.key, 0) for d in days]
        before = to_date.get(column.key, 0) - sum(values)
        target = end = None
        quotas: list[int | None] = []
        if unit is not None:
            last = applies(unit.line, column.key, period.last, self.quotas, self.targets)
            target, end = last.share, (last.target.end_day if last.target is not None else None)
            quotas = [applies(unit.line, column.key, d, self.quotas, self.targets).daily for d in days]
        return trend(column, days, values, before, target=target, target_day=end,
                     daily_quota=quotas if any(q is not None for q in quotas) else (),
                     is_day_off=self.rules.campaign.is_day_off)


def final_cutoff(rules: CampaignRules) -> Cutoff | None:
    """The cut-off the final reports go out at: the recap of the day before (the last day's late reports in), else
    the latest same-day cut-off."""
    recaps = [c for c in rules.cutoffs if not c.monthly and c.day_offset == -1]
    if recaps:
        return recaps[0]
    same_day = [c for c in rules.cutoffs if not c.monthly and c.day_offset == 0]
    return max(same_day, key=lambda c: c.time) if same_day else None


async def campaign_first_day(tx: Tx, rules: CampaignRules, phases: Sequence[Phase]) -> date | None:
    """The campaign's first day for a file of the whole campaign: [campaign] start_date, else the earlier of the
    first phase's and the first report's days; None before either."""
    if rules.campaign.start_date is not None:
        return rules.campaign.start_date
    found = [d for d in (campaign_start(None, phases), await tx.entries.first_day()) if d is not None]
    return min(found) if found else None


async def ended(tx: Tx, rules: CampaignRules, last: date) -> list[tuple[str, Period]]:
    """The phases, and the campaign ([campaign] end_date), whose last day is `last`, each with its claim topic."""
    phases = await tx.quotas.phases()
    out = [(f"phase:{p.name}", Period.of_phase(p)) for p in phases if p.last_day == last]
    if rules.campaign.end_date == last:
        start = await campaign_first_day(tx, rules, phases)
        if start is not None and start <= last:
            out.append(("campaign", Period.campaign(start, last)))
    return out


async def final_reports(tx: Tx, services: Services, cutoff: Cutoff, day: date) -> list[Send]:
    """At the final cut-off on `day`: for each phase, and the campaign, that ended on the day it covers, the final
    report to the leaders of the cut-off's levels (linked groups, else privately): the summary of the whole period
    with its workbook and charts. Claimed once, ever, per period and recipient."""
    rules = services.rules
    final = final_cutoff(rules)
    if final is None or final.name != cutoff.name:
        return []
    periods = await ended(tx, rules, covered(cutoff, day)[1])
    if not periods:
        return []
    kinds = summary_kinds(rules, cutoff)
    units = [u for kind in kinds for u in await tx.units.in_subtree(None, kind)]
    recipients = await summaries.leaders_of(tx, services, units)
    made_at = cutoff_at(rules, cutoff, day)
    out = []
    for topic, period in periods:
        for unit in units:
            if not recipients[unit.id]:
                continue
            s = await summaries.collect(tx, rules, unit, period.last, first_day=period.first)
            if s.teams == 0 and s.teams_reported == 0:
                continue
            texts: dict[str, str] = {}
            for recipient, to, language, name in recipients[unit.id]:
                if language not in texts:
                    t = services.translator.for_language(language)
                    first, last = t.day(period.first), t.day(period.last)
                    header = t("final.header_phase", name=period.name, first=first, last=last) \
                        if period.kind == PeriodKind.PHASE else t("final.header_campaign", first=first, last=last)
                    texts[language] = header + "\n" + summaries.render(s, rules, t)
                out.append(Send("final", topic, period.first, recipient, to, texts[language],
                                (1, kinds.index(unit.kind), unit.code, recipient_key(recipient)), name,
                                attachments=report_files(rules, unit, period, language, made_at)))
    return out
