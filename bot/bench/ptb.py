"""Reports through python-telegram-bot: the real Telegram channel, long-polling the Bot API double (100 ms a call).

Each simulated volunteer sends a report, waits for the preview, presses its confirm button and waits for
"Đã lưu"; one person's steps in order, many people at once. A straightforward PTB bot answers about
1 / round trip = 9-10 reports/s this way; the target is 200.

Needs the Telegram channel (bot/telegram/, built in its own branch): until it is merged the section reports
itself skipped.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bot.bench.botapi import BotApiDouble
from bot.bench.reports import REPORT_TEXT, _SAVED

TOKEN = "123456:bench-telegram"


@dataclass
class PtbRun:
    reports: int
    answered: int
    seconds: float
    too_many: int
    api_calls: int

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


def available() -> bool:
    try:
        import bot.telegram.channel  # noqa: F401
    except ImportError:
        return False
    return True


async def _reply(double: BotApiDouble, chat_id: int, want, timeout: float = 30.0):
    """The first message to this chat that `want` accepts (a channel may first edit away old buttons)."""
    deadline = time.monotonic() + timeout
    while True:
        sent = await asyncio.wait_for(double.reply_to(TOKEN, chat_id), max(0.01, deadline - time.monotonic()))
        if want(sent):
            return sent


async def ptb_reports(db_path: str, clock, volunteers: list[str], *, reports: int, concurrency: int,
                      latency: float = 0.1) -> PtbRun:
    from bot.app import build_app
    from bot.config import DatabaseConfig, Settings, TelegramConfig
    from bot.runner import serve
    from bot.telegram.channel import TelegramChannel
    from bot.web import WebServer

    double = BotApiDouble(latency=latency)
    base = await double.start()
    settings = Settings(telegram=TelegramConfig(token=TOKEN, api_base_url=base, api_file_url=base.replace(
        "/bot", "/file/bot"), mode="polling", poll_timeout=1), database=DatabaseConfig(url=f"sqlite:///{db_path}"))
    web = WebServer("127.0.0.1", 0)
    channel = TelegramChannel(settings.telegram, web)
    app = await build_app(settings, {channel.traits.name: channel.traits}, clock=clock, migrate=False)
    app.web = web
    stop = asyncio.Event()
    running = asyncio.create_task(serve(app, [channel], stop))
    people = iter(int(v) for v in volunteers)
    left, answered = reports, 0

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

    try:
        await asyncio.sleep(0.5)  # getMe, deleteWebhook, the first getUpdates
        start = time.perf_counter()
        await asyncio.gather(*(volunteer() for _ in range(concurrency)))
        seconds = time.perf_counter() - start
    finally:
        stop.set()
        await running
        await double.stop()
    return PtbRun(reports, answered, seconds, double.tokens[TOKEN].too_many, double.tokens[TOKEN].calls)
