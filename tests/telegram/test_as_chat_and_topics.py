"""Telegram details: an anonymous admin or a post as a channel is asked to write as themselves, and nothing is
stored; a reply in a forum topic goes back to that topic, not General."""
from __future__ import annotations

from sqlalchemy import func, select

from storage.schema import entries, members
from tests.support.telegram_chat import join

ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
CHANNEL = {"id": -1001234567890, "type": "channel", "title": "Kênh phường"}


async def counts(store) -> tuple[int, int]:
    async def read(tx):
        return tuple([(await tx.conn.execute(select(func.count()).select_from(t))).scalar_one()
                      for t in (members, entries)])
    return await store.read(read)


async def to_group(tg, api, group: str, **fields) -> list[dict]:
    """Delivers a message in the group; what the bot sent to the group in answer."""
    chat = str(api.chat("x", group)["id"])
    before = len([m for m in api.sent if m["chat_id"] == chat])
    update_id = api.queue({"message": {"message_id": 900 + len(api.updates), "date": int(tg.clock.now().timestamp()),
                                       "chat": api.chat("x", group), **fields}})
    await tg.settle(update_id)
    return [m for m in api.sent if m["chat_id"] == chat][before:]


async def test_an_anonymous_admin_is_asked_to_write_as_themselves_and_nothing_is_stored(tg, api, store):
    before = await counts(store)
    said = await to_group(tg, api, "ward", **{"from": ANONYMOUS_ADMIN, "sender_chat": api.chat("x", "ward"),
                                               "text": "/start ABC123"})
    assert len(said) == 1 and said[0]["text"].startswith("Bot chỉ làm việc với từng người")
    assert await counts(store) == before
    said = await to_group(tg, api, "ward", **{"from": ANONYMOUS_ADMIN, "sender_chat": api.chat("x", "ward"),
                                               "text": "ho 12"})
    assert said == []  # in a group the bot answers commands only, as it does people


async def test_a_post_as_a_channel_is_asked_to_write_as_themselves(tg, api, store):
    before = await counts(store)
    said = await to_group(tg, api, "ward", **{"from": CHANNEL_BOT, "sender_chat": CHANNEL, "text": "/summary"})
    assert len(said) == 1 and "tư cách cá nhân thay vì kênh" in said[0]["text"]
    assert await counts(store) == before
    # The linked channel's own posts, forwarded into its discussion group by Telegram, are not someone's words.
    said = await to_group(tg, api, "ward", **{"from": CHANNEL_BOT, "sender_chat": CHANNEL, "text": "/summary",
                                               "is_automatic_forward": True})
    assert said == []


async def test_a_reply_in_a_forum_topic_goes_to_that_topic(tg, api, store):
    await join(tg, "an", "P01-KP1-T")
    said = await to_group(tg, api, "ward", **{"from": api.user("an"), "text": "/summary", "message_thread_id": 7,
                                               "is_topic_message": True})
    assert said and all(str(m["message_thread_id"]) == "7" for m in said)
    said = await to_group(tg, api, "ward", **{"from": api.user("an"), "text": "/summary"})  # General
    assert said and all(m["message_thread_id"] is None for m in said)
