"""Progress against quotas and targets: what /progress shows per child unit, and the section every summary ends with."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from application import planning
from domain.i18n import Messages
from domain.model import Unit
from domain.plans import Phase, campaign_start, phase_on, quota_total, working_days
from domain.ports import Tx
from domain.progress import Progress, Status, measure
from domain.rules import add
from domain.settings import CampaignRules, Metric

MAX_CHILD_ROWS = 40


@dataclass(frozen=True)
class Line:
    metric: Metric
    progress: Progress
    end: date | None  # when the goal falls due: the target's end, else the phase's last day


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    lines: tuple[Line, ...]

    @property
    def behind(self) -> bool:
        return any(line.progress.behind for line in self.lines)


@dataclass(frozen=True)
class Section:
    day: date
    phase: Phase | None
    start: date | None  # the campaign's start for the even pace: configured, else the first phase's
    phase_totals: dict[str, int] | None
    to_date: dict[str, int]
    own: UnitProgress | None  # None for everything (an admin without a unit)
    children: tuple[UnitProgress, ...]


async def collect_section(tx: Tx, rules: CampaignRules, unit: Unit | None, day: date, *,
                          always: bool = False, teams: list[Unit] | None = None) -> Section | None:
    """Phase and campaign totals and progress for `unit` and its children; None when nothing is planned
    for them (unless `always`). `teams`: the unit's teams, when the caller has read them already."""
    planned = await tx.quotas.planned(unit)  # most summaries end here: nothing planned, one statement
    if planned.empty and not always:
        return None
    plans = await planning.load(tx, unit, planned)
    team_kind = rules.campaign.team_kind
    if teams is None:
        teams = [unit] if unit is not None and unit.kind == team_kind else await tx.units.in_subtree(unit, team_kind)
    ids = [t.id for t in teams]
    phase = phase_on(plans.phases, day)
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
        lines = (_line(rules, plans, u, m, day, phase, start, *sums) for m in rules.metrics)
        return UnitProgress(u, tuple(line for line in lines if line is not None))

    own = of(unit) if unit is not None else None
    return Section(day, phase, start, under(in_phase, unit), under(to_date, unit), own,
                   tuple(of(kid) for kid in plans.children))


def _line(rules: CampaignRules, plans: planning.Plans, unit: Unit, metric: Metric, day: date, phase: Phase | None,
          start: date | None, on_day: dict, in_phase: dict | None, to_date: dict) -> Line | None:
    applies = plans.applies(unit, metric.key, day)
    if not applies.planned:
        return None
    off = rules.campaign.is_day_off
    phase_quota = phase_left = None
    if phase is not None:
        phase_days = working_days(phase.first_day, phase.last_day, off)
        phase_quota = quota_total(plans.quotas_of([unit.id], metric.key), unit.id, metric.key, phase_days)
        phase_left = sum(1 for d in phase_days if d >= day)
    target, target_left, even_pace, end = applies.share, None, None, None
    if target is not None:
        end = applies.target.end_day
        target_left = len(working_days(day, end, off))
        span = len(working_days(start, end, off)) if start is not None else 0
        even_pace = target / span if span else None
    elif phase is not None and phase_quota is not None:
        end = phase.last_day
    progress = measure(today=on_day.get(metric.key, 0), daily=applies.daily, to_date=to_date.get(metric.key, 0),
                       target=target, target_days_left=target_left,
                       phase_to_date=in_phase.get(metric.key, 0) if in_phase is not None else None,
                       phase_quota=phase_quota, phase_days_left=phase_left, even_pace=even_pace)
    return Line(metric, progress, end)


def _of_goal(t: Messages, done: int, goal: int | None, ratio: float | None) -> str:
    return t.num(done) if not goal else t("progress.of_goal", done=t.num(done), goal=t.num(goal), pct=t.pct(ratio))


def metric_text(line: Line, t: Messages, *, phase: bool, short: bool = False) -> str:
    """One metric's progress: the day, the phase, the campaign, then the pace."""
    p = line.progress
    if p.daily == 0:
        today = t("progress.today_zero", done=t.num(p.today))
    else:
        today = t("progress.today", figures=_of_goal(t, p.today, p.daily, p.today_ratio))
    parts = [today]
    if phase and p.phase_to_date is not None:
        parts.append(t("progress.phase", figures=_of_goal(t, p.phase_to_date, p.phase_quota, p.phase_ratio)))
    parts.append(t("progress.to_date", figures=_of_goal(t, p.to_date, p.target, p.target_ratio)))
    label = line.metric.short(t.language) if short else line.metric.label(t.language)
    text = t("progress.metric", metric=label, parts=" · ".join(parts))
    pace = pace_text(line, t)
    return f"{text}; {pace}" if pace else text


def pace_text(line: Line, t: Messages) -> str:
    p = line.progress
    end = t.day(line.end) if line.end else ""
    if p.status == Status.NO_GOAL:
        return ""
    if p.status == Status.MET:
        return t("progress.met")
    if p.status == Status.MISSED:
        return t("progress.missed", end=end, remaining=t.num(p.remaining))
    text = t("progress.pace", days=t.num(p.days_left), end=end, pace=t.num(p.pace_needed))
    return text + t("progress.behind_mark") if p.status == Status.BEHIND else text


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
        lines += [t("progress.bullet", text=metric_text(line, t, phase=s.phase is not None)) for line in s.own.lines]
    behind = [c.unit.name for c in s.children if c.behind]
    if behind:
        lines.append(t("progress.children_behind", count=t.num(len(behind)), names=", ".join(behind[:MAX_CHILD_ROWS])))
    return lines


def render_progress(s: Section, unit: Unit | None, t: Messages) -> str:
    lines = [t("progress.title", unit=unit.name if unit else t("unit.everything"), date=t.day(s.day)), *header(s, t)]
    if s.own is not None:
        if s.own.lines:
            lines += [t("progress.bullet", text=metric_text(line, t, phase=s.phase is not None))
                      for line in s.own.lines]
        else:
            lines.append(t("progress.no_plan"))
    if s.children:
        lines += ["", t("progress.children")]
        for c in s.children[:MAX_CHILD_ROWS]:
            if not c.lines:
                lines.append(t("progress.child_unplanned", unit=c.unit.name))
                continue
            mark = "⚠️" if c.behind else "✅"
            lines.append(t("progress.child", mark=mark, unit=c.unit.name))
            lines += [t("progress.child_metric", text=metric_text(line, t, phase=False, short=True))
                      for line in c.lines]
        if len(s.children) > MAX_CHILD_ROWS:
            lines.append(t("plan.more", count=t.num(len(s.children) - MAX_CHILD_ROWS)))
    return "\n".join(lines)
