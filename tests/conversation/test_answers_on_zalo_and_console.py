"""On Zalo (HTTP double) and in the console: numbered choices, answered by a word as well as by a number."""
from __future__ import annotations

import pytest

from tests.support.seed import invite_code, seed_units
from tests.support.zalo_bot import running_bot
from tests.test_cli import UNITS, cli


@pytest.fixture
async def bot(store, clock):
    await seed_units(store)
    async with running_bot(store, clock) as running:
        yield running


async def test_on_zalo_a_preview_is_confirmed_by_ok_and_a_question_answered_by_its_number(bot):
    said = await bot.chat.say("admin", "/invite P01-KP1-T volunteer")
    await bot.user.say("zan", f"/start {invite_code(said.text)}")
    text = await bot.user.say("zan", "ho 20, KH 15")
    assert "«KH 15»" in text and "1. Kích hoạt mức 1: 15" in text
    text = await bot.user.say("zan", "3")  # Gõ lại: nothing is kept
    assert "chưa lưu gì" in text
    text = await bot.user.say("zan", "ho 20")
    assert "1. ✅ Xác nhận" in text
    text = await bot.user.say("zan", "ok")
    assert "✅ Đã lưu" in text


def console(tmp_path, typed: str):
    """A volunteer's console session on the example units: what was typed, one message a line."""
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    assert cli(tmp_path, "units", "import", str(tmp_path / "units.csv")).returncode == 0
    return cli(tmp_path, "chat", "--as", "volunteer", stdin=typed)


def test_in_the_console_a_preview_is_confirmed_by_xac_nhan(tmp_path):
    chat = console(tmp_path, "ho 12, app 3\nxác nhận\n")
    assert "Đã lưu báo cáo" in chat.stdout, chat.stdout + chat.stderr


async def test_on_zalo_a_team_leaders_day_off_is_chosen_by_number(bot):
    said = await bot.chat.say("admin", "/invite P01-KP1-T team_leader")
    await bot.user.say("zto", f"/start {invite_code(said.text)}")
    text = await bot.user.say("zto", "hom nay nghi vi mua bao")
    assert "1. 🙋 Chỉ mình tôi nghỉ\n2. 👥 Cả tổ nghỉ\n3. Huỷ" in text
    text = await bot.user.say("zto", "2")
    assert "✅ Đã ghi nhận cả tổ nghỉ" in text


def test_in_the_console_a_note_is_sent_with_the_report(tmp_path):
    chat = console(tmp_path, "ho 12, app 3\nKhó khăn: nhiều hộ đi làm xa\nok\n")
    assert "Đã lưu báo cáo" in chat.stdout and "📝 Khó khăn: nhiều hộ đi làm xa" in chat.stdout, chat.stdout
