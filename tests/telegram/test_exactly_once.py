"""Nothing lost, nothing twice: the inbox across restarts and kills, duplicates, webhook retries and secrets."""
from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.telegram.inbox import telegram_inbox
from bot.telegram.poller import InboxPoller
from domain.clock import SystemClock
from storage.schema import entries, entry_values
from tests.support.inbox import unreadable
from tests.support.seed import invite_code, seed_units
from doubles.telegram_api import TOKEN
from tests.support.telegram_chat import TelegramChat, join

ROOT = Path(__file__).resolve().parents[2]


async def households_by_member(store) -> list[int]:
    """Every stored (not withdrawn) entry's households, sorted: one value per stored report."""
    async def work(tx):
        rows = await tx.conn.execute(select(entry_values.c.value).select_from(
            entries.join(entry_values, entry_values.c.entry_id == entries.c.id)).where(
            entries.c.withdrawn_at.is_(None), entry_values.c.metric == "households"))
        return sorted(r.value for r in rows)
    return await store.read(work)


async def test_a_duplicated_update_after_a_restart_is_stored_once(tg, api, store, clock):
    await join(tg, "an", "P01-KP1-T")
    await tg.say("an", "ho 7")
    said = await tg.press("an", "report:confirm")
    assert "Đã lưu" in said.text
    await tg.stop()

    # Killed after handling but before the confirming getUpdates reached Telegram: it sends everything again.
    api.unconfirm()
    sent = len(api.sent)
    again = await TelegramChat(api, store, clock).start()
    try:
        await again.settle(api.updates[-1]["update_id"])
        assert len(api.sent) == sent  # nothing handled twice, nobody answered twice
        assert await households_by_member(store) == [7]
    finally:
        await again.stop()


async def test_a_batch_stored_but_never_handled_is_replayed_by_the_next_run(api, store, clock):
    await seed_units(store)
    first = await TelegramChat(api, store, clock).start()
    await join(first, "an", "P01-KP1-T")
    await join(first, "binh", "P01-KP1-T")
    await first.stop()

    batch = [api.message("an", "ho 11"), api.press("an", "report:confirm"),
             api.message("binh", "12 1 0 0 0 0"), api.press("binh", "report:confirm")]
    # The process that fetched this batch stored it, had the next getUpdates confirm it, and died before
    # handling any of it: the poller's own steps, without the handing over to the application.
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        poller = InboxPoller(bot, telegram_inbox(store, clock, bot, "telegram"), asyncio.Queue(), timeout=0)
        assert [u.update_id for u in await poller.receive()] == batch
        assert await poller.receive() == []  # this call confirmed the batch to Telegram
    assert api.confirmed(batch[-1])
    assert len(await store.read(lambda tx: tx.inbox.pending("telegram"))) == 4

    second = await TelegramChat(api, store, clock).start()
    try:
        await second.settle()
        assert await households_by_member(store) == [11, 12]
        assert "Đã lưu" in api.sent_to("an")[-1]["text"] and "Đã lưu" in api.sent_to("binh")[-1]["text"]
        assert await store.read(lambda tx: tx.inbox.pending("telegram")) == []
    finally:
        await second.stop()


@pytest.mark.parametrize("backend", ["sqlite"])  # the child process opens the same SQLite file
@pytest.mark.parametrize("kill_at", ["confirm", "tenth reply"])
async def test_kill_9_loses_no_report(api, store, tmp_path, backend, kill_at):
    """`python -m bot run` gets a batch of 40 updates and is killed (SIGKILL) the moment it confirms the
    batch to Telegram, or halfway through answering it; the next run finishes the batch: every report is
    stored exactly once."""
    await seed_units(store)
    setup = await TelegramChat(api, store, SystemClock()).start()
    said = await setup.say("admin", "/invite P01-KP1-T")
    code = invite_code(said.text)
    people = [f"v{i:02d}" for i in range(1, 21)]
    for who in people:
        await setup.say(who, f"/start {code}")
    await setup.stop()

    batch = [api.message(who, f"ho {i}") for i, who in enumerate(people, 1)]
    batch += [api.press(who, "report:confirm") for who in people]
    config = tmp_path / "config.toml"
    config.write_text(f'[telegram]\napi_base_url = "{api.base_url}"\napi_file_url = "{api.file_url}"\n'
                      f'[database]\nurl = "sqlite:///{tmp_path / "test.db"}"\n'
                      f'[admins]\ntelegram = [{api.user_id("admin")}]\n'
                      '[web]\nport = 0\n', encoding="utf-8")  # /healthz on a free port
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "NO_PROXY": "127.0.0.1,localhost"}
    log = (tmp_path / "bot.log").open("wb")
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run", cwd=ROOT, env=env,
        stdout=log, stderr=log)

    replies = len(api.sent)

    def kill(method: str, params: dict) -> None:
        if kill_at == "confirm" and method == "getUpdates" and int(params.get("offset") or 0) > batch[-1]:
            os.kill(child.pid, signal.SIGKILL)
        if kill_at == "tenth reply" and method == "sendMessage" and len(api.sent) - replies == 9:
            os.kill(child.pid, signal.SIGKILL)
    api.on_call = kill
    assert await asyncio.wait_for(child.wait(), 60) == -signal.SIGKILL
    log.close()
    api.on_call = None
    assert api.confirmed(batch[-1])  # Telegram will never send this batch again

    left = len(await store.read(lambda tx: tx.inbox.pending("telegram")))
    after = await TelegramChat(api, store, SystemClock()).start()
    try:
        await after.settle()
    finally:
        await after.stop()
    assert await households_by_member(store) == list(range(1, 21)), f"{left} updates were left to replay"
    assert await store.read(lambda tx: tx.inbox.pending("telegram")) == []
    output = (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert "telegram: @baocao_test_bot is up (polling)" in output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output


async def test_webhook_stores_before_answering_and_a_retry_is_stored_once(api, store, clock):
    await seed_units(store)
    tg = await TelegramChat(api, store, clock, mode="webhook").start()
    try:
        assert api.webhook["url"] == "https://bot.example.vn/telegram/webhook"
        assert api.webhook["secret_token"] == "s3cret-for-the-webhook_test"
        await join(tg, "an", "P01-KP1-T")
        await tg.say("an", "ho 9")
        press = api.press("an", "report:confirm")
        said = await tg.deliver("an", press)
        assert "Đã lưu" in said.text
        said = await tg.deliver("an", press)  # Telegram sends it again (our 200 was lost on the way)
        assert said.sent == []
        assert await households_by_member(store) == [9]
    finally:
        await tg.stop()


async def test_webhook_with_a_wrong_or_missing_secret_is_refused_and_nothing_is_stored(api, store, clock):
    await seed_units(store)
    tg = await TelegramChat(api, store, clock, mode="webhook").start()
    try:
        update = tg.update(api.message("an", "/start"))
        assert await tg.post(update, secret="wrong") == 403
        assert await tg.post(update, secret=None) == 403
        assert await tg.post(update, secret="s3cret-for-the-webhook_test" + "x") == 403
        assert await store.read(lambda tx: tx.inbox.pending("telegram")) == []
        resp = await tg.client.post("/telegram/webhook", data=b"not json",
                                    headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-for-the-webhook_test"})
        assert resp.status == 200  # with the secret it is Telegram's: kept aside as unreadable, not asked again
        await tg.settle()
        assert api.sent == []
        assert [(raw, why) for _, raw, why in await unreadable(store, "telegram")] == [
            ("not json", "JSONDecodeError in raw_decode (decoder.py:355)")]
    finally:
        await tg.stop()


async def test_one_persons_updates_run_in_order_and_everyones_are_answered(tg, api, store):
    people = ["an", "binh", "chi", "dung", "em"]
    for who in people:
        await join(tg, who, "P01-KP1-T")
    batch = []
    for n in range(1, 4):  # each sends three reports back to back, interleaved with the others
        for who in people:
            batch += [api.message(who, f"them ho {n}"), api.press(who, "report:confirm")]
    await tg.settle(batch[-1])
    assert await households_by_member(store) == sorted([1, 2, 3] * len(people))
    for who in people:
        saved = [m["text"] for m in api.sent_to(who) if "Đã lưu" in m["text"]]
        assert [s.split("(cả ngày: bạn ")[1].split(",")[0] for s in saved] == ["1", "3", "6"]
