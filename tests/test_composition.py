"""The tests' chats are wired by the bot's own composition root, on the test's store and clock, without platform
code; the root takes a store already open, as the fixtures hold one."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.app import build_app
from domain.messages import Incoming
from tests.support.chat import TRAITS, at, settings_for_test

ROOT = Path(__file__).resolve().parent.parent


def test_the_chat_driver_loads_no_platform_or_web_code():
    probe = ("import sys, tests.support.chat\n"
             "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'aiohttp', 'httpx'))\n"
             "print(','.join(loaded))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", out.stdout


async def test_build_app_takes_an_open_store_and_the_tests_clock(store, clock, chat):
    app = await build_app(settings_for_test(), dict(TRAITS), clock=clock, store=store)
    assert app.store is store and app.services.clock is clock
    assert list(app.dispatcher.commands) == list(chat.dispatcher.commands)  # the fixture's chat: the same wiring
    hello = Incoming("test", "x", "x", "X", "d-1", at("10:00"), "/help")
    assert "/start" in (await app.dispatcher.handle(hello))[0].reply.text
