"""Long polling that loses nothing: a batch is in the inbox before the next getUpdates confirms it."""
from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError, TimedOut

from bot.telegram.http import UpdatesRequest
from bot.telegram.inbox import Inbox
from bot.telegram.logs import describe
from bot.telegram.translate import ALLOWED_UPDATES

log = logging.getLogger(__name__)
MAX_BACKOFF = 30.0


class _Stopped(Exception):
    pass


class InboxPoller:
    """getUpdates → inbox → update queue, in that order, forever.

    Telegram forgets an update once a getUpdates asks for a higher offset. PTB's Updater makes that call
    while the previous batch is still being handled, so a crash then loses the batch; here the offset only
    moves past a batch once it is committed to the database, and the queue only sees committed updates.
    """

    def __init__(self, bot: Bot, inbox: Inbox, queue: asyncio.Queue, timeout: int,
                 request: UpdatesRequest | None = None) -> None:
        self.bot = bot
        self.request = request  # the bot's getUpdates connection, when it keeps the updates as received
        self.inbox = inbox
        self.queue = queue
        self.timeout = timeout
        self.offset: int | None = None  # None at start: Telegram sends whatever it has not had confirmed
        self._stopping = asyncio.Event()
        self._task: asyncio.Task | None = None

    async def receive(self) -> list[Update]:
        """One round: fetch a batch, store it; returns the updates not seen before. Nothing is enqueued."""
        return await self._keep(await self._fetch())

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="telegram-poller")

    async def stop(self) -> None:
        """Prompt: a pending long poll is abandoned (it confirmed only stored updates); a store finishes."""
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _fetch(self) -> list[Update]:
        return list(await self.bot.get_updates(offset=self.offset, timeout=self.timeout,
                                               allowed_updates=ALLOWED_UPDATES))

    async def _keep(self, updates: list[Update]) -> list[Update]:
        if not updates:
            return []
        fresh = await self.inbox.record(updates, self.request.take_raw() if self.request is not None else None)
        self.offset = max(u.update_id for u in updates) + 1  # only now may the next call confirm it
        return fresh

    async def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                updates = await self._unless_stopped(self._fetch())
            except _Stopped:
                return
            except TimedOut:
                continue  # the long poll outlived the read timeout: just ask again
            except (InvalidToken, Conflict, NetworkError, TelegramError) as exc:
                failures += 1
                log.warning("telegram: getUpdates failed (%s), retrying", describe(exc, self.bot.token))
                if await self._pause(failures):
                    return
                continue
            try:
                fresh = await self._keep(updates)
            except Exception:  # the database is away: the batch stays unconfirmed with Telegram, ask again
                failures += 1
                log.exception("telegram: could not store a batch of %d updates", len(updates))
                if await self._pause(failures):
                    return
                continue
            failures = 0
            for update in fresh:
                self.queue.put_nowait(update)

    async def _unless_stopped(self, work):
        task = asyncio.ensure_future(work)
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        if task.done():
            return task.result()  # a batch that arrived is stored even when stopping
        task.cancel()
        try:
            await task
        except (asyncio.CancelledError, Exception):
            pass
        raise _Stopped

    async def _pause(self, failures: int) -> bool:
        """Back off 1, 2, 4 … 30 s; True when stopped meanwhile."""
        delay = min(MAX_BACKOFF, 2.0 ** (failures - 1))
        try:
            await asyncio.wait_for(self._stopping.wait(), delay)
            return True
        except asyncio.TimeoutError:
            return False
