"""A free-text report in the chat is read by domain.reading: previewed, asked about when unsure, or refused."""
from __future__ import annotations

import pytest

from tests.support.seed import join, seed_units


@pytest.fixture
async def team(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    return chat


async def test_a_message_is_read_and_previewed_for_the_day_it_states(team):
    said = await team.say("an", "hom wa 15 ho, dk m1 5, KH M1: 3")
    assert "hôm qua" in said.text
    assert "Số hộ đã đến: 15" in said.text and "Kích hoạt mức 1: 3" in said.text
    assert "Đăng ký mức 1: 5" in said.text
    said = await team.press("an", "report:confirm")
    assert "Đã lưu" in said.text and "hôm qua" in said.text


async def test_which_level_is_asked_with_buttons_and_the_answer_completes_the_preview(team):
    await team.say("an", "dk m1 16")
    await team.press("an", "report:confirm")
    said = await team.say("an", "thêm ho 20, KH 15")
    assert "«KH 15»: số 15 là của mục nào?" in said.text
    assert said.buttons == ["report:pick0", "report:pick1", "report:pick2"]
    said = await team.say("an", "1")  # a typed number picks the choice as the button would
    assert "Kích hoạt mức 1: 15" in said.text and "Số hộ đã đến: 20" in said.text
    assert "report:confirm" in said.buttons
    said = await team.press("an", "report:confirm")
    assert "Đã lưu" in said.text


async def test_seven_bare_numbers_are_a_question_and_retype_saves_nothing(team):
    said = await team.say("an", "25 18 15 12 4 1 7")
    assert "report:pick0" in said.buttons
    said = await team.press("an", f"report:pick{len(said.buttons) - 1}")
    assert "chưa lưu gì" in said.text
    said = await team.say("an", "/summary")
    assert "Tổng: 0 · 0 · 0 · 0 · 0 · 0" in said.text


async def test_a_day_beyond_the_days_back_is_refused_with_the_reason_and_nothing_stored(team):
    said = await team.say("an", "hôm kia 20 hộ")
    assert said.text.startswith("Bot không lưu báo cáo này:") and "quá hạn" in said.text
    assert said.buttons == []
    said = await team.say("an", "/summary")
    assert "Tổng: 0 · 0 · 0 · 0 · 0 · 0" in said.text


async def test_a_count_that_is_not_whole_is_refused_in_english_too(team):
    await team.say("an", "/language en")
    said = await team.say("an", "ho 0x1F")
    assert said.text.startswith("The bot did not save this report:")
