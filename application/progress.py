"""Progress against quotas and targets: what /progress shows per child unit, and the section every summary ends with."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from application import planning
from application.timeliness import Timeliness
from domain.i18n import Messages
from domain.model import Unit
from domain.plans import Phase, campaign_start, phase_on, quota_total, working_days
from domain.ports import Tx
from domain.cutoffs import report_deadline
from domain.lists import name_lines
from domain.progress import Goal, Progress, Status, measure, required_by_now
from domain.rules import add
from domain.settings import CampaignRules, Metric


@dataclass(frozen=True)
class Line:
    """One metric of one unit: the day against today's quota, and the one goal its pace is judged by."""

    metric: Metric
    today: int
    daily: int | None  # today's quota; None: none
    progress: Progress  # against the target (own or shared), else the phase's quotas; NO_GOAL: neither
    end: date | None  # when the goal falls due
    day: Progress | None = None  # today against today's quota: open until the day is over, then met or short

    @property
    def behind(self) -> bool:
        return self.progress.behind

    @property
    def on_track(self) -> bool:
        return self.progress.on_track


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    lines: tuple[Line, ...]

    @property
    def behind(self) -> bool:
        return any(line.behind for line in self.lines)

    @property
    def on_track(self) -> bool:
        """✅ only when every goal line is judged and none is behind."""
        judged = [line for line in self.lines if line.progress.status != Status.NO_GOAL]
        return bool(judged) and all(line.on_track for line in judged)


@dataclass(frozen=True)
class Section:
    day: date
    phase: Phase | None
    start: date | None  # the campaign's start for the even pace: configured, else the first phase's
    phase_totals: dict[str, int] | None
    to_date: dict[str, int]
    own: UnitProgress | None  # None for everything (an admin without a unit)
    children: tuple[UnitProgress, ...]


def day_over(rules: CampaignRules, day: date, now: datetime | None) -> bool:
    """Whether `day`'s reports are all in: a past day, or today once the reporting cut-off has passed (None: asked
    about a finished day, as the cut-offs' summaries are)."""
    if now is None:
        return True
    local = now.astimezone(rules.campaign.tz)
    if day != local.date():
        return day < local.date()
    deadline = report_deadline(rules, day)
    return deadline is not None and now >= deadline


async def collect_section(tx: Tx, rules: CampaignRules, unit: Unit | None, day: date, *,
                          always: bool = False, teams: list[Unit] | None = None,
                          now: datetime | None = None) -> Section | None:
    """Phase and campaign totals and progress for `unit` and its children; None when nothing is planned
    for them (unless `always`). `teams`: the unit's teams, when the caller has read them already. `now`: when
    asked (the day measured counts as required only once it is over)."""
    planned = await tx.quotas.planned(unit)  # most summaries end here: nothing planned, one statement
    if planned.empty and not always:
        return None
    plans = await planning.load(tx, unit, planned)
    team_kind = rules.campaign.team_kind
    if teams is None:
        teams = [unit] if unit is not None and unit.kind == team_kind else await tx.units.in_subtree(unit, team_kind)
    ids = [t.id for t in teams]
    phase = phase_on(plans.phases, day)
    over = day_over(rules, day, now)
    start = campaign_start(rules.campaign.start_date, plans.phases)
    # The running total counted as the summary counts it, so the two figures in one message agree.
    periods = [(day, day), (rules.campaign.start_date, day)] + ([(phase.first_day, day)] if phase else [])
    found = (await tx.entries.totals_under(unit, team_kind, periods)).totals
    on_day, to_date = ({t: f.get(t, {}) for t in ids} for f in found[:2])
    in_phase = {t: found[2].get(t, {}) for t in ids} if phase else None

    def under(totals: dict[int, dict[str, int]] | None, u: Unit | None) -> dict[str, int] | None:
        if totals is None:
            return None
        out: dict[str, int] = {}
        for t in teams:
            if u is None or u.contains(t):
                out = add(out, totals[t.id])
        return out

    def of(u: Unit) -> UnitProgress:
        sums = under(on_day, u), under(in_phase, u), under(to_date, u)
        lines = (_line(rules, plans, u, m, day, over, phase, start, *sums) for m in rules.metrics)
        return UnitProgress(u, tuple(line for line in lines if line is not None))

    own = of(unit) if unit is not None else None
    return Section(day, phase, start, under(in_phase, unit), under(to_date, unit), own,
                   tuple(of(kid) for kid in plans.children))


def _line(rules: CampaignRules, plans: planning.Plans, unit: Unit, metric: Metric, day: date, over: bool,
          phase: Phase | None, start: date | None, on_day: dict, in_phase: dict | None, to_date: dict) -> Line | None:
    """The rule of docs/quota.md: the days counted are those before `day`, and `day` itself once it is over; on
    track when done by then ≥ what the goal required by then."""
    applies = plans.applies(unit, metric.key, day)
    if not applies.planned:
        return None
    off = rules.campaign.is_day_off
    through = day if over else day - timedelta(days=1)
    today = on_day.get(metric.key, 0)
    daily = applies.daily
    day_progress = None
    if daily is not None:
        working = not off(day)
        day_progress = measure(Goal.DAY, daily if working else 0, today, daily if over and working else None,
                               0 if over else 1)
    quotas = plans.quotas_of([unit.id], metric.key)
    if applies.share is not None:
        end = applies.target.end_day
        kind = Goal.TARGET if applies.target.unit_id == unit.id else Goal.SHARE
        left = len(working_days(through + timedelta(days=1), end, off))
        required = None
        if start is not None:
            span = len(working_days(start, end, off))
            required = required_by_now(applies.share, len(working_days(start, min(through, end), off)), span)
        progress = measure(kind, applies.share, to_date.get(metric.key, 0), required, left)
    elif phase is not None and in_phase is not None:
        end = phase.last_day
        # Each quota from the day it was set (or its stated start), never backwards: quota_on finds none before.
        goal = quota_total(quotas, unit.id, metric.key, working_days(phase.first_day, phase.last_day, off))
        if goal is None:
            progress, end = measure(None, None, 0, None, 0), None
        else:
            required = quota_total(quotas, unit.id, metric.key, working_days(phase.first_day, through, off)) or 0
            left = len(working_days(through + timedelta(days=1), end, off))
            progress = measure(Goal.PHASE, goal, in_phase.get(metric.key, 0), required, left)
    else:
        progress, end = measure(None, None, 0, None, 0), None
    return Line(metric, today, daily, progress, end, day_progress)


def _figures(t: Messages, done: int, goal: int | None, ratio: float | None) -> str:
    return t.num(done) if not goal else t("progress.of_goal", done=t.num(done), goal=t.num(goal), pct=t.pct(ratio))


def metric_lines(line: Line, t: Messages, *, short: bool = False) -> list[str]:
    """One line per goal, each naming the goal it compares with: today's quota, then the target (or the phase's
    quotas) with the mark and the pace still needed."""
    label = line.metric.short(t.language) if short else line.metric.label(t.language)
    out = []
    d = line.day
    if d is not None:
        if line.daily == 0 or d.goal == 0:
            out.append(t("progress.line_day_zero", metric=label, done=t.num(line.today)))
        else:
            mark = "" if d.status == Status.OPEN else t("progress.day_met") if d.status == Status.MET \
                else t("progress.day_short", short=t.num(d.remaining))
            out.append(t("progress.line_day", metric=label, figures=_figures(t, d.done, d.goal, d.ratio), mark=mark))
    p = line.progress
    if p.kind is not None:
        end = t.day(line.end) if line.end else ""
        values = {"metric": label, "figures": _figures(t, p.done, p.goal, p.ratio), "end": end,
                  "state": state_text(line, t)}
        if p.kind == Goal.TARGET:
            out.append(t("progress.line_target", **values))
        elif p.kind == Goal.SHARE:
            out.append(t("progress.line_share", **values))
        else:
            out.append(t("progress.line_phase", **values))
    return out


def state_text(line: Line, t: Messages) -> str:
    p = line.progress
    end = t.day(line.end) if line.end else ""
    if p.status == Status.MET:
        return t("progress.met")
    if p.status == Status.MISSED:
        return t("progress.missed", end=end, remaining=t.num(p.remaining))
    pace = t("progress.pace", days=t.num(p.days_left), end=end, pace=t.num(p.pace_needed or 0))
    if p.status == Status.ON_PACE:
        return t("progress.on_pace", required=t.num(p.required), pace=pace)
    if p.status == Status.BEHIND:
        return t("progress.behind", required=t.num(p.required), short=t.num(p.short), pace=pace)
    return pace


def header(s: Section, t: Messages) -> list[str]:
    """The phase the day falls in, and which of its days it is."""
    if s.phase is None:
        return []
    n, length = (s.day - s.phase.first_day).days + 1, (s.phase.last_day - s.phase.first_day).days + 1
    return [t("progress.phase_title", name=s.phase.name, first=t.day(s.phase.first_day),
              last=t.day(s.phase.last_day), n=t.num(n), length=t.num(length))]


def _numbers(totals: dict[str, int], rules: CampaignRules, t: Messages) -> str:
    return " · ".join(t.num(totals.get(m.key, 0)) for m in rules.metrics)


def render_section(s: Section | None, rules: CampaignRules, t: Messages) -> list[str]:
    """The lines a summary ends with: the phase and its totals, the unit's progress, children behind pace."""
    if s is None:
        return []
    lines = ["", *header(s, t)]  # the campaign's running total is the summary's own line above
    if s.phase_totals is not None:
        lines.append(t("progress.phase_totals", numbers=_numbers(s.phase_totals, rules, t)))
    if s.own is not None and s.own.lines:
        lines.append(t("progress.title_short"))
        lines += [t("progress.bullet", text=text) for line in s.own.lines for text in metric_lines(line, t)]
    behind = [c.unit.name for c in s.children if c.behind]
    if behind:
        lines.append(t("progress.children_behind", count=t.num(len(behind)), names=name_lines(behind)))
    return lines


def render_progress(s: Section, unit: Unit | None, t: Messages, on_time: dict[int | None, Timeliness] | None = None,
                    period: str = "") -> str:
    """`on_time`: per unit id (None: everything) its reports on time ÷ due over `period` (its words)."""
    on_time = on_time or {}

    def share(u: Unit | None) -> str:
        x = on_time.get(u.id if u is not None else None)
        if x is None or not x.due:
            return ""
        return t("progress.on_time", period=period, on_time=t.num(x.on_time), due=t.num(x.due), pct=t.pct(x.ratio))

    lines = [t("progress.title", unit=unit.name if unit else t("unit.everything"), date=t.day(s.day)), *header(s, t)]
    if share(unit):
        lines.append(share(unit))
    if s.own is not None:
        if s.own.lines:
            lines += [t("progress.bullet", text=text) for line in s.own.lines for text in metric_lines(line, t)]
        else:
            lines.append(t("progress.no_plan"))
    if s.children:
        lines += ["", t("progress.children")]
        for c in s.children:  # every one: a long list goes out in several messages, split at line ends
            if not c.lines:
                lines.append(t("progress.child_unplanned", unit=c.unit.name))
                if share(c.unit):
                    lines.append(t("progress.child_metric", text=share(c.unit)))
                continue
            mark = "⚠️" if c.behind else "✅" if c.on_track else "•"
            lines.append(t("progress.child", mark=mark, unit=c.unit.name))
            lines += [t("progress.child_metric", text=text) for line in c.lines
                      for text in metric_lines(line, t, short=True)]
            if share(c.unit):
                lines.append(t("progress.child_metric", text=share(c.unit)))
    return "\n".join(lines)
