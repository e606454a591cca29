"""Progress arithmetic: the day against its quota, totals against target, days left and the pace still needed."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    NO_GOAL = "no_goal"  # neither a target nor a phase quota to measure against
    MET = "met"  # the goal is reached
    ON_PACE = "on_pace"
    BEHIND = "behind"  # the pace now needed is above the plan's pace
    MISSED = "missed"  # no working day left and the goal not reached
    OPEN = "open"  # a goal, but no plan pace to judge the needed pace by


@dataclass(frozen=True)
class Progress:
    today: int
    daily: int | None  # the daily quota; 0 means nothing is expected
    phase_to_date: int | None
    phase_quota: int | None  # the daily quota summed over the phase's working days
    to_date: int  # since the campaign began
    target: int | None
    goal: int | None  # what the pace is measured against: the target, else the phase quota
    goal_done: int | None  # what counts toward the goal so far
    remaining: int | None  # still to do for the goal; 0 once met
    days_left: int | None  # working days left for the goal, the day measured included
    pace_needed: int | None  # per working day from the day measured on, rounded up
    status: Status

    @property
    def today_ratio(self) -> float | None:
        return _ratio(self.today, self.daily)

    @property
    def phase_ratio(self) -> float | None:
        return _ratio(self.phase_to_date, self.phase_quota)

    @property
    def target_ratio(self) -> float | None:
        return _ratio(self.to_date, self.target)

    @property
    def behind(self) -> bool:
        return self.status in (Status.BEHIND, Status.MISSED)

    @property
    def against_target(self) -> bool:
        return self.target is not None


def _ratio(done: int | None, goal: int | None) -> float | None:
    """None where there is nothing to divide by: no goal, or a goal of 0."""
    if done is None or not goal:
        return None
    return done / goal


def measure(*, today: int, daily: int | None, to_date: int, target: int | None = None,
            target_days_left: int | None = None, phase_to_date: int | None = None,
            phase_quota: int | None = None, phase_days_left: int | None = None,
            even_pace: float | None = None) -> Progress:
    """Progress for one unit and metric on one day.

    The pace is measured against the target when there is one (the total to date since the campaign
    began), else against the phase's quota total (the phase to date). Days left count the day measured
    itself, so a morning without reports yet is not already behind. The unit is behind when the pace now
    needed exceeds its daily quota, or, without a quota, the target's even pace (`even_pace`).
    """
    if target is not None:
        goal, done, days_left = target, to_date, target_days_left
    elif phase_quota is not None and phase_to_date is not None:
        goal, done, days_left = phase_quota, phase_to_date, phase_days_left
    else:
        return Progress(today, daily, phase_to_date, phase_quota, to_date, None, None, None, None, None, None,
                        Status.NO_GOAL)
    remaining = max(goal - done, 0)
    pace, status = None, Status.OPEN
    if remaining == 0:
        status = Status.MET
    elif not days_left or days_left <= 0:
        status, days_left = Status.MISSED, 0
    else:
        pace = -(-remaining // days_left)
        plan = daily if daily is not None else even_pace
        if plan is not None:
            status = Status.BEHIND if pace > plan else Status.ON_PACE
    return Progress(today, daily, phase_to_date, phase_quota, to_date, target, goal, done, remaining, days_left,
                    pace, status)
