"""Reports through python-telegram-bot: the real Telegram channel, long-polling the Bot API double (100 ms a call).

Each simulated volunteer sends a report, waits for the preview, presses its confirm button and waits for
"Đã lưu"; one person's steps in order, many people at once. The double and the people run in a process of
their own (`DoubleProcess`): on 2 cores their CPU would otherwise take turns with the bot's event loop, which a
real deployment does not share with Telegram or its users. Two bots are measured the same way in one run:

* the channel as it runs: updates of different people handled side by side (`SenderOrderedProcessor`), answers
  paced per chat only (`bot.telegram.pacing.Pacing`);
* a straightforward python-telegram-bot bot: the same channel, handlers and database, but updates handled one
  at a time (PTB's default) and `AIORateLimiter` (30 messages/s overall, answers included).
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from benchmarks.double_process import DoubleProcess
from benchmarks.reports import REPORT_TEXT, SAVED
from benchmarks.timing import Time, WallTime
from doubles.telegram_api import FakeTelegram, buttons

TOKEN = "123456:bench-telegram"
log = logging.getLogger(__name__)


@dataclass
class PtbRun:
    bot: str
    reports: int
    answered: int
    seconds: float
    too_many: int
    api_calls: int
    cpu_seconds: float = 0.0  # the bot process's CPU time while the people reported

    @property
    def cpu_ms_per_report(self) -> float:
        return 1000 * self.cpu_seconds / self.answered if self.answered else 0.0

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


async def _reply(api: FakeTelegram, who: str, want, timeout: float = 60.0) -> dict:
    """The first message to this person that `want` accepts (a channel may first edit away old buttons)."""
    deadline = time.monotonic() + timeout
    while True:
        sent = await api.next_message(who, max(0.01, deadline - time.monotonic()))
        if want(sent):
            return sent


async def people_report(api: FakeTelegram, volunteers: list[str], concurrency: int) -> dict:
    """In the double's process: `concurrency` people at a time, each reporting once (report, then confirm)."""
    people = iter(volunteers)
    left, answered = len(volunteers), 0

    async def volunteer() -> None:
        nonlocal left, answered
        while left > 0:
            left -= 1
            who = next(people)
            api.message(who, REPORT_TEXT)
            preview = await _reply(api, who, lambda m: any(b.endswith("confirm") for b in buttons(m)))
            confirm = next(b for b in buttons(preview) if b.endswith("confirm"))
            api.press(who, confirm, on=preview)
            await _reply(api, who, lambda m: m["text"].startswith(SAVED))
            answered += 1

    start = time.perf_counter()
    outcomes = await asyncio.gather(*(volunteer() for _ in range(concurrency)), return_exceptions=True)
    seconds = time.perf_counter() - start
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    first = type(failed[0]).__name__ if failed else ""
    return {"answered": answered, "seconds": seconds, "failed": len(failed), "first_failure": first}


def straightforward(channel_class):
    """The channel as a straightforward PTB bot would build it: one update at a time, AIORateLimiter."""
    from telegram.ext import AIORateLimiter, ApplicationBuilder

    class Plain(AIORateLimiter):
        async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
            # the channel marks its sends {"bulk": ...}; AIORateLimiter reads that argument as max_retries
            return await super().process_request(callback, args, kwargs, endpoint, data, None)

    class Straightforward(channel_class):
        def build(self):
            return (ApplicationBuilder().token(self.token)
                    .base_url(self.config.api_base_url).base_file_url(self.config.api_file_url)
                    .updater(None).job_queue(None)
                    .rate_limiter(Plain(max_retries=3))
                    .build())

    return Straightforward


async def ptb_reports(db_path: str, clock, volunteers: list[str], *, concurrency: int, baseline: bool = False,
                      latency: float = 0.1, timer: Time = WallTime()) -> PtbRun:
    """`timer`: what the channel's own pacing waits on (not the straightforward bot's AIORateLimiter)."""
    from bot.app import build_app
    from bot.config import DatabaseConfig, Settings, TelegramConfig
    from bot.telegram.channel import TelegramChannel
    from bot.telegram.pacing import Pacing
    from bot.web import WebServer

    # The people are the campaign's members: their names for the double are their Telegram user ids.
    double = DoubleProcess([TOKEN], latency=latency, users={who: int(who) for who in volunteers})
    base = await asyncio.to_thread(double.start)
    settings = Settings(telegram=TelegramConfig(token=TOKEN, api_base_url=base, api_file_url=base.replace(
        "/bot", "/file/bot"), mode="polling", poll_timeout=1), database=DatabaseConfig(url=f"sqlite:///{db_path}"))
    channel = (straightforward(TelegramChannel) if baseline else TelegramChannel)(settings.telegram,
                                                                                   WebServer("127.0.0.1", 0))
    if not baseline and not isinstance(timer, WallTime):
        channel.limiter = Pacing(settings.telegram.bulk_rate, settings.telegram.max_retries,
                                 clock=timer.monotonic, sleep=timer.sleep)
    app = await build_app(settings, {channel.traits.name: channel.traits}, clock=clock, migrate=False)
    app.channels[channel.traits.name] = channel  # the channel alone: no scheduler, no web server
    started = False
    try:
        await channel.start(app)
        started = True
        cpu = time.process_time()
        measured = await double.run(people_report, volunteers, concurrency)
        cpu = time.process_time() - cpu
    finally:
        if started:
            await channel.stop()
        await app.store.close()
        stats = (await double.stop()).get(TOKEN, {})
    label = ("a straightforward PTB bot (updates one at a time, AIORateLimiter)" if baseline
             else "the Telegram channel (people side by side, answers paced per chat)")
    if measured["failed"]:
        log.warning("bench (f): %d people got no answer (%s)", measured["failed"], measured["first_failure"])
    return PtbRun(label, len(volunteers), measured["answered"], measured["seconds"], stats.get("too_many", 0),
                  stats.get("calls", 0), cpu)
