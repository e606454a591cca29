"""Summaries for leaders: per team (or per child unit) totals ranked, against the day before, to date, and who is
missing — asked for with /summary, or pushed at the cut-offs into linked groups and to leaders."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from application.chasing import private_address, roll_call
from application.progress import Section, collect_section, render_section
from application.timeliness import Timeliness, of, per_team
from application.files import cutoff_files
from application.sends import ChatRecipient, MemberRecipient, Recipient, Send, recipient_key
from application.services import Services
from domain.cutoffs import covered, summary_kinds
from domain.i18n import Messages
from domain.lists import name_lines
from domain.messages import Address
from domain.model import DayOff, Member, MemberNote, Unit
from domain.ports import Tx
from domain.settings import CampaignRules, Cutoff

MAX_TEAM_ROWS = 40  # beyond this many teams a summary goes one level down instead of listing every team


@dataclass
class Row:
    unit: Unit | None  # None: a member row in a team's summary
    label: str
    totals: dict[str, int] = field(default_factory=dict)
    teams: int = 0
    teams_reported: int = 0
    missing_members: list[str] = field(default_factory=list)
    late: bool = False  # everything this row reported came after the cut-off
    previous: dict[str, int] = field(default_factory=dict)  # the period before (yesterday)
    to_date: dict[str, int] = field(default_factory=dict)  # since the campaign began, through the summary's day
    rank: int = 0  # by the campaign's rank metric; 0 on member rows
    timeliness: Timeliness | None = None  # reports on time ÷ due over the summary's days; None on member rows
    late_count: int = 0  # reporters whose every entry of the day came late
    paused: bool = False  # a paused team that did not report: not counted as missing
    excused: bool = False  # not expected that day (the roll call: not yet joined, left, day off), did not report

    @property
    def reported(self) -> bool:
        return self.teams_reported > 0


@dataclass
class Summary:
    unit: Unit | None
    day: date
    rows: list[Row]
    total: dict[str, int]
    teams: int  # teams expected to report: paused teams that did not are left out
    teams_reported: int
    missing_teams: list[Unit]
    per_member: bool = False
    first_day: date | None = None  # a period summary (the monthly report) starts here; None: the one day
    previous: dict[str, int] = field(default_factory=dict)
    to_date: dict[str, int] = field(default_factory=dict)
    since: date | None = None  # the running total counts from here (campaign start or first entry)
    progress: Section | None = None  # the phase's totals, progress against quotas and targets
    timeliness: Timeliness = field(default_factory=Timeliness)  # the whole unit's, over the summary's days
    notes: list[MemberNote] = field(default_factory=list)  # what members wrote for leaders over the days
    days_off: list[DayOff] = field(default_factory=list)  # who said they were off, and why
    team_names: dict[int, str] = field(default_factory=dict)  # of the teams the notes and days off name
    grouped: bool = False  # a summary by groups of teams: notes and days off are counted, listed in the files


def _is_month(first: date, last: date) -> bool:
    return first.day == 1 and (last + timedelta(days=1)).day == 1 and (first.year, first.month) == (last.year, last.month)


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The period just before [first, last]: yesterday for a day, the month before for a calendar month."""
    prev_last = first - timedelta(days=1)
    if _is_month(first, last):
        return prev_last.replace(day=1), prev_last
    return prev_last - (last - first), prev_last


async def collect(tx: Tx, rules: CampaignRules, unit: Unit | None, day: date, *,
                  first_day: date | None = None, now: datetime | None = None) -> Summary:
    """Everything a summary shows, from the stored entries under `unit` (None: everything).

    One day by default; with `first_day`, the period [first_day, day] (member rows and lateness are per day,
    so a period summary has neither).
    """
    team_kind = rules.campaign.team_kind
    own_team = unit is not None and unit.kind == team_kind
    teams = [unit] if own_team else await tx.units.in_subtree(unit, team_kind)
    ids = [t.id for t in teams]
    first = first_day or day
    one_day = first_day is None or first_day == day
    grouped = not own_team and len(teams) > MAX_TEAM_ROWS
    # A grouped summary of one day shows each group's totals (summed by the database), and per team only whether
    # it reported; a grouped period summary counts a team as reporting when it has totals, so it reads them per team.
    by_group = grouped and one_day
    figures = await tx.entries.totals_under(
        unit, team_kind, [(first, day), previous_period(first, day), (rules.campaign.start_date, day)],
        reporters_on=day if one_day else None, by_child=by_group)
    totals, previous, to_date = figures.totals
    if not by_group:
        totals, previous, to_date = ({t: found.get(t, {}) for t in ids} for found in figures.totals)
    since = rules.campaign.start_date or await tx.entries.first_day()
    reporters = {t: figures.reporters.get(t, {}) for t in ids}
    reported = {t: bool(reporters[t]) if one_day else bool(totals[t]) for t in ids}
    # Who should have reported (application.chasing.roll_call): a team is expected when it is on any day of the
    # period, and a member missing when expected on the day and not among its reporters.
    call = await roll_call(tx, rules, teams, first, day)
    days = call.days()
    expected_team = {t: any(call.team_expected(t, d) for d in days) for t in ids}
    paused = {t.id for t in teams if not reported[t.id] and all(call.is_paused(t.id, d) for d in days)}
    missing: dict[int, list[str]] = {}
    if one_day and not grouped:  # a grouped summary shows no names
        for t in ids:
            missing[t] = [m.name for m in call.expected(t, day) if m.id not in reporters[t]]
    on_time = await per_team(tx, rules, unit, call, first, day)
    sums = {name: _sum(table, table) for name, table in (("day", totals), ("prev", previous), ("to_date", to_date))}
    missing_teams = [t for t in teams if not reported[t.id] and expected_team[t.id]]
    period = {"first_day": None if one_day else first, "previous": sums["prev"], "to_date": sums["to_date"],
              "since": since, "progress": await collect_section(tx, rules, unit, day, teams=teams, now=now),
              "timeliness": of(on_time, ids), "notes": await tx.notes.under(unit, team_kind, first, day),
              "days_off": await tx.days_off.under(unit, team_kind, first, day),
              "team_names": {t.id: t.name for t in teams}, "grouped": grouped}
    expected = sum(1 for t in ids if expected_team[t] or reported[t])
    if own_team and one_day:
        people = call.members_on(unit.id, day)
        due = {m.id for m in call.expected(unit.id, day)}
        member_totals = await tx.entries.member_totals([m.id for m in people], day)
        rows = [Row(None, m.name, member_totals[m.id], 1, int(m.id in reporters[unit.id]),
                    late=reporters[unit.id].get(m.id, False),
                    excused=m.id not in due and m.id not in reporters[unit.id]) for m in people]
        return Summary(unit, day, rows, sums["day"], expected, int(reported[unit.id]), missing_teams,
                       per_member=True, **period)
    if not grouped:
        rows = [Row(t, t.name, totals[t.id], int(expected_team[t.id] or reported[t.id]), int(reported[t.id]),
                    missing.get(t.id, []),
                    late=reported[t.id] and one_day and all(reporters[t.id].values()),
                    previous=previous[t.id], to_date=to_date[t.id], late_count=sum(reporters[t.id].values()),
                    paused=t.id in paused, excused=not expected_team[t.id] and not reported[t.id],
                    timeliness=on_time[t.id])
                for t in teams]
    else:
        groups = await tx.units.children(unit.id) if unit is not None else await tx.units.roots()
        under: dict[int, list[int]] = {}
        for t in teams:  # the group a team is in: the summary's unit's child above it (its root, for everywhere)
            under.setdefault(unit.child_towards(t) if unit is not None else t.root_id, []).append(t.id)
        rows = []
        for g in groups:
            mine = under.get(g.id, [])
            own = [g.id] if by_group else mine
            rows.append(Row(g, g.name, _sum(own, totals), len([t for t in mine if expected_team[t] or reported[t]]),
                            sum(1 for t in mine if reported[t]), previous=_sum(own, previous),
                            to_date=_sum(own, to_date), late_count=sum(sum(reporters[t].values()) for t in mine),
                            timeliness=of(on_time, mine)))
    return Summary(unit, day, _ranked(rows, rules.rank_metric.key), sums["day"], expected,
                   sum(1 for t in ids if reported[t]), missing_teams, **period)


def _sum(ids, table: dict[int, dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in ids:
        for k, v in table.get(i, {}).items():
            out[k] = out.get(k, 0) + v
    return out


def _ranked(rows: list[Row], key: str) -> list[Row]:
    """Highest first by the rank metric, ties sharing a rank (1, 2, 2, 4) and keeping code order."""
    ordered = sorted(enumerate(rows), key=lambda p: (-p[1].totals.get(key, 0), p[0]))
    rank, last = 0, None
    for position, (_, row) in enumerate(ordered, 1):
        value = row.totals.get(key, 0)
        if value != last:
            rank, last = position, value
        row.rank = rank
    return [row for _, row in ordered]


def _signed(t: Messages, n: int) -> str:
    return ("+" if n > 0 else "-" if n < 0 else "") + t.num(abs(n))


def render(s: Summary, rules: CampaignRules, t: Messages) -> str:
    lang = t.language
    keys = [m.key for m in rules.metrics]
    numbers = lambda totals: " · ".join(t.num(totals.get(k, 0)) for k in keys)  # noqa: E731
    changes = lambda now, before: " · ".join(_signed(t, now.get(k, 0) - before.get(k, 0)) for k in keys)  # noqa: E731
    name = s.unit.name if s.unit else t("unit.everything")
    if s.first_day is None:
        title, previous = t("summary.title", unit=name, date=t.day(s.day)), t("summary.previous_day")
    elif _is_month(s.first_day, s.day):
        title = t("summary.title_month", unit=name, month=f"{s.day.month:02d}/{s.day.year}")
        previous = t("summary.previous_month")
    else:
        title = t("summary.title_period", unit=name, first=t.day(s.first_day), last=t.day(s.day))
        previous = t("summary.previous_period")
    rank = rules.rank_metric
    lines = [title, t("summary.reported", done=t.num(s.teams_reported), total=t.num(s.teams)),
             t("summary.legend", order=" · ".join(m.short(lang) for m in rules.metrics))]
    if not s.per_member:
        lines.append(t("summary.rank_legend", metric=rank.label(lang), short=rank.short(lang), previous=previous))
    lines.append("")
    for r in s.rows:
        mark = "⏸" if r.paused else "✅" if r.reported else "➖" if r.excused else "⏳"
        late = t("summary.late_mark") if r.late else t("summary.some_late", count=t.num(r.late_count)) \
            if r.late_count else t("summary.paused_mark") if r.paused else ""
        if s.per_member:
            lines.append(t("summary.row", mark=mark, name=r.label, numbers=numbers(r.totals), late=late))
            continue
        extra = {"rank": r.rank, "change": _signed(t, r.totals.get(rank.key, 0) - r.previous.get(rank.key, 0)),
                 "to_date": t.num(r.to_date.get(rank.key, 0))}
        if r.teams > 1 or r.unit is not None and r.unit.kind != rules.campaign.team_kind:
            lines.append(t("summary.ranked_group_row", mark=mark, name=r.label, numbers=numbers(r.totals),
                           done=t.num(r.teams_reported), total=t.num(r.teams), **extra))
        else:
            lines.append(t("summary.ranked_row", mark=mark, name=r.label, numbers=numbers(r.totals), late=late,
                           **extra))
    lines += ["", t("summary.total", numbers=numbers(s.total)),
              t("summary.change", previous=previous, numbers=changes(s.total, s.previous)),
              t("summary.to_date", since=t.day(s.since), numbers=numbers(s.to_date)) if s.since else
              t("summary.to_date_all", numbers=numbers(s.to_date))]
    if not s.per_member and s.missing_teams:
        lines.append(t("summary.missing_teams", names=name_lines(u.name for u in s.missing_teams),
                       count=t.num(len(s.missing_teams))))
    if s.per_member:
        absent = [r.label for r in s.rows if not r.reported and not r.excused]
        if absent:
            lines.append(t("summary.missing_members", names=name_lines(absent)))
    else:
        absent = [f"{r.label}: {name_lines(r.missing_members)}" for r in s.rows if r.missing_members and r.reported]
        if absent:
            lines.append(t("summary.missing_in_teams", lines="\n".join(absent)))
    lines += said_lines(s, t)
    lines += timeliness_lines(s, t)
    lines += render_section(s.progress, rules, t)
    return "\n".join(lines)


def said_lines(s: Summary, t: Messages) -> list[str]:
    """Who said they were off and why, and what members wrote for leaders: whole, each on its line, named by team
    (and day, over a period); counted only in a summary by groups of teams, whose files list them."""
    if not s.notes and not s.days_off:
        return []
    if s.grouped:
        return [t("summary.said_count", notes=t.num(len(s.notes)), off=t.num(len(s.days_off)))]

    def who(day: date, team_id: int, name: str) -> str:
        parts = [] if s.first_day is None else [t.day(day)]
        if not s.per_member:
            parts.append(s.team_names.get(team_id, ""))
        parts.append(name)
        return " – ".join(parts)

    out = []
    if s.days_off:
        out.append(t("summary.days_off", lines="\n".join(
            f"• {who(d.day, d.team_id, d.member_name)}: {d.reason or t('report.off_no_reason')}" for d in s.days_off)))
    if s.notes:
        out.append(t("summary.notes", lines="\n".join(
            f"• {who(n.day, n.team_id, n.member_name)}: {' / '.join(n.text.splitlines())}" for n in s.notes)))
    return out


def _share(t: Messages, x: Timeliness) -> str:
    return t("timeliness.share", on_time=t.num(x.on_time), due=t.num(x.due), pct=t.pct(x.ratio))


def timeliness_lines(s: Summary, t: Messages) -> list[str]:
    """The unit's share of reports on time over the summary's days, then each row's, whole (split at line ends)."""
    if not s.timeliness.due:
        return []
    lines = [t("timeliness.total", share=_share(t, s.timeliness))]
    rows = [f"{r.label} {_share(t, r.timeliness)}" for r in s.rows if r.timeliness is not None and r.timeliness.due]
    if len(rows) > 1:
        lines.append(t("timeliness.rows", rows=name_lines(rows)))
    return lines


def _header(t: Messages, cutoff: Cutoff, first: date) -> str:
    if cutoff.monthly:
        return t("cutoff.header_month", month=f"{first.month:02d}/{first.year}")
    if cutoff.day_offset:
        return t("cutoff.header_final", date=t.day(first))
    return t("cutoff.header_day", time=cutoff.time.strftime("%H:%M"))


async def leaders_of(tx: Tx, services: Services,
                     units: list[Unit]) -> dict[int, list[tuple[Recipient, Address, str, str]]]:
    """Per unit, whom its summaries go to: its linked groups (on running channels), else each of its reachable
    leaders privately; each as (recipient, address, language, name)."""
    ids = [u.id for u in units]
    links: dict[int, list] = {}
    for chat in await tx.links.for_units(ids):
        if chat.channel in services.traits:
            links.setdefault(chat.unit_id, []).append(chat)
    leaders: dict[int, list[Member]] = {}
    for m in await tx.members.in_units(ids):
        if m.role.leads and not m.unreachable and private_address(m, services) is not None:
            leaders.setdefault(m.unit_id, []).append(m)
    out = {}
    for unit in units:
        targets = [(ChatRecipient(Address(c.channel, c.chat_id)), Address(c.channel, c.chat_id), c.language, "")
                   for c in links.get(unit.id, ())]
        if not targets:
            targets = [(MemberRecipient(m.id), private_address(m, services), m.language, m.name)
                       for m in leaders.get(unit.id, ())]
        out[unit.id] = targets
    return out


async def cutoff_summaries(tx: Tx, services: Services, cutoff: Cutoff, day: date) -> list[Send]:
    """The cut-off's summary for each unit of its summary levels: into the unit's linked groups, or else
    privately to each of its leaders. On a day off, only units where someone reported anyway get one. With the
    cut-off's `files`, each comes with the workbook and charts of its days."""
    rules = services.rules
    first, last = covered(cutoff, day)
    day_off = not cutoff.monthly and rules.campaign.is_day_off(last)
    kinds = summary_kinds(rules, cutoff)
    units = [u for kind in kinds for u in await tx.units.in_subtree(None, kind)]
    recipients = await leaders_of(tx, services, units)
    out = []
    for unit in units:
        targets = recipients[unit.id]
        if not targets:
            continue
        s = await collect(tx, rules, unit, last, first_day=first if cutoff.monthly else None)
        if (s.teams == 0 and s.teams_reported == 0) or (day_off and s.teams_reported == 0):
            continue
        texts: dict[str, str] = {}
        for recipient, to, language, name in targets:
            if language not in texts:
                t = services.translator.for_language(language)
                texts[language] = _header(t, cutoff, first) + "\n" + render(s, rules, t)
            out.append(Send("summary", cutoff.name, first, recipient, to, texts[language],
                            (0, kinds.index(unit.kind), unit.code, recipient_key(recipient)), name,
                            attachments=cutoff_files(rules, cutoff, day, unit, first, last, language)))
    return out
