"""Every input gets one sentence in the member's language, never "có lỗi": numbers too large to store, digits
that are not 0-9, dates beyond the calendar, control characters, display names longer than a name can be."""
from __future__ import annotations

import pytest

from tests.support.seed import invite_code, join, seed_units

INTERNAL = "có lỗi"


@pytest.fixture
async def team(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    return chat


@pytest.mark.parametrize("text, answer", [
    ("ho 12345678901234567890123456", "quá lớn"),
    ("25 18 15 12 4 1²", "chữ số 0-9"),
    ("25 18 15 12 4 ①", "chữ số 0-9"),
    ("ho ２５", "chữ số 0-9"),
])
async def test_a_volunteers_odd_numbers_are_answered_in_one_sentence(team, text, answer):
    said = await team.say("an", text)
    assert answer in said.text and INTERNAL not in said.text
    assert "Số hộ" not in said.text  # nothing was read as a figure


@pytest.mark.parametrize("text, answer", [
    ("/summary 01/01/0001", "ngoài khoảng"),
    ("/remove #99999999999999999999", "quá lớn"),
])
async def test_commands_with_numbers_beyond_range_are_answered(team, text, answer):
    said = await team.say("admin", text)
    assert answer in said.text and INTERNAL not in said.text


async def test_in_english_too(team):
    await team.say("an", "/language en")
    said = await team.say("an", "ho 1²")
    assert "digits 0-9" in said.text


async def test_a_nul_in_a_unit_code_is_stripped_before_the_database(team):
    said = await team.say("admin", "/summary P01\x00")
    assert INTERNAL not in said.text
    assert said.text == (await team.say("admin", "/summary P01")).text


async def test_an_unknown_command_is_echoed_shortened(team):
    said = await team.say("an", "/" + "x" * 5000)
    assert INTERNAL not in said.text and len(said.text) < 120


async def test_a_display_name_over_200_characters_can_join(chat, store):
    await seed_units(store)
    said = await chat.say("admin", "/invite P01-KP1-T volunteer")
    said = await chat.say("hoa", f"/start {invite_code(said.text)}", name="Hoa " * 80 + "\x00")
    assert "Chào mừng" in said.text
