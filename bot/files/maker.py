"""The core's file orders made into files (domain.ports.Files): gathered from the database in a read transaction
(application.reports.collect_report), built in the worker (FileBuilder), kept on the shelf for their links.

Each order is made once and shared: a scheduled fan-out sends one ward's workbook to every leader of the ward, one
build. Orders differing only in their kind (a /chart's three pictures, the recap's workbook and chart) share one
gathering. Nothing here runs inside the core's transactions: the channels ask when they send a committed reply.
"""
from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path
from typing import Callable

from application.reports import collect_report
from bot.files.build import FileBuilder
from bot.files.shelf import Kept, Shelf
from domain.exports import FileKind, FileOrder, Report
from domain.ports import FileNotMade, MadeFile, Store
from domain.settings import CampaignRules

log = logging.getLogger(__name__)

REPORT_SECONDS = 60.0  # a gathered report is kept this long for the other files of its order (its charts)
SWEEP_SECONDS = 3600.0  # expired files are deleted this often


class FileMaker:
    def __init__(self, store: Store, rules: CampaignRules, shelf: Shelf, builder: FileBuilder | None = None) -> None:
        self.store = store
        self.rules = rules
        self.shelf = shelf
        self.builder = builder or FileBuilder(mode="process")
        self._made: dict[FileOrder, Kept] = {}
        self._making: dict[FileOrder, asyncio.Task[Kept]] = {}
        self._reports: dict[tuple, asyncio.Task[Report]] = {}
        self._sweeper: asyncio.Task | None = None
        self.gathered = 0  # reports gathered: what tests and the benchmark count
        self.built = 0  # files built

    @property
    def links(self) -> bool:
        return self.shelf.links

    async def start(self) -> None:
        """At the bot's start: the worker up (its imports paid now, not on a leader's first file), what expired
        while the bot was down deleted, and deleted again every hour."""
        await self.builder.start()
        await asyncio.to_thread(self.shelf.sweep)
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="files-sweep")

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
            self._sweeper = None
        for task in [*self._making.values(), *self._reports.values()]:
            task.cancel()
        await asyncio.gather(*self._making.values(), *self._reports.values(), return_exceptions=True)
        await self.builder.close()

    async def make(self, order: FileOrder) -> MadeFile:
        kept = self._made.get(order)
        if kept is None or self.shelf.clock.now() >= kept.expires_at:
            task = self._making.get(order)
            if task is None:
                task = self._making[order] = asyncio.create_task(self._make(order))
                task.add_done_callback(lambda _: self._making.pop(order, None))
            kept = await asyncio.shield(task)  # one asker giving up does not stop the file for the others
            self._made[order] = kept
        return MadeFile(str(kept.path), kept.name, kept.mime, self.shelf.url(kept), kept.expires_at)

    def sweep(self) -> int:
        """Forget and delete the files whose time is over."""
        now = self.shelf.clock.now()
        for order in [o for o, k in self._made.items() if now >= k.expires_at]:
            del self._made[order]
        return self.shelf.sweep()

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                await asyncio.to_thread(self.sweep)
            except Exception:
                log.exception("files: deleting expired files failed")

    async def _make(self, order: FileOrder) -> Kept:
        path: Path | None = None
        try:
            report = await self._report(order)
            token, path = self.shelf.place(order.file_name)
            if order.kind == FileKind.WORKBOOK:
                await self.builder.workbook(report, path)
            else:
                pictures = await self.builder.charts(report, (order.kind.value,))
                if not pictures:
                    raise FileNotMade(f"no {order.kind.value} chart for this report")
                await asyncio.to_thread(Path(path).write_bytes, pictures[0].png)
            self.built += 1
            return await asyncio.to_thread(self.shelf.keep, token, order.file_name, order.mime)
        except BaseException as exc:
            if path is not None:  # nothing half-made stays behind
                shutil.rmtree(path.parent, ignore_errors=True)
            if isinstance(exc, (FileNotMade, asyncio.CancelledError)) or not isinstance(exc, Exception):
                raise
            log.exception("files: %s of %s could not be made", order.kind.value, order.unit_code or "everything")
            raise FileNotMade(type(exc).__name__) from exc

    async def _report(self, order: FileOrder) -> Report:
        task = self._reports.get(order.source)
        if task is None:
            task = self._reports[order.source] = asyncio.create_task(self._gather(order))
            source = order.source
            forget: Callable[[], object] = lambda: self._reports.pop(source, None)  # noqa: E731
            task.add_done_callback(lambda t: asyncio.get_running_loop().call_later(REPORT_SECONDS, forget)
                                   if not t.cancelled() and t.exception() is None else forget())
        return await asyncio.shield(task)

    async def _gather(self, order: FileOrder) -> Report:
        async def work(tx) -> Report:
            unit = None
            if order.unit_code:
                unit = await tx.units.by_code(order.unit_code)
                if unit is None:
                    raise FileNotMade(f"no unit {order.unit_code!r} any more")
            return await collect_report(tx, self.rules, unit, order.period, order.language, order.made_at)
        report = await self.store.read(work)
        self.gathered += 1
        return report

