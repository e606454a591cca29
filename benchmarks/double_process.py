"""The tests' Bot API double (doubles/telegram_api.py) in a process of its own, with Telegram's round trip and limits.

Real client code (python-telegram-bot) talks to it over HTTP. Every answer comes after `latency` (a realistic
round trip to api.telegram.org), and sending is limited as the Bot FAQ describes (`doubles.telegram_limits`): over
a limit the double answers 429 with `retry_after`, counting each. Simulated people, when a measurement needs them,
run in that process too (`run`): on a small machine the double's CPU and theirs would otherwise take turns with the
bot's event loop, which Telegram's servers and the volunteers' phones do not.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Awaitable, Callable

from doubles.telegram_api import FakeTelegram
from doubles.telegram_limits import SendingLimits
from domain.clock import SystemClock

USERNAME = "baocao_bench_bot"


class DoubleProcess:
    """`start()` gives the double's base URL; `run(work, ...)` awaits `work(api, ...)` in the double's process and
    returns its (picklable) result; `stop()` returns what each token saw: sent, too_many (429s) and calls."""

    def __init__(self, tokens: list[str], latency: float = 0.1, users: dict[str, int] | None = None) -> None:
        self.tokens = tokens
        self.latency = latency
        self.users = users or {}  # a person's name for the double → their Telegram user id
        self._conn = None
        self._process = None

    def start(self) -> str:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child, self.tokens, self.latency, self.users), daemon=True)
        self._process.start()
        return self._conn.recv()

    async def run(self, work: Callable[..., Awaitable[object]], *args) -> object:
        """`work` must be a module-level function (it is sent to the other process by name)."""
        return await self._ask("run", work, *args)

    async def stop(self) -> dict[str, dict]:
        stats = await self._ask("stop")
        await asyncio.to_thread(self._process.join)
        return stats

    async def _ask(self, *message) -> object:
        self._conn.send(message)
        return await asyncio.to_thread(self._conn.recv)


def _serve(conn, tokens: list[str], latency: float, users: dict[str, int]) -> None:
    asyncio.run(_serving(conn, tokens, latency, users))


async def _serving(conn, tokens: list[str], latency: float, users: dict[str, int]) -> None:
    # Messages are dated by the wall clock, as Telegram dates them. Update ids start fresh each run: a reused
    # benchmark database keeps the ids it has seen, and would take new updates for re-deliveries.
    api = FakeTelegram(tokens[0], SystemClock(), username=USERNAME, bot_id=_bot_id(tokens[0]), users=dict(users),
                       latency=latency, limits=SendingLimits(), first_update_id=int(time.time() * 1000))
    for token in tokens[1:]:
        api.add_bot(token, USERNAME, _bot_id(token))
    await api.start()
    conn.send(api.base_url)
    try:
        while True:
            kind, *args = await asyncio.to_thread(conn.recv)
            if kind == "stop":
                conn.send({token: {"sent": len(bot.sent), "too_many": bot.too_many, "calls": len(bot.calls)}
                           for token, bot in api.bots.items()})
                return
            work, *rest = args
            conn.send(await work(api, *rest))
    finally:
        await api.stop()


def _bot_id(token: str) -> int:
    head = token.split(":")[0]
    return int(head) if head.isdigit() else 1
