"""Starting up: a refused token or a missing webhook address is one clear sentence; per-person ordering."""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr
from telegram import Update

from bot.app import StartError
from bot.config import Settings, TelegramConfig, WebConfig
from bot.telegram.channel import TelegramChannel
from bot.telegram.ordering import SenderOrderedProcessor
from bot.web import WebServer
from tests.support.telegram_chat import make_app

ROOT = Path(__file__).resolve().parents[2]


async def test_a_refused_token_stops_python_m_bot_run_with_one_sentence(api, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[telegram]\napi_base_url = "{api.base_url}"\n'
                      f'[database]\nurl = "sqlite:///{tmp_path / "bot.db"}"\n', encoding="utf-8")
    wrong = "999:not-the-right-token"
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": wrong, "NO_PROXY": "127.0.0.1,localhost"}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(child.communicate(), 60)
    text = err.decode()
    assert child.returncode == 2, text
    assert "Telegram refused the bot token" in text and "@BotFather" in text
    assert "Traceback" not in text and wrong not in text and "not-the-right-token" not in text


async def test_webhook_mode_without_a_public_address_says_what_to_set(api, store, clock):
    settings = Settings(telegram=TelegramConfig(token=SecretStr(api.token), api_base_url=api.base_url,
                                                mode="webhook"), web=WebConfig(public_url=""))
    channel = TelegramChannel(settings.telegram, WebServer("127.0.0.1", 0))
    with pytest.raises(StartError, match=r"\[web\] public_url"):
        await channel.start(make_app(settings, store, clock))
    assert channel.application is None and api.calls == []


def update(update_id: int, user: int) -> Update:
    return Update.de_json({"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": "x", "chat": {"id": user, "type": "private"},
        "from": {"id": user, "is_bot": False, "first_name": "U"}}}, None)


async def test_one_persons_updates_wait_for_each_other_and_other_people_do_not():
    processor = SenderOrderedProcessor(max_concurrent=8)
    await processor.initialize()
    started: list[int] = []
    running = {n: asyncio.Event() for n in (1, 2, 3)}
    release = {n: asyncio.Event() for n in (1, 2, 3)}

    async def work(n: int) -> None:
        started.append(n)
        running[n].set()
        await release[n].wait()

    tasks = [asyncio.create_task(processor.process_update(update(n, user), work(n)))
             for n, user in ((1, 7), (2, 7), (3, 8))]
    await asyncio.wait_for(asyncio.gather(running[1].wait(), running[3].wait()), 5)
    for _ in range(10):
        await asyncio.sleep(0)  # every task has had its turn
    assert started == [1, 3]  # person 8 is not held up by person 7; 7's second waits for the first
    release[1].set()
    await asyncio.wait_for(running[2].wait(), 5)
    assert started == [1, 3, 2]
    release[2].set()
    release[3].set()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert processor.order.senders == 0  # idle people are forgotten
