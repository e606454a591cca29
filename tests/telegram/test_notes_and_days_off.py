"""On Telegram, end to end: a difficulty with the figures and a day off sent with 👍, both in the ward leader's
summary."""
from __future__ import annotations

from tests.support.telegram_chat import join


async def test_a_difficulty_and_a_day_off_reach_the_ward_leaders_summary(tg):
    await join(tg, "an", "P01-KP1-T")
    await join(tg, "binh", "P01-KP1-T")
    await join(tg, "lan", "P01", "leader")
    said = await tg.say("an", "ho 14, app 6. Kiến nghị: xin thêm 2 điện thoại mẫu để hướng dẫn")
    assert "📝 Kiến nghị: xin thêm 2 điện thoại mẫu để hướng dẫn" in said.text
    said = await tg.press("an", "report:confirm")
    assert "Đã lưu" in said.text
    said = await tg.say("binh", "hnay e nghỉ, đi họp tổ dân phố")
    assert said.buttons == ["report:tell", "report:cancel"]
    said = await tg.say("binh", "👍")
    assert "Đã ghi nhận bạn nghỉ" in said.text
    said = await tg.say("lan", "/summary")
    assert "• Tổ CNS KP1 – Binh: hnay e nghỉ, đi họp tổ dân phố" in said.text
    assert "• Tổ CNS KP1 – An: Kiến nghị: xin thêm 2 điện thoại mẫu để hướng dẫn" in said.text
