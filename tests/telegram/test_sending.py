"""The outbox on Telegram: rate limits waited out, blocked chats reported, long texts split, no token in logs."""
from __future__ import annotations

import logging

from domain.messages import Address, Button, Reply
from tests.support.seed import seed_units
from tests.support.telegram_api import TOKEN
from tests.support.telegram_chat import POLL, TelegramChat, join


def to(api, who: str) -> Address:
    return Address("telegram", str(api.user_id(who)))


async def test_a_429_is_waited_out_and_the_reply_still_arrives(tg, api):
    await join(tg, "an", "P01-KP1-T")
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    said = await tg.say("an", "/help")
    assert "/report" in said.text
    tries = [p for m, p in api.calls if m == "sendMessage" and p["text"] == said.texts[0]]
    assert len(tries) == 2  # refused once, sent on the retry


async def test_a_chat_that_blocked_the_bot_or_is_gone_is_reported_blocked(tg, api):
    api.blocked.add(str(api.user_id("an")))
    result = await tg.channel.send(to(api, "an"), Reply("Nhắc: hạn báo cáo 16:00"))
    assert not result.ok and result.blocked and "blocked" in result.error

    api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    result = await tg.channel.send(to(api, "binh"), Reply("Nhắc"))
    assert not result.ok and result.blocked

    api.fail_next("sendMessage", 400, "Bad Request: message text is empty")
    result = await tg.channel.send(to(api, "binh"), Reply("Nhắc"))
    assert not result.ok and not result.blocked  # our fault, not theirs: the member stays reachable


async def test_a_group_upgraded_to_a_supergroup_is_followed_and_its_new_id_reported(tg, api):
    api.migrated["-4001"] = "-1004001"
    result = await tg.channel.send(Address("telegram", "-4001"), Reply("Tổng hợp"))
    assert result.ok and result.moved_to == "-1004001"
    assert api.sent[-1]["chat_id"] == "-1004001" and api.sent[-1]["text"] == "Tổng hợp"
    assert result.message_ids == (str(api.sent[-1]["message_id"]),)
    result = await tg.channel.send(Address("telegram", "-1004001"), Reply("Tổng hợp 2"))
    assert result.ok and result.moved_to is None  # a chat that did not move says so


async def test_a_long_reply_is_split_at_line_boundaries_with_the_buttons_on_the_last_part(tg, api):
    lines = [f"Tổ {i:03d}: " + "1.234 · " * 8 for i in range(150)]
    reply = Reply("\n".join(lines), ((Button("Xem tiếp", "summary:more"),),))
    result = await tg.channel.send(to(api, "lan"), reply)
    assert result.ok
    parts = api.sent_to("lan")
    assert len(parts) >= 2 and all(len(p["text"]) <= 4096 for p in parts)
    assert [line for p in parts for line in p["text"].split("\n")] == lines  # no line cut, none lost
    assert [bool(p["reply_markup"]) for p in parts] == [False] * (len(parts) - 1) + [True]


async def test_the_token_and_peoples_messages_never_reach_a_log_line(api, store, clock, caplog):
    """Everything logged at any level while people join, report, hit a 429, a 403, a failing getUpdates, and
    an update python-telegram-bot cannot read (which it logs whole, names and texts, at CRITICAL)."""
    caplog.set_level(logging.DEBUG)
    await seed_units(store)
    tg = await TelegramChat(api, store, clock).start()
    try:
        await join(tg, "an", "P01-KP1-T")
        api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        await tg.say("an", "hom nay 25 ho, cai app 18")
        await tg.press("an", "report:confirm")
        api.blocked.add(str(api.user_id("an")))
        await tg.channel.send(to(api, "an"), Reply("Nhắc"))
        api.fail_next("getUpdates", 502, "Bad Gateway")
        await tg.say("binh", "xin chao")
        poison = api.message("nguyenthuy", poll=POLL)
        await tg.say("binh", "xin chao lan nua")
    finally:
        await tg.stop()
    lines = [caplog.handler.format(r) for r in caplog.records]
    assert any("rate limit hit (429)" in line for line in lines)  # the 429 was logged, and only so
    assert any("getUpdates failed" in line for line in lines)
    assert any(f"update {poison} cannot be read" in line for line in lines)
    for line in lines:
        assert TOKEN not in line and TOKEN.split(":")[1] not in line, line
        assert "hom nay 25 ho" not in line and "xin chao" not in line, line
        assert "Nguyenthuy" not in line and POLL["question"] not in line, line
