"""The files benchmark's candidates still build the same layout (numbers are never asserted)."""
from __future__ import annotations

from datetime import date

import pytest

from benchmarks import files
from bot.files.sample import Shape
from domain.exports import Period

TINY = Shape(groups=2, teams=4, period=Period.between(date(2023, 6, 1), date(2023, 6, 3)))


@pytest.mark.parametrize("candidate", list(files._candidates()))
def test_each_candidate_writes_the_workbook(candidate):
    measured = files._build(candidate, TINY)
    assert measured["rows"] > 0 and measured["bytes"] > 0


def test_the_streamed_national_export_counts_its_rows():
    report, rows = files._national(TINY, 1)
    assert rows == sum(1 for _ in report.days) + sum(1 for _ in report.missing) + sum(1 for _ in report.notes)
    assert rows > 0


def test_the_province_through_the_bot_runs_and_members_are_answered_meanwhile():
    measured = files._through_the_bot(members=200, days=2, rate=50.0, rounds=1, idle=0.2)
    assert measured["rows"] == 40 * 2 and len(measured["make_s"]) == 1
    assert measured["idle"][0] and all(ms > 0 for ms in measured["idle"][0])
