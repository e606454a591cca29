"""Fixtures: the Bot API double, and a bot running against it on every storage backend."""
from __future__ import annotations

import pytest

from tests.support.seed import seed_units
from doubles.telegram_api import FakeTelegram
from tests.support.telegram_chat import TelegramChat


@pytest.fixture(autouse=True)
def local_only(monkeypatch):
    """Nothing may leave 127.0.0.1, whatever proxy the machine has configured."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
async def api(clock):
    fake = await FakeTelegram(clock=clock).start()
    yield fake
    await fake.stop()


@pytest.fixture
async def tg(api, store, clock):
    await seed_units(store)
    chat = await TelegramChat(api, store, clock).start()
    yield chat
    await chat.stop()
