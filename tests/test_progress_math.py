"""Progress arithmetic: percentages, days left, the pace needed and the behind-pace flag, edge cases included."""
from __future__ import annotations

import pytest

from domain.progress import Status, measure


def test_on_pace_with_a_target_and_a_daily_quota():
    p = measure(today=400, daily=400, to_date=4000, target=12000, target_days_left=21)
    assert p.today_ratio == 1.0 and p.target_ratio == pytest.approx(1 / 3)
    assert p.remaining == 8000 and p.days_left == 21 and p.pace_needed == 381  # 380.95 rounded up
    assert p.status == Status.ON_PACE and not p.behind


def test_the_day_measured_counts_as_a_day_left_so_a_morning_without_reports_is_not_behind():
    # 9 full days done at quota, day 10 not reported yet: 8,400 left over 21 days is exactly the quota.
    p = measure(today=0, daily=400, to_date=3600, target=12000, target_days_left=21)
    assert p.pace_needed == 400 and p.status == Status.ON_PACE


def test_behind_when_the_pace_needed_exceeds_the_daily_quota():
    p = measure(today=100, daily=400, to_date=2000, target=12000, target_days_left=20)
    assert p.pace_needed == 500 and p.status == Status.BEHIND and p.behind


def test_a_target_met_or_passed_needs_no_pace():
    for to_date in (12000, 15000):
        p = measure(today=0, daily=400, to_date=to_date, target=12000, target_days_left=3)
        assert p.status == Status.MET and p.remaining == 0 and p.pace_needed is None and not p.behind
    assert measure(today=0, daily=400, to_date=15000, target=12000, target_days_left=3).target_ratio == 1.25


def test_no_days_left_and_the_target_not_met_is_missed():
    for days in (0, -4, None):
        p = measure(today=10, daily=400, to_date=11000, target=12000, target_days_left=days)
        assert p.status == Status.MISSED and p.remaining == 1000 and p.days_left == 0 and p.pace_needed is None
        assert p.behind


def test_the_last_day_needs_everything_remaining_today():
    p = measure(today=0, daily=400, to_date=11700, target=12000, target_days_left=1)
    assert p.pace_needed == 300 and p.status == Status.ON_PACE


def test_a_quota_of_zero_gives_no_percentage_and_any_remaining_target_is_behind():
    p = measure(today=5, daily=0, to_date=5, target=10, target_days_left=5)
    assert p.today_ratio is None and p.pace_needed == 1 and p.status == Status.BEHIND
    p = measure(today=5, daily=0, to_date=5, target=0, target_days_left=5)
    assert p.status == Status.MET and p.target_ratio is None


def test_without_a_target_the_phase_quota_total_is_the_goal():
    p = measure(today=300, daily=400, to_date=9999, phase_to_date=3000, phase_quota=12000, phase_days_left=20)
    assert p.goal == 12000 and p.goal_done == 3000 and p.phase_ratio == 0.25
    assert p.pace_needed == 450 and p.status == Status.BEHIND
    assert p.target is None and p.target_ratio is None


def test_a_phase_quota_of_zero_is_met_at_once():
    p = measure(today=0, daily=0, to_date=0, phase_to_date=0, phase_quota=0, phase_days_left=10)
    assert p.status == Status.MET and p.phase_ratio is None


def test_without_a_quota_the_targets_even_pace_judges():
    p = measure(today=0, daily=None, to_date=100, target=3000, target_days_left=10, even_pace=100.0)
    assert p.pace_needed == 290 and p.status == Status.BEHIND
    p = measure(today=0, daily=None, to_date=2200, target=3000, target_days_left=10, even_pace=100.0)
    assert p.pace_needed == 80 and p.status == Status.ON_PACE


def test_a_target_without_any_plan_pace_shows_the_pace_without_judging():
    p = measure(today=0, daily=None, to_date=100, target=3000, target_days_left=10)
    assert p.pace_needed == 290 and p.status == Status.OPEN and not p.behind


def test_nothing_to_measure_against():
    p = measure(today=12, daily=None, to_date=40)
    assert p.status == Status.NO_GOAL and p.pace_needed is None and p.today_ratio is None
    p = measure(today=12, daily=20, to_date=40)
    assert p.status == Status.NO_GOAL and p.today_ratio == 0.6


def test_the_pace_is_rounded_up_so_reaching_it_every_day_reaches_the_target():
    for remaining in range(1, 200):
        for days in range(1, 15):
            p = measure(today=0, daily=10**6, to_date=0, target=remaining, target_days_left=days)
            assert p.pace_needed * days >= remaining > (p.pace_needed - 1) * days
