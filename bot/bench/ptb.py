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

from bot.bench.botapi import BotApiDouble, DoubleProcess
from bot.bench.reports import REPORT_TEXT, _SAVED

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


async def _reply(double: BotApiDouble, chat_id: int, want, timeout: float = 60.0):
    """The first message to this chat that `want` accepts (a channel may first edit away old buttons)."""
    deadline = time.monotonic() + timeout
    while True:
        sent = await asyncio.wait_for(double.reply_to(TOKEN, chat_id), max(0.01, deadline - time.monotonic()))
        if want(sent):
            return sent


async def people_report(double: BotApiDouble, volunteers: list[str], concurrency: int) -> dict:
    """In the double's process: `concurrency` people at a time, each reporting once (report, then confirm)."""
    people = iter(int(v) for v in volunteers)
    left, answered = len(volunteers), 0

    async def volunteer() -> None:
        nonlocal left, answered
        while left > 0:
            left -= 1
            who = next(people)
            double.say(TOKEN, who, REPORT_TEXT)
            preview = await _reply(double, who, lambda s: any(b.endswith("confirm") for b in s.buttons))
            confirm = next(b for b in preview.buttons if b.endswith("confirm"))
            double.press(TOKEN, who, preview.message_id, confirm)
            await _reply(double, who, lambda s: s.text.startswith(_SAVED))
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
                      latency: float = 0.1) -> PtbRun:
    from bot.app import build_app
    from bot.config import DatabaseConfig, Settings, TelegramConfig
    from bot.telegram.channel import TelegramChannel
    from bot.web import WebServer

    double = DoubleProcess(latency=latency, people=people_report)
    base = await asyncio.to_thread(double.start)
    settings = Settings(telegram=TelegramConfig(token=TOKEN, api_base_url=base, api_file_url=base.replace(
        "/bot", "/file/bot"), mode="polling", poll_timeout=1), database=DatabaseConfig(url=f"sqlite:///{db_path}"))
    channel = (straightforward(TelegramChannel) if baseline else TelegramChannel)(settings.telegram,
                                                                                   WebServer("127.0.0.1", 0))
    app = await build_app(settings, {channel.traits.name: channel.traits}, clock=clock, migrate=False)
    app.channels[channel.traits.name] = channel  # the channel alone: no scheduler, no web server
    started = False
    try:
        await channel.start(app)
        started = True
        cpu = time.process_time()
        measured = await double.ask("people", volunteers, concurrency)
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
