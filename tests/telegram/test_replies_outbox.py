"""Replies survive a crash: each is written in the transaction of the change it confirms, sent after the commit
and marked sent; a start sends what was committed and never sent. A crash between sending and marking repeats
that reply, never loses it."""
from __future__ import annotations

from tests.support.seed import seed_units
from tests.support.telegram_chat import TelegramChat, join
from tests.telegram.test_exactly_once import households_by_member


async def dies_before_sending(to, reply, *, bulk=False):
    raise RuntimeError("the process stopped here")  # after the commit, before anything reached Telegram


async def test_a_confirmation_committed_but_not_sent_goes_out_at_the_next_start(api, store, clock):
    await seed_units(store)
    first = await TelegramChat(api, store, clock).start()
    await join(first, "an", "P01-KP1-T")
    said = await first.say("an", "ho 11")
    assert "report:confirm" in said.buttons
    first.app.send = dies_before_sending
    said = await first.press("an", "report:confirm")
    assert said.texts == []  # the report is stored, and an does not know it
    assert await households_by_member(store) == [11]
    await first.stop()

    second = await TelegramChat(api, store, clock).start()
    try:
        assert "Đã lưu" in api.sent_to("an")[-1]["text"]
    finally:
        await second.stop()
    before = len(api.sent_to("an"))
    third = await TelegramChat(api, store, clock).start()  # marked sent: not again
    await third.stop()
    assert len(api.sent_to("an")) == before


async def test_a_crash_between_sending_and_marking_repeats_the_reply_once(api, store, clock):
    await seed_units(store)
    first = await TelegramChat(api, store, clock).start()
    await join(first, "an", "P01-KP1-T")
    await first.say("an", "ho 11")

    async def never_marked(reply_ids):
        raise ConnectionError("the database went away")
    first.app.dispatcher.sent = never_marked
    said = await first.press("an", "report:confirm")
    assert "Đã lưu" in said.text
    await first.stop()

    second = await TelegramChat(api, store, clock).start()
    await second.stop()
    saved = [m for m in api.sent_to("an") if "Đã lưu" in m["text"]]
    assert len(saved) == 2  # repeated, never lost
    assert await households_by_member(store) == [11]
