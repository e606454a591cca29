"""The scheduled jobs as plain functions: reminders, the cut-off's messages, catching up at start, delivery.

Each send is claimed in the database in a committed transaction before it goes out (at most once: a crash
between claim and send loses that message rather than repeating it; see docs/scheduler.md).
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from application.chasing import leader_reminders, mark_unreachable, missing_notes, reminder_topic, reporter_reminders
from application.reports import final_reports
from application.sends import ChatRecipient, Send
from application.services import Services
from application.summaries import cutoff_summaries
from domain.cutoffs import covered, cutoff_at, is_reporting, occurrences, reminder_window
from domain.messages import Reply, SendResult
from domain.ports import Outbox, Store, Tx
from domain.settings import Cutoff

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    planned: int = 0
    sent: int = 0
    already: int = 0  # claimed before: by another process, an earlier run, or before a restart
    stale: int = 0  # reminders no longer due: the member reported in the meantime
    blocked: int = 0  # 403: marked unreachable, never retried
    failed: int = 0
    expired: int = 0  # not sent: their time (the next reminder, or the cut-off) had come
    cancelled: int = 0  # not sent: the bot is stopping
    notes: int = 0  # leaders told that a member cannot be reached
    skipped: str = ""  # why the whole run sent nothing, if it was skipped

    def __str__(self) -> str:
        if self.skipped:
            return f"skipped ({self.skipped})"
        return ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self)
                         if f.name != "skipped" and (getattr(self, f.name) or f.name == "sent"))


async def remind(store: Store, services: Services, outbox: Outbox, cutoff: Cutoff, day: date, minutes: int, *,
                 concurrency: int = 8, stopping: asyncio.Event | None = None) -> Outcome:
    """The reminder `minutes` before `cutoff` on `day`. Before the reporting cut-off: every volunteer and team
    leader who has not reported; before a later one: the leaders one level below its summary level who still
    have teams missing. Nothing on a day off, nothing once the next reminder's time or the cut-off has come."""
    rules = services.rules
    now = services.clock.now()
    label = f"reminder {cutoff.name}-{minutes} {day}"
    if minutes not in cutoff.remind_before:
        raise ValueError(f"cut-off {cutoff.name!r} has no reminder {minutes} min before")
    _, until = reminder_window(rules, cutoff, day, minutes)
    first, _ = covered(cutoff, day)
    if now >= until:
        return _log(label, Outcome(skipped=f"its time ended at {until.isoformat()}"))
    if rules.campaign.is_day_off(first):
        return _log(label, Outcome(skipped="day off"))
    deadline = cutoff_at(rules, cutoff, day)
    topic = reminder_topic(cutoff, minutes)

    async def plan(tx: Tx) -> list[Send]:
        if is_reporting(rules, cutoff):
            return await reporter_reminders(tx, services, None, first, deadline, topic, now)
        return await leader_reminders(tx, services, cutoff, first, deadline, topic, now)

    sends = await store.read(plan)
    return _log(label, await deliver(store, services, outbox, sends, until=until, concurrency=concurrency,
                                     stopping=stopping))


async def at_cutoff(store: Store, services: Services, outbox: Outbox, cutoff: Cutoff, day: date, *,
                    concurrency: int = 8, stopping: asyncio.Event | None = None) -> Outcome:
    """At the cut-off on `day`: its summary to the leaders of its summary levels (linked groups, or privately),
    with the workbook and charts where the cut-off has `files`; the final report of a phase, or the campaign,
    that ended on the day it covers; then, at the reporting cut-off, each team leader the names of members who did
    not report."""
    rules = services.rules
    label = f"cut-off {cutoff.name} {day}"
    if services.clock.now() < cutoff_at(rules, cutoff, day):
        return _log(label, Outcome(skipped="too early"))
    first, last = covered(cutoff, day)
    chase = is_reporting(rules, cutoff) and not rules.campaign.is_day_off(last)

    async def plan(tx: Tx) -> list[Send]:
        sends = await cutoff_summaries(tx, services, cutoff, day)
        sends += await final_reports(tx, services, cutoff, day)  # a phase or the campaign ended: its final report
        return sends + (await missing_notes(tx, services, cutoff, first) if chase else [])

    sends = await store.read(plan)
    return _log(label, await deliver(store, services, outbox, sends, concurrency=concurrency, stopping=stopping))


def due_at_start(services: Services, grace: timedelta) -> list[tuple[str, Cutoff, date, int | None]]:
    """What a process starting now has missed and may still send: for each cut-off still ahead, its latest
    reminder whose time has come (one, however many were missed); for each cut-off that passed less than
    `grace` ago, its summary. Reminders first, soonest cut-off first."""
    rules = services.rules
    now = services.clock.now()
    due = []
    for c in rules.cutoffs:
        for at in occurrences(c, now, rules.campaign.tz):
            if at > now:
                passed = [m for m in c.remind_before if at - timedelta(minutes=m) <= now]
                if passed:
                    due.append((0, at, "remind", c, at.date(), min(passed)))
            elif now < at + grace:
                due.append((1, at, "cutoff", c, at.date(), None))
    return [(kind, c, day, m) for _, _, kind, c, day, m in sorted(due, key=lambda d: (d[0], d[1]))]


async def catch_up(store: Store, services: Services, outbox: Outbox, *, grace: timedelta, concurrency: int = 8,
                   stopping: asyncio.Event | None = None) -> list[Outcome]:
    """Run at start what was missed while the bot was down. Claims make it safe to run again."""
    outcomes = []
    for kind, cutoff, day, minutes in due_at_start(services, grace):
        if kind == "remind":
            outcomes.append(await remind(store, services, outbox, cutoff, day, minutes, concurrency=concurrency,
                                         stopping=stopping))
        else:
            outcomes.append(await at_cutoff(store, services, outbox, cutoff, day, concurrency=concurrency,
                                            stopping=stopping))
    return outcomes


async def deliver(store: Store, services: Services, outbox: Outbox, sends: list[Send], *,
                  until: datetime | None = None, concurrency: int = 8, stopping: asyncio.Event | None = None,
                  notify: bool = True) -> Outcome:
    """Most urgent first, in one lane per channel (each bot token sends at its own pace), up to `concurrency`
    in flight in each: claim (committed), send, record the outcome. A recipient who blocked the bot is marked
    unreachable (and their team leader told, once); a group that removed the bot is unlinked. Stops claiming
    at `until`, or when `stopping` is set; what was claimed goes out."""
    out = Outcome(planned=len(sends))
    lanes: dict[str, list[Send]] = {}
    for s in sorted(sends, key=lambda s: s.urgency):
        lanes.setdefault(s.to.channel, []).append(s)
    notes: list[Send] = []
    done = await asyncio.gather(*(_lane(store, services, outbox, queue, out, notes, until=until,
                                        concurrency=concurrency, stopping=stopping, notify=notify)
                                  for queue in lanes.values()), return_exceptions=True)
    for failure in done:
        if isinstance(failure, BaseException):
            raise failure
    if notes:
        told = await deliver(store, services, outbox, notes, concurrency=concurrency, stopping=stopping, notify=False)
        out.notes = told.sent
    return out


async def _lane(store: Store, services: Services, outbox: Outbox, queue: list[Send], out: Outcome,
                notes: list[Send], *, until: datetime | None, concurrency: int, stopping: asyncio.Event | None,
                notify: bool) -> None:
    """One channel's sends. A batch is claimed once half the lane's slots are free (claims stay few and the
    channel never waits on a slow send of the same batch); a send starts as soon as its batch is claimed."""
    in_flight = 0
    freed = asyncio.Event()
    tasks: list[asyncio.Task] = []

    def release(_: asyncio.Task) -> None:
        nonlocal in_flight
        in_flight -= 1
        freed.set()

    async def finish(won: list[Send], sending: list[asyncio.Task]) -> None:
        results = await asyncio.gather(*sending)
        notes.extend(await store.write(lambda tx: _record(tx, services, list(zip(won, results)), notify)))
        for r in results:
            if r.ok:
                out.sent += 1
            elif r.blocked:
                out.blocked += 1
            else:
                out.failed += 1

    start = 0
    try:
        while start < len(queue):
            while in_flight > concurrency // 2:
                freed.clear()
                await freed.wait()
            now = services.clock.now()
            if stopping is not None and stopping.is_set():
                out.cancelled += len(queue) - start
                break
            if until is not None and now >= until:
                out.expired += len(queue) - start
                break
            chunk = queue[start:start + concurrency - in_flight]
            start += len(chunk)
            won, stale = await store.write(lambda tx: _claim(tx, chunk, now))
            out.stale += stale
            out.already += len(chunk) - len(won) - stale
            sending = []
            for s in won:
                in_flight += 1
                task = asyncio.create_task(_send(outbox, s))
                task.add_done_callback(release)
                sending.append(task)
            if won:
                tasks.append(asyncio.create_task(finish(won, sending)))
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def _claim(tx: Tx, chunk: list[Send], now: datetime) -> tuple[list[Send], int]:
    reported: dict[tuple[date, int], dict[int, bool]] = {}
    for day in {s.day for s in chunk if s.team_id is not None}:
        teams = {s.team_id for s in chunk if s.team_id is not None and s.day == day}
        for team, who in (await tx.entries.reporters(teams, day)).items():
            reported[(day, team)] = who
    won, stale = [], 0
    for s in chunk:
        if s.team_id is not None and s.member_id in reported.get((s.day, s.team_id), {}):
            stale += 1
        elif await tx.sends.claim(*s.key, now):
            won.append(s)
    return won, stale


async def _send(outbox: Outbox, s: Send) -> SendResult:
    try:
        return await outbox.send(s.to, Reply(s.text, attachments=s.attachments), bulk=True)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # one failed message must not stop the others
        log.warning("%s %s to %s failed: %s", s.kind, s.topic, s.to.channel, type(exc).__name__)
        return SendResult(ok=False, error=type(exc).__name__)


async def _record(tx: Tx, services: Services, results: list[tuple[Send, SendResult]], notify: bool) -> list[Send]:
    at = services.clock.now()
    notes: list[Send] = []
    for s, r in results:
        await tx.sends.finish(*s.key, "sent" if r.ok else "blocked" if r.blocked else "failed", at)
        if r.moved_to and isinstance(s.recipient, ChatRecipient):  # Telegram: the group became a supergroup
            await tx.links.move(s.to.channel, s.to.chat_id, r.moved_to)
        if not r.blocked:
            continue
        if s.member_id is not None:
            told = await mark_unreachable(tx, services, s.member_id, s.to, s.day, at)
            notes += told if notify else []
        elif isinstance(s.recipient, ChatRecipient):
            await tx.links.unlink(s.to.channel, s.to.chat_id)  # the bot left the group: leaders get it privately
    return notes


def _log(label: str, outcome: Outcome) -> Outcome:
    log.info("%s: %s", label, outcome)
    return outcome
