"""Reports through the full stack (parse, authorize, de-duplicate, write, reply): throughput and reply latency."""
from __future__ import annotations

import asyncio
import itertools
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from application.services import Services
from benchmarks.campaign import BENCH_CHANNEL
from benchmarks.timing import Time, WallTime
from domain.clock import Clock
from domain.i18n import Translator
from domain.messages import ChannelTraits, Incoming, Kind
from domain.settings import CampaignRules
from handlers.dispatch import Dispatcher
from handlers.registry import build_dispatcher
from storage.store import SqlStore

# What a volunteer types, without diacritics, then confirms: two messages, two transactions, one report.
REPORT_TEXT = "them ho 3, app 2, muc 1 2, kh muc 1 1, muc 2 1"  # "them": added to the day, no question

# The stores compared in one run, on the same database. The first is the baseline.
SAVED = Translator().for_language("vi")("report.saved", day="{day}", lines="").split("{day}")[0]

PG_MODES = {
    "baseline": ("PostgreSQL: one transaction per message (the bot)", {}),
    "group": ("PostgreSQL: group commit forced", {"group_commit": True}),
}
MODES = {
    "baseline": ("one transaction per message (aiosqlite)", {"group_commit": False, "inline": False}),
    "group": ("group commit (aiosqlite)", {"group_commit": True, "inline": False}),
    "bot": ("group commit + inline writer (the bot)", {"group_commit": True, "inline": True}),
}


def dispatcher_for(store: SqlStore, clock: Clock, rules: CampaignRules | None = None) -> Dispatcher:
    services = Services(rules=rules or CampaignRules(), translator=Translator(), clock=clock,
                        traits={BENCH_CHANNEL: ChannelTraits(BENCH_CHANNEL, has_buttons=True, max_text=4096)})
    return build_dispatcher(store, services)


class Volunteers:
    """Who reports next: every member in turn, so no one reports twice at once."""

    def __init__(self, external_ids: list[str], seed: int = 6) -> None:
        ids = list(external_ids)
        random.Random(seed).shuffle(ids)
        self._next = itertools.cycle(ids)
        self._run = uuid.uuid4().hex[:8]  # delivery ids stay unique when a database is reused
        self._seq = itertools.count()

    def next(self) -> str:
        return next(self._next)

    def delivery(self) -> str:
        return f"{self._run}-{next(self._seq)}"


@dataclass
class Report:
    preview_s: float
    confirm_s: float
    ok: bool


async def report(dispatcher: Dispatcher, clock: Clock, who: str, volunteers: Volunteers,
                 sent_at: float | None = None, seconds: Callable[[], float] = time.perf_counter) -> Report:
    """One volunteer's report and confirmation; each latency from its message's arrival to its reply."""
    start = seconds() if sent_at is None else sent_at
    out = await dispatcher.handle(Incoming(BENCH_CHANNEL, who, who, who, volunteers.delivery(), clock.now(),
                                           REPORT_TEXT))
    await dispatcher.sent([o.reply_id for o in out])  # the outbox's mark, as after a channel's send
    previewed = seconds()
    ok = any(b.payload == "report:confirm" for o in out for b in o.reply.choices)
    out = await dispatcher.handle(Incoming(BENCH_CHANNEL, who, who, who, volunteers.delivery(), clock.now(),
                                           "report:confirm", Kind.CHOICE))
    await dispatcher.sent([o.reply_id for o in out])
    done = seconds()
    ok = ok and bool(out) and out[0].reply.text.startswith(SAVED)
    return Report(previewed - start, done - previewed, ok)


@dataclass
class Throughput:
    reports: int = 0
    failed: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    writes: int = 0
    commits: int = 0
    rounds: list[float] = field(default_factory=list)  # reports/s of each round

    @property
    def per_second(self) -> float:
        return self.reports / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_report(self) -> float:
        return 1000 * self.cpu_seconds / self.reports if self.reports else 0.0

    @property
    def writes_per_commit(self) -> float:
        return self.writes / self.commits if self.commits else 1.0


class CommitCount:
    """The store's writes and the transactions that carried them, counted from outside: every write the store
    runs is wrapped, and the writes of one group commit share one connection (`tx.conn`), one batch after
    another (SQLite has one writer), so a write on another connection than the one before starts a new commit.
    The store carries no counters of its own."""

    def __init__(self, store: SqlStore) -> None:
        self.writes = 0
        self.commits = 0
        self._last = None  # the connection of the latest write (kept, so no later one can reuse its id)
        write = store.write

        async def counted(work):
            async def counting(tx):
                self.writes += 1
                if tx.conn is not self._last:
                    self.commits += 1
                    self._last = tx.conn
                return await work(tx)
            return await write(counting)

        store.write = counted

    def reset(self) -> None:
        self.writes = self.commits = 0


async def closed_loop(dispatcher: Dispatcher, clock: Clock, volunteers: Volunteers, reports: int,
                      concurrency: int) -> tuple[int, int, float, float]:
    """`concurrency` volunteers at a time, each reporting again as soon as answered: the sustained rate."""
    left = reports
    failed = 0

    async def volunteer() -> None:
        nonlocal left, failed
        while left > 0:
            left -= 1
            if not (await report(dispatcher, clock, volunteers.next(), volunteers)).ok:
                failed += 1

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(volunteer() for _ in range(concurrency)))
    return reports, failed, time.perf_counter() - wall, time.process_time() - cpu


async def throughput(url: str, clock: Clock, volunteers: Volunteers, *, reports: int, rounds: int,
                     concurrency: int, warmup: int = 50, modes: dict | None = None,
                     schema: str | None = None) -> dict[str, Throughput]:
    """Each store in turn, round after round on the same database, so machine noise hits them alike."""
    modes = modes or MODES
    stores = {name: SqlStore.from_url(url, clock, schema=schema, **opts) for name, (_, opts) in modes.items()}
    results = {name: Throughput() for name in modes}
    try:
        counts = {name: CommitCount(store) for name, store in stores.items()}
        dispatchers = {name: dispatcher_for(store, clock) for name, store in stores.items()}
        for name, d in dispatchers.items():
            await closed_loop(d, clock, volunteers, warmup, min(concurrency, warmup))
            counts[name].reset()
        for _ in range(rounds):
            for name, d in dispatchers.items():
                done, failed, wall, cpu = await closed_loop(d, clock, volunteers, reports, concurrency)
                r = results[name]
                r.reports += done
                r.failed += failed
                r.seconds += wall
                r.cpu_seconds += cpu
                r.rounds.append(done / wall)
        for name, count in counts.items():
            results[name].writes, results[name].commits = count.writes, count.commits
    finally:
        for store in stores.values():
            await store.close()
    return results


@dataclass
class Latency:
    rate: float
    seconds: float
    reports: int
    failed: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    achieved_rate: float


def _percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=1000, method="inclusive")[round(q * 1000) - 1]


async def open_loop(url: str, clock: Clock, volunteers: Volunteers, *, rate: float, seconds: float,
                    seed: int = 220, max_batch: int | None = None, schema: str | None = None,
                    timer: Time = WallTime()) -> Latency:
    """Reports arrive on a fixed (Poisson) schedule whatever the bot's pace; a late start counts as latency.
    `timer` keeps the schedule and measures the latencies."""
    rnd = random.Random(seed)
    arrivals, t = [], 0.0
    while True:
        t += rnd.expovariate(rate)
        if t >= seconds:
            break
        arrivals.append(t)
    store = SqlStore.from_url(url, clock, schema=schema, **({"max_batch": max_batch} if max_batch else {}))
    try:
        dispatcher = dispatcher_for(store, clock)
        await closed_loop(dispatcher, clock, volunteers, 50, 10)  # warm caches, as a running bot has them
        latencies: list[float] = []
        failed = 0

        async def arrive(at: float) -> None:
            nonlocal failed
            r = await report(dispatcher, clock, volunteers.next(), volunteers, sent_at=at, seconds=timer.monotonic)
            latencies.extend((r.preview_s, r.confirm_s))
            failed += not r.ok

        begin = timer.monotonic() + 0.01
        tasks = []
        for a in arrivals:
            delay = begin + a - timer.monotonic()
            if delay > 0:
                await timer.sleep(delay)
            tasks.append(asyncio.create_task(arrive(begin + a)))
        await asyncio.gather(*tasks)
        elapsed = timer.monotonic() - begin
    finally:
        await store.close()
    ms = [x * 1000 for x in latencies]
    return Latency(rate, seconds, len(arrivals), failed, _percentile(ms, 0.50), _percentile(ms, 0.99),
                   max(ms, default=0.0), len(arrivals) / elapsed if elapsed else 0.0)
