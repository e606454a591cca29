"""Checking a report before it is stored: plausible maxima, consistency to date, and lateness."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from domain.settings import CampaignRules


@dataclass(frozen=True)
class Problem:
    key: str
    values: dict


def check_report(rules: CampaignRules, new: dict[str, int], member_day_before: dict[str, int],
                 team_to_date_before: dict[str, int]) -> list[Problem]:
    """Problems with adding `new` to what the member has that day and the team has to date."""
    problems: list[Problem] = []
    for key, value in new.items():
        metric = rules.metric(key)
        if value < 0:
            problems.append(Problem("check.negative", {"metric": key, "value": value}))
            continue
        day_total = member_day_before.get(key, 0) + value
        if day_total > metric.max_daily:
            problems.append(Problem("check.too_high", {"metric": key, "value": day_total, "max": metric.max_daily}))
    for rule in rules.rules:
        lesser = team_to_date_before.get(rule.lesser, 0) + new.get(rule.lesser, 0)
        greater = team_to_date_before.get(rule.greater, 0) + new.get(rule.greater, 0)
        if (rule.lesser in new or rule.greater in new) and lesser > greater:
            problems.append(Problem("check.inconsistent", {"lesser": rule.lesser, "greater": rule.greater,
                                                           "lesser_value": lesser, "greater_value": greater}))
    return problems


def report_deadline(rules: CampaignRules, day: date) -> datetime | None:
    """When the day's reports fall due: the earliest same-day cut-off, in the campaign timezone."""
    same_day = [c.time for c in rules.cutoffs if c.day_offset == 0 and not c.monthly]
    if not same_day:
        return None
    return datetime.combine(day, min(same_day), tzinfo=rules.campaign.tz)


def is_late(rules: CampaignRules, day: date, recorded_at: datetime) -> bool:
    deadline = report_deadline(rules, day)
    return deadline is not None and recorded_at > deadline


def add(a: dict[str, int], b: dict[str, int], sign: int = 1) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + sign * v
    return out


__all__ = ["Problem", "check_report", "report_deadline", "is_late", "add", "time"]
