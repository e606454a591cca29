"""The cut-offs' arithmetic, without a database: times, covered days, the reporting cut-off, lateness, windows."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.cutoffs import (covered, cutoff_at, is_late, is_paused, is_reporting, occurrences, report_deadline,
                            reminder_window, reporting_cutoff, summary_kinds)
from domain.model import Unit
from domain.settings import DEFAULT_CUTOFFS, CampaignRules, Cutoff

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2026, 11, 20)
RULES = CampaignRules()
TEAM, WARD, RECAP, MONTHLY = DEFAULT_CUTOFFS


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ)


def test_a_cutoff_falls_on_its_time_in_the_campaign_timezone():
    at = cutoff_at(RULES, TEAM, DAY)
    assert at == local(DAY, 16) and at.utcoffset() == timedelta(hours=7)


def test_the_days_a_cutoff_covers():
    assert covered(TEAM, DAY) == (DAY, DAY)
    assert covered(RECAP, DAY) == (DAY - timedelta(days=1),) * 2
    assert covered(MONTHLY, date(2026, 12, 10)) == (date(2026, 11, 1), date(2026, 11, 30))
    assert covered(MONTHLY, date(2026, 3, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert covered(MONTHLY, date(2027, 1, 10)) == (date(2026, 12, 1), date(2026, 12, 31))


def test_the_reporting_cutoff_is_the_earliest_same_day_one_whatever_the_order():
    late_first = CampaignRules(cutoffs=(WARD, RECAP, TEAM, MONTHLY))
    for rules in (RULES, late_first):
        assert reporting_cutoff(rules) == TEAM
        assert is_reporting(rules, TEAM) and not is_reporting(rules, WARD) and not is_reporting(rules, RECAP)
    # The 08:00 recap and the 08:00 monthly report are earlier in the day, but neither is about that day.
    only_later = CampaignRules(cutoffs=(RECAP, MONTHLY))
    assert reporting_cutoff(only_later) is None and not is_reporting(only_later, RECAP)


def test_lateness_is_measured_against_the_reporting_cutoff_of_the_reports_own_day():
    assert report_deadline(RULES, DAY) == local(DAY, 16)
    assert not is_late(RULES, DAY, local(DAY, 16))  # at the minute itself: on time
    assert is_late(RULES, DAY, local(DAY, 16) + timedelta(seconds=1))
    assert not is_late(RULES, DAY, local(DAY, 15, 59))
    yesterday = DAY - timedelta(days=1)
    assert is_late(RULES, yesterday, local(DAY, 9))  # yesterday's figures sent this morning
    assert report_deadline(CampaignRules(cutoffs=(RECAP,)), DAY) is None
    assert not is_late(CampaignRules(cutoffs=(RECAP,)), DAY, local(DAY, 23))


def test_lateness_follows_a_reconfigured_reporting_cutoff():
    rules = CampaignRules(cutoffs=(Cutoff(name="noon", time="12:00", summary_level="ward"), WARD))
    assert reporting_cutoff(rules).name == "noon"
    assert is_late(rules, DAY, local(DAY, 12, 1)) and not is_late(rules, DAY, local(DAY, 11, 59))


def test_each_reminder_may_go_until_the_next_one_or_the_cutoff():
    assert reminder_window(RULES, TEAM, DAY, 30) == (local(DAY, 15, 30), local(DAY, 15, 50))
    assert reminder_window(RULES, TEAM, DAY, 10) == (local(DAY, 15, 50), local(DAY, 16))
    assert reminder_window(RULES, WARD, DAY, 20) == (local(DAY, 16, 40), local(DAY, 17))


def test_summary_kinds_run_from_the_summary_level_down_to_summary_to():
    assert summary_kinds(RULES, TEAM) == ("ward",)
    assert summary_kinds(RULES, RECAP) == ("city", "district", "ward")


def test_occurrences_around_a_moment_and_monthly_only_on_its_day():
    assert occurrences(TEAM, local(DAY, 10), TZ) == [local(DAY + timedelta(days=d), 16) for d in (-1, 0, 1)]
    assert occurrences(MONTHLY, local(date(2026, 12, 10), 7), TZ) == [local(date(2026, 12, 10), 8)]
    assert occurrences(MONTHLY, local(DAY, 7), TZ) == []
    # 23:30 UTC on the 19th is already the 20th in Vietnam.
    utc = datetime(2026, 11, 19, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert occurrences(TEAM, utc, TZ)[1] == local(DAY, 16)


@pytest.mark.parametrize("until, paused", [(None, False), (DAY - timedelta(days=1), False), (DAY, True),
                                           (date.max, True)])
def test_a_team_is_paused_through_its_day(until, paused):
    team = Unit(1, "T", "Tổ", "team", None, "/1/", paused_until=until)
    assert is_paused(team, DAY) is paused
