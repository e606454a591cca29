"""How conversations feel: summaries by role, languages, text-only channels, groups, yesterday, failures."""
from __future__ import annotations

import pytest

from domain.messages import Kind
from tests.support.chat import at
from tests.support.seed import join, seed_units


@pytest.fixture
async def ward(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    await join(chat, "binh", "P01-KP1-T")
    await join(chat, "chi", "P01-KP2-T")
    await join(chat, "dung", "P02-KP1-T")
    await join(chat, "lead", "P01", "leader")
    return chat


async def report(chat, who, text):
    await chat.say(who, text)
    said = await chat.press(who, "report:confirm")
    assert "Đã lưu" in said.text, said.text


async def test_leader_summary_has_per_team_totals_grand_total_and_who_is_missing(ward):
    await report(ward, "an", "ho 100, app 20")
    await report(ward, "binh", "ho 30")
    said = await ward.say("lead", "/summary")
    text = said.text
    assert "Phường Bến Nghé" in text and "Đã báo cáo: 1/2 tổ" in text
    assert "✅ Tổ CNS KP1: 130 · 20 · 0 · 0 · 0 · 0" in text
    assert "⏳ Tổ CNS KP2: 0 · 0" in text
    assert "Tổng: 130 · 20" in text
    assert "Chưa báo cáo (1): Tổ CNS KP2" in text
    assert "Tổ CNS Đa Kao 1" not in text  # another ward


async def test_numbers_use_vietnamese_grouping(ward, store):
    from domain.model import NewEntry
    from datetime import date

    async def big(tx):
        team = await tx.units.by_code("P01-KP1-T")
        an = await tx.members.by_identity("test", "an")
        await tx.entries.add(NewEntry(an.id, team.id, date(2026, 11, 20), {"households": 130464},
                                      at("09:00"), "bulk-1"))
    await store.write(big)
    assert "130.464" in (await ward.say("lead", "/summary")).text
    await ward.say("lead", "/language en")
    assert "130,464" in (await ward.say("lead", "/summary")).text


async def test_summary_scope_follows_the_stored_role_not_the_arguments(ward):
    assert "không có quyền" in (await ward.say("an", "/summary P02-KP1-T")).text
    own = (await ward.say("an", "/summary")).text
    assert "Tổ CNS KP1" in own and "An" in own and "Binh" in own  # per member in a team's summary
    assert "không có quyền" in (await ward.say("lead", "/summary P02")).text
    assert "Phường Đa Kao" in (await ward.say("admin", "/summary P02")).text
    other_day = (await ward.say("lead", "/summary 19/11/2026")).text
    assert "📊 Phường Bến Nghé — 19/11/2026" in other_day and "20/11/2026" not in other_day
    assert "không đọc được" in (await ward.say("lead", "/summary 31/02/2026")).text
    assert "chưa đến" in (await ward.say("lead", "/summary 21/11/2026")).text


async def test_leaders_cannot_report(ward):
    assert "Chỉ thành viên của tổ" in (await ward.say("lead", "/report")).text
    assert "/help" in (await ward.say("lead", "ho 12")).text


async def test_english_member_gets_english_everywhere(ward):
    said = await ward.say("an", "/language")
    assert said.buttons == ["language:vi", "language:en"]
    assert "English it is." in (await ward.press("an", "language:en")).text
    said = await ward.say("an", "ho 12")
    assert "Households visited: 12 (day: you 12, team 12)" in said.text
    assert "/undo, /rutlai — take back" in (await ward.say("an", "/help")).text


async def test_text_only_channel_numbers_choices_and_takes_typed_words_where_numbers_are_awaited(ward, store):
    await join(ward, "zed", "P01-KP2-T")  # joins on the test channel; now the same person on a text-only one
    from domain.model import Identity

    async def link(tx):
        zed = await tx.members.by_identity("test", "zed")
        await tx.members.add_identity(zed.id, Identity("plain", "zed", "zed"))
    await store.write(link)
    said = await ward.say("zed", "ho 12", channel="plain")
    assert "1. ✅ Xác nhận\n2. ✏️ Sửa\n3. Huỷ" in said.text
    said = await ward.say("zed", "2", channel="plain")  # "Sửa": guided steps where a number is awaited
    assert "(1/6)" in said.text and "• Bỏ qua: «bỏ qua»" in said.text and "«-»" not in said.text
    said = await ward.say("zed", "2", channel="plain")  # a number here is a value, not choice 2
    assert "(2/6)" in said.text
    for _ in range(5):
        said = await ward.say("zed", "bo qua", channel="plain")  # typed without diacritics
    assert "Số hộ đã đến: 2" in said.text
    said = await ward.say("zed", "1", channel="plain")
    assert "Đã lưu" in said.text


async def test_groups_get_answers_to_commands_only(ward):
    assert (await ward.say("an", "ho 12", group="g1")).out == []
    assert "Tổ CNS KP1" in (await ward.say("an", "/summary", group="g1")).text
    assert (await ward.say("an", "/report", group="g1")).out == []  # no private conversation in a group


async def test_yesterday_can_be_reported_explicitly_and_counts_for_that_day(ward, clock):
    said = await ward.say("an", "hom qua ho 9")
    assert "hôm qua 19/11/2026" in said.text
    await ward.press("an", "report:confirm")
    assert "Tổ CNS KP1: 9" in (await ward.say("lead", "/summary 19/11/2026")).text
    assert "Tổ CNS KP1: 0" in (await ward.say("lead", "/summary")).text


async def test_reports_after_the_cutoff_are_accepted_and_marked_late(ward, clock):
    clock.set(at("16:30"))
    await ward.say("an", "ho 5")
    said = await ward.press("an", "report:confirm")
    assert "nộp muộn" in said.text
    assert "(muộn)" in (await ward.say("lead", "/summary")).text


async def test_images_and_unknown_commands_get_a_polite_answer(ward):
    assert "chỉ đọc tin nhắn chữ" in (await ward.say("an", "", kind=Kind.IMAGE)).text
    assert "Không có lệnh /foo" in (await ward.say("an", "/foo")).text
    assert (await ward.press("an", "report:confirm")).texts == ["Không có báo cáo nào đang chờ xác nhận."]


async def test_a_handler_failure_rolls_back_and_answers_once(ward, monkeypatch):
    from handlers import reporting

    async def broken(ctx, action):
        await ctx.tx.entries.withdraw(1, ctx.now)
        raise RuntimeError("boom")
    ward.dispatcher.by_conversation["report"] = reporting.FEATURE.__class__(
        conversation="report", on_input=reporting.on_input, on_choice=broken)
    await ward.say("an", "ho 5")
    msg = ward.incoming("an", "report:confirm", kind=Kind.CHOICE, delivery_id="boom-1")
    said = await ward.deliver(msg)
    assert "có lỗi" in said.text
    assert (await ward.deliver(msg)).out == []  # the failed delivery is not handled twice


async def test_a_report_replayed_after_downtime_counts_when_it_was_sent(ward, clock):
    await ward.say("an", "ho 5")
    sent = ward.incoming("an", "report:confirm", kind=Kind.CHOICE)  # pressed at 10:00 on the 20th …
    clock.set(at("00:30", day="2026-11-21"))  # … handled after midnight, once the bot is back
    said = await ward.deliver(sent)
    assert "hôm nay 20/11/2026" in said.text and "muộn" not in said.text
    assert "Tổ CNS KP1: 5" in (await ward.say("lead", "/summary 20/11/2026")).text


async def test_a_member_who_writes_again_is_reachable_again(ward, store):
    async def block(tx):
        an = await tx.members.by_identity("test", "an")
        await tx.members.set_unreachable(an.id, True)
    await store.write(block)
    await ward.say("an", "/help")

    async def reachable(tx):
        return not (await tx.members.by_identity("test", "an")).unreachable
    assert await store.read(reachable)


async def test_processed_deliveries_are_forgotten_after_some_days(ward, store, clock):
    await ward.say("an", "/help", delivery_id="old-1")
    clock.advance(days=4)
    assert await store.write(lambda tx: tx.deliveries.prune(clock.now() - __import__("datetime").timedelta(days=3))) >= 1
    assert "/report" in (await ward.say("an", "/help", delivery_id="old-1")).text  # the id is free again
