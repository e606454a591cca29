"""Telegram's limits kept by the channel: answers paced per chat only, the fan-out evenly per token, 429s waited
out. Time is the channel's fake pacing clock (`tg.time`): its `wakeups` are when the pacing let a message go."""
from __future__ import annotations

import asyncio
from datetime import date

from telegram.error import RetryAfter

from bot.telegram.pacing import Pacing
from domain.messages import Address, Reply
from scheduler import jobs
from tests.support.chat import at
from tests.support.fake_time import FakeTime
from tests.support.telegram_chat import join

DAY = date(2026, 11, 20)


def person(n: int) -> Address:
    return Address("telegram", str(5000 + n))


def pace(tg, bulk_rate: float) -> None:
    tg.channel.limiter.bulk.interval = 1.0 / bulk_rate


async def test_answers_to_many_people_go_at_once_not_thirty_a_second(tg, api):
    results = await asyncio.gather(*(tg.channel.send(person(n), Reply(f"Đã lưu báo cáo {n}")) for n in range(90)))
    assert all(r.ok for r in results) and len(api.sent) == 90
    assert tg.time.wakeups == []  # nobody's answer waited: 90 chats, no overall limit on answers


async def test_one_persons_answers_keep_about_one_a_second_after_a_short_burst(tg, api):
    for n in range(7):
        assert (await tg.channel.send(person(1), Reply(f"Phần {n + 1}"))).ok
    assert [m["text"] for m in api.sent] == [f"Phần {n}" for n in range(1, 8)]  # in order
    assert tg.time.wakeups == [3.0, 6.0]  # three at once, then three in any three seconds


async def test_a_group_gets_at_most_twenty_messages_a_minute(tg, api):
    group = Address("telegram", "-1009001")
    for n in range(22):
        await tg.channel.send(group, Reply(f"Tổng hợp {n}"))
    assert len(api.sent) == 22 and tg.time.wakeups == [60.0]


async def test_bulk_sends_are_evenly_spaced_at_the_configured_rate(tg, api):
    pace(tg, 4)
    results = await asyncio.gather(*(tg.channel.send(person(n), Reply("Nhắc: hạn 16:00"), bulk=True)
                                     for n in range(9)))
    assert all(r.ok for r in results) and len(api.sent) == 9
    assert sorted(tg.time.wakeups) == [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]  # one every 1/4 s, no burst


async def test_a_429_is_waited_out_for_its_retry_after_and_the_message_delivered_once(tg, api):
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    result = await tg.channel.send(person(1), Reply("Đã lưu"))
    assert result.ok and [m["text"] for m in api.sent] == ["Đã lưu"]
    assert [p["text"] for m, p in api.calls if m == "sendMessage"] == ["Đã lưu", "Đã lưu"]
    assert tg.time.wakeups == [7.0]


async def test_a_429_on_the_fan_out_holds_every_bulk_send_meanwhile():
    time = FakeTime()
    limiter = Pacing(10, 3, clock=time.monotonic, sleep=time.sleep)
    calls: list[int] = []

    async def send_message(chat_id: int) -> bool:
        calls.append(chat_id)
        if len(calls) == 1:
            raise RetryAfter(5)
        return True

    def bulk(chat_id: int):
        return limiter.process_request(send_message, (chat_id,), {}, "sendMessage", {"chat_id": chat_id},
                                       {"bulk": True})

    assert await asyncio.gather(bulk(1), bulk(2)) == [True, True]
    assert calls == [1, 1, 2]
    assert time.wakeups == [5.0, 5.1]  # the retry after 5 s, and the next reminder, due at 0.1, after it too


async def test_429s_beyond_max_retries_fail_the_send_and_say_so(tg, api):
    tg.channel.limiter = Pacing(28, 1, clock=tg.time.monotonic, sleep=tg.time.sleep)
    tg.channel.application.bot._rate_limiter = tg.channel.limiter
    for _ in range(2):
        api.fail_next("sendMessage", 429, "Too Many Requests: retry after 2", retry_after=2)
    result = await tg.channel.send(person(1), Reply("Đã lưu"))
    assert not result.ok and not result.blocked and "retry" in result.error.lower() and api.sent == []


async def test_the_scheduler_fan_out_is_paced_as_bulk_and_answers_are_not(tg, api, clock):
    for who, unit in (("an", "P01-KP1-T"), ("binh", "P01-KP1-T"), ("chi", "P01-KP2-T")):
        await join(tg, who, unit)
    assert tg.time.wakeups == []  # answers (the invitations, the welcomes) never waited
    pace(tg, 2)
    clock.set(at("15:30"))
    outcome = await jobs.remind(tg.store, tg.app.services, tg.app, next(
        c for c in tg.app.services.rules.cutoffs if c.name == "team"), DAY, 30)
    assert outcome.sent == 3
    assert sorted(tg.time.wakeups) == [0.5, 1.0]  # three reminders, one every 1/2 s: the bulk pace
