"""CSV and JSON of a report for the command line: numbers only, CSV with a byte-order mark and the reader's headers.

Both read each row once and write it at once, so a national export streams. Open the output as text,
`encoding="utf-8", newline=""`: the byte-order mark is written here, so Excel on Windows reads Vietnamese right.
"""
from __future__ import annotations

import csv
import json
from datetime import date
from typing import IO, Any, Iterable, Iterator

from domain.exports import Missing, Note, Report, TeamDay, UnitFigures
from domain.i18n import Messages, Translator
from bot.files.texts import child_label, note_text, messages

TABLES = ("days", "summary", "missing", "notes")
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """A name or note that Excel would run as a formula ("=HYPERLINK(…)") is kept as text."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_rows(report: Report, table: str = "days", *, translator: Translator | None = None) -> Iterator[list[Any]]:
    """The header, then one list per row: whole numbers as ints, days as YYYY-MM-DD, never True/False."""
    t = messages(report.language, translator)
    if table == "days":
        yield [t("files.col.day"), t("files.col.code"), t("files.col.team"), t("files.col.parent"),
               *(c.label for c in report.metrics), t("files.col.members"), t("files.col.reported"), t("files.col.late")]
        for d in report.days:
            report.check(d)
            yield [d.day.isoformat(), _text(d.team.code), _text(d.team.name), _text(d.parent), *d.figures,
                   d.members, d.reported, d.late]
    elif table == "summary":
        yield _summary_header(report, t)
        for row in report.rows:
            report.check(row)
            yield _summary_row(report, row, row.unit.code, row.unit.name)
        code = report.unit.code if report.unit is not None else ""
        yield _summary_row(report, report.total, code, t("files.total"))
    elif table == "missing":
        yield [t("files.col.day"), t("files.col.code"), t("files.col.team"), t("files.col.parent"),
               t("files.col.missing_count"), t("files.col.members"), t("files.col.missing_names")]
        for m in report.missing:
            yield [m.day.isoformat(), _text(m.team.code), _text(m.team.name), _text(m.parent), len(m.members),
                   m.expected, _text(", ".join(m.members))]
    elif table == "notes":
        yield [t("files.col.day"), t("files.col.code"), t("files.col.team"), t("files.col.member"), t("files.col.note")]
        for n in report.notes:
            yield [n.day.isoformat(), _text(n.team.code), _text(n.team.name), _text(n.member), _text(note_text(n, t))]
    else:
        raise ValueError(f"no table {table!r}; one of {', '.join(TABLES)}")


def _summary_header(report: Report, t: Messages) -> list[str]:
    head = [t("files.col.code"), child_label(report, t), *(c.label for c in report.metrics),
            *(t("files.csv.to_date", metric=c.label) for c in report.metrics)]
    for key in report.planned:
        label = report.metrics[report.index(key)].label
        head += [t("files.csv.quota", metric=label), t("files.csv.target", metric=label)]
    return head + [t("files.col.teams_reported"), t("files.col.teams"), t("files.col.on_time"), t("files.col.late"),
                   t("files.col.rank")]


def _summary_row(report: Report, row: UnitFigures, code: str, name: str) -> list[Any]:
    out: list[Any] = [_text(code), _text(name), *row.figures, *row.to_date]
    for key in report.planned:
        i = report.index(key)
        out += [_blank(row.quota_of(i)), _blank(row.target_of(i))]
    return out + [row.teams_reported, row.teams, row.on_time, row.late, row.rank or ""]


def _blank(value: int | None) -> Any:
    return "" if value is None else value


def write_csv(report: Report, out: IO[str], table: str = "days", *, translator: Translator | None = None) -> int:
    """Write one table as CSV after a byte-order mark; returns the rows written (the header not counted)."""
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    count = -1
    for count, row in enumerate(csv_rows(report, table, translator=translator)):
        writer.writerow(row)
    return count


def _figures(report: Report, values: Iterable[int | None]) -> dict[str, int | None]:
    return {c.key: v for c, v in zip(report.metrics, values)}


def _unit(report: Report, row: UnitFigures) -> dict[str, Any]:
    return {"code": row.unit.code, "name": row.unit.name, "kind": row.unit.kind,
            "figures": _figures(report, row.figures), "to_date": _figures(report, row.to_date),
            "quota": {k: v for k, v in _figures(report, row.quota).items() if v is not None},
            "target": {k: v for k, v in _figures(report, row.target).items() if v is not None},
            "teams": row.teams, "teams_reported": row.teams_reported, "on_time": row.on_time, "late": row.late,
            "rank": row.rank}


def _day(report: Report, d: TeamDay) -> dict[str, Any]:
    report.check(d)
    return {"day": d.day.isoformat(), "team_code": d.team.code, "team_name": d.team.name, "parent": d.parent,
            "figures": _figures(report, d.figures), "members": d.members, "reported": d.reported, "late": d.late}


def _missing(m: Missing) -> dict[str, Any]:
    return {"day": m.day.isoformat(), "team_code": m.team.code, "team_name": m.team.name, "parent": m.parent,
            "members": list(m.members), "expected": m.expected}


def _note(n: Note) -> dict[str, Any]:
    return {"day": n.day.isoformat(), "team_code": n.team.code, "team_name": n.team.name, "member": n.member,
            "text": n.text, "day_off": n.off}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def write_json(report: Report, out: IO[str]) -> None:
    """The whole report as one JSON object, keys in English (metric keys as configured), its lists streamed."""
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    head = {"unit": None if report.unit is None else {"code": report.unit.code, "name": report.unit.name,
                                                      "kind": report.unit.kind},
            "period": {"first": report.period.first.isoformat(), "last": report.period.last.isoformat(),
                       "kind": report.period.kind.value, "name": report.period.name},
            "made_at": report.made_at.isoformat(), "language": report.language, "since": _iso(report.since),
            "metrics": [{"key": c.key, "label": c.label, "short": c.short} for c in report.metrics],
            "rank_by": report.rank_by, "child_kind": report.child_kind, "planned": list(report.planned),
            "total": _unit(report, report.total)}
    out.write(dump(head)[:-1])
    for name, rows, shape in (("rows", report.rows, lambda r: _unit(report, r)),
                              ("days", report.days, lambda d: _day(report, d)),
                              ("missing", report.missing, _missing), ("notes", report.notes, _note)):
        out.write(f', "{name}": [')
        for i, row in enumerate(rows):
            out.write(("," if i else "") + "\n" + dump(shape(row)))
        out.write("]")
    trend = report.trend
    out.write(', "trend": ' + dump(None if trend is None else {
        "metric": trend.metric.key, "days": [d.isoformat() for d in trend.days], "daily": list(trend.daily),
        "cumulative": list(trend.cumulative), "target": trend.target, "target_day": _iso(trend.target_day),
        "daily_quota": list(trend.daily_quota), "pace_needed": list(trend.pace_needed)}) + "}\n")
