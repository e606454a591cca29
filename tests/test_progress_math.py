"""Progress arithmetic: on track means done to date ≥ what the goal required to date; the pace still needed,
rounded up; met, missed and open."""
from __future__ import annotations

import pytest

from domain.progress import Goal, Status, measure, required_by_now


def test_on_track_at_exactly_what_was_required_and_behind_one_below():
    assert measure(Goal.PHASE, 12000, 4000, 4000, 20).status == Status.ON_PACE
    p = measure(Goal.PHASE, 12000, 3999, 4000, 20)
    assert p.status == Status.BEHIND and p.behind and not p.on_track and p.short == 1
    assert p.pace_needed == 401  # 8,001 over 20 days, rounded up


def test_nothing_required_yet_is_open_not_on_track():
    p = measure(Goal.DAY, 1234, 0, None, 1)  # today, before the cut-off
    assert measure(Goal.PHASE, 1234, 0, 0, 10).status == Status.OPEN  # set today: nothing required yet
    assert p.status == Status.OPEN and not p.on_track and not p.behind


def test_a_goal_met_or_passed_needs_no_pace():
    for done in (12000, 15000):
        p = measure(Goal.TARGET, 12000, done, 4000, 3)
        assert p.status == Status.MET and p.remaining == 0 and p.pace_needed is None and p.on_track
    assert measure(Goal.TARGET, 12000, 15000, 4000, 3).ratio == 1.25


def test_no_days_left_and_the_goal_not_met_is_missed():
    p = measure(Goal.TARGET, 12000, 11000, 12000, 0)
    assert p.status == Status.MISSED and p.remaining == 1000 and p.pace_needed is None and p.behind


def test_a_goal_of_zero_is_met_at_once_and_has_no_percentage():
    p = measure(Goal.PHASE, 0, 0, 0, 10)
    assert p.status == Status.MET and p.ratio is None


def test_nothing_to_measure_against():
    p = measure(None, None, 0, None, 0)
    assert p.status == Status.NO_GOAL and p.pace_needed is None and not p.on_track


def test_a_target_spread_evenly_requires_its_share_of_the_days_gone_rounded_up():
    assert required_by_now(12000, 10, 30) == 4000
    assert required_by_now(100, 1, 3) == 34
    assert required_by_now(100, 40, 30) == 100 and required_by_now(100, 0, 30) == 0


def test_the_pace_is_rounded_up_so_reaching_it_every_day_reaches_the_goal():
    for remaining in range(1, 200):
        for days in range(1, 15):
            p = measure(Goal.TARGET, remaining, 0, 0, days)
            assert p.pace_needed * days >= remaining > (p.pace_needed - 1) * days


@pytest.mark.parametrize("done, status", [(25, Status.BEHIND), (26, Status.ON_PACE), (230, Status.MET)])
def test_the_mark_turns_at_what_was_required(done, status):
    assert measure(Goal.PHASE, 230, done, 26, 5).status == status
