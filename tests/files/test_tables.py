"""CSV with a byte-order mark, the reader's headers and numbers only; JSON with every list."""
from __future__ import annotations

import csv
import io
import json

import pytest

from bot.files.tables import BOM, write_csv, write_json
from domain.exports import Note
from tests.files.support import TEAMS, small_report


def _csv(report, table="days") -> tuple[str, list[list[str]]]:
    out = io.StringIO(newline="")
    write_csv(report, out, table)
    text = out.getvalue()
    return text, list(csv.reader(io.StringIO(text[len(BOM):])))


def test_csv_starts_with_a_byte_order_mark_and_vietnamese_headers():
    text, rows = _csv(small_report())
    assert text.startswith(BOM)
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert rows[0][:4] == ["Ngày", "Mã", "Tổ", "Thuộc"]
    assert rows[0][4:10] == [c.label for c in small_report().metrics]
    assert rows[1][:4] == ["2026-11-20", "P01-T1", "Tổ 1", "Khu phố 3"]


def test_csv_holds_numbers_only():
    _, rows = _csv(small_report())
    for row in rows[1:]:
        assert all(v.isdigit() for v in row[4:]), row
        assert "True" not in row and "False" not in row
    assert rows[1][4:] == ["25", "0", "0", "0", "0", "0", "5", "4", "1"]


def test_csv_in_english():
    _, rows = _csv(small_report("en"))
    assert rows[0][:4] == ["Date", "Code", "Team", "Part of"] and rows[0][4] == "Households visited"


def test_summary_csv_ends_with_the_total_equal_to_the_rows_sum():
    report = small_report()
    _, rows = _csv(report, "summary")
    n = len(report.metrics)
    body, total = rows[1:-1], rows[-1]
    assert total[:2] == ["P01", "Tổng cộng"]
    for col in range(2, 2 + 2 * n):
        assert int(total[col]) == sum(int(r[col]) for r in body)
    assert rows[0][2 + 2 * n:4 + 2 * n] == ["Kích hoạt mức 1: chỉ tiêu kỳ", "Kích hoạt mức 1: mục tiêu"]
    assert body[2][2 + 2 * n] == ""  # no quota: empty, not 0


def test_csv_text_that_excel_would_run_is_kept_as_text():
    report = small_report(notes=[Note(small_report().period.last, TEAMS[0], "@Lan", "=1+1")])
    _, rows = _csv(report, "notes")
    assert rows[1][3:] == ["'@Lan", "'=1+1"]


def test_missing_table_and_unknown_table():
    _, rows = _csv(small_report(), "missing")
    assert rows[1][4:] == ["2", "2", "Nguyễn Văn An, Trần Thị Bích"]
    with pytest.raises(ValueError):
        _csv(small_report(), "everything")


def test_json_holds_every_list_with_metric_keys():
    out = io.StringIO()
    write_json(small_report(), out)
    data = json.loads(out.getvalue())
    assert data["unit"]["code"] == "P01" and data["period"]["kind"] == "range"
    assert [r["code"] for r in data["rows"]] == ["P01-T2", "P01-T1", "P01-T3"]
    assert data["rows"][0]["figures"]["households"] == 130_464
    assert data["rows"][0]["quota"] == {"l1_activations": 1_500_000}
    assert data["total"]["figures"]["l1_activations"] == sum(r["figures"]["l1_activations"] for r in data["rows"])
    assert len(data["days"]) == 2 and data["missing"][0]["members"] == ["Nguyễn Văn An", "Trần Thị Bích"]
    assert data["notes"][0]["text"].startswith("Kiến nghị") and data["trend"] is None
