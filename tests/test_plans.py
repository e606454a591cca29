"""Splitting a quota adds up exactly; the quota, target and phase in force on a day; a target's share below."""
from __future__ import annotations

import random
from datetime import date

import pytest

from domain.plans import (Phase, Quota, Target, applies, campaign_start, largest_remainder, phase_on, quota_on,
                          quota_total, split, target_on, working_days)

D = date(2026, 11, 20)


def test_split_by_households_with_largest_remainders():
    assert split(400, [400, 200]) == ([267, 133], "households")
    assert split(10, [1, 1, 1]) == ([4, 3, 3], "households")  # equal remainders: the earlier unit gets the one left
    assert split(0, [3, 5]) == ([0, 0], "households")


def test_split_evenly_where_no_child_has_households_or_all_have_zero():
    assert split(7, [None, None]) == ([4, 3], "even")
    assert split(7, [0, 0, 0]) == ([3, 2, 2], "even")


def test_a_child_without_households_weighs_as_the_average_of_those_with():
    parts, basis = split(900, [100, None, 200])  # the unknown one counts as 150
    assert basis == "mixed" and parts == [200, 300, 400]


def test_a_child_with_zero_households_gets_nothing_when_others_have_some():
    assert split(10, [0, 5]) == ([0, 10], "households")


def test_split_refuses_nothing_to_split_among_and_negative_figures():
    with pytest.raises(ValueError):
        split(5, [])
    with pytest.raises(ValueError):
        split(-1, [1])
    with pytest.raises(ValueError):
        largest_remainder(5, [0, 0])


def test_split_always_adds_up_exactly_and_each_part_is_within_one_of_its_exact_share():
    rng = random.Random(4)
    for _ in range(3000):
        n = rng.randint(1, 40)
        total = rng.choice([0, 1, n - 1, n, rng.randint(0, 10), rng.randint(0, 5000), rng.randint(0, 10**9)])
        weights = [rng.choice([None, 0, rng.randint(0, 3), rng.randint(0, 2000)]) for _ in range(n)]
        parts, basis = split(total, weights)
        assert sum(parts) == total and len(parts) == n and min(parts) >= 0
        known = [w for w in weights if w is not None]
        if basis == "even":
            assert max(parts) - min(parts) <= 1
        elif basis == "households":
            whole = sum(weights)
            for p, w in zip(parts, weights):
                assert abs(p - total * w / whole) < 1
        else:
            avg = sum(known) / len(known)
            eff = [w if w is not None else avg for w in weights]
            for p, w in zip(parts, eff):
                assert abs(p - total * w / sum(eff)) < 1 + 1e-9


def q(id_, unit, daily, first=None, last=None, metric="l1_activations"):
    return Quota(id_, unit, metric, daily, first, last)


def test_the_quota_set_last_among_those_covering_the_day_applies():
    quotas = [q(1, 5, 100), q(2, 5, 150, date(2026, 11, 15), date(2026, 11, 30)), q(3, 5, 120, date(2026, 12, 1))]
    assert quota_on(quotas, 5, "l1_activations", D).daily == 150
    assert quota_on(quotas, 5, "l1_activations", date(2026, 11, 1)).daily == 100
    assert quota_on(quotas, 5, "l1_activations", date(2026, 12, 5)).daily == 120
    assert quota_on(quotas, 6, "l1_activations", D) is None
    assert quota_on(quotas, 5, "households", D) is None


def test_quota_total_sums_the_daily_quota_in_force_on_each_day():
    quotas = [q(1, 5, 10), q(2, 5, 20, date(2026, 11, 3), date(2026, 11, 4))]
    days = working_days(date(2026, 11, 1), date(2026, 11, 5), lambda d: False)
    assert quota_total(quotas, 5, "l1_activations", days) == 10 + 10 + 20 + 20 + 10
    assert quota_total(quotas, 9, "l1_activations", days) is None


def test_working_days_leave_out_days_off():
    sundays_off = lambda d: d.weekday() == 6  # noqa: E731
    assert len(working_days(date(2026, 11, 1), date(2026, 11, 30), sundays_off)) == 30 - 5
    assert working_days(date(2026, 11, 2), date(2026, 11, 1), sundays_off) == []


def test_the_next_target_ahead_applies_else_the_last_one_passed():
    ts = [Target(1, 5, "l1_activations", 1000, date(2026, 11, 30)),
          Target(2, 5, "l1_activations", 3000, date(2026, 12, 31))]
    assert target_on(ts, 5, "l1_activations", D).total == 1000
    assert target_on(ts, 5, "l1_activations", date(2026, 12, 1)).total == 3000
    assert target_on(ts, 5, "l1_activations", date(2027, 1, 5)).total == 3000
    assert target_on(ts, 5, "households", D) is None


def test_phases_and_the_campaign_start():
    p1 = Phase(1, "Giai đoạn 1", date(2026, 11, 1), date(2026, 11, 25))
    p2 = Phase(2, "Giai đoạn 2", date(2026, 11, 26), date(2026, 12, 31))
    assert phase_on([p2, p1], D) == p1 and phase_on([p1, p2], date(2026, 12, 1)) == p2
    assert phase_on([p1], date(2027, 1, 1)) is None
    assert campaign_start(None, [p2, p1]) == date(2026, 11, 1)
    assert campaign_start(date(2026, 10, 1), [p1]) == date(2026, 10, 1)
    assert campaign_start(None, []) is None
    assert p1.overlaps(date(2026, 11, 25), date(2026, 12, 1)) and not p1.overlaps(date(2026, 11, 26), date(2026, 12, 1))


def test_an_ancestors_target_is_shared_in_proportion_to_the_daily_quotas():
    city, ward, team = 1, 2, 3
    quotas = [q(1, city, 4000), q(2, ward, 400), q(3, team, 0)]
    targets = [Target(1, city, "l1_activations", 130464, date(2026, 12, 31))]
    a = applies([city, ward], "l1_activations", D, quotas, targets)
    assert a.daily == 400 and a.target.unit_id == city and a.share == 13046  # 13,046.4 rounded
    assert applies([city], "l1_activations", D, quotas, targets).share == 130464
    assert applies([city, ward, team], "l1_activations", D, quotas, targets).share == 0


def test_without_quotas_on_both_sides_there_is_no_share_and_an_ancestors_quota_is_only_explained():
    city, ward = 1, 2
    targets = [Target(1, city, "l1_activations", 1000, date(2026, 12, 31))]
    a = applies([city, ward], "l1_activations", D, [q(1, city, 100)], targets)
    assert a.quota is None and a.share is None and a.inherited[0] == city and not a.planned
    a = applies([city, ward], "l1_activations", D, [q(1, city, 0), q(2, ward, 5)], targets)
    assert a.share is None and a.planned  # a city quota of 0 gives no proportion
