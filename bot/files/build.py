"""Building files without blocking the bot: the workbook and charts are made in a worker process (or thread).

Writing a province's month is seconds of pure-Python work; on the event loop's thread, or in a thread holding
the GIL beside it, it would hold up every member's reply meanwhile (benchmarks/files.py measures both). A worker
process runs it on the other core. The report crosses to it pickled, so it must hold its rows (a national
export that streams from a generator is written with `mode="thread"`, or by the command line directly).
"""
from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, TypeVar

from domain.exports import Report
from bot.files.charts import Picture, charts
from bot.files.workbook import workbook_bytes, write_workbook

T = TypeVar("T")
MODES = ("process", "thread")
TASKS_PER_WORKER = 200  # a worker is replaced after this many files, so whatever matplotlib caches stays bounded


def _warm() -> None:
    """Pay the imports and the first figure once, when the worker starts, not on a leader's first chart."""
    from bot.files.sample import Shape, sample_report
    from domain.exports import Period
    from datetime import date

    charts(sample_report(Shape(groups=2, teams=2, period=Period.between(date(2023, 6, 1), date(2023, 6, 2)))))


def _workbook(report: Report, path: str | None) -> bytes | None:
    if path is None:
        return workbook_bytes(report)
    write_workbook(report, path)
    return None


class FileBuilder:
    """`await builder.workbook(report)` → the .xlsx bytes (or, given `path`, the file written there);
    `await builder.charts(report)` → the PNG pictures. One worker by default: files queue rather than take
    both cores from the bot."""

    def __init__(self, *, mode: str = "process", workers: int = 1, warm: bool = True) -> None:
        if mode not in MODES:
            raise ValueError(f"mode is one of {', '.join(MODES)}")
        self.mode, self._workers, self._warm = mode, workers, warm
        self._pool: Executor | None = None

    def _executor(self) -> Executor:
        if self._pool is None:
            if self.mode == "thread":
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="files")
            else:
                # spawn: a fresh interpreter, never a fork of a process with an event loop and threads running
                self._pool = ProcessPoolExecutor(self._workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_warm if self._warm else None,
                                                 max_tasks_per_child=TASKS_PER_WORKER)
        return self._pool

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
        if self.mode == "process":
            report = report.materialized()
        made = await self._run(_workbook, report, None if path is None else str(path))
        return Path(path) if path is not None else made

    async def charts(self, report: Report) -> list[Picture]:
        if self.mode == "process":
            report = report.materialized()
        return await self._run(charts, report)

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.get_running_loop().run_in_executor(None, pool.shutdown)
