"""Reminder fan-out against the Bot API double: the send rate held per token, 429s, and the national time for N tokens.

The sender is python-telegram-bot's own (ExtBot with AIORateLimiter, as the Telegram channel sends) at a
configured rate under Telegram's 30/s; several tokens send side by side, each to its own part of the country.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bot.bench.botapi import BotApiDouble

NATIONAL_DMS = 400_000


@dataclass
class Fanout:
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


async def fan_out(tokens: int, per_token: int, rate: float, latency: float = 0.1) -> Fanout:
    from telegram.ext import AIORateLimiter, ExtBot
    from telegram.request import HTTPXRequest

    double = BotApiDouble(latency=latency)
    base = await double.start()
    names = [f"{700000 + i}:bench-token-{i}" for i in range(tokens)]
    bots = []
    try:
        for name in names:
            bot = ExtBot(name, base_url=base, request=HTTPXRequest(connection_pool_size=64),
                         rate_limiter=AIORateLimiter(overall_max_rate=rate, overall_time_period=1,
                                                     group_max_rate=0, max_retries=3))
            await bot.initialize()
            bots.append(bot)
        failed = 0

        async def remind(bot, chat_id: int) -> None:
            nonlocal failed
            try:
                await bot.send_message(chat_id, "Nhắc: hôm nay tổ chưa báo cáo. Gửi số liệu trước 16:00.")
            except Exception:
                failed += 1

        start = time.perf_counter()
        await asyncio.gather(*(remind(bot, 10_000_000 * (b + 1) + n)
                               for b, bot in enumerate(bots) for n in range(per_token)))
        seconds = time.perf_counter() - start
    finally:
        for bot in bots:
            await bot.shutdown()
        await double.stop()
    return Fanout(tokens, tokens * per_token, rate, seconds, sum(double.tokens[n].too_many for n in names), failed)
