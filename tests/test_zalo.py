"""The bot on Zalo: real HTTP to its webhook, a Zalo Bot API double on 127.0.0.1, SQLite and PostgreSQL."""
from __future__ import annotations

import asyncio
import json
import logging

import aiohttp
import pytest
from sqlalchemy import func, select

from application.summaries import collect, render
from bot.zalo.channel import NAME, sent_at
from domain.messages import Address, Reply
from storage.schema import deliveries, entries, inbox
from tests.support.chat import at
from tests.support.flaky import FlakyStore
from tests.support.inbox import unreadable
from tests.support.seed import invite_code, join, seed_units
from doubles.zalo_api import BOT_ID, SECRET, TOKEN, ZaloApi, event
from tests.support.zalo_bot import running_bot


@pytest.fixture
async def bot(store, clock):
    await seed_units(store)
    async with running_bot(store, clock) as running:
        yield running


async def count(store, table, *where) -> int:
    return await store.read(lambda tx: _count(tx, table, where))


async def _count(tx, table, where):
    return (await tx.conn.execute(select(func.count()).select_from(table).where(*where))).scalar_one()


async def join_on_zalo(bot, who: str, unit: str = "P01-KP1-T", role: str = "volunteer", name: str | None = None):
    said = await bot.chat.say("admin", f"/invite {unit} {role}")
    text = await bot.user.say(who, f"/start {invite_code(said.text)}", name=name)
    assert "Chào mừng" in text, text
    return text


async def test_start_registers_the_webhook_with_its_secret(bot):
    assert [c.method for c in bot.api.calls[:2]] == ["getMe", "setWebhook"]
    assert bot.api.webhook == {"url": bot.user.url, "secret_token": SECRET}
    assert bot.zalo.bot_id == BOT_ID and bot.zalo.can_join_groups is False


async def test_a_volunteer_works_entirely_on_zalo(bot):
    await join_on_zalo(bot, "zan", name="An Zalo")

    text = await bot.user.say("zan", "hom nay 25 ho, cai app 18, dk muc 1 15, kh muc1 12, muc 2: 4")
    assert "Số hộ đã đến: 25" in text
    assert "1. ✅ Xác nhận\n2. ✏️ Sửa\n3. Huỷ" in text  # Zalo has no buttons: numbered choices, one per line
    text = await bot.user.say("zan", "1")
    assert "✅ Đã lưu" in text and "Số hộ đã đến: 25 (cả ngày: bạn 25, tổ 25)" in text

    text = await bot.user.say("zan", "/report")
    assert "(1/6) Số hộ đã đến?" in text and "«bỏ qua»" in text  # a number is awaited: typed words, not numbers
    text = await bot.user.say("zan", "10")
    assert "(2/6)" in text
    for _ in range(5):
        text = await bot.user.say("zan", "bỏ qua")
    assert "Số hộ đã đến: 10 (cả ngày: bạn 35, tổ 35)" in text and "1. ✅ Xác nhận" in text
    text = await bot.user.say("zan", "1")
    assert "✅ Đã lưu" in text

    text = await bot.user.say("zan", "/undo")
    assert "Số hộ đã đến: 10" in text and "1. Rút lại\n2. Giữ nguyên" in text
    text = await bot.user.say("zan", "1")
    assert "Đã rút lại" in text and "Số hộ đã đến: 25" in text

    text = await bot.user.say("zan", "/summary")
    assert "Tổng: 25 · 18 · 15 · 12 · 4 · 0" in text
    assert await count(bot.app.store, entries, entries.c.withdrawn_at.is_(None)) == 1
    assert await count(bot.app.store, inbox) == 0  # every stored event was processed


async def test_both_body_shapes_are_accepted(bot):
    await join_on_zalo(bot, "zan")
    text = await bot.user.say("zan", "ho 7", wrapped=False)
    assert "Số hộ đã đến: 7" in text


async def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_stored(bot):
    before = len(bot.api.calls)
    assert await bot.user.post(event("zan", "/start x"), secret="wrong-secret-1") == 403
    assert await bot.user.post(event("zan", "/start x"), secret="") == 403
    await bot.zalo.settled()
    assert await count(bot.app.store, inbox) == 0
    assert await count(bot.app.store, deliveries) == 0
    assert len(bot.api.calls) == before  # nothing answered


async def test_a_duplicate_delivery_is_answered_2xx_and_stores_once(bot):
    await join_on_zalo(bot, "zan")
    await bot.user.say("zan", "ho 9")
    confirm = event("zan", "1", message_id="5a1b2c3d4e5f60718293")
    before = len(bot.api.sent)
    assert await bot.user.post(confirm) == 200
    await bot.zalo.settled()
    assert await bot.user.post(confirm) == 200
    assert await bot.user.post(confirm, wrapped=False) == 200
    await bot.zalo.settled()
    assert len(bot.api.sent) == before + 1  # one "saved", no second answer
    assert await count(bot.app.store, entries) == 1
    assert await count(bot.app.store, deliveries, deliveries.c.delivery_id == "5a1b2c3d4e5f60718293") == 1


async def test_the_event_is_stored_before_the_webhook_answers(store, clock):
    """Processing is held back: the POST is answered, and the raw event already waits in the inbox."""
    gate = asyncio.Event()

    async def hold(app):
        handle = app.dispatcher.handle

        async def held(msg):
            await gate.wait()
            return await handle(msg)
        app.dispatcher.handle = held

    await seed_units(store)
    async with running_bot(store, clock, before_start=hold) as bot:
        assert await bot.user.post(event("zan", "xin chao", message_id="aaaabbbbccccddddeeee")) == 200
        rows = await store.read(lambda tx: tx.inbox.pending(NAME))
        assert [r.delivery_id for r in rows] == ["aaaabbbbccccddddeeee"]
        assert json.loads(rows[0].payload)["result"]["message"]["text"] == "xin chao"
        gate.set()
        await bot.zalo.settled()
        assert await count(store, inbox) == 0
        assert "chưa là thành viên" in bot.api.texts_to("zan")[0]


async def test_events_left_in_the_inbox_are_replayed_at_start(store, clock):
    await seed_units(store)
    left = json.dumps({"ok": True, "result": event("zan", "/help", message_id="0123456789abcdef0123")})
    await store.write(lambda tx: tx.inbox.put(NAME, [("0123456789abcdef0123", left)], clock.now()))
    async with running_bot(store, clock) as bot:
        await bot.zalo.settled()
        assert "/start" in bot.api.texts_to("zan")[0]
        assert await count(store, inbox) == 0


async def test_the_bots_own_echo_is_ignored(bot):
    await join_on_zalo(bot, "zan")
    before = len(bot.api.calls)
    deliveries_before = await count(bot.app.store, deliveries)
    assert await bot.user.post(event(BOT_ID, "✅ Đã lưu báo cáo", name="bot.baocao")) == 200
    await bot.zalo.settled()
    assert len(bot.api.calls) == before
    assert await count(bot.app.store, deliveries) == deliveries_before
    assert await count(bot.app.store, inbox) == 0


async def test_stickers_images_and_withheld_content_get_a_polite_note(bot):
    await join_on_zalo(bot, "zan")
    for name in ("message.sticker.received", "message.unsupported.received", "message.image.received"):
        text = await bot.user.say("zan", "", event_name=name)
        assert "Bot chỉ đọc tin nhắn chữ" in text, name


async def test_group_events_wait_until_zalo_allows_groups(bot):
    assert await bot.user.post(event("zan", "/summary", group="group0000000000000001")) == 200
    await bot.zalo.settled()
    assert await count(bot.app.store, inbox) == 0 and await count(bot.app.store, deliveries) == 0


async def test_a_long_message_is_split_below_2000_characters_at_line_boundaries(bot):
    lines = [f"{i:03d} Tổ CNS Khu phố {i}: 25 · 18 · 15 · 12 · 4 · 1 ✅" for i in range(90)]
    text = "\n".join(lines)
    assert len(text) > 4000
    result = await bot.app.send(Address(NAME, "zleader"), Reply(text))
    parts = bot.api.texts_to("zleader")
    assert result.ok and len(parts) == 3 and len(set(result.message_ids)) == 3 and all(result.message_ids)
    assert all(len(p) <= 2000 for p in parts)
    assert "\n".join(parts) == text  # nothing lost, every cut at a line end
    assert bot.time.sleeps == [1.0, 1.0]  # paced: about one message a second per chat


async def test_a_429_is_retried_with_backoff(bot):
    bot.api.fail("sendMessage", 429, times=2)
    result = await bot.app.send(Address(NAME, "zan"), Reply("Nhắc: còn 30 phút để báo cáo."))
    assert result.ok
    assert len(bot.api.of("sendMessage")) == 3 and bot.api.texts_to("zan") == ["Nhắc: còn 30 phút để báo cáo."]
    assert bot.time.sleeps == [1.0, 2.0]


async def test_a_user_who_blocked_the_bot_is_reported_blocked(bot):
    bot.api.block("zgone")
    result = await bot.app.send(Address(NAME, "zgone"), Reply("Nhắc: còn 30 phút để báo cáo."))
    assert not result.ok and result.blocked


async def test_polling_mode_deletes_the_webhook_then_reads_updates(store, clock):
    await seed_units(store)
    api = ZaloApi()
    async with running_bot(store, clock, mode="polling", api=api) as bot:
        said = await bot.chat.say("admin", "/invite P01-KP1-T volunteer")
        api.push(event("zan", f"/start {invite_code(said.text)}"))
        api.push(event(BOT_ID, "an echo of the bot"))
        api.push(event("zan", "ho 12"))
        await asyncio.wait_for(api.until_sent(2), timeout=30)  # a guard against hanging, not a timing
        await bot.zalo.settled()
        methods = [c.method for c in api.calls]
        assert methods[:3] == ["getMe", "deleteWebhook", "getUpdates"]
        assert "setWebhook" not in methods
        texts = api.texts_to("zan")
        assert "Chào mừng" in texts[0] and "Số hộ đã đến: 12" in texts[1] and len(texts) == 2



async def test_one_member_on_zalo_and_the_test_channel_is_counted_once(bot):
    await join(bot.chat, "an", "P01-KP1-T")
    said = await bot.chat.say("an", "/link_account")
    code = said.text.split("/link_account ")[1].split()[0]
    text = await bot.user.say("zan", f"/link_account {code}", name="An on Zalo")
    assert "Đã liên kết! An" in text
    await bot.zalo.settled()
    assert [(chat, "vừa được liên kết" in r.text) for chat, r in bot.outbox.sent] == [("an", True)]

    await bot.chat.say("an", "ho 10, app 2")
    await bot.chat.press("an", "report:confirm")
    text = await bot.user.say("zan", "them ho 5")
    assert "Số hộ đã đến: 5 (cả ngày: bạn 15, tổ 15)" in text
    await bot.user.say("zan", "1")

    said = await bot.chat.say("admin", "/summary P01-KP1-T")
    assert "Đã báo cáo: 1/1 tổ" in said.text
    assert "✅ An: 15 · 2 · 0 · 0 · 0 · 0" in said.text and said.text.count("An") == 1
    assert "Tổng: 15 · 2 · 0 · 0 · 0 · 0" in said.text


async def test_a_ward_leader_on_zalo_gets_one_summary_of_both_channels(bot):
    """Binh reports on the test channel, Chi on Zalo, both in Tổ CNS KP1; their ward leader is on Zalo."""
    await join(bot.chat, "binh", "P01-KP1-T")
    await join_on_zalo(bot, "zchi", name="Chi")
    await join_on_zalo(bot, "zlead", unit="P01", role="leader", name="Lan")

    await bot.chat.say("binh", "ho 20, app 10, muc 1 8, kh muc 1 6")
    await bot.chat.press("binh", "report:confirm")
    await bot.user.say("zchi", "ho 5, app 3, muc 1 2, kh muc 1 1, muc 2 1")
    await bot.user.say("zchi", "1")

    text = await bot.user.say("zlead", "/summary")
    assert "📊 Phường Bến Nghé" in text and "Đã báo cáo: 1/2 tổ" in text
    assert "✅ Tổ CNS KP1: 25 · 13 · 10 · 7 · 1 · 0" in text
    assert "Tổng: 25 · 13 · 10 · 7 · 1 · 0" in text and "Tổ CNS KP2" in text
    text = await bot.user.say("zlead", "/summary P01-KP1-T")
    assert "✅ Binh: 20 · 10 · 8 · 6 · 0 · 0" in text and "✅ Chi: 5 · 3 · 2 · 1 · 1 · 0" in text

    # What the scheduler does at the cut-off: the same summary, to the leader's private Zalo chat.
    async def leader_summary(tx):
        lan = await tx.members.by_identity(NAME, "zlead")
        s = await collect(tx, bot.chat.rules, await tx.units.get(lan.unit_id), bot.chat.services.today())
        return lan, render(s, bot.chat.rules, bot.chat.services.translator.for_language(lan.language))
    lan, summary_text = await bot.app.store.read(leader_summary)
    before = len(bot.api.sent)
    result = await bot.app.send(Address(NAME, lan.address_on(NAME)), Reply(summary_text))
    assert result.ok and bot.api.sent[before:] == [("zlead", summary_text)]


async def test_buttons_on_a_message_from_outside_a_conversation_are_left_out(bot):
    from domain.messages import Button

    reminder = Reply("Còn 30 phút để báo cáo. Gõ /report.", ((Button("Báo cáo", "report:start"),),))
    assert (await bot.app.send(Address(NAME, "zan"), reminder)).ok
    assert bot.api.texts_to("zan") == ["Còn 30 phút để báo cáo. Gõ /report."]


async def test_a_report_replayed_after_downtime_counts_when_it_was_sent(store, clock):
    await seed_units(store)
    clock.set(at("15:50"))
    async with running_bot(store, clock) as bot:
        await join_on_zalo(bot, "zan")
    # Sent at 15:55 and confirmed at 15:56 while the bot was down; it comes back at 16:10, after the cut-off.
    sent = [event("zan", "ho 7", date=millis(at("15:55"))), event("zan", "1", date=millis(at("15:56")))]
    await store.write(lambda tx: tx.inbox.put(NAME, [(e["message"]["message_id"], json.dumps(e)) for e in sent],
                                              clock.now()))
    clock.set(at("16:10"))
    async with running_bot(store, clock) as bot:
        await bot.zalo.settled()
        saved = bot.api.texts_to("zan")[-1]
        assert "✅ Đã lưu" in saved and "nộp muộn" not in saved, saved


def test_an_implausible_zalo_date_falls_back_to_the_bots_clock():
    now = at("16:10")
    assert sent_at({"date": millis(at("15:55"))}, now) == at("15:55")
    for message in ({}, {"date": "soon"}, {"date": millis(at("16:20"))}, {"date": 1750316131602}):
        assert sent_at(message, now) == now, message


def millis(when) -> int:
    return int(when.timestamp() * 1000)


# Poison never stops the channel, and nothing personal reaches a log.

async def healthz(bot) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{bot.web.port}/healthz") as resp:
            return resp.status, await resp.json()


async def test_an_event_that_cannot_be_read_is_kept_aside_answered_200_and_logged_once(bot, caplog):
    no_id = {"event_name": "message.text.received",
             "message": {"from": {"id": "zmai", "display_name": "Tran Thi Mai"}, "text": "ho 25 bi mat"}}
    assert await bot.user.post({}, raw="not json {") == 200
    assert await bot.user.post(no_id) == 200
    assert await bot.user.post(no_id) == 200  # sent again: recognised by its text, kept once
    text = await bot.user.say("zan", "/help")
    assert "/start" in text  # what comes after is handled
    kept = await unreadable(bot.app.store, NAME)
    assert [(raw, why) for _, raw, why in kept] == [
        ("not json {", "JSONDecodeError in raw_decode (decoder.py:355)"),
        (json.dumps({"ok": True, "result": no_id}), "no usable message_id")]
    assert all(d.startswith("unreadable:") and len(d) <= 64 for d, _, _ in kept)
    assert bot.api.texts_to("zmai") == []
    lines = [caplog.handler.format(r) for r in caplog.records]
    assert len([line for line in lines if "cannot be read" in line]) == 2
    assert not [line for line in lines if "Tran Thi Mai" in line or "ho 25 bi mat" in line]


async def test_polling_goes_on_after_any_failure_and_healthz_tells(store, clock, caplog):
    await seed_units(store)
    api = await ZaloApi().start()
    try:
        api.fail("getUpdates", 401, times=2)  # a token revoked for a moment: polling used to stop for good
        async with running_bot(store, clock, mode="polling", api=api) as bot:
            api.push(event("zan", "/help"))
            api.push({"event_name": "message.text.received", "message": {"text": "ho 25 bi mat"}})
            api.push(event("zan", "/help"))
            await asyncio.wait_for(api.until_sent(2), timeout=30)  # a guard against hanging, not a timing
            await bot.zalo.settled()
            assert bot.time.sleeps[:2] == [2.0, 4.0]  # the polling backoff
            status, body = await healthz(bot)
            assert status == 200 and body["ok"] is True
            assert body["channels"]["zalo"]["last_ok"] == clock.now().isoformat()
            assert [why for _, _, why in await unreadable(store, NAME)] == ["no usable sender id"]
    finally:
        await api.stop()
    errors = [r for r in caplog.records if "Zalo polling" in r.getMessage()]
    assert [r.levelname for r in errors] == ["ERROR", "ERROR"] and "401" in errors[0].getMessage()


async def test_a_store_that_fails_answers_500_shows_in_healthz_and_logs_nothing_personal(store, clock, caplog):
    caplog.set_level(logging.DEBUG)
    await seed_units(store)
    flaky = FlakyStore(store)
    async with running_bot(flaky, clock) as bot:
        await join_on_zalo(bot, "zan", name="Tran Thi Mai")
        flaky.fail_writes(1, carrying="Tran Thi Mai: ho 25 bi mat")
        report = event("zan", "ho 25 bi mat", name="Tran Thi Mai")
        assert await bot.user.post(report) == 500  # not stored: Zalo sends it again
        status, body = await healthz(bot)
        assert status == 200 and body["ok"] is False
        assert body["channels"]["zalo"]["failing"] is True
        assert body["channels"]["zalo"]["error"].startswith("DatabaseAway in write")
        assert await bot.user.post(report) == 200
        await bot.zalo.settled()
        assert "Số hộ đã đến: 25" in bot.api.texts_to("zan")[-1]
        assert (await healthz(bot))[1]["ok"] is True
        bot.api.fail("sendMessage", 502, times=10)
        await bot.user.say("zan", "1")  # stored, but the answer cannot go: logged without it
        bot.api.block("zan")
        await bot.app.send(Address(NAME, "zan"), Reply("Nhắc: ho 25 bi mat"))
    lines = [caplog.handler.format(r) for r in caplog.records]
    assert any("could not store an event (DatabaseAway" in line for line in lines)
    assert any("a reply on zalo was not delivered" in line for line in lines)
    for line in lines:
        assert "Tran Thi Mai" not in line and "bi mat" not in line and TOKEN not in line, line
