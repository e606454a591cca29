"""/undo takes back the member's last change and shows what the day returns to: after /edit, the day before the
edit, never an empty day."""
from __future__ import annotations

import pytest

from tests.support.seed import join, seed_units


@pytest.fixture
async def team(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    return chat


async def edit_households(team, to: str):
    said = await team.say("an", "/edit")
    assert "hiện tại" in said.text
    await team.say("an", to)
    for _ in range(5):
        said = await team.press("an", "report:skip")
    assert "Sửa số liệu" in said.text
    return await team.press("an", "report:confirm")


async def test_edit_then_undo_returns_the_day_as_it_was_before_the_edit(team):
    await team.say("an", "ho 10, app 4")
    await team.press("an", "report:confirm")
    await team.say("an", "them ho 5")
    await team.press("an", "report:confirm")
    said = await edit_households(team, "30")
    said = await team.say("an", "/summary")
    assert "Tổng: 30 · 4 · 0 · 0 · 0 · 0" in said.text

    said = await team.say("an", "/undo")
    said = await team.press("an", "undo:yes")
    assert "Số hộ đã đến: 15" in said.text and "4" in said.text  # the day it returns to
    said = await team.say("an", "/summary")
    assert "Tổng: 15 · 4 · 0 · 0 · 0 · 0" in said.text

    # The change before that: the second report.
    await team.say("an", "/undo")
    said = await team.press("an", "undo:yes")
    said = await team.say("an", "/summary")
    assert "Tổng: 10 · 4 · 0 · 0 · 0 · 0" in said.text


async def test_undo_of_an_edit_brings_back_every_figure_it_replaced(team):
    """Every metric the edit replaced comes back, not only the one it changed."""
    await team.say("an", "ho 10, app 4, dk muc 1 3, kh muc 1 3")
    await team.press("an", "report:confirm")
    said = await edit_households(team, "12")
    said = await team.say("an", "/undo")
    said = await team.press("an", "undo:yes")
    said = await team.say("an", "/summary")
    assert "Tổng: 10 · 4 · 3 · 3 · 0 · 0" in said.text
