"""APScheduler 3 wiring: one job per reminder and per cut-off, all built from the configured cut-offs.

With several bot processes on one database every process builds the same jobs, but only the one holding the lead
(domain.ports.Leadership) runs them; the others ask again every few seconds and the first to find the lead free
takes it over and catches up on what its predecessor left undone. The per-message claims (jobs.deliver) would
keep a message from going twice anyway; the lead keeps the other processes from planning and claiming in vain.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from application.services import Services
from domain.cutoffs import occurrences
from domain.ports import Leadership, Outbox, Store
from domain.settings import Cutoff
from scheduler import jobs
from scheduler.settings import SchedulerSettings

log = logging.getLogger(__name__)


class Scheduler:
    """Fires the jobs in the campaign timezone; the jobs themselves are scheduler.jobs' plain functions."""

    def __init__(self, store: Store, services: Services, outbox: Outbox,
                 settings: SchedulerSettings | None = None, leadership: Leadership | None = None) -> None:
        self.store = store
        self.leadership = leadership  # None: this is the only process, it always leads
        self.leading = leadership is None
        self.services = services
        self.outbox = outbox
        self.settings = settings or SchedulerSettings()
        self.aps: AsyncIOScheduler | None = None
        self.stopping = asyncio.Event()
        self._running: set[asyncio.Task] = set()

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.settings.summary_grace_minutes)

    def build(self) -> AsyncIOScheduler:
        """The scheduler with every job added, not started. Misfire grace is set per job on purpose: APScheduler's
        default of 1 s silently skips a job whenever the loop stalls for a second at its time."""
        tz = self.services.rules.campaign.tz
        aps = AsyncIOScheduler(timezone=tz, job_defaults={"coalesce": True, "max_instances": 1})
        for c in self.services.rules.cutoffs:
            for i, minutes in enumerate(c.remind_before):
                at = (datetime.combine(date(2000, 1, 2), c.time) - timedelta(minutes=minutes)).time()
                # A late reminder may still go until the next reminder's time (or the cut-off), not after.
                window = minutes - (c.remind_before[i + 1] if i + 1 < len(c.remind_before) else 0)
                aps.add_job(self.remind, CronTrigger(hour=at.hour, minute=at.minute, timezone=tz),
                            args=(c, minutes), id=f"remind:{c.name}:{minutes}",
                            name=f"reminder {minutes} min before {c.name} ({c.time:%H:%M})",
                            misfire_grace_time=window * 60)
            day = str(c.day_of_month) if c.monthly else "*"
            aps.add_job(self.at_cutoff, CronTrigger(day=day, hour=c.time.hour, minute=c.time.minute, timezone=tz),
                        args=(c,), id=f"cutoff:{c.name}", name=f"cut-off {c.name} ({c.time:%H:%M})",
                        misfire_grace_time=int(self.grace.total_seconds()))
        if self.leadership is not None:
            aps.add_job(self.renew, IntervalTrigger(seconds=self.settings.renew_seconds), id="lead",
                        name="lead check", misfire_grace_time=self.settings.renew_seconds)
        return aps

    async def start(self) -> None:
        """Start firing (needs the running loop), log each job's next run, and catch up what was missed."""
        self.stopping.clear()
        self.aps = self.build()
        self.aps.start()
        for job in self.aps.get_jobs():
            log.info("scheduled %s: next run %s", job.name, job.next_run_time.isoformat())
        self._spawn(self.catch_up())

    async def stop(self, timeout: float = 10.0) -> None:
        """No new jobs; running ones finish the messages in flight (up to `timeout` s), then are cancelled."""
        self.stopping.set()
        if self.aps is not None and self.aps.running:
            self.aps.pause()
        running = [t for t in self._running if t is not asyncio.current_task()]
        if running:
            done, pending = await asyncio.wait(running, timeout=timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self.aps is not None and self.aps.running:
            self.aps.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
        self.aps = None
        if self.leadership is not None:
            self.leading = False
            await self.leadership.step_down()  # another process takes over at its next check, not after a TTL
        log.info("scheduler stopped")

    async def leads(self) -> bool:
        """Whether this process runs the jobs now; asked before each job and every renew_seconds in between."""
        if self.leadership is None:
            return True
        try:
            leading = await self.leadership.is_leader()
        except Exception:  # the database is unreachable: whoever leads cannot be told, so do not act
            log.exception("could not check the scheduler lead")
            leading = False
        if leading != self.leading:
            self.leading = leading
            log.info("this process %s the scheduled jobs", "now runs" if leading else "no longer runs")
        return leading

    async def renew(self) -> None:
        """The lead check (every renew_seconds): on taking the lead over, catch up in the background what the
        previous leader left undone (`idle()` waits for it)."""
        was_leading = self.leading
        if await self.leads() and not was_leading and not self.stopping.is_set():
            self._spawn(self.catch_up())  # taken over: send what the previous leader missed

    async def idle(self) -> None:
        """Wait until the work this scheduler started in the background (catching up) is done."""
        while running := [t for t in self._running if t is not asyncio.current_task()]:
            await asyncio.gather(*running, return_exceptions=True)

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    def _day_near(self, cutoff: Cutoff, when: datetime) -> date:
        """The day of the cut-off occurrence nearest `when`: a job fired late still knows which it serves."""
        found = occurrences(cutoff, when, self.services.rules.campaign.tz)
        return min(found, key=lambda at: abs(at - when)).date()

    async def _track(self, work):
        task = asyncio.current_task()
        self._running.add(task)
        try:
            return await work
        except Exception:
            log.exception("scheduled job failed")
        finally:
            self._running.discard(task)

    async def remind(self, cutoff: Cutoff, minutes: int) -> None:
        """The reminder job `minutes` before `cutoff`, for the occurrence it serves (run if this process leads)."""
        if self.stopping.is_set() or not await self.leads():
            return
        now = self.services.clock.now()
        day = self._day_near(cutoff, now + timedelta(minutes=minutes))
        await self._track(jobs.remind(self.store, self.services, self.outbox, cutoff, day, minutes,
                                      concurrency=self.settings.concurrency, stopping=self.stopping))

    async def at_cutoff(self, cutoff: Cutoff) -> None:
        """The cut-off job: its messages for the occurrence just passed, then housekeeping (if this process leads)."""
        if self.stopping.is_set() or not await self.leads():
            return
        day = self._day_near(cutoff, self.services.clock.now())
        await self._track(jobs.at_cutoff(self.store, self.services, self.outbox, cutoff, day,
                                         concurrency=self.settings.concurrency, stopping=self.stopping))
        await self._forget_old()  # no clock time of its own: housekeeping rides on the cut-offs

    async def _forget_old(self) -> None:
        """Delete claims no one can send again and deliveries no platform will re-deliver."""
        now = self.services.clock.now()
        before = now.astimezone(self.services.rules.campaign.tz).date() - timedelta(days=self.settings.keep_sends_days)
        pruned = await self.store.write(lambda tx: tx.sends.prune(before))
        if pruned:
            log.info("forgot %d sends from before %s", pruned, before)
        seen_before = now - timedelta(days=self.settings.keep_deliveries_days)
        forgotten = await self.store.write(lambda tx: tx.deliveries.prune(seen_before))
        await self.store.write(lambda tx: tx.replies.prune(seen_before))  # the outbox's sent replies
        if forgotten:
            log.info("forgot %d processed deliveries from before %s", forgotten, seen_before.date())

    async def catch_up(self) -> None:
        """What was missed while no process led (run at start and on taking the lead over): old claims forgotten,
        then the reminders still in their window and the summaries still within their grace."""
        if not await self.leads():
            return
        try:
            await self._forget_old()
            await jobs.catch_up(self.store, self.services, self.outbox, grace=self.grace,
                                concurrency=self.settings.concurrency, stopping=self.stopping)
        except Exception:
            log.exception("catching up at start failed")
