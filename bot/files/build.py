"""Building files without blocking the bot: the workbook and charts are made in a worker process (or thread).

Writing a province's month is seconds of pure-Python work; on the event loop's thread, or in a thread holding
the GIL beside it, it would hold up every member's reply meanwhile (benchmarks/files.py measures both). A worker
process runs it on the other core. The report crosses to it pickled, so it must hold its rows (a national
export that streams from a generator is written with `mode="thread"`, or by the command line directly).
Pickling a province's rows as objects at once would hold the GIL for a third of a second, on the executor's
feeder thread beside the loop; so they go as plain tuples (7 times cheaper to pickle), in slices, the loop
running between them, and the worker makes the rows again.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import threading
import time
from dataclasses import dataclass, replace
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from domain.exports import FileKind, FileOrder, Missing, Note, Place, Report, TeamDay, UnitFigures
from domain.settings import CampaignRules

if TYPE_CHECKING:  # the libraries are imported where files are built (the worker), not by whoever imports this
    from bot.files.charts import Picture

T = TypeVar("T")
MODES = ("process", "thread")
SLICE = 1_000  # rows pickled at once: a millisecond or two of the loop's time


def _place(p: Place) -> tuple:
    return p.code, p.name, p.kind


# Each list's rows as plain tuples and back: (encode, decode). tests/files/test_build.py round-trips every field.
CODECS: dict[str, tuple[Callable[[Any], tuple], Callable[[tuple], Any]]] = {
    "rows": (lambda r: (_place(r.unit), r.figures, r.to_date, r.quota, r.target, r.teams, r.teams_reported,
                        r.on_time, r.late, r.rank),
             lambda t: UnitFigures(Place(*t[0]), *t[1:])),
    "days": (lambda d: (d.day, _place(d.team), d.parent, d.figures, d.members, d.reported, d.late),
             lambda t: TeamDay(t[0], Place(*t[1]), *t[2:])),
    "missing": (lambda m: (m.day, _place(m.team), m.parent, m.members, m.expected),
                lambda t: Missing(t[0], Place(*t[1]), *t[2:])),
    "notes": (lambda n: (n.day, _place(n.team), n.member, n.text, n.off), lambda t: Note(t[0], Place(*t[1]), *t[2:])),
}
LISTS = tuple(CODECS)
NICENESS = 10  # the worker process's lower priority (os.nice)
KEEP_SECONDS = 60.0  # a gathered report is kept this long for the other files of its order
TASKS_PER_WORKER = 200  # a worker is replaced after this many files, so whatever matplotlib caches stays bounded


@dataclass(frozen=True)
class Source:
    """Where a worker reads the reports it is ordered to build: the database (its URL, and PostgreSQL's schema
    where a test keeps one) and the campaign's rules."""

    url: str
    rules: CampaignRules
    schema: str | None = None


class _Reader:
    """A worker's own event loop and store: it gathers a report (application.reports.collect_report, in a read
    transaction) where it builds the file, so the bot's loop spends nothing on either. The last report is kept a
    minute for the other files of its order (a /chart's pictures, a summary's workbook and chart)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.loop = asyncio.new_event_loop()
        self.store = None
        self.kept: tuple[tuple, bool, float, Report] | None = None  # source, with its day rows, when, the report

    def report(self, order: FileOrder) -> tuple[Report, bool]:
        """The order's report, and whether it was gathered now (False: kept from an order of the same source). A
        chart draws no day row: gathered for charts only, a report leaves them out."""
        days = order.kind == FileKind.WORKBOOK
        kept = self.kept
        if kept is not None and kept[0] == order.source and (kept[1] or not days) \
                and time.monotonic() - kept[2] < KEEP_SECONDS:
            return kept[3], False
        self.kept = None  # a province's rows are not held beside the next
        report = self.loop.run_until_complete(self._gather(order, days))
        self.kept = (order.source, days, time.monotonic(), report)
        return report, True

    async def _gather(self, order: FileOrder, days: bool) -> Report:
        from application.reports import collect_report
        from storage.store import SqlStore

        if self.store is None:
            self.store = SqlStore.from_url(self.source.url, pool_size=2, schema=self.source.schema, inline=False)

        async def work(tx) -> Report:
            unit = None
            if order.unit_code:
                unit = await tx.units.by_code(order.unit_code)
                if unit is None:
                    raise LookupError(f"no unit {order.unit_code!r} any more")
            return await collect_report(tx, self.source.rules, unit, order.period, order.language, order.made_at,
                                        hold_days=days)
        return await self.store.read(work)

    def close(self) -> None:
        if self.store is not None:
            self.loop.run_until_complete(self.store.close())
            self.store = None
        self.loop.close()


_here = threading.local()  # the worker's reader (a process's one thread, or each thread of a thread pool)


def _worker(warm: bool, source: Source | None = None, own_process: bool = True) -> None:
    """A worker's start: a process yields the CPU to the bot's own process (members' replies come first; a file
    may take a moment longer) and ends with it, then warms up; its reader is made for `source`."""
    if own_process:
        try:
            os.nice(NICENESS)
        except OSError:  # not permitted here: the worker runs at the bot's priority
            pass
        _exit_with_parent()
    _here.reader = _Reader(source) if source is not None else None
    if warm:
        _warm()


def _exit_with_parent(every: float = 1.0) -> None:
    """A worker process ends when the bot does, even when the bot is killed (SIGKILL, out of memory) and cannot
    shut its pool down: a worker left behind would hold ~100 MB, one more at every restart."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, name="files-parent-watch", daemon=True).start()


def _make(order: FileOrder, path: str) -> tuple[bool, bool]:
    """In the worker: gather the order's report and write its file at `path`. Returns (gathered now, made: False
    when a chart has nothing to draw). LookupError: the unit is gone."""
    reader = getattr(_here, "reader", None)
    if reader is None:
        raise RuntimeError("this worker was started without a Source to read reports from")
    report, gathered = reader.report(order)
    if order.kind == FileKind.WORKBOOK:
        from bot.files.workbook import write_workbook

        write_workbook(report, path)
        return gathered, True
    from bot.files.charts import charts

    pictures = charts(report, kinds=(order.kind.value,))
    if pictures:
        with open(path, "wb") as fh:
            fh.write(pictures[0].png)
    return gathered, bool(pictures)


def _close_reader() -> None:
    reader = getattr(_here, "reader", None)
    if reader is not None:
        reader.close()
        _here.reader = None


def _warm() -> None:
    """Pay the imports and the first figure once, when the worker starts, not on a leader's first chart."""
    from bot.files.charts import charts
    from bot.files.sample import Shape, sample_report
    from domain.exports import Period
    from datetime import date

    charts(sample_report(Shape(groups=2, teams=2, period=Period.between(date(2023, 6, 1), date(2023, 6, 2)))))


async def pack(report: Report) -> list[bytes]:
    """The report as pickled slices, the loop running between them: the head, then (list name, rows) slices."""
    parts = [pickle.dumps(replace(report, **{name: () for name in LISTS}), pickle.HIGHEST_PROTOCOL)]
    for name in LISTS:
        encode, rows = CODECS[name][0], []
        for row in getattr(report, name):
            rows.append(encode(row))
            if len(rows) == SLICE:
                parts.append(pickle.dumps((name, rows), pickle.HIGHEST_PROTOCOL))
                rows = []
                await asyncio.sleep(0)
        if rows:
            parts.append(pickle.dumps((name, rows), pickle.HIGHEST_PROTOCOL))
    return parts


def unpack(parts: list[bytes]) -> Report:
    head = pickle.loads(parts[0])
    lists: dict[str, list] = {name: [] for name in LISTS}
    for part in parts[1:]:
        name, rows = pickle.loads(part)
        decode = CODECS[name][1]
        lists[name].extend(decode(t) for t in rows)
    return replace(head, **lists)


def _workbook(report: Report | list[bytes], path: str | None) -> bytes | None:
    from bot.files.workbook import workbook_bytes, write_workbook

    if isinstance(report, list):
        report = unpack(report)
    if path is None:
        return workbook_bytes(report)
    write_workbook(report, path)
    return None


def _charts(report: Report | list[bytes], kinds: tuple[str, ...] | None = None) -> list[Picture]:
    from bot.files.charts import charts

    report = unpack(report) if isinstance(report, list) else report
    return charts(report) if kinds is None else charts(report, kinds=kinds)


class FileBuilder:
    """`await builder.make(order, path)` gathers the ordered report in the worker and writes its file there (given
    a `source` to read from); `await builder.workbook(report)` → the .xlsx bytes (or, given `path`, the file
    written there) and `await builder.charts(report)` → the PNG pictures of a report made elsewhere. One worker by
    default: files queue rather than take both cores from the bot."""

    def __init__(self, *, mode: str = "process", workers: int = 1, warm: bool = True,
                 source: Source | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"mode is one of {', '.join(MODES)}")
        self.mode, self._workers, self._warm, self.source = mode, workers, warm, source
        self._pool: Executor | None = None

    def _executor(self) -> Executor:
        if self._pool is None:
            if self.mode == "thread":
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="files", initializer=_worker,
                                                initargs=(False, self.source, False))
            else:
                # spawn: a fresh interpreter, never a fork of a process with an event loop and threads running
                self._pool = ProcessPoolExecutor(self._workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_worker, initargs=(self._warm, self.source),
                                                 max_tasks_per_child=TASKS_PER_WORKER)
        return self._pool

    async def make(self, order: FileOrder, path: Path | str) -> tuple[bool, bool]:
        """The ordered file, gathered and written at `path` in the worker: (gathered now, made)."""
        return await self._run(_make, order, str(path))

    async def _run(self, fn: Callable[..., T], *args) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), fn, *args)
        except BrokenProcessPool:
            self._pool = None  # the worker died (killed, out of memory): the next file starts a new one
            raise

    async def start(self) -> None:
        """Start the worker now (at the bot's start), so the first file does not wait for it."""
        if self.mode == "process":
            await self._run(int)

    async def workbook(self, report: Report, path: Path | str | None = None) -> bytes | Path:
        sent = await pack(report) if self.mode == "process" else report
        made = await self._run(_workbook, sent, None if path is None else str(path))
        return Path(path) if path is not None else made

    async def charts(self, report: Report, kinds: tuple[str, ...] | None = None) -> list[Picture]:
        """The report's charts (of `kinds` only, when given). A chart draws no day row: those stay behind."""
        report = replace(report, days=(), missing=(), notes=())
        sent = await pack(report) if self.mode == "process" else report
        return await self._run(_charts, sent, kinds)

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None and self.mode == "thread":  # each thread's reader closes its store (a process exits)
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(loop.run_in_executor(pool, _close_reader) for _ in range(self._workers)),
                                 return_exceptions=True)
        if pool is not None:
            await asyncio.get_running_loop().run_in_executor(None, pool.shutdown)
