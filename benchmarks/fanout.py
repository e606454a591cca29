"""Reminder fan-out through the real path against the Bot API double: the send rate held per token, 429s, and the
national time for N tokens.

`scheduler.jobs.deliver` (claim, send, record; a lane per channel) → `App.send` → N Telegram channels, one per bot
token ("telegram", "telegram:T01", …), each pacing its bulk sends with `bot.telegram.pacing.Pacing` at the
configured `bulk_rate`. The baseline is the same path with python-telegram-bot's AIORateLimiter at that rate
(a leaky bucket: it lets a second's worth through at once, then keeps the rate, so some one-second windows
carry nearly twice the rate and Telegram answers 429). The double runs in a process of its own.
"""
from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchmarks.double_process import DoubleProcess
from benchmarks.timing import Time, WallTime

NATIONAL_DMS = 400_000
TEXT = "Nhắc: hôm nay tổ chưa báo cáo. Gửi số liệu trước 16:00."


@dataclass
class Fanout:
    pacing: str
    tokens: int
    messages: int
    configured_rate: float  # per token
    seconds: float
    too_many: int  # 429 answers from the double
    failed: int
    cpu_seconds: float = 0.0  # the bot process's CPU time while fanning out

    @property
    def cpu_ms_per_message(self) -> float:
        return 1000 * self.cpu_seconds / self.messages if self.messages else 0.0

    @property
    def rate_per_token(self) -> float:
        return self.messages / self.seconds / self.tokens if self.seconds else 0.0

    @property
    def held(self) -> float:
        """The share of the configured rate actually held."""
        return self.rate_per_token / self.configured_rate if self.configured_rate else 0.0

    @property
    def national_seconds(self) -> float:
        """One reminder to each of 400,000 volunteers at the rate held, the tokens splitting the country."""
        return NATIONAL_DMS / (self.rate_per_token * self.tokens) if self.rate_per_token else float("inf")


def _aiolimiter_channel(rate: float):
    """The Telegram channel with PTB's AIORateLimiter at `rate` a second overall instead of its own pacing."""
    from telegram.ext import AIORateLimiter

    from bot.telegram.channel import TelegramChannel

    class Leaky(AIORateLimiter):
        async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
            # the channel marks its sends {"bulk": ...}; AIORateLimiter reads that argument as max_retries
            return await super().process_request(callback, args, kwargs, endpoint, data, None)

    class LeakyChannel(TelegramChannel):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.limiter = Leaky(overall_max_rate=rate, overall_time_period=1, group_max_rate=0, max_retries=3)

    return LeakyChannel


async def fan_out(tokens: int, per_token: int, rate: float, pacing: str = "even", latency: float = 0.1,
                  concurrency: int | None = None, timer: Time = WallTime()) -> Fanout:
    """`tokens` bots each remind `per_token` volunteers (their own part of the country) at `rate` a second.
    `timer` measures the run and is what the channels' own pacing waits on (not AIORateLimiter)."""
    from bot.app import build_app
    from bot.config import DatabaseConfig, Settings, TelegramConfig
    from bot.telegram.channel import TelegramChannel
    from bot.telegram.pacing import Pacing
    from bot.web import WebServer
    from domain.messages import Address
    from application.sends import MemberRecipient, Send
    from scheduler import jobs
    from scheduler.settings import SchedulerSettings

    concurrency = concurrency or SchedulerSettings().concurrency  # the scheduler's own, per channel
    names = [f"{700000 + i}:bench-token-{i}" for i in range(tokens)]
    double = DoubleProcess(names, latency=latency)
    base = await asyncio.to_thread(double.start)
    kind = _aiolimiter_channel(rate) if pacing == "aiolimiter" else TelegramChannel
    web = WebServer("127.0.0.1", 0)
    with tempfile.TemporaryDirectory() as tmp:
        configs = [TelegramConfig(token=token, api_base_url=base, api_file_url=base.replace("/bot", "/file/bot"),
                                  poll_timeout=1, bulk_rate=rate) for token in names]
        channels = [kind(config, web, name="telegram" if i == 0 else f"telegram:T{i:02d}")
                    for i, config in enumerate(configs)]
        if pacing != "aiolimiter" and not isinstance(timer, WallTime):
            for channel, config in zip(channels, configs):
                channel.limiter = Pacing(config.bulk_rate, config.max_retries, clock=timer.monotonic,
                                         sleep=timer.sleep)
        settings = Settings(telegram=configs[0], database=DatabaseConfig(url=f"sqlite:///{Path(tmp) / 'fanout.db'}"))
        app = await build_app(settings, {c.traits.name: c.traits for c in channels})
        started = []
        try:
            for channel in channels:
                app.channels[channel.traits.name] = channel
                await channel.start(app)
                started.append(channel)
            day, topic = date.today(), f"bench-{time.time_ns()}"
            sends = [Send("remind", topic, day, MemberRecipient(10_000_000 * (b + 1) + n),
                          Address(c.traits.name, str(10_000_000 * (b + 1) + n)), TEXT, urgency=(n,))
                     for b, c in enumerate(channels) for n in range(per_token)]
            start, cpu = timer.monotonic(), time.process_time()
            outcome = await jobs.deliver(app.store, app.services, app, sends, concurrency=concurrency)
            seconds, cpu = timer.monotonic() - start, time.process_time() - cpu
        finally:
            for channel in reversed(started):
                await channel.stop()
            await app.store.close()
            stats = await double.stop()
    label = f"PTB AIORateLimiter at {rate:g}/s" if pacing == "aiolimiter" else f"even pacing at {rate:g}/s"
    return Fanout(label, tokens, outcome.sent, rate, seconds, sum(stats.get(n, {}).get("too_many", 0) for n in names),
                  outcome.failed, cpu)
