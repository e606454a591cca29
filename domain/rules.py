"""Checking a report before it is stored: plausible maxima and consistency to date (lateness: domain.cutoffs)."""
from __future__ import annotations

from dataclasses import dataclass

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


def add(a: dict[str, int], b: dict[str, int], sign: int = 1) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + sign * v
    return out
