"""A Telegram message dated outside a plausible window (1970, the future) counts when it was received."""
from __future__ import annotations

from tests.support.seed import seed_units
from tests.support.telegram_chat import join


async def test_a_message_dated_1970_counts_today(tg, api, store, clock):
    await seed_units(store)
    await join(tg, "an", "P01-KP1-T")
    said = await tg.deliver("an", api.message("an", "ho 11", date=0))
    assert "1970" not in said.text and "01/01" not in said.text
    said = await tg.press("an", "report:confirm")
    assert "Đã lưu" in said.text and "1970" not in said.text


async def test_a_message_dated_in_the_future_counts_now(tg, api, store, clock):
    await seed_units(store)
    await join(tg, "an", "P01-KP1-T")
    said = await tg.deliver("an", api.message("an", "ho 11", date=int(clock.now().timestamp()) + 400 * 86400))
    assert "2027" not in said.text
