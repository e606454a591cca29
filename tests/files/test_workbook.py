"""The workbook opened with openpyxl: sheets, titles, headers, every figure, totals, formats, layout, print setup."""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime

import openpyxl
import pytest

from bot.files import workbook
from bot.files.sample import Shape, sample_report
from bot.files.workbook import EN_INTEGER, PERCENT, VI_INTEGER, workbook_bytes
from domain.exports import Note, Stream
from tests.files.support import TEAMS, small_report

TITLE_ROWS, GROUP_ROW, HEAD_ROW = 5, 6, 7  # 1-based, as openpyxl counts


def _open(report) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(report)))


def _summary_rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(min_row=HEAD_ROW + 1, values_only=True)]


def test_sheets_titles_and_headers_in_vietnamese():
    report = small_report()
    wb = _open(report)
    assert wb.sheetnames == ["Tổng hợp", "Theo ngày", "Chưa báo cáo", "Khó khăn, kiến nghị"]
    ws = wb["Tổng hợp"]
    titles = [ws.cell(r, 1).value for r in range(1, TITLE_ROWS)]
    assert titles == ["TỔNG HỢP KẾT QUẢ — Phường Bến Nghé", "Kỳ báo cáo: từ 20/11/2026 đến 21/11/2026",
                      "Lập lúc 08:00 ngày 22/11/2026", "Lũy kế tính từ ngày 01/11/2026"]
    heads = [c.value for c in ws[HEAD_ROW]]
    labels = [c.label for c in report.metrics]
    assert heads[:3] == ["STT", "Mã", "Tổ"]
    assert heads[3:15] == labels + labels
    assert heads[15:] == ["Chỉ tiêu kỳ", "% chỉ tiêu", "Mục tiêu", "% mục tiêu", "Tổ đã báo cáo", "Tổng số tổ",
                          "Đúng hạn", "Trễ hạn", "Hạng"]
    groups = {ws.cell(GROUP_ROW, c).value for c in range(1, len(heads) + 1)} - {None}
    assert groups == {"Kết quả trong kỳ", "Lũy kế từ đầu chiến dịch", "Kích hoạt mức 1: chỉ tiêu, mục tiêu", "Báo cáo"}
    assert "D6:I6" in {str(r) for r in ws.merged_cells.ranges}


def test_every_row_holds_the_reports_figures_and_the_total_is_their_sum():
    report = small_report()
    rows = _summary_rows(_open(report)["Tổng hợp"])
    assert len(rows) == len(report.rows) + 1
    n = len(report.metrics)
    for no, (cells, row) in enumerate(zip(rows, report.rows), 1):
        assert cells[:3] == (no, row.unit.code, row.unit.name)
        assert cells[3:3 + n] == row.figures and cells[3 + n:3 + 2 * n] == row.to_date
        assert cells[3 + 2 * n] == row.quota_of(3) and cells[5 + 2 * n] == row.target_of(3)
        assert cells[-5:] == (row.teams_reported, row.teams, row.on_time, row.late, row.rank)
    assert rows[0][4 + 2 * n] == pytest.approx(1_234_567 / 1_500_000)
    assert rows[1][4 + 2 * n] is None  # a quota of 0: no share shown, never a division by zero
    assert rows[2][3 + 2 * n] is None  # no quota: an empty cell, not 0
    total = rows[-1]
    assert total[1:3] == ("P01", "Tổng cộng")
    for col in range(3, 3 + 2 * n):
        assert total[col] == sum(r[col] for r in rows[:-1])
    assert total[3:3 + n] == report.total.figures
    assert total[-5:-1] == (2, 3, 7, 1) == tuple(sum(r[c] for r in rows[:-1]) for c in range(-5, -1))
    assert total[3 + 2 * n] == 1_600_000  # the ward's own quota, not the teams' summed


def test_numbers_are_numbers_never_truth_values():
    wb = _open(small_report())
    for ws in wb:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, bool) for v in row)
    daily = list(wb["Theo ngày"].iter_rows(min_row=4, values_only=True))
    assert daily[0][:4] == (datetime(2026, 11, 20), "P01-T1", "Tổ 1", "Khu phố 3")
    assert daily[0][4] == 25 and daily[0][-3:] == (5, 4, 1)


def test_number_formats_show_vietnamese_thousands():
    ws = _open(small_report())["Tổng hợp"]
    first = HEAD_ROW + 1
    assert ws.cell(first, 4).number_format == VI_INTEGER
    assert ws.cell(first, 4).value == 130_464
    assert ws.cell(first, 3 + 12 + 2).number_format == PERCENT
    assert _open(small_report())["Theo ngày"].cell(4, 1).number_format == "dd/mm/yyyy"
    english = _open(small_report("en"))
    assert english.sheetnames == ["Summary", "By day", "Not reported", "Issues and requests"]
    assert english["Summary"].cell(first, 4).number_format == EN_INTEGER
    assert english["Summary"].cell(HEAD_ROW, 3).value == "Team"


def test_vietnamese_format_reads_as_dots_every_three_digits():
    # Excel's sections: 1.234.567 / 130.464 / 999 — each section's literal dots in their places
    millions, thousands, small = VI_INTEGER.split(";")
    assert millions.startswith("[>=1000000]") and millions.endswith('0"."000"."000')
    assert thousands == '[>=1000]0"."000' and small == "0"


def test_frozen_header_widths_and_print_setup():
    wb = _open(small_report())
    ws = wb["Tổng hợp"]
    assert ws.freeze_panes == "D8"
    assert ws.print_title_rows == "$6:$7"
    assert ws.column_dimensions["C"].width >= 20
    for sheet in wb:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToHeight == 0  # one page wide, as long as it takes
    assert wb["Theo ngày"].freeze_panes == "D4"
    assert wb["Theo ngày"].auto_filter.ref == "A3:M5"


def test_missing_and_notes_sheets():
    wb = _open(small_report())
    missing = list(wb["Chưa báo cáo"].iter_rows(min_row=3, values_only=True))
    assert missing[0] == ("Ngày", "Mã", "Tổ", "Thuộc", "Số chưa báo cáo", "Số thành viên", "Thành viên chưa báo cáo")
    assert missing[1][1:] == ("P01-T3", "Tổ 3", "Khu phố 3", 2, 2, "Nguyễn Văn An, Trần Thị Bích")
    notes = list(wb["Khó khăn, kiến nghị"].iter_rows(min_row=4, values_only=True))
    assert notes == [(datetime(2026, 11, 21), "P01-T1", "Tổ 1", "Lê Hoàng Cường", "Kiến nghị: cần thêm máy đọc CCCD.")]


def test_empty_tables_say_so():
    wb = _open(small_report(missing=[], notes=[]))
    assert wb["Chưa báo cáo"].cell(4, 1).value == "Tất cả đã báo cáo."
    assert wb["Khó khăn, kiến nghị"].cell(4, 1).value == "Không có khó khăn, kiến nghị nào trong kỳ này."


def test_text_that_looks_like_a_formula_stays_text():
    wb = _open(small_report(notes=[Note(small_report().period.last, TEAMS[0], "=HYPERLINK(\"x\")", "=1+1")]))
    cell = wb["Khó khăn, kiến nghị"].cell(4, 5)
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_rows_that_do_not_add_up_to_the_total_are_refused():
    report = small_report()
    wrong = replace(report.total, figures=(1,) + report.total.figures[1:])
    with pytest.raises(ValueError, match="add up"):
        workbook_bytes(replace(report, total=wrong))


def test_a_long_table_goes_on_in_numbered_sheets(monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 10)  # title 2 rows + header + 7 rows a sheet
    report = small_report()
    days = [replace(report.days[0], team=replace(TEAMS[0], code=f"T{i:02d}")) for i in range(16)]
    wb = _open(replace(report, days=Stream(lambda: iter(days))))
    parts = [n for n in wb.sheetnames if n.startswith("Theo ngày")]
    assert parts == ["Theo ngày", "Theo ngày (2)", "Theo ngày (3)"]
    codes = [r[1] for p in parts for r in wb[p].iter_rows(min_row=4, values_only=True)]
    assert codes == [f"T{i:02d}" for i in range(16)]


def test_a_realistic_report_adds_up():
    report = sample_report(Shape(groups=5, teams=23))
    rows = _summary_rows(_open(report)["Tổng hợp"])
    n = len(report.metrics)
    for col in range(3, 3 + 2 * n):
        assert rows[-1][col] == sum(r[col] for r in rows[:-1])
    ranks = [r[-1] for r in rows[:-1]]
    assert ranks == sorted(ranks) and ranks[0] == 1
