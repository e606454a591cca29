"""The leader's workbook (.xlsx) in the report's shape: "Tổng hợp", "Theo ngày", "Chưa báo cáo", "Khó khăn, kiến nghị".

The layout speaks to a `Book` of `Sheet`s written row after row, so rows stream: XlsxWriter in constant-memory
mode keeps one row in memory, whatever the report's size (benchmarks/files.py measures it against openpyxl).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import date
from typing import IO, Any, Iterator, Protocol, Sequence

import xlsxwriter

from domain.exports import Missing, Note, Report, TeamDay, UnitFigures
from domain.i18n import Messages, Translator
from bot.files.texts import child_label, note_text, made_at_text, messages, period_text, since_text, unit_name

MAX_ROWS = 1_048_576  # Excel's rows per sheet: longer tables go on in "Theo ngày (2)", …

# Excel shows "#,##0" with the grouping of the reader's Windows settings, and many Vietnamese offices run English
# ones: this shows 130.464 and 1.234.567 whatever the settings, and the cell stays a number.
VI_INTEGER = '[>=1000000]0"."000"."000;[>=1000]0"."000;0'
EN_INTEGER = "#,##0"
PERCENT = "0%"
DAY = "dd/mm/yyyy"

Cell = tuple[Any, str]  # (value, style); value None: an empty cell that keeps the style (borders)


class Sheet(Protocol):
    def row(self, cells: Sequence[Cell], *, merges: Sequence[tuple[int, int, Cell]] = (),
            height: float | None = None) -> None:
        """Write the next row; `merges`: (first column, last column, cell) spans within this row."""

    def filter(self, first_row: int, last_row: int, last_col: int) -> None:
        """An autofilter on the header row `first_row` over the table's rows (called after the rows)."""


class Book(Protocol):
    def sheet(self, name: str, *, widths: Sequence[float], freeze: tuple[int, int], repeat: tuple[int, int],
              footer: str) -> Sheet:
        """A new sheet: column widths, frozen rows and columns, header rows repeated on every printed page,
        A4 landscape fitted to the page's width."""

    def close(self) -> None: ...


class _XlsxSheet:
    def __init__(self, ws, formats: dict[str, Any]) -> None:
        self._ws, self._formats, self._row = ws, formats, 0

    def row(self, cells, *, merges=(), height=None) -> None:
        ws, fmt, r = self._ws, self._formats, self._row
        if height is not None:
            ws.set_row(r, height)
        for c, (value, style) in enumerate(cells):
            f = fmt[style]
            if value is None:
                ws.write_blank(r, c, None, f)
            elif isinstance(value, bool):  # never True/False in a leader's file
                raise TypeError("a workbook cell takes numbers, text or dates, not a truth value")
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value, f)
            elif isinstance(value, date):
                ws.write_datetime(r, c, value, f)
            else:
                ws.write_string(r, c, str(value), f)  # never write(): a name starting with "=" stays text
        for first, last, (value, style) in merges:
            ws.merge_range(r, first, r, last, value, fmt[style])
        self._row += 1

    def filter(self, first_row, last_row, last_col) -> None:
        self._ws.autofilter(first_row, 0, max(first_row, last_row), last_col)


class XlsxBook:
    """XlsxWriter, one row in memory at a time (constant_memory), to a path or a binary file object."""

    def __init__(self, out: str | IO[bytes], language: str, *, constant_memory: bool = True) -> None:
        self._wb = xlsxwriter.Workbook(out, {"constant_memory": constant_memory, "strings_to_formulas": False,
                                             "strings_to_numbers": False, "strings_to_urls": False})
        integer = VI_INTEGER if language == "vi" else EN_INTEGER
        base = {"font_name": "Arial", "font_size": 10, "valign": "vcenter"}
        cell = {**base, "border": 1}
        total = {**cell, "bold": True, "bg_color": "#F2F2F2", "top": 2}
        header = {**cell, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"}
        spec = {
            "title": {**base, "bold": True, "font_size": 14},
            "subtitle": {**base, "italic": True},
            "header": header,
            "blank_header": {**header},
            "text": cell,
            "wrap": {**cell, "text_wrap": True, "valign": "top"},
            "int": {**cell, "num_format": integer},
            "pct": {**cell, "num_format": PERCENT},
            "date": {**cell, "num_format": DAY, "align": "center"},
            "total_text": total,
            "total_int": {**total, "num_format": integer},
            "total_pct": {**total, "num_format": PERCENT},
            "empty": {**base, "italic": True, "font_color": "#595959"},
        }
        self._formats = {name: self._wb.add_format(props) for name, props in spec.items()}

    def sheet(self, name, *, widths, freeze, repeat, footer) -> Sheet:
        ws = self._wb.add_worksheet(name)
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        ws.freeze_panes(*freeze)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # one page wide, as many long as it takes
        ws.repeat_rows(*repeat)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer("&C" + footer)
        return _XlsxSheet(ws, self._formats)

    def close(self) -> None:
        self._wb.close()


def sheet_name(text: str) -> str:
    """Excel refuses []:*?/\\ in a sheet's name and cuts it at 31 characters."""
    return "".join("-" if ch in "[]:*?/\\" else ch for ch in text)[:31]


def write_workbook(report: Report, out: str | IO[bytes], *, translator: Translator | None = None,
                   book: Book | None = None) -> None:
    """Write the report as a workbook to `out` (a path or a binary file object), reading each row once.

    Raises ValueError when the rows do not add up to the report's total: a file must never disagree with itself.
    """
    t = messages(report.language, translator)
    book = book if book is not None else XlsxBook(out, report.language)
    try:
        _summary(book, report, t)
        _table(book, report, t, _DAILY)
        _table(book, report, t, _MISSING)
        _table(book, report, t, _NOTES)
    finally:
        book.close()


def workbook_bytes(report: Report, *, translator: Translator | None = None) -> bytes:
    buffer = io.BytesIO()
    write_workbook(report, buffer, translator=translator)
    return buffer.getvalue()


# "Tổng hợp" ---------------------------------------------------------------------------------------------------

def _summary_columns(report: Report, t: Messages) -> tuple[list[str], list[float], list[tuple[int, int, str]]]:
    """Headers, widths and the groups spanning them (first column, last column, label)."""
    n = len(report.metrics)
    heads = [t("files.col.no"), t("files.col.code"), child_label(report, t)]
    heads += [c.label for c in report.metrics] * 2
    groups = [(3, 2 + n, t("files.group.period")), (3 + n, 2 + 2 * n, t("files.group.to_date"))]
    col = 3 + 2 * n
    for key in report.planned:
        column = report.metrics[report.index(key)]
        heads += [t("files.col.quota"), t("files.col.quota_done"), t("files.col.target"), t("files.col.target_done")]
        groups.append((col, col + 3, t("files.group.plan", metric=column.label)))
        col += 4
    heads += [t("files.col.teams_reported"), t("files.col.teams"), t("files.col.on_time"), t("files.col.late")]
    groups.append((col, col + 3, t("files.group.reports")))
    heads.append(t("files.col.rank"))
    # As narrow as 1.234.567 and a wrapped header allow: 30 columns must fit one A4 page's width.
    widths = [5, 11, 26] + [10] * (2 * n) + [9] * (4 * len(report.planned)) + [8] * 4 + [6]
    return heads, widths, groups


def _unit_cells(report: Report, row: UnitFigures, no: int | None, total: bool) -> list[Cell]:
    s = "total_" if total else ""
    text, integer, pct = s + "text", s + "int", s + "pct"
    cells: list[Cell] = [(no, integer), (row.unit.code, text), (row.unit.name, text)]
    cells += [(v, integer) for v in row.figures]
    cells += [(v, integer) for v in row.to_date]
    for key in report.planned:
        i = report.index(key)
        cells += [(row.quota_of(i), integer), (row.quota_done(i), pct), (row.target_of(i), integer),
                  (row.target_done(i), pct)]
    cells += [(row.teams_reported, integer), (row.teams, integer), (row.on_time, integer), (row.late, integer),
              (row.rank or None, integer)]
    return cells


_TITLE_ROWS = 5  # title, period, made at, running totals since, a blank line


def _summary(book: Book, report: Report, t: Messages) -> None:
    heads, widths, groups = _summary_columns(report, t)
    group_row, head_row = _TITLE_ROWS, _TITLE_ROWS + 1
    sheet = book.sheet(sheet_name(t("files.sheet.summary")), widths=widths, freeze=(head_row + 1, 3),
                       repeat=(group_row, head_row), footer=t("files.footer"))
    _titles(sheet, [(t("files.title", unit=unit_name(report, t)), "title"),
                    (t("files.period_line", period=period_text(report.period, t)), "subtitle"),
                    (made_at_text(report, t), "subtitle"), (since_text(report, t), "subtitle"), (None, "subtitle")])
    sheet.row([(None, "blank_header")] * len(heads), merges=[(a, b, (label, "header")) for a, b, label in groups],
              height=30)
    sheet.row([(h, "header") for h in heads], height=45)
    n = len(report.metrics)
    sums = _Sums(n)
    for no, row in enumerate(report.rows, 1):
        report.check(row)
        sums.add(row)
        sheet.row(_unit_cells(report, row, no, total=False))
    sums.agree_with(report.total)
    sheet.row(_unit_cells(report, _labelled_total(report, t), None, total=True))


def _labelled_total(report: Report, t: Messages) -> UnitFigures:
    code = report.unit.code if report.unit is not None else ""
    return replace(report.total, unit=replace(report.total.unit, code=code, name=t("files.total")), rank=0)


class _Sums:
    """What the rows add up to, checked against the total the bot's summary gives."""

    def __init__(self, n: int) -> None:
        self.figures, self.to_date, self.counts = [0] * n, [0] * n, [0, 0, 0, 0]

    def add(self, row: UnitFigures) -> None:
        for i, v in enumerate(row.figures):
            self.figures[i] += v
        for i, v in enumerate(row.to_date):
            self.to_date[i] += v
        for i, v in enumerate((row.teams, row.teams_reported, row.on_time, row.late)):
            self.counts[i] += v

    def agree_with(self, total: UnitFigures) -> None:
        pairs = (("figures", self.figures, list(total.figures)), ("running totals", self.to_date, list(total.to_date)),
                 ("teams, reported, on time, late", self.counts,
                  [total.teams, total.teams_reported, total.on_time, total.late]))
        for what, rows, said in pairs:
            if rows != said:
                raise ValueError(f"the rows' {what} add up to {rows}, the total says {said}")


def _titles(sheet: Sheet, lines: Sequence[Cell]) -> None:
    for line in lines:
        sheet.row([line])


# "Theo ngày", "Chưa báo cáo", "Khó khăn, kiến nghị" ---------------------------------------------------------------

@dataclass(frozen=True)
class _Table:
    sheet_key: str
    title_key: str
    empty_key: str
    rows: str  # the report's attribute


_DAILY = _Table("files.sheet.daily", "files.title.daily", "files.none.days", "days")
_MISSING = _Table("files.sheet.missing", "files.title.missing", "files.none.missing", "missing")
_NOTES = _Table("files.sheet.notes", "files.title.notes", "files.none.notes", "notes")


def _table_columns(report: Report, t: Messages, table: _Table) -> tuple[list[str], list[float]]:
    place = [t("files.col.day"), t("files.col.code"), t("files.col.team")]
    if table is _DAILY:
        return (place + [t("files.col.parent")] + [c.label for c in report.metrics]
                + [t("files.col.members"), t("files.col.reported"), t("files.col.late")],
                [12, 14, 28, 24] + [12] * len(report.metrics) + [11, 11, 9])
    if table is _MISSING:
        return (place + [t("files.col.parent"), t("files.col.missing_count"), t("files.col.members"),
                         t("files.col.missing_names")], [12, 14, 28, 24, 12, 11, 70])
    return place + [t("files.col.member"), t("files.col.note")], [12, 14, 28, 24, 90]


def _cells(report: Report, table: _Table, row: TeamDay | Missing | Note, t: Messages) -> list[Cell]:
    place: list[Cell] = [(row.day, "date"), (row.team.code, "text"), (row.team.name, "text")]
    if table is _DAILY:
        report.check(row)
        return (place + [(row.parent, "text")] + [(v, "int") for v in row.figures]
                + [(row.members, "int"), (row.reported, "int"), (row.late, "int")])
    if table is _MISSING:
        return place + [(row.parent, "text"), (len(row.members), "int"), (row.expected, "int"),
                        (", ".join(row.members), "wrap")]
    return place + [(row.member, "text"), (note_text(row, t), "wrap")]


def _table(book: Book, report: Report, t: Messages, table: _Table) -> None:
    """A sheet of one row per team and day; past Excel's last row it goes on in a sheet of the same name, numbered."""
    heads, widths = _table_columns(report, t, table)
    title = [(t(table.title_key, unit=unit_name(report, t)), "title"),
             (t("files.period_line", period=period_text(report.period, t)), "subtitle")]
    head_row = len(title)
    rows: Iterator = iter(getattr(report, table.rows))
    part, written = 1, 0
    while True:
        name = t(table.sheet_key)
        if part > 1:
            name = t("files.sheet.continued", name=name, n=part)
        sheet = book.sheet(sheet_name(name), widths=widths, freeze=(head_row + 1, 3), repeat=(head_row, head_row),
                           footer=t("files.footer"))
        _titles(sheet, title)
        sheet.row([(h, "header") for h in heads], height=30)
        in_sheet = 0
        for row in rows:
            sheet.row(_cells(report, table, row, t))
            in_sheet += 1
            if head_row + 1 + in_sheet >= MAX_ROWS:
                break
        written += in_sheet
        if written == 0:
            sheet.row([(t(table.empty_key), "empty")])
        sheet.filter(head_row, head_row + in_sheet, len(heads) - 1)
        if head_row + 1 + in_sheet < MAX_ROWS:
            return
        part += 1
        peek = next(rows, None)
        if peek is None:
            return
        rows = _chain(peek, rows)


def _chain(first, rest: Iterator) -> Iterator:
    yield first
    yield from rest
