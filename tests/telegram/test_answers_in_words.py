"""On Telegram: a preview confirmed by typing "ok", a new report replacing the pending one."""
from __future__ import annotations

from tests.support.telegram_chat import join


async def test_a_preview_is_confirmed_by_a_typed_word(tg):
    await join(tg, "an", "P01-KP1-T")
    await tg.say("an", "ho 25")
    said = await tg.say("an", "ho 30")
    assert "thay cho báo cáo đang chờ" in said.text
    said = await tg.say("an", "đúng rồi")
    assert "Đã lưu" in said.text and "Số hộ đã đến: 30 (cả ngày: bạn 30, tổ 30)" in said.text
