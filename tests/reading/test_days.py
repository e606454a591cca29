"""The day reader: stated days, the policy of how far back, and never a figure under a day not stated."""
from __future__ import annotations

from datetime import date

import pytest

from domain.reading import Policy, read
from domain.reading.days import day_month, day_of_month, weekday_back
from domain.settings import DEFAULT_METRICS, Campaign

TODAY = date(2026, 12, 5)  # a Saturday


def day_of(text: str, policy: Policy = Policy(days_back=7), today: date = TODAY):
    r = read(text, DEFAULT_METRICS, today, policy)
    assert r.error is None and not r.questions, (text, r.error, r.questions)
    assert r.figures == {"households": 20}
    return r.day, r.day_stated


@pytest.mark.parametrize("text, day", [
    ("ngày 4/12: hộ 20", date(2026, 12, 4)), ("04/12/2026 hộ 20", date(2026, 12, 4)),
    ("4-12: hộ 20", date(2026, 12, 4)),
    ("2026-12-04 hộ 20", date(2026, 12, 4)), ("ngày 4 tháng 12: 20 hộ", date(2026, 12, 4)), ("ngày 5: 20 hộ", TODAY),
    ("hôm nay 20 hộ", TODAY), ("sáng nay 20 hộ", TODAY), ("hnay 20 hộ", TODAY), ("BC 5/12: hộ 20", TODAY),
    ("hôm qua 20 hộ", date(2026, 12, 4)), ("hqua 20 ho", date(2026, 12, 4)), ("hom wa 20 ho", date(2026, 12, 4)),
    ("tối qua 20 hộ", date(2026, 12, 4)), ("yesterday 20 households", date(2026, 12, 4)),
    ("hôm kia 20 hộ", date(2026, 12, 3)), ("thứ 6 được 20 hộ", date(2026, 12, 4)),
    ("thứ sáu: hộ 20", date(2026, 12, 4)),
    ("thu 6 ho 20", date(2026, 12, 4)), ("Thứ 7 hộ 20", TODAY), ("chủ nhật 20 hộ", date(2026, 11, 29)),
    ("thứ 2 đi 20 hộ", date(2026, 11, 30)), ("20 hộ hôm qua", date(2026, 12, 4)), ("hộ 20 (4/12)", date(2026, 12, 4)),
])
def test_a_stated_day_decides_the_day(text, day):
    assert day_of(text) == (day, True)


def test_no_day_said_is_today():
    assert day_of("hộ 20") == (TODAY, False)


def test_how_far_back_is_the_policy():
    assert read("hôm qua 20 hộ", DEFAULT_METRICS, TODAY, Policy(days_back=1)).error is None
    old = read("hôm kia 20 hộ", DEFAULT_METRICS, TODAY, Policy(days_back=1)).error
    assert old.key == "reading.error.too_old" and old.values == {"day": date(2026, 12, 3), "oldest": date(2026, 12, 4)}
    only = read("hôm qua 20 hộ", DEFAULT_METRICS, TODAY, Policy(days_back=0)).error
    assert only.key == "reading.error.today_only"
    assert Campaign(allow_yesterday=False, report_days_back=3).days_back == 0
    assert Campaign(report_days_back=3).days_back == 3


def test_a_day_to_come_is_refused_and_a_plan_is_no_report():
    future = read("ngày 6/12 hộ 20", DEFAULT_METRICS, TODAY).error
    assert future.key == "reading.error.future" and future.values["day"] == date(2026, 12, 6)
    plan = read("ngày mai đi 20 hộ", DEFAULT_METRICS, TODAY)  # a plan: no figures, and the bot says it saw none
    assert plan.error is None and not plan.figures and [q.kind for q in plan.questions] == ["no_figures"]
    assert dict(read("đi 25 hộ. Ngày mai đi tiếp khu phố 4", DEFAULT_METRICS, TODAY).figures) == {"households": 25}


@pytest.mark.parametrize("text", ["hôm qua 10 hộ, hôm nay 15 hộ", "4/12 20 hộ, 5/12 25 hộ", "hôm nay 4/12 20 hộ"])
def test_figures_are_never_stored_under_a_day_other_than_the_one_stated(text):
    r = read(text, DEFAULT_METRICS, TODAY)
    assert any(q.kind == "which_day" for q in r.questions)


def test_vague_days_and_periods_are_refused():
    assert read("hôm trước đi 20 hộ", DEFAULT_METRICS, TODAY).error.key == "reading.error.vague_day"
    assert read("tuần này đi 120 hộ", DEFAULT_METRICS, TODAY).error.key == "reading.error.period"
    assert read("31/11: hộ 20", DEFAULT_METRICS, TODAY).error.key == "reading.error.bad_date"


def test_day_arithmetic():
    assert weekday_back(TODAY, 5) == TODAY and weekday_back(TODAY, 4) == date(2026, 12, 4)
    assert weekday_back(TODAY, 6) == date(2026, 11, 29)
    assert day_month(date(2027, 1, 2), 31, 12) == date(2026, 12, 31)  # over the new year
    assert day_month(TODAY, 4, 12) == date(2026, 12, 4) and day_month(TODAY, 31, 2) is None
    assert day_of_month(TODAY, 30) == date(2026, 11, 30) and day_of_month(TODAY, 3) == date(2026, 12, 3)
