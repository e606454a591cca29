"""Poison never stops a channel: an update python-telegram-bot cannot read is kept aside, and polling goes on."""
from __future__ import annotations

from tests.support.telegram_chat import join


def unreadable_poll(api, who: str) -> int:
    """A message with a poll lacking a field python-telegram-bot requires (as an older Bot API server sends it)."""
    return api.message(who, poll={"id": "p1", "question": "Hôm nay?", "options": [], "total_voter_count": 0,
                                  "is_closed": False, "is_anonymous": True, "type": "regular"})


async def test_an_update_ptb_cannot_parse_does_not_stop_polling(tg, api):
    await join(tg, "an", "P01-KP1-T")
    poison = unreadable_poll(api, "an")
    said = await tg.say("an", "/help")
    assert api.confirmed(poison)
    assert "/report" in said.text
