"""Poison never stops a channel: an update python-telegram-bot cannot read is kept aside as unreadable, logged
once without its content, and acknowledged; any failure of the polling loop is retried with backoff and shows in
/healthz."""
from __future__ import annotations

import asyncio
import json
import logging

from aiohttp.test_utils import TestClient, TestServer

from tests.support.flaky import FlakyStore
from tests.support.inbox import unreadable
from tests.support.seed import seed_units
from tests.support.telegram_chat import TelegramChat, join, unreadable_poll

WHY = "TypeError in _de_json (_telegramobject.py:397)"  # where python-telegram-bot finds a field missing


def logged(caplog) -> list[str]:
    return [caplog.handler.format(r) for r in caplog.records]


class Gate:
    """A backoff sleep that waits until released: what the channel looks like while it backs off."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self.sleeping = asyncio.Event()
        self.release = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        self.asked.append(seconds)
        self.sleeping.set()
        await self.release.wait()
        self.release.clear()
        self.sleeping.clear()


async def health(web) -> tuple[int, dict]:
    async with TestClient(TestServer(web.app, host="127.0.0.1")) as client:
        resp = await client.get("/healthz")
        return resp.status, await resp.json()


async def test_an_update_ptb_cannot_parse_is_kept_aside_and_polling_goes_on(tg, api, store, caplog):
    caplog.set_level(logging.DEBUG)
    await join(tg, "an", "P01-KP1-T")
    poison = unreadable_poll(api, "nguyenthuy")
    said = await tg.say("an", "/help")  # in the same batch as the poison, and after it
    assert "/report" in said.text
    assert api.confirmed(poison)  # acknowledged: Telegram will not send it again
    assert api.sent_to("nguyenthuy") == []
    assert await unreadable(store, "telegram") == [(str(poison), json.dumps(tg.update(poison)), WHY)]
    assert await store.read(lambda tx: tx.inbox.pending("telegram")) == []

    lines = logged(caplog)
    about = [line for line in lines if f"update {poison} cannot be read" in line]
    assert len(about) == 1 and WHY in about[0] and "kept in the inbox as unreadable" in about[0]
    assert not [r for r in caplog.records if r.levelno >= logging.CRITICAL]
    for line in lines:  # PTB's own record of the batch is told without the batch
        assert "Hôm nay" not in line and "Nguyenthuy" not in line and "/help" not in line, line


async def test_an_unreadable_update_is_not_read_again_at_the_next_start(tg, api, store, clock, caplog):
    poison = unreadable_poll(api, "an")
    await tg.settle(poison)
    await tg.stop()
    assert len([line for line in logged(caplog) if "cannot be read" in line]) == 1
    caplog.clear()
    again = await TelegramChat(api, store, clock).start()
    try:
        await again.say("binh", "/help")
    finally:
        await again.stop()
    assert not [line for line in logged(caplog) if "cannot be read" in line]  # logged once, the first time
    assert [d for d, _, _ in await unreadable(store, "telegram")] == [str(poison)]


async def test_a_webhook_update_ptb_cannot_parse_is_answered_200_and_kept_aside(api, store, clock):
    await seed_units(store)
    tg = await TelegramChat(api, store, clock, mode="webhook").start()
    try:
        poison = unreadable_poll(api, "an")
        assert await tg.post(tg.update(poison)) == 200
        said = await tg.say("an", "/help")
        assert "/start" in said.text
        assert [(d, why) for d, _, why in await unreadable(store, "telegram")] == [(str(poison), WHY)]
        assert await tg.post(tg.update(poison)) == 200  # sent again: recognised, nothing new
        assert len(await unreadable(store, "telegram")) == 1
    finally:
        await tg.stop()


async def test_a_stored_update_that_no_longer_reads_is_set_aside_at_start_and_the_rest_replayed(api, store, clock):
    await seed_units(store)
    poison, fine = unreadable_poll(api, "an"), api.message("binh", "/help")
    items = [(str(u["update_id"]), json.dumps(u)) for u in api.updates]
    await store.write(lambda tx: tx.inbox.put("telegram", items, clock.now()))
    api.confirmed_below = fine + 1  # stored and confirmed by a run before an upgrade
    tg = await TelegramChat(api, store, clock).start()
    try:
        await tg.settle()
        assert "/start" in api.sent_to("binh")[-1]["text"]
        assert [(d, why) for d, _, why in await unreadable(store, "telegram")] == [(str(poison), WHY)]
        assert await store.read(lambda tx: tx.inbox.pending("telegram")) == []
    finally:
        await tg.stop()


async def test_a_failing_poll_is_retried_with_backoff_and_shows_in_healthz(api, store, clock):
    await seed_units(store)
    tg = TelegramChat(api, store, clock)
    gate = Gate()
    tg.channel.sleep = gate.sleep
    await tg.start()
    try:
        status, body = await health(tg.web)
        assert status == 200 and body == {"ok": True, "channels": {"telegram": {
            "mode": "polling", "last_ok": None, "failing": False, "failing_since": None, "failures": 0,
            "error": ""}}}
        await tg.say("an", "/help")
        api.fail_next("getUpdates", 502, "Bad Gateway")
        api.message("an", "/help")  # ends the long poll, so that the next one fails
        await asyncio.wait_for(gate.sleeping.wait(), 15)
        status, body = await health(tg.web)
        intake = body["channels"]["telegram"]
        assert status == 200 and body["ok"] is False  # the process is up: 200; the channel says it fails
        assert intake["failing"] is True and intake["failures"] == 1 and "Bad Gateway" in intake["error"]
        assert intake["failing_since"] == clock.now().isoformat() and intake["last_ok"] == clock.now().isoformat()
        assert gate.asked == [1.0]
        gate.release.set()
        said = await tg.say("an", "/help")
        assert "/start" in said.text
        status, body = await health(tg.web)
        assert body["ok"] is True and body["channels"]["telegram"]["failing"] is False
    finally:
        gate.release.set()
        await tg.stop()


async def test_a_database_away_never_ends_polling_and_nothing_is_lost(api, store, clock, caplog):
    caplog.set_level(logging.DEBUG)
    await seed_units(store)
    flaky = FlakyStore(store)
    tg = await TelegramChat(api, flaky, clock).start()
    try:
        await tg.say("an", "/help")
        flaky.fail_writes(3, carrying="hom nay 25 ho")
        said = await tg.say("an", "/help")  # the batch is not confirmed until it is stored: asked again
        assert "/start" in said.text
        assert tg.time.sleeps[-3:] == [1.0, 2.0, 4.0]  # backoff, reset by the success
        assert tg.channel.health.failing is False
    finally:
        await tg.stop()
    failures = [line for line in logged(caplog) if "polling failed (DatabaseAway" in line]
    assert len(failures) == 3
    assert not [line for line in logged(caplog) if "hom nay 25 ho" in line]
