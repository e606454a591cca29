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


def check_change(rules: CampaignRules, adding: dict[str, int], removing: dict[str, int],
                 member_day_before: dict[str, int], team_to_date_before: dict[str, int]) -> list[Problem]:
    """Problems with a change to the member's day: `removing` (the sum of entries withdrawn or replaced) taken out,
    `adding` put in. Every change goes through here: a report, an edit, an undo.

    A daily maximum is checked on the member's day after the change, for the metrics added; a rule ("lesser ≤
    greater", to date) is refused when the change leaves it broken and further from holding than before (a team
    stored inconsistent by an older version can still be corrected towards consistency)."""
    problems: list[Problem] = []
    member_after = add(add(member_day_before, removing, -1), adding)
    for key, value in adding.items():
        metric = rules.metric(key)
        if value < 0:
            problems.append(Problem("check.negative", {"metric": key, "value": value}))
            continue
        if member_after.get(key, 0) > metric.max_daily:
            problems.append(Problem("check.too_high", {"metric": key, "value": member_after[key],
                                                       "max": metric.max_daily}))
    team_after = add(add(team_to_date_before, removing, -1), adding)
    changed = set(adding) | {k for k, v in removing.items() if v}
    for rule in rules.rules:
        if rule.lesser not in changed and rule.greater not in changed:
            continue
        lesser, greater = team_after.get(rule.lesser, 0), team_after.get(rule.greater, 0)
        gap_before = team_to_date_before.get(rule.lesser, 0) - team_to_date_before.get(rule.greater, 0)
        if lesser > greater and lesser - greater > max(0, gap_before):
            problems.append(Problem("check.inconsistent", {"lesser": rule.lesser, "greater": rule.greater,
                                                           "lesser_value": lesser, "greater_value": greater}))
    return problems


def add(a: dict[str, int], b: dict[str, int], sign: int = 1) -> dict[str, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + sign * v
    return out
