"""Reminder fan-out against the Bot API double: the send rate held per token, 429s, and the national time for N tokens.

Sends go through python-telegram-bot's ExtBot over HTTP, as the Telegram channel sends. Two ways to pace them:
PTB's AIORateLimiter (a leaky bucket: it lets a second's worth through at once, then keeps the rate, so some
one-second windows carry nearly twice the rate and Telegram answers 429), and an even pacer that gives every
message its own slot, 1/rate apart, with as many in flight as the round trip needs.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bot.bench.botapi import BotApiDouble

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


class EvenPacer:
    """Message n may start at start + n/rate: never more than `rate` in any second, and no idle slot wasted.
    A 429 (which pacing under the limit should never see) is waited out as Telegram asks."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0

    async def slot(self) -> None:
        now = time.monotonic()
        self._next = max(self._next, now)
        wait = self._next - now
        self._next += self.interval
        if wait > 0:
            await asyncio.sleep(wait)


async def _send_paced(bot, pacer: EvenPacer, chat_ids: list[int]) -> int:
    from telegram.error import RetryAfter

    failed = 0
    in_flight: set[asyncio.Task] = set()

    async def one(chat_id: int) -> None:
        nonlocal failed
        for _ in range(3):
            try:
                await bot.send_message(chat_id, TEXT)
                return
            except RetryAfter as exc:
                wait = exc.retry_after  # seconds, or a timedelta once PTB switches
                await asyncio.sleep(wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait))
            except Exception:
                break
        failed += 1

    for chat_id in chat_ids:
        await pacer.slot()
        task = asyncio.create_task(one(chat_id))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    await asyncio.gather(*in_flight)
    return failed


async def fan_out(tokens: int, per_token: int, rate: float, pacing: str = "even", latency: float = 0.1) -> Fanout:
    """`tokens` bots each remind `per_token` volunteers (their own part of the country) at `rate` a second."""
    from telegram.ext import AIORateLimiter, ExtBot
    from telegram.request import HTTPXRequest

    double = BotApiDouble(latency=latency)
    base = await double.start()
    names = [f"{700000 + i}:bench-token-{i}" for i in range(tokens)]
    bots = []
    try:
        for name in names:
            limiter = (AIORateLimiter(overall_max_rate=rate, overall_time_period=1, group_max_rate=0, max_retries=3)
                       if pacing == "aiolimiter" else None)
            bot = ExtBot(name, base_url=base, request=HTTPXRequest(connection_pool_size=64), rate_limiter=limiter)
            await bot.initialize()
            bots.append(bot)
        chats = [[10_000_000 * (b + 1) + n for n in range(per_token)] for b in range(tokens)]
        start = time.perf_counter()
        if pacing == "aiolimiter":
            failures = []

            async def remind(bot, chat_id):
                try:
                    await bot.send_message(chat_id, TEXT)
                except Exception:
                    failures.append(chat_id)

            await asyncio.gather(*(remind(bot, c) for bot, cs in zip(bots, chats) for c in cs))
            failed = len(failures)
        else:
            failed = sum(await asyncio.gather(*(_send_paced(bot, EvenPacer(rate), cs)
                                                for bot, cs in zip(bots, chats))))
        seconds = time.perf_counter() - start
    finally:
        for bot in bots:
            await bot.shutdown()
        await double.stop()
    label = f"PTB AIORateLimiter at {rate:g}/s" if pacing == "aiolimiter" else f"even pacing at {rate:g}/s"
    return Fanout(label, tokens, tokens * per_token, rate, seconds,
                  sum(double.tokens[n].too_many for n in names), failed)
