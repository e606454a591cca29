"""A second report for a day that already has the member's figures: add, or replace the day's total."""
from __future__ import annotations

import pytest

from tests.support.seed import join, seed_units


@pytest.fixture
async def team(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    await chat.say("an", "ho 20, app 5")
    await chat.say("an", "ok")
    return chat


async def test_the_preview_shows_the_day_so_far_and_asks_add_or_replace(team):
    said = await team.say("an", "ho 25")
    assert "Bạn đã báo cáo hôm nay" in said.text and "Số hộ đã đến: 20" in said.text
    assert said.buttons == ["report:add", "report:replace", "report:cancel"]
    said = await team.press("an", "report:replace")
    assert "Số hộ đã đến: 25 (cả ngày: bạn 25, tổ 25)" in said.text
    said = await team.say("an", "ok")
    assert "Số hộ đã đến: 25 (cả ngày: bạn 25, tổ 25)" in said.text
    said = await team.say("an", "/summary")
    assert "Tổng: 25 · 5 · 0 · 0 · 0 · 0" in said.text  # the day's total replaced, installs kept


async def test_choosing_add_adds(team):
    await team.say("an", "ho 25")
    said = await team.press("an", "report:add")
    assert "Số hộ đã đến: 25 (cả ngày: bạn 45, tổ 45)" in said.text


@pytest.mark.parametrize("text, households", [("thêm 5 hộ", 25), ("bổ sung: 5 hộ", 25),
                                               ("cập nhật cả ngày 30 hộ", 30), ("tổng 30 hộ", 30)])
async def test_the_message_says_it_and_no_question_is_asked(team, text, households):
    said = await team.say("an", text)
    assert "report:confirm" in said.buttons, said.text
    said = await team.say("an", "ok")
    assert "Đã lưu" in said.text
    said = await team.say("an", "/summary")
    assert f"Tổng: {households} · 5 · 0 · 0 · 0 · 0" in said.text
