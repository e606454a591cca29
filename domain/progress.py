"""Progress arithmetic: whether a unit is on track — done to date against what its goal required to date — and the
pace still needed. docs/quota.md says the same rule in a leader's words."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    NO_GOAL = "no_goal"  # nothing to measure against
    MET = "met"  # the goal is reached
    ON_PACE = "on_pace"  # done to date ≥ required to date
    BEHIND = "behind"  # done to date < required to date
    MISSED = "missed"  # no working day left and the goal not reached
    OPEN = "open"  # a goal, but nothing required yet to judge by (the day is not over; no start to count from)


class Goal(str, Enum):
    """What a line compares with; one line, one goal."""

    DAY = "day"  # today's quota
    PHASE = "phase"  # the daily quotas summed over the phase (each from the day it was set)
    TARGET = "target"  # the unit's own campaign target
    SHARE = "share"  # the unit's share of an ancestor's campaign target


@dataclass(frozen=True)
class Progress:
    """One unit, one metric, one goal, measured on a day."""

    kind: Goal | None
    goal: int | None
    done: int  # what counts toward the goal so far
    required: int | None  # what the goal required by now; None: nothing to judge by
    days_left: int  # working days after the days counted, to the goal's end
    status: Status

    @property
    def remaining(self) -> int:
        return max((self.goal or 0) - self.done, 0)

    @property
    def short(self) -> int:
        """How far below what was required by now."""
        return max((self.required or 0) - self.done, 0)

    @property
    def pace_needed(self) -> int | None:
        """Per working day left, rounded up, so reaching it every day reaches the goal."""
        if self.goal is None or self.remaining == 0 or self.days_left <= 0:
            return None
        return -(-self.remaining // self.days_left)

    @property
    def ratio(self) -> float | None:
        return self.done / self.goal if self.goal else None

    @property
    def behind(self) -> bool:
        return self.status in (Status.BEHIND, Status.MISSED)

    @property
    def on_track(self) -> bool:
        return self.status in (Status.ON_PACE, Status.MET)


def measure(kind: Goal | None, goal: int | None, done: int, required: int | None, days_left: int) -> Progress:
    """On track means done to date ≥ required to date. Met once the goal is reached; missed when no working day
    is left without reaching it; open (no mark) while nothing is required yet."""
    if kind is None or goal is None:
        status = Status.NO_GOAL
    elif done >= goal:
        status = Status.MET
    elif days_left <= 0:
        status = Status.MISSED
    elif not required:  # nothing required yet (the first day not over): no mark either way
        status = Status.OPEN
    else:
        status = Status.ON_PACE if done >= required else Status.BEHIND
    return Progress(kind, goal, done, required, max(days_left, 0), status)


def required_by_now(goal: int, elapsed: int, span: int) -> int:
    """A target spread evenly over its working days: what `elapsed` of the `span` days required, rounded up."""
    if span <= 0:
        return goal
    return -(-goal * min(elapsed, span) // span)
