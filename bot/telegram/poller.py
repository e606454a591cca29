"""Long polling that loses nothing and never stops: a batch is in the inbox before the next getUpdates confirms
it; a batch python-telegram-bot cannot read is read one update at a time; any failure is retried with backoff."""
from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Update
from telegram.error import TelegramError, TimedOut

from bot.plumbing.faults import fault
from bot.plumbing.health import IntakeHealth
from bot.plumbing.inbox import Arrival, Inbox
from bot.plumbing.retry import Sleep, Stopped, backoff, poll_forever
from bot.telegram.http import UpdatesRequest
from bot.telegram.inbox import arrived
from bot.telegram.logs import describe
from bot.telegram.translate import ALLOWED_UPDATES

log = logging.getLogger(__name__)
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0


class InboxPoller:
    """getUpdates → inbox → update queue, in that order, forever.

    Telegram forgets an update once a getUpdates asks for a higher offset. PTB's Updater makes that call
    while the previous batch is still being handled, so a crash then loses the batch; here the offset only
    moves past a batch once it is committed to the database, and the queue only sees committed updates.
    """

    def __init__(self, bot: Bot, inbox: Inbox[Update], queue: asyncio.Queue, timeout: int,
                 request: UpdatesRequest | None = None, *, health: IntakeHealth | None = None,
                 sleep: Sleep = asyncio.sleep) -> None:
        self.bot = bot
        self.request = request  # the bot's getUpdates connection, which keeps each batch as Telegram sent it
        self.inbox = inbox
        self.queue = queue
        self.timeout = timeout
        self.health = health
        self.sleep = sleep  # the backoff's; tests give a fake one
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

    async def _fetch(self) -> list[Arrival[Update]]:
        try:
            updates = await self.bot.get_updates(offset=self.offset, timeout=self.timeout,
                                                 allowed_updates=ALLOWED_UPDATES)
        except TelegramError:
            raise
        except Exception:  # python-telegram-bot could not read the batch: read each update on its own
            raw = self.request.take_raw() if self.request is not None else {}
            if not raw:
                raise
            return [self.inbox.arrival(text, str(update_id)) for update_id, text in sorted(raw.items())]
        return arrived(list(updates), self.request.take_raw() if self.request is not None else {})

    async def _keep(self, arrivals: list[Arrival[Update]]) -> list[Update]:
        if not arrivals:
            return []
        fresh = await self.inbox.keep(arrivals)
        self.offset = max(int(a.delivery_id) for a in arrivals) + 1  # only now may the next call confirm them
        return fresh

    async def _run(self) -> None:
        await poll_forever(self._round, wait=backoff(FIRST_BACKOFF, MAX_BACKOFF), sleep=self._pause,
                           failed=self._failed)

    async def _round(self) -> None:
        if self._stopping.is_set():
            raise Stopped
        try:
            arrivals = await self._unless_stopped(self._fetch())
        except TimedOut:
            return  # the long poll outlived the read timeout: just ask again
        fresh = await self._keep(arrivals)  # the database away: the batch stays unconfirmed, asked again
        if self.health is not None:
            self.health.ok(self.inbox.clock.now())
        for update in fresh:
            self.queue.put_nowait(update)

    def _failed(self, exc: BaseException, wait: float) -> None:
        if isinstance(exc, TelegramError):
            said = describe(exc, self.bot.token)
            log.warning("telegram: getUpdates failed (%s), retrying in %.0f s", said, wait)
        else:  # the database away, or a bug: the batch stays unconfirmed with Telegram and is asked for again
            said = fault(exc)
            log.error("telegram: polling failed (%s), retrying in %.0f s", said, wait)
        if self.health is not None:
            self.health.failed(self.inbox.clock.now(), said)

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
        raise Stopped

    async def _pause(self, seconds: float) -> None:
        """The backoff's wait, cut short by a stop."""
        if self._stopping.is_set():
            raise Stopped
        await self._unless_stopped(self.sleep(seconds))
