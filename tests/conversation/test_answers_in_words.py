"""A preview is confirmed, refused or sent back for a fix in words as well as by buttons, on every channel; a
pending report is never dropped silently."""
from __future__ import annotations

import pytest

from domain.answers import CANCEL, CONFIRM, FIX, meaning_of
from tests.support.seed import join, seed_units


@pytest.mark.parametrize("word", ["ok", "oke", "ừ", "có", "đúng", "đúng rồi", "chuẩn", "xác nhận", "Xác nhận",
                                  "lưu", "gửi", "yes", "👍", "✅", "OK!"])
def test_words_that_confirm(word):
    assert meaning_of(word) == CONFIRM


@pytest.mark.parametrize("word, meaning", [("không", CANCEL), ("huỷ", CANCEL), ("hủy", CANCEL), ("thôi", CANCEL),
                                           ("cancel", CANCEL), ("no", CANCEL), ("sai", FIX), ("sửa", FIX),
                                           ("fix", FIX), ("25 hộ", None), ("1", None)])
def test_words_that_refuse_or_fix(word, meaning):
    assert meaning_of(word) == meaning


@pytest.fixture
async def team(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    await join(chat, "lead", "P01", "leader")
    return chat


@pytest.mark.parametrize("word", ["ok", "đúng rồi", "Xác nhận", "👍", "1."])
async def test_a_preview_is_confirmed_in_words(team, word):
    await team.say("an", "ho 25")
    said = await team.say("an", word)
    assert "Đã lưu" in said.text


async def test_no_drops_the_report_and_sai_opens_the_fix(team):
    await team.say("an", "ho 25")
    said = await team.say("an", "không")
    assert "Đã huỷ" in said.text
    await team.say("an", "ho 25")
    said = await team.say("an", "sai")
    assert "(1/6)" in said.text and "hiện tại: 25" in said.text
    said = await team.say("an", "không")  # a number is awaited: "không" is zero, not a no
    assert "(2/6)" in said.text


async def test_a_new_report_replaces_the_pending_one_and_says_so(team):
    await team.say("an", "ho 25")
    said = await team.say("an", "ho 30")
    assert "thay cho báo cáo đang chờ" in said.text and "Số hộ đã đến: 30" in said.text
    said = await team.say("an", "ok")
    assert "Số hộ đã đến: 30 (cả ngày: bạn 30, tổ 30)" in said.text


async def test_other_text_is_answered_with_what_still_waits(team):
    await team.say("an", "ho 25")
    said = await team.say("an", "chào bot")
    assert "vẫn đang chờ xác nhận" in said.text and "Số hộ đã đến: 25" in said.text
    assert "report:confirm" in said.buttons
    said = await team.say("an", "ok")
    assert "Đã lưu" in said.text


async def test_a_leaders_confirmation_is_given_in_words_in_english_too(team):
    await team.say("lead", "/language en")
    said = await team.say("lead", "/quota set P01-KP1-T kh1 40")
    assert said.buttons and said.buttons[0].endswith(":confirm"), said.text
    said = await team.say("lead", "yes")
    said = await team.say("lead", "/quota P01-KP1-T")
    assert "40" in said.text, said.text
