"""Volunteers report by free text and by guided steps; every report is checked, previewed and confirmed."""
from __future__ import annotations

import pytest

from tests.support.seed import join, seed_units


@pytest.fixture
async def team(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    await join(chat, "binh", "P01-KP1-T")
    return chat


async def test_free_text_without_diacritics_is_previewed_then_stored_on_confirm(team):
    said = await team.say("an", "hom nay 25 ho, cai app 18, dk muc 1 15, kh muc1 12, muc 2: 4")
    assert "Số hộ đã đến: 25" in said.text
    assert "Kích hoạt mức 1: 12" in said.text
    assert said.buttons == ["report:confirm", "report:fix", "report:cancel"]
    said = await team.press("an", "report:confirm")
    assert "Đã lưu" in said.text
    assert "Số hộ đã đến: 25 (cả ngày: bạn 25, tổ 25)" in said.text

    said = await team.say("binh", "10 5 5 5 0 0")
    said = await team.press("binh", "report:confirm")
    assert "Số hộ đã đến: 10 (cả ngày: bạn 10, tổ 35)" in said.text


async def test_nothing_is_stored_before_confirmation(team):
    await team.say("an", "ho 25")
    said = await team.say("an", "/summary")
    assert "Tổng: 0 · 0 · 0 · 0 · 0 · 0" in said.text


async def test_guided_report_with_skip_back_and_bad_input(team):
    said = await team.say("an", "/report")
    assert "(1/6) Số hộ đã đến?" in said.text
    said = await team.say("an", "2,5")
    assert "không phải số nguyên" in said.text and "(1/6)" in said.text
    said = await team.say("an", "12")
    assert "(2/6)" in said.text
    said = await team.press("an", "report:back")
    assert "(1/6)" in said.text and "hiện tại: 12" in said.text
    await team.say("an", "20")
    for _ in range(5):
        said = await team.press("an", "report:skip")
    assert "Số hộ đã đến: 20" in said.text and "report:confirm" in said.buttons
    said = await team.press("an", "report:confirm")
    assert "Đã lưu" in said.text


async def test_implausible_and_inconsistent_values_are_refused_and_nothing_stored(team):
    said = await team.say("an", "ho 5000")
    assert "vượt mức hợp lý" in said.text and "Chưa lưu gì" in said.text
    said = await team.say("an", "muc 1 3, kh muc 1 5")
    assert "Kích hoạt mức 1 (5) không thể nhiều hơn Đăng ký mức 1 (3)" in said.text
    said = await team.say("an", "/summary")
    assert "Tổng: 0 · 0 · 0 · 0 · 0 · 0" in said.text


async def test_unreadable_text_gets_help_with_an_example(team):
    said = await team.say("an", "xin chao")
    assert "/help" in said.text and "ho 25, app 18" in said.text
    said = await team.say("an", "ho -3")
    assert said.text.startswith("Bot không lưu báo cáo này:") and "ho 25, app 18" in said.text


async def test_undo_withdraws_the_last_entry_and_keeps_an_audit_trail(team, store):
    await team.say("an", "ho 10")
    await team.press("an", "report:confirm")
    await team.say("an", "thêm ho 5")
    await team.press("an", "report:confirm")
    said = await team.say("an", "/undo")
    assert "Số hộ đã đến: 5" in said.text
    said = await team.press("an", "undo:yes")
    assert "Số hộ đã đến: 10" in said.text

    async def audit(tx):
        from sqlalchemy import select
        from storage.schema import audit_log
        return [(r.action, r.old, r.new) for r in await tx.conn.execute(select(audit_log).order_by(audit_log.c.id))]
    trail = await store.read(audit)
    assert ("entry.withdraw", '{"households": 5}', None) in trail


async def test_edit_replaces_the_day_with_new_figures(team):
    await team.say("an", "ho 10, app 4")
    await team.press("an", "report:confirm")
    said = await team.say("an", "/edit")
    assert "hiện tại: 10" in said.text
    said = await team.say("an", "12")  # households
    said = await team.press("an", "report:skip")  # installs kept at 4
    for _ in range(4):
        said = await team.press("an", "report:skip")
    assert "Sửa số liệu" in said.text and "Số hộ đã đến: 12" in said.text
    said = await team.press("an", "report:confirm")
    said = await team.say("an", "/summary")
    assert "Tổng: 12 · 4 · 0 · 0 · 0 · 0" in said.text


async def test_outsider_is_told_how_to_join_and_can_do_nothing(team):
    said = await team.say("stranger", "ho 25")
    assert "chưa là thành viên" in said.text
    said = await team.say("stranger", "/summary")
    assert "chưa là thành viên" in said.text


async def test_the_same_delivery_twice_stores_once(team):
    await team.say("an", "ho 7")
    first = await team.deliver(team.incoming("an", "report:confirm", delivery_id="dup-1",
                                             kind=__import__("domain.messages").messages.Kind.CHOICE))
    again = await team.deliver(team.incoming("an", "report:confirm", delivery_id="dup-1",
                                             kind=__import__("domain.messages").messages.Kind.CHOICE))
    assert "Đã lưu" in first.text and again.out == []
    said = await team.say("an", "/summary")
    assert "Tổng: 7 · 0" in said.text
