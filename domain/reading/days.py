"""Which day a report is for: a stated day ("hôm qua", "thứ 6", "ngày 4/12", "04/12/2026") and what the policy
allows (today, and up to `days_back` days before; never a day to come)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from domain.reading.result import Refusal


@dataclass(frozen=True)
class Policy:
    """How far back a stated day may be: 1 allows yesterday, 0 only today. Days to come are always refused."""

    days_back: int = 1


def weekday_back(today: date, weekday: int) -> date:
    """The most recent day that is `weekday` (0 Monday … 6 Sunday), today included."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def day_month(today: date, d: int, m: int, y: int | None = None) -> date | None:
    """A day and month (and year): without a year, the one that is not months ahead of today."""
    try:
        if y is not None:
            return date(y, m, d)
        this_year = date(today.year, m, d)
    except ValueError:
        return None
    if this_year > today + timedelta(days=60):
        try:
            return date(today.year - 1, m, d)
        except ValueError:
            return None
    return this_year


def day_of_month(today: date, d: int) -> date | None:
    """"ngày 4" with no month: this month's 4th, or last month's when that is still to come."""
    try:
        if d <= today.day:
            return today.replace(day=d)
        first = today.replace(day=1) - timedelta(days=1)
        return first.replace(day=d)
    except ValueError:
        return None


def check(day: date, today: date, policy: Policy) -> Refusal | None:
    """Why the figures cannot be for `day`, or None."""
    if day > today:
        return Refusal("reading.error.future", {"day": day})
    oldest = today - timedelta(days=policy.days_back)
    if day < oldest:
        key = "reading.error.today_only" if policy.days_back == 0 else "reading.error.too_old"
        return Refusal(key, {"day": day, "oldest": oldest})
    return None


def shift(today: date, days: int) -> date:
    return today + timedelta(days=days)
