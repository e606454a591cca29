"""An edited message: a report still waiting for its answer is read again from the new text; once stored, the
bot says how to correct it (/edit or /undo) instead of ignoring the edit without a word."""
from __future__ import annotations

from tests.support.telegram_chat import join


async def test_editing_a_report_still_waiting_reads_it_again(tg, api):
    await join(tg, "an", "P01-KP1-T")
    sent = api.message("an", "ho 25, app 18")
    said = await tg.deliver("an", sent)
    assert "report:confirm" in said.buttons
    said = await tg.deliver("an", api.edit("an", sent, "ho 52, app 18"))
    assert "52" in said.text and "report:confirm" in said.buttons
    said = await tg.press("an", "report:confirm")
    assert "Đã lưu" in said.text
    said = await tg.say("an", "/summary")
    assert "Tổng: 52 · 18" in said.text


async def test_editing_a_stored_report_says_how_to_correct_it(tg, api):
    await join(tg, "an", "P01-KP1-T")
    sent = api.message("an", "ho 25")
    await tg.deliver("an", sent)
    assert "Đã lưu" in (await tg.press("an", "report:confirm")).text
    said = await tg.deliver("an", api.edit("an", sent, "ho 30"))
    assert "/edit" in said.text and "/undo" in said.text
    said = await tg.say("an", "/summary")
    assert "Tổng: 25 · 0" in said.text  # the edit changed nothing stored
