"""Quotas, targets and phases: what a unit is asked to reach, which of them applies on a day, and splits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterable, Sequence


@dataclass(frozen=True)
class Quota:
    """A daily quota for one unit and metric, over a range of days (open ends: no limit)."""

    id: int
    unit_id: int
    metric: str
    daily: int
    first_day: date | None = None
    last_day: date | None = None
    split_from: int | None = None  # the unit whose quota this is a share of
    basis: str | None = None  # how that share was weighed: "households", "even" or "mixed"

    def covers(self, day: date) -> bool:
        return (self.first_day is None or self.first_day <= day) and (self.last_day is None or day <= self.last_day)


@dataclass(frozen=True)
class Target:
    """A campaign total for one unit and metric, counted from the campaign's start, to reach by `end_day`."""

    id: int
    unit_id: int
    metric: str
    total: int
    end_day: date


@dataclass(frozen=True)
class Phase:
    id: int
    name: str
    first_day: date
    last_day: date

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def overlaps(self, first: date, last: date) -> bool:
        return self.first_day <= last and first <= self.last_day


@dataclass(frozen=True)
class Planned:
    """The quotas and targets of a unit's line (from the root down to it) and of its children, and every phase."""

    quotas: tuple[Quota, ...] = ()
    targets: tuple[Target, ...] = ()
    phases: tuple[Phase, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.quotas or self.targets or self.phases)


def quota_on(quotas: Iterable[Quota], unit_id: int, metric: str, day: date) -> Quota | None:
    """The unit's own quota that day: of those covering it, the one set last."""
    found = [q for q in quotas if q.unit_id == unit_id and q.metric == metric and q.covers(day)]
    return max(found, key=lambda q: q.id) if found else None


def target_on(targets: Iterable[Target], unit_id: int, metric: str, day: date) -> Target | None:
    """The next target still ahead that day (the nearest end date not passed); else the last one passed."""
    own = [t for t in targets if t.unit_id == unit_id and t.metric == metric]
    ahead = [t for t in own if t.end_day >= day]
    if ahead:
        return min(ahead, key=lambda t: t.end_day)
    return max(own, key=lambda t: t.end_day) if own else None


def phase_on(phases: Iterable[Phase], day: date) -> Phase | None:
    return next((p for p in sorted(phases, key=lambda p: p.first_day) if p.covers(day)), None)


def campaign_start(configured: date | None, phases: Iterable[Phase]) -> date | None:
    """Where running totals begin: the configured start, else the first phase's; None: from the first entry."""
    if configured is not None:
        return configured
    firsts = [p.first_day for p in phases]
    return min(firsts) if firsts else None


def working_days(first: date, last: date, is_day_off: Callable[[date], bool]) -> list[date]:
    days, d = [], first
    while d <= last:
        if not is_day_off(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def quota_total(quotas: Sequence[Quota], unit_id: int, metric: str, days: Iterable[date]) -> int | None:
    """The sum of the unit's daily quota over these days; None when no quota covers any of them."""
    total, any_quota = 0, False
    for d in days:
        q = quota_on(quotas, unit_id, metric, d)
        if q is not None:
            total += q.daily
            any_quota = True
    return total if any_quota else None


@dataclass(frozen=True)
class Applies:
    """What applies to one unit for one metric on one day, and where it comes from."""

    quota: Quota | None  # the unit's own
    inherited: tuple[int, Quota] | None  # (unit id, quota) of the nearest ancestor with one, when none is own
    target: Target | None  # the unit's own, or the nearest ancestor's it shares
    share: int | None  # the unit's part of that target: the total when own; by daily quotas when inherited

    @property
    def daily(self) -> int | None:
        return self.quota.daily if self.quota else None

    @property
    def planned(self) -> bool:
        return self.quota is not None or self.share is not None


def applies(chain: Sequence[int], metric: str, day: date, quotas: Sequence[Quota],
            targets: Sequence[Target]) -> Applies:
    """`chain`: unit ids from the root down to the unit itself.

    An ancestor's target is shared in the proportion of the daily quotas: a unit with a tenth of the city's
    daily quota carries a tenth of the city's target. Without both quotas there is no share to show.
    """
    unit_id = chain[-1]
    own = quota_on(quotas, unit_id, metric, day)
    inherited = None
    if own is None:
        for anc in reversed(chain[:-1]):
            q = quota_on(quotas, anc, metric, day)
            if q is not None:
                inherited = (anc, q)
                break
    target, share = None, None
    for owner in reversed(chain):
        t = target_on(targets, owner, metric, day)
        if t is None:
            continue
        target = t
        if owner == unit_id:
            share = t.total
        else:
            theirs = quota_on(quotas, owner, metric, day)
            if own is not None and theirs is not None and theirs.daily > 0:
                share = (2 * t.total * own.daily + theirs.daily) // (2 * theirs.daily)  # rounded half up
        break
    return Applies(own, inherited, target, share)


def split(total: int, weights: Sequence[int | None]) -> tuple[list[int], str]:
    """Divide `total` into parts adding up exactly, with the basis used.

    Weighed by households where the units have them; a unit without is weighed as the average of those
    with; evenly when none has any (or all have 0). Largest remainders get the units left over, ties to
    the earlier unit.
    """
    if not weights:
        raise ValueError("nothing to split among")
    if total < 0 or any(w is not None and w < 0 for w in weights):
        raise ValueError("negative quota or weight")
    known = [w for w in weights if w is not None]
    if not known or sum(known) == 0:
        return largest_remainder(total, [1] * len(weights)), "even"
    if len(known) == len(weights):
        return largest_remainder(total, list(known)), "households"
    # Scaled by the number of known weights, so the average (sum / count) stays a whole number.
    scaled = [w * len(known) if w is not None else sum(known) for w in weights]
    return largest_remainder(total, scaled), "mixed"


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    whole = sum(weights)
    if whole <= 0:
        raise ValueError("weights add up to nothing")
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(parts)
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        parts[i] += 1
    return parts
