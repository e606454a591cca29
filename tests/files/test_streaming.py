"""A large export streams: the writers hold one row at a time, whatever the number of rows."""
from __future__ import annotations

import io
import tracemalloc
import weakref
from dataclasses import replace
from datetime import date, timedelta

from bot.files.tables import write_csv, write_json
from bot.files.workbook import write_workbook
from domain.exports import Missing, Place, Stream, TeamDay
from tests.files.support import small_report


class Alive:
    """Makes rows and counts how many of those made are still alive each time one more is asked for."""

    def __init__(self, count: int) -> None:
        self.count, self.most = count, 0

    def rows(self, make):
        alive: weakref.WeakSet = weakref.WeakSet()
        for i in range(self.count):
            self.most = max(self.most, len(alive))
            row = make(i)
            alive.add(row)
            yield row
            del row

    def days(self, report):
        first = report.period.first
        return Stream(lambda: self.rows(lambda i: TeamDay(first + timedelta(days=i % 28),
                                                          Place(f"T{i:06d}", f"Tổ {i}", "team"), "Phường 1",
                                                          report.days[0].figures, 5, 4, 1)))

    def missing(self):
        return Stream(lambda: self.rows(lambda i: Missing(date(2026, 11, 21), Place(f"T{i:06d}", "Tổ", "team"),
                                                          "Phường 1", ("Nguyễn Văn An",), 5)))


def test_the_workbook_holds_one_row_at_a_time():
    report = small_report()
    days, missing = Alive(5_000), Alive(3_000)
    write_workbook(replace(report, days=days.days(report), missing=missing.missing()), io.BytesIO())
    assert days.most <= 1 and missing.most <= 1


def test_csv_and_json_hold_one_row_at_a_time():
    report = small_report()
    days = Alive(5_000)
    write_csv(replace(report, days=days.days(report)), io.StringIO())
    assert days.most <= 1
    days = Alive(5_000)
    write_json(replace(report, days=days.days(report)), io.StringIO())
    assert days.most <= 1




def test_python_memory_does_not_grow_with_the_rows_written(tmp_path):
    report = small_report()

    def peak(rows: int) -> int:
        streamed = replace(report, days=Alive(rows).days(report))
        tracemalloc.start()
        try:
            write_workbook(streamed, str(tmp_path / f"{rows}.xlsx"))  # to a file: the output is not memory
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    small, large = peak(1_000), peak(10_000)
    assert large < small * 1.5 + 256 * 1024, (small, large)
