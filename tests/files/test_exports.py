"""The neutral report: periods, figures in metric order, the trend's pace as /progress measures it, ranking."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from domain.exports import (Period, PeriodKind, Place, Stream, UnitFigures, figures, goals, ranking, ratio,
                            trend)
from domain.plans import Phase, working_days
from domain.progress import Goal, measure
from tests.files.support import columns, small_report


def test_periods_say_what_they_are():
    assert Period.between(date(2026, 11, 21), date(2026, 11, 21)).kind == PeriodKind.DAY
    assert Period.between(date(2026, 11, 1), date(2026, 11, 30)).kind == PeriodKind.MONTH
    assert Period.between(date(2026, 11, 1), date(2026, 11, 29)).kind == PeriodKind.RANGE
    feb = Period.month(2024, 2)
    assert (feb.first, feb.last, feb.length) == (date(2024, 2, 1), date(2024, 2, 29), 29)
    assert list(Period.between(date(2026, 12, 30), date(2027, 1, 2)).days())[-1] == date(2027, 1, 2)
    phase = Period.of_phase(Phase(1, "Giai đoạn 1", date(2023, 6, 1), date(2023, 6, 25)))
    assert (phase.kind, phase.name, phase.length) == (PeriodKind.PHASE, "Giai đoạn 1", 25)
    with pytest.raises(ValueError):
        Period(date(2026, 11, 2), date(2026, 11, 1))


def test_figures_follow_the_metric_order_and_goals_keep_none():
    cols = columns()
    assert [c.key for c in cols][:2] == ["households", "installs"]
    assert figures(cols, {"installs": 3, "households": 5}) == (5, 3, 0, 0, 0, 0)
    assert goals(cols, {"l1_activations": 0, "households": None}) == (None, None, None, 0, None, None)
    assert ratio(5, None) is None and ratio(5, 0) is None and ratio(5, 10) == 0.5


def test_a_row_knows_its_share_done():
    row = small_report().rows[0]
    assert row.quota_done(3) == pytest.approx(1_234_567 / 1_500_000)
    assert row.target_done(3) == pytest.approx(1_300_000 / 2_000_000)
    assert row.quota_done(0) is None  # no quota for households
    assert small_report().rows[1].quota_done(3) is None  # a quota of 0: nothing to divide by


def test_the_trend_pace_is_what_progress_measures_each_day():
    cols = columns()
    days = [date(2023, 6, d) for d in range(19, 24)]  # Mon 19 … Fri 23 June 2023
    daily = [1000, 1200, 0, 900, 1500]
    sunday_off = lambda d: d.weekday() == 6  # noqa: E731
    tr = trend(cols[3], days, daily, 50_000, target=130_464, target_day=date(2023, 6, 25),
               daily_quota=[1000] * 5, is_day_off=sunday_off)
    assert tr.cumulative == (51_000, 52_200, 52_200, 53_100, 54_600)
    for i, d in enumerate(days):
        left = len(working_days(d + timedelta(days=1), date(2023, 6, 25), sunday_off))  # each day once it is over
        expected = measure(Goal.TARGET, 130_464, tr.cumulative[i], None, left).pace_needed
        assert tr.pace_needed[i] == expected
    assert tr.pace_needed[-1] == 130_464 - 54_600  # after Friday, Saturday is left; Sunday is off
    assert trend(cols[3], days, daily, 0).pace_needed == ()  # no target: no pace


def test_a_trend_needs_one_value_per_day():
    with pytest.raises(ValueError):
        trend(columns()[3], [date(2023, 6, 1)], [1, 2], 0)


def test_ranking_shares_ranks_on_ties_and_keeps_order():
    cols = columns()
    rows = [UnitFigures(Place(c, c, "team"), figures(cols, {"households": v}), figures(cols, {}))
            for c, v in (("A", 5), ("B", 9), ("C", 5), ("D", 1))]
    assert [(r.name, r.rank) for r in ranking(rows, 0)] == [("B", 1), ("A", 2), ("C", 2), ("D", 4)]


def test_a_report_refuses_figures_that_do_not_line_up():
    report = small_report()
    short = replace(report.rows[0], figures=(1, 2, 3))
    with pytest.raises(ValueError, match="figures for"):
        small_report(rows=[short])
    with pytest.raises(ValueError, match="rank_by"):
        small_report(rank_by="nothing")
    with pytest.raises(ValueError, match="planned"):
        small_report(planned=("nothing",))


def test_a_stream_is_read_afresh_and_materialized_holds_it():
    made = []

    def rows():
        made.append(1)
        yield from small_report().days
    report = small_report(days=Stream(rows))
    assert len(list(report.days)) == 2 and len(list(report.days)) == 2 and len(made) == 2
    held = report.materialized()
    assert isinstance(held.days, tuple) and len(held.days) == 2
