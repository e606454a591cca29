"""Leaders' files measured (issue 14): the province month's workbook with each candidate library, a national export
streaming, each chart, the event loop's lateness while a workbook builds in a thread or a process, and (e) a
generated province's month made through the bot's own path while members' reports are answered.

    python -m benchmarks.files [--quick] [--sections=abcde]

Every build runs in a fresh child process: time is the build's wall time in it, memory the peak resident size
above what the child held once the report was made (Linux: /proc/self/clear_refs resets the peak, VmHWM reads it),
so the report's own rows and the imports are not counted, everything the library allocates is, C included.
"""
from __future__ import annotations

import asyncio
import functools
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from dataclasses import replace
from datetime import date
from multiprocessing import get_context
from typing import Any, Callable, Iterator

from bot.files.sample import Shape, province_month, sample_report
from domain.exports import Missing, Note, Period, Place, Report, Stream, TeamDay

NATIONAL_TEAMS = 77_000
print = functools.partial(print, flush=True)  # noqa: A001  (a long run shows each line as it comes)


# A candidate not chosen, measured through the same layout: openpyxl, in its default and write-only modes.

class _OpenpyxlSheet:
    def __init__(self, ws, styles: dict, write_only: bool) -> None:
        self._ws, self._styles, self._write_only, self._row = ws, styles, write_only, 0

    def row(self, cells, *, merges=(), height=None) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter

        self._row += 1
        if height is not None:
            self._ws.row_dimensions[self._row].height = height
        if self._write_only:
            out = []
            for value, style in cells:
                cell = WriteOnlyCell(self._ws, value=value)
                _style(cell, self._styles[style])
                out.append(cell)
            self._ws.append(out)
        else:
            self._ws.append([value for value, _ in cells])
            for c, (_, style) in enumerate(cells, 1):
                _style(self._ws.cell(self._row, c), self._styles[style])
        for first, last, (value, style) in merges:
            self._ws.merged_cells.add(f"{get_column_letter(first + 1)}{self._row}:{get_column_letter(last + 1)}{self._row}")
            if not self._write_only:
                self._ws.cell(self._row, first + 1).value = value

    def filter(self, first_row, last_row, last_col) -> None:
        from openpyxl.utils import get_column_letter

        self._ws.auto_filter.ref = f"A{first_row + 1}:{get_column_letter(last_col + 1)}{max(first_row, last_row) + 1}"


def _style(cell, style) -> None:
    font, fill, border, alignment, number_format = style
    cell.font, cell.border, cell.alignment, cell.number_format = font, border, alignment, number_format
    if fill is not None:
        cell.fill = fill


class OpenpyxlBook:
    def __init__(self, out: str, language: str, *, write_only: bool) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        from bot.files.workbook import DAY, EN_INTEGER, PERCENT, VI_INTEGER

        self._out, self._write_only = out, write_only
        self._wb = Workbook(write_only=write_only)
        if not write_only:
            self._wb.remove(self._wb.active)
        thin = Side(style="thin")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        integer = VI_INTEGER if language == "vi" else EN_INTEGER
        plain, bold = Font(name="Arial", size=10), Font(name="Arial", size=10, bold=True)
        head_fill, total_fill = PatternFill("solid", fgColor="DDEBF7"), PatternFill("solid", fgColor="F2F2F2")
        centre, wrap = Alignment(horizontal="center", vertical="center", wrap_text=True), Alignment(wrap_text=True)
        none = Alignment()
        self._styles = {
            "title": (Font(name="Arial", size=14, bold=True), None, Border(), none, "General"),
            "subtitle": (Font(name="Arial", size=10, italic=True), None, Border(), none, "General"),
            "header": (bold, head_fill, box, centre, "General"), "blank_header": (bold, head_fill, box, centre, "General"),
            "text": (plain, None, box, none, "General"), "wrap": (plain, None, box, wrap, "General"),
            "int": (plain, None, box, none, integer), "pct": (plain, None, box, none, PERCENT),
            "date": (plain, None, box, none, DAY), "total_text": (bold, total_fill, box, none, "General"),
            "total_int": (bold, total_fill, box, none, integer), "total_pct": (bold, total_fill, box, none, PERCENT),
            "empty": (Font(name="Arial", size=10, italic=True), None, Border(), none, "General")}

    def sheet(self, name, *, widths, freeze, repeat, footer):
        from openpyxl.utils import get_column_letter

        ws = self._wb.create_sheet(name)
        for c, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = f"{get_column_letter(freeze[1] + 1)}{freeze[0] + 1}"
        ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", 9
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_title_rows = f"{repeat[0] + 1}:{repeat[1] + 1}"
        ws.oddFooter.center.text = footer
        return _OpenpyxlSheet(ws, self._styles, self._write_only)

    def close(self) -> None:
        self._wb.save(self._out)


def _candidates() -> dict[str, Callable[[str, str], Any]]:
    from bot.files.workbook import XlsxBook

    return {
        "openpyxl, default mode (baseline)": lambda out, lang: OpenpyxlBook(out, lang, write_only=False),
        "openpyxl, write-only mode": lambda out, lang: OpenpyxlBook(out, lang, write_only=True),
        "XlsxWriter, in memory": lambda out, lang: XlsxBook(out, lang, constant_memory=False),
        "XlsxWriter, constant_memory (chosen)": lambda out, lang: XlsxBook(out, lang, constant_memory=True),
    }


# Measuring in a child process -------------------------------------------------------------------------------

def _status(field: str) -> int:
    """A /proc/self/status size, in bytes."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _national(shape: Shape, days: int) -> tuple[Report, int]:
    """A national export of `days` days, streamed: the province's rows replayed for every province, made afresh
    on each read and never held (the province's own rows, held once, are the only rows in memory)."""
    base = sample_report(replace(shape, period=Period.between(shape.period.first,
                                                             date.fromordinal(shape.period.first.toordinal() + days - 1))))
    provinces = NATIONAL_TEAMS // shape.teams
    held_days, held_missing, held_notes = list(base.days), list(base.missing), list(base.notes)

    def again(rows: list, remake: Callable) -> Stream:
        def stream() -> Iterator:
            for p in range(provinces):
                for r in rows:
                    yield remake(r, p)
        return Stream(stream)

    def place(team: Place, p: int) -> Place:
        return Place(f"P{p:02d}-{team.code}", team.name, team.kind)

    rows = provinces * (len(held_days) + len(held_missing) + len(held_notes))
    return replace(base, unit=None, child_kind="province",
                   days=again(held_days, lambda r, p: TeamDay(r.day, place(r.team, p), r.parent, r.figures,
                                                              r.members, r.reported, r.late)),
                   missing=again(held_missing, lambda r, p: Missing(r.day, place(r.team, p), r.parent, r.members,
                                                                   r.expected)),
                   notes=again(held_notes, lambda r, p: Note(r.day, place(r.team, p), r.member, r.text))), rows


def _build(candidate: str, shape: Shape, national_days: int = 0) -> dict:
    import openpyxl  # noqa: F401  (imports are not timed)

    from bot.files.workbook import write_workbook

    if national_days:
        report, rows = _national(shape, national_days)
    else:
        report = sample_report(shape)
        rows = len(report.days) + len(report.missing) + len(report.notes)
    make = _candidates()[candidate]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.xlsx")
        before, exact = _status("VmRSS"), _reset_peak()
        start = time.perf_counter()
        write_workbook(report, path, book=make(path, report.language))
        seconds = time.perf_counter() - start
        peak = _status("VmHWM")
        size = os.path.getsize(path)
    return {"seconds": seconds, "extra_mb": (peak - before) / 2**20, "exact": exact, "rows": rows, "bytes": size}


def _charts(shape: Shape, repeat: int) -> dict:
    start = time.perf_counter()
    from bot.files import charts

    imported = time.perf_counter() - start
    report = sample_report(shape)
    start = time.perf_counter()
    charts.cumulative_chart(report)
    first = time.perf_counter() - start
    out = {"import_s": imported, "first_figure_s": first}
    for name in ("cumulative_chart", "daily_chart", "ranking_chart"):
        fn = getattr(charts, name)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            png = fn(report)
            times.append(time.perf_counter() - start)
        out[name] = {"median_s": statistics.median(times), "max_s": max(times), "bytes": len(png)}
    return out


def _in_child(fn: Callable, *args) -> Any:
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


# The event loop while a workbook builds -----------------------------------------------------------------------

async def _lateness(build: Callable | None, tick: float = 0.005, work_ms: float = 0.5) -> dict:
    """A coroutine that wakes every `tick` seconds and does `work_ms` of Python (a member's report to answer),
    measuring how late each wake-up is while `build()` runs (or for 2 s idle)."""
    lags: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            due = time.perf_counter() + tick
            await asyncio.sleep(tick)
            lags.append(time.perf_counter() - due)
            end = time.perf_counter() + work_ms / 1000
            while time.perf_counter() < end:
                pass

    task = asyncio.create_task(ticker())
    await asyncio.sleep(2 * tick)  # the ticker is waiting on its first tick when the build begins
    start = time.perf_counter()
    if build is None:
        await asyncio.sleep(2)
    else:
        await build()
    seconds = time.perf_counter() - start
    done.set()
    await task
    lags.sort() if lags else lags.append(0.0)
    return {"build_s": seconds, "ticks": len(lags), "p50_ms": 1000 * lags[len(lags) // 2],
            "p99_ms": 1000 * lags[min(len(lags) - 1, int(len(lags) * 0.99))], "max_ms": 1000 * lags[-1]}


def _loop_latency(shape: Shape, rounds: int) -> dict:
    """Each way of building, `rounds` times in turn (the machine's other load changes meanwhile); per way, the
    median over the rounds of each figure."""
    from bot.files.build import FileBuilder
    from bot.files.workbook import workbook_bytes

    report = sample_report(shape)

    async def main() -> dict[str, list[dict]]:
        builders = {mode: FileBuilder(mode=mode) for mode in ("thread", "process")}
        for builder in builders.values():
            await builder.start()  # the worker is up before the leader asks, as at the bot's start
        out: dict[str, list[dict]] = {}
        for _ in range(rounds):
            out.setdefault("idle", []).append(await _lateness(None))

            async def inline() -> None:
                workbook_bytes(report)
            out.setdefault("on the loop (blocking)", []).append(await _lateness(inline))
            for mode, builder in builders.items():
                async def build() -> None:
                    await builder.workbook(report)
                out.setdefault(f"FileBuilder, {mode}", []).append(await _lateness(build))
        for builder in builders.values():
            await builder.close()
        return out
    measured = asyncio.run(main())
    return {name: {key: statistics.median(m[key] for m in runs) for key in runs[0]} | {"rounds": runs}
            for name, runs in measured.items()}


# Through the bot: a province's month gathered from the database and built, members reporting meanwhile ----------

def _province(members: int, days: int) -> tuple:
    """A generated province (benchmarks/campaign.py: 8 teams a ward, 15 wards a district, 10 districts) of
    `members` members and `days` days of entries, in a temporary SQLite database."""
    from benchmarks.campaign import Shape as CampaignShape, generate

    tmp = tempfile.mkdtemp(prefix="baocao-files-")
    path = os.path.join(tmp, "province.db")
    shape = CampaignShape(members=members, days=days, first_day=date(2026, 10, 1))

    async def migrate() -> None:
        from storage.migrate import upgrade
        from storage.store import SqlStore

        store = SqlStore.from_url(f"sqlite:///{path}")
        await upgrade(store.engine)
        await store.close()
    asyncio.run(migrate())
    return tmp, generate(Path(path), shape)


def _through_the_bot(members: int, days: int, rate: float, rounds: int, idle: float = 4.0) -> dict:
    """The province's month through the bot's own path (FileMaker.make: the worker process gathers it with
    collect_report in a read transaction of its own, then builds), timed; collect_report alone on the bot's loop
    (what the worker spares it); and members' reports answered by the real dispatcher, arriving at `rate` a
    second, while the file is made and while nothing is (the baseline, in the same run)."""
    import random

    from application.reports import collect_report
    from benchmarks.campaign import clock_for
    from benchmarks.reports import Volunteers, dispatcher_for, report
    from bot.files.build import FileBuilder, Source
    from bot.files.maker import FileMaker
    from bot.files.shelf import Shelf
    from domain.exports import FileKind, FileOrder
    from domain.settings import CampaignRules
    from storage.store import SqlStore

    tmp, campaign = _province(members, days)
    rules = CampaignRules()
    month = Period.between(campaign.shape.first_day, campaign.shape.last_day)

    async def main() -> dict:
        clock = clock_for(campaign.path)
        store = SqlStore.from_url(f"sqlite:///{campaign.path}", clock)
        maker = FileMaker(Shelf(os.path.join(tmp, "files"), clock, 24),
                          FileBuilder(source=Source(f"sqlite:///{campaign.path}", rules)))
        await maker.builder.start()
        dispatcher = dispatcher_for(store, clock, rules)
        volunteers = Volunteers(campaign.reporters())
        out: dict[str, list] = {"gather_s": [], "make_s": [], "idle": [], "building": []}
        made = 0

        async def reports_while(work) -> list[float]:
            """Reports arriving at `rate` a second (Poisson) until `work` is done; each one's latency, ms."""
            latencies: list[float] = []
            rnd = random.Random(made)
            task = asyncio.ensure_future(work)
            sending: list[asyncio.Task] = []

            async def one() -> None:
                r = await report(dispatcher, clock, volunteers.next(), volunteers)
                latencies.extend((1000 * r.preview_s, 1000 * r.confirm_s))
            while not task.done():
                sending.append(asyncio.create_task(one()))
                await asyncio.wait({task}, timeout=rnd.expovariate(rate))
            await asyncio.gather(task, *sending)
            return latencies

        async def province(tx):
            return await collect_report(tx, rules, await tx.units.by_code(campaign.province_code), month, "vi",
                                        clock.now())
        for _ in range(3):  # warm: the worker, SQLite's cache, the dispatcher's
            await report(dispatcher, clock, volunteers.next(), volunteers)
        for _ in range(rounds):
            start = time.perf_counter()
            report_ = await store.read(province)
            out["gather_s"].append(time.perf_counter() - start)
            rows = len(report_.days)
            del report_
            out["idle"].append(await reports_while(asyncio.sleep(out["gather_s"][-1] + idle)))
            made += 1
            order = FileOrder(FileKind.WORKBOOK, campaign.province_code, month, "vi",
                              clock.now().replace(microsecond=made))  # a fresh order: built again

            async def make() -> None:
                begin = time.perf_counter()
                await maker.make(order)
                out["make_s"].append(time.perf_counter() - begin)
            out["building"].append(await reports_while(make()))
        await maker.close()
        await store.close()
        return {**out, "rows": rows}

    try:
        return asyncio.run(main())
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def _latencies(runs: list[list[float]]) -> dict:
    values = sorted(v for run in runs for v in run)
    if not values:
        return {"n": 0, "p50_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    return {"n": len(values), "p50_ms": values[len(values) // 2],
            "p99_ms": values[min(len(values) - 1, int(len(values) * 0.99))], "max_ms": values[-1]}


# The run -----------------------------------------------------------------------------------------------------

def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f} at start")


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f}  {min(values):6.2f}–{max(values):<6.2f}"


SECTIONS = "abcde"


def run(quick: bool = False, sections: str = SECTIONS) -> dict:
    """Measure, print a table, and return the numbers; `sections`: which of (a)-(e)."""
    shape = Shape(teams=200, groups=17, period=Period.month(2023, 5), since=date(2023, 4, 15)) if quick \
        else province_month()
    runs = 1 if quick else 5
    results: dict[str, Any] = {"machine": _machine(), "shape": f"{shape.teams} teams × {shape.period.length} days"}
    print("baocao files benchmark (issue 14)")
    print(f"machine: {results['machine']}")
    if "a" in sections or "b" in sections or "c" in sections:
        _libraries(results, shape, runs, quick, sections)
    rounds = 1 if quick else 3
    if "d" in sections:
        _loop(results, shape, rounds)
    if "e" in sections:
        _bot(results, quick, rounds)
    return results


def _libraries(results: dict, shape: Shape, runs: int, quick: bool, sections: str) -> None:
    if "a" in sections:
        _workbooks(results, shape, runs)
    if "b" in sections:
        _streamed(results, shape, quick)
    if "c" in sections:
        _pictures(results, shape, quick)


def _workbooks(results: dict, shape: Shape, runs: int) -> None:
    sample = sample_report(shape)
    print(f"(a) workbook of {shape.unit.name}, {shape.teams:,} teams × {shape.period.length} days: "
          f"{len(sample.days):,} day rows, {len(sample.missing):,} missing rows, {len(sample.notes):,} notes; "
          f"{runs} run(s) each in a fresh process")
    print(f"    {'library':<40} {'seconds (median  min–max)':>27} {'extra MB (median  min–max)':>28} {'file MB':>8}")
    books: dict[str, Any] = {}
    for candidate in _candidates():
        measured = [_in_child(_build, candidate, shape) for _ in range(runs)]
        books[candidate] = measured
        print(f"    {candidate:<40} {_spread([m['seconds'] for m in measured]):>27} "
              f"{_spread([m['extra_mb'] for m in measured]):>28} {measured[0]['bytes'] / 2**20:8.1f}")
    results["workbook"] = books


def _streamed(results: dict, shape: Shape, quick: bool) -> None:
    chosen = "XlsxWriter, constant_memory (chosen)"
    national_days = (1,) if quick else (1, 7)
    national_shape = replace(shape, period=Period.between(shape.period.first, shape.period.first))
    print(f"(b) a national export streamed ({NATIONAL_TEAMS:,} teams: the province's rows replayed per province, "
          f"made on reading), {chosen}")
    results["national"] = {}
    for days in national_days:
        m = _in_child(_build, chosen, national_shape, days)
        results["national"][days] = m
        print(f"    {days} day(s): {m['rows']:,} rows in {m['seconds']:.1f} s, {m['extra_mb']:.0f} MB extra, "
              f"{m['bytes'] / 2**20:.0f} MB file")


def _pictures(results: dict, shape: Shape, quick: bool) -> None:
    print(f"(c) charts of the same report (PNG, matplotlib Agg), in a fresh process, median of {3 if quick else 10}")
    c = _in_child(_charts, shape, 3 if quick else 10)
    results["charts"] = c
    print(f"    import matplotlib and the chart module {c['import_s']:.2f} s; first figure {c['first_figure_s']:.2f} s")
    for name in ("cumulative_chart", "daily_chart", "ranking_chart"):
        print(f"    {name:<20} {c[name]['median_s']:.3f} s (max {c[name]['max_s']:.3f} s), {c[name]['bytes'] / 1024:.0f} KB")


def _loop(results: dict, shape: Shape, rounds: int) -> None:
    print("(d) event loop lateness while the workbook builds: a coroutine waking every 5 ms and working 0.5 ms; "
          f"median of {rounds} round(s)")
    lat = _in_child(_loop_latency, shape, rounds)
    results["loop"] = lat
    print(f"    {'where the workbook builds':<28} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, m in lat.items():
        print(f"    {name:<28} {m['build_s'] if name != 'idle' else 0:8.2f} {m['p50_ms']:8.1f} {m['p99_ms']:8.1f} "
              f"{m['max_ms']:8.1f}")


def _bot(results: dict, quick: bool, rounds: int) -> None:
    members, days, rate = (1_000, 7, 10.0) if quick else (6_000, 31, 20.0)
    print(f"(e) through the bot: a generated province ({members:,} members, {members // 5:,} teams × {days} days) on "
          f"SQLite, its month made by FileMaker.make (the worker gathers and builds) while members report "
          f"through the dispatcher at {rate:.0f}/s; the same reports with nothing building first; {rounds} round(s)")
    bot = _in_child(_through_the_bot, members, days, rate, rounds)
    results["through_the_bot"] = bot
    print(f"    {bot['rows']:,} day rows; collect_report alone {_spread(bot['gather_s'])} s; "
          f"ready (gathered and built in the worker) in {_spread(bot['make_s'])} s (median  min–max)")
    print(f"    {'members' + chr(39) + ' reports':<28} {'messages':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name in ("idle", "building"):
        m = _latencies(bot[name])
        print(f"    {('nothing building (baseline)' if name == 'idle' else 'while the workbook is made'):<28} "
              f"{m['n']:8d} {m['p50_ms']:8.1f} {m['p99_ms']:8.1f} {m['max_ms']:8.1f}")


if __name__ == "__main__":
    chosen = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--sections=")), SECTIONS)
    run(quick="--quick" in sys.argv[1:], sections=chosen)
