"""The core's file orders made into files (domain.ports.Files): gathered from the database and built, both in the
worker (FileBuilder.make: application.reports.collect_report in a read transaction of its own, then the workbook or
chart), kept on the shelf for their links. The bot's event loop spends nothing on a file but the order.

Each order is made once and shared: a scheduled fan-out sends one ward's workbook to every leader of the ward, one
build. Orders differing only in their kind (a /chart's three pictures, the recap's workbook and chart) share one
gathering. Nothing here runs inside the core's transactions: the channels ask when they send a committed reply.
"""
from __future__ import annotations

import asyncio
import logging
import shutil

from bot.files.build import FileBuilder
from bot.files.shelf import Kept, Shelf
from domain.exports import FileOrder
from domain.ports import FileNotMade, MadeFile

log = logging.getLogger(__name__)

SWEEP_SECONDS = 3600.0  # expired files are deleted this often


class FileMaker:
    def __init__(self, shelf: Shelf, builder: FileBuilder) -> None:
        """`builder`: its worker reads the reports (it has a `Source`)."""
        self.shelf = shelf
        self.builder = builder
        self._made: dict[FileOrder, Kept] = {}
        self._making: dict[FileOrder, asyncio.Task[Kept]] = {}
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
        for task in self._making.values():
            task.cancel()
        await asyncio.gather(*self._making.values(), return_exceptions=True)
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
        token, path = self.shelf.place(order.file_name)
        try:
            gathered, made = await self.builder.make(order, path)
            self.gathered += gathered
            if not made:
                raise FileNotMade(f"no {order.kind.value} chart for this report")
            self.built += 1
            return await asyncio.to_thread(self.shelf.keep, token, order.file_name, order.mime)
        except BaseException as exc:
            shutil.rmtree(path.parent, ignore_errors=True)  # nothing half-made stays behind
            if isinstance(exc, (FileNotMade, asyncio.CancelledError)) or not isinstance(exc, Exception):
                raise
            if isinstance(exc, LookupError):  # its unit is gone
                raise FileNotMade(str(exc)) from exc
            log.exception("files: %s of %s could not be made", order.kind.value, order.unit_code or "everything")
            raise FileNotMade(type(exc).__name__) from exc
