"""When the cut-offs fall: their times, the days they cover, the reporting cut-off, lateness, reminder windows."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.model import Unit
from domain.settings import CampaignRules, Cutoff


def cutoff_at(rules: CampaignRules, cutoff: Cutoff, day: date) -> datetime:
    """The cut-off's moment on `day`, in the campaign timezone."""
    return datetime.combine(day, cutoff.time, tzinfo=rules.campaign.tz)


def covered(cutoff: Cutoff, day: date) -> tuple[date, date]:
    """The days a cut-off on `day` is about: that day, the day before (the recap), or the month before."""
    if cutoff.monthly:
        last = day.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    d = day + timedelta(days=cutoff.day_offset)
    return d, d


def reporting_cutoff(rules: CampaignRules) -> Cutoff | None:
    """The cut-off teams report by: the earliest same-day one. Reports after it are late, volunteers are
    reminded before it, and team leaders get their missing members' names at it."""
    daily = [c for c in rules.cutoffs if c.day_offset == 0 and not c.monthly]
    return min(daily, key=lambda c: c.time) if daily else None


def is_reporting(rules: CampaignRules, cutoff: Cutoff) -> bool:
    found = reporting_cutoff(rules)
    return found is not None and found.name == cutoff.name


def report_deadline(rules: CampaignRules, day: date) -> datetime | None:
    """When the day's reports fall due: the reporting cut-off on that day; None without one."""
    cutoff = reporting_cutoff(rules)
    return cutoff_at(rules, cutoff, day) if cutoff is not None else None


def is_late(rules: CampaignRules, day: date, recorded_at: datetime) -> bool:
    """Whether a report for `day` recorded at `recorded_at` came after that day's deadline."""
    deadline = report_deadline(rules, day)
    return deadline is not None and recorded_at > deadline


def reminder_window(rules: CampaignRules, cutoff: Cutoff, day: date, minutes: int) -> tuple[datetime, datetime]:
    """When the reminder `minutes` before the cut-off on `day` may go: from its time until the next reminder's
    time (a late run would otherwise arrive together with the next one) or the cut-off."""
    at = cutoff_at(rules, cutoff, day)
    later = [m for m in cutoff.remind_before if m < minutes]
    return at - timedelta(minutes=minutes), at - timedelta(minutes=max(later, default=0))


def summary_kinds(rules: CampaignRules, cutoff: Cutoff) -> tuple[str, ...]:
    """The unit kinds whose leaders get this cut-off's summary, top down."""
    kinds = rules.campaign.unit_kinds
    top = kinds.index(cutoff.summary_level)
    bottom = kinds.index(cutoff.summary_to) if cutoff.summary_to else top
    return kinds[top:bottom + 1]


def occurrences(cutoff: Cutoff, around: datetime, tz: ZoneInfo) -> list[datetime]:
    """The cut-off's times from the day before `around` to the day after, in the campaign timezone."""
    today = around.astimezone(tz).date()
    days = [today + timedelta(days=d) for d in (-1, 0, 1)]
    return [datetime.combine(d, cutoff.time, tzinfo=tz) for d in days
            if not cutoff.monthly or d.day == cutoff.day_of_month]


def is_paused(team: Unit, day: date) -> bool:
    """A team paused through `day` gets no reminders and does not count as missing."""
    return team.paused_until is not None and team.paused_until >= day
