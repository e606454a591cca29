"""`python -m bot export`: a leader's report of a unit over a period as a workbook, CSV or JSON, from the command line.

The report is the chat's own (application.reports.collect_report), written by bot/files. Everything (no --unit)
streams: "Theo ngày" and "Chưa báo cáo" are read a root (a province) at a time while the writer writes them, in a
thread beside the event loop the reads run on, so a national month is never held in memory."""
from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from application.reports import collect_report, part_days, parts
from domain.clock import Clock, SystemClock
from domain.exports import FileKind, FileOrder, Period, Report, Stream
from domain.model import Unit
from domain.settings import CampaignRules
from storage.store import SqlStore

FORMATS = ("xlsx", "csv", "json")
PROGRESS_FROM = 20_000  # team-days: a bar on stderr from this many rows on (a province's week)


@dataclass(frozen=True)
class Asked:
    unit_code: str | None
    period: Period
    format: str
    language: str = "vi"
    table: str = "days"  # CSV: days, summary, missing or notes
    out: Path | None = None  # None: stdout (a workbook: its own name in the working directory)


async def export(store: SqlStore, rules: CampaignRules, asked: Asked, *, clock: Clock | None = None,
                 progress: bool = False, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> Path | None:
    """Write the report; returns the file written (None: stdout). LookupError: no unit of that code."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    now = (clock or SystemClock()).now()
    loop = asyncio.get_running_loop()

    async def gather(tx) -> tuple[Report, Unit | None, list[Unit | None], int]:
        unit = None
        if asked.unit_code:
            unit = await tx.units.by_code(asked.unit_code)
            if unit is None:
                raise LookupError(f"no unit has the code {asked.unit_code!r}")
        report = await collect_report(tx, rules, unit, asked.period, asked.language, now, hold_days=unit is not None)
        teams = len(await tx.units.in_subtree(unit, rules.campaign.team_kind))
        return report, unit, await parts(tx, unit), teams

    report, unit, scopes, teams = await store.read(gather)
    if unit is None:  # everything: the day rows streamed, a root at a time
        def read(scope, attr: str) -> list:
            async def work(tx):
                part = await part_days(tx, rules, scope, asked.period, report.metrics)
                return getattr(part, attr)
            return asyncio.run_coroutine_threadsafe(store.read(work), loop).result()
        report = replace(report, days=_parts(scopes, lambda s: read(s, "days")),
                         missing=_parts(scopes, lambda s: read(s, "missing")))
    rows = teams * asked.period.length
    if progress and rows >= PROGRESS_FROM:
        report = replace(report, days=_with_bar(report.days, rows, stderr))
    path = asked.out
    if asked.format == "xlsx" and path is None:
        path = Path(FileOrder(FileKind.WORKBOOK, asked.unit_code or "", asked.period, asked.language, now).file_name)
    await asyncio.to_thread(_write, report, asked, path, stdout)
    return path


def _write(report: Report, asked: Asked, path: Path | None, stdout: IO[str]) -> None:
    from bot.files.tables import write_csv, write_json
    from bot.files.workbook import write_workbook

    if asked.format == "xlsx":
        write_workbook(report, str(path))
        return
    out = open(path, "w", encoding="utf-8", newline="") if path is not None else stdout
    try:
        if asked.format == "csv":
            write_csv(report, out, asked.table)
        else:
            write_json(report, out)
    finally:
        if path is not None:
            out.close()


def _parts(scopes: list, read: Callable[[object], list]) -> Stream:
    def rows() -> Iterator:
        for scope in scopes:
            yield from read(scope)
    return Stream(rows)


def _with_bar(rows: Iterable, total: int, stderr: IO[str]) -> Stream:
    from tqdm import tqdm

    return Stream(lambda: tqdm(iter(rows), total=total, file=stderr, unit=" rows", unit_scale=True, leave=False))
