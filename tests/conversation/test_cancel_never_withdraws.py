"""/huy, /huỷ and "huỷ" cancel what is in progress and never withdraw saved figures; /rutlai withdraws."""
from __future__ import annotations

import pytest

from tests.support.seed import join, seed_units


@pytest.fixture
async def team(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    await chat.say("an", "ho 20")
    await chat.say("an", "ok")
    return chat


@pytest.mark.parametrize("cancel", ["/huy", "/huỷ", "huỷ"])
async def test_cancel_inside_edit_keeps_the_saved_day(team, cancel):
    said = await team.say("an", "/edit")
    assert "hiện tại: 20" in said.text
    said = await team.say("an", cancel)
    assert ("Đã huỷ" in said.text or "Đã dừng" in said.text) and "Rút lại" not in said.text
    said = await team.say("an", "/summary")
    assert "Tổng: 20 · 0 · 0 · 0 · 0 · 0" in said.text


async def test_cancel_on_a_preview_drops_only_the_preview(team):
    await team.say("an", "thêm 5 hộ")
    said = await team.say("an", "/huỷ")
    assert "Đã huỷ" in said.text
    said = await team.say("an", "/summary")
    assert "Tổng: 20 · 0 · 0 · 0 · 0 · 0" in said.text


async def test_rutlai_withdraws_and_help_lists_the_aliases(team):
    said = await team.say("an", "/rutlai")
    assert "undo:yes" in said.buttons
    said = await team.say("an", "/help")
    assert "/rutlai" in said.text and "/huy" in said.text
