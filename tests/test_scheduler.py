"""Reminders reach exactly those who have not reported, once, never after the cut-off, whatever restarts or
second processes happen; bounced messages mark the member unreachable; the real APScheduler is built from config."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.config import Settings, load_settings
from application import chasing
from application.sends import ChatRecipient, MemberRecipient, Send, recipient_key
from domain.messages import Address
from domain.settings import Campaign, CampaignRules
from scheduler import jobs
from scheduler.service import Scheduler
from scheduler.settings import SchedulerSettings
from storage.schema import sends
from tests.support.backends import second_store
from tests.support.chat import Chat, at
from tests.support.field import DAY, REPORTERS, at_cutoff, cutoff, populate, remind, report
from tests.support.outbox import RecordingOutbox

ROOT = Path(__file__).resolve().parent.parent
GRACE = timedelta(minutes=60)


@pytest.fixture
async def field(chat):
    await populate(chat)
    return chat


@pytest.fixture
def outbox() -> RecordingOutbox:
    return RecordingOutbox()


async def test_reminders_reach_exactly_the_non_reporters_once_most_urgent_first(field, clock, outbox):
    await report(field, "an", "ho 12")
    clock.set(at("15:30"))
    outcome = await remind(field, outbox, "team", 30, concurrency=1)
    # Teams with nothing yet first (KP2, then Đa Kao), then the rest of KP1, where An already reported.
    assert outbox.chats == ["chi", "dung", "binh", "tam"]
    assert outcome.sent == 4 and outcome.already == 0
    text = outbox.to("binh")[0]
    assert "Chào Binh" in text and "Tổ CNS KP1" in text and "Hạn chót 16:00, còn 30 phút" in text
    again = await remind(field, outbox, "team", 30)
    assert len(outbox.sent) == 4 and again.already == 4 and again.sent == 0


async def test_a_member_who_reports_after_the_plan_is_made_is_not_reminded(field, clock, outbox, store):
    clock.set(at("15:30"))
    sends_ = await store.read(lambda tx: chasing.reporter_reminders(
        tx, field.services, None, DAY, at("16:00"), "team-30", clock.now()))
    await report(field, "chi", "ho 3")
    outcome = await jobs.deliver(store, field.services, outbox, sends_)
    assert "chi" not in outbox.chats and outcome.stale == 1 and outcome.sent == 4


async def test_two_scheduler_processes_on_one_database_send_each_reminder_once(field, clock, outbox, store):
    clock.set(at("15:50"))
    async with second_store(store, clock) as other:
        first, second = await asyncio.gather(remind(field, outbox, "team", 10, concurrency=2),
                                             remind(field, outbox, "team", 10, store=other, concurrency=2))
    assert sorted(outbox.chats) == sorted(REPORTERS)
    assert first.sent + second.sent == 5 and first.already + second.already == 5


async def test_a_restart_across_a_reminder_time_catches_up_once(field, clock, outbox, store):
    clock.set(at("15:20"))
    assert await jobs.catch_up(store, field.services, outbox, grace=GRACE) == []  # nothing due yet
    clock.set(at("15:40"))  # the bot was down at 15:30
    await jobs.catch_up(store, field.services, outbox, grace=GRACE)
    assert sorted(outbox.chats) == sorted(REPORTERS)
    clock.set(at("15:45"))  # and restarted once more
    await jobs.catch_up(store, field.services, outbox, grace=GRACE)
    assert len(outbox.sent) == 5
    clock.set(at("15:50"))
    await remind(field, outbox, "team", 10)
    assert len(outbox.sent) == 10 and all(outbox.chats.count(who) == 2 for who in REPORTERS)


async def test_down_through_both_reminders_catches_up_with_one_not_two(field, clock, outbox, store):
    clock.set(at("15:55"))
    await jobs.catch_up(store, field.services, outbox, grace=GRACE)
    assert sorted(outbox.chats) == sorted(REPORTERS)
    assert all("còn 5 phút" in text for _, text in outbox.sent)


async def test_nothing_reaches_volunteers_at_or_after_the_cutoff(field, clock, outbox, store):
    clock.set(at("16:00"))
    outcome = await remind(field, outbox, "team", 10)
    assert outcome.skipped and outbox.sent == []
    clock.set(at("16:05"))  # a restart just after the cut-off: the summary and missing lists, no reminder
    await jobs.catch_up(store, field.services, outbox, grace=GRACE)
    assert not set(outbox.chats) & (REPORTERS - {"tam"})
    assert "Chưa báo cáo (2)" in outbox.to("lead")[0]
    assert "Tam" in outbox.to("tam")[0] and "chưa báo cáo" in outbox.to("tam")[0]
    clock.set(at("17:10"))  # past the grace: the 16:00 summary is not repeated, the 17:00 one goes
    outbox.clear()
    await jobs.catch_up(store, field.services, outbox, grace=GRACE)
    assert set(outbox.chats) == {"quan"}


async def test_each_bot_sends_at_its_own_pace_a_slow_one_holding_up_no_other(field, clock, store):
    """A fan-out spanning two bots' channels: while one bot's sends are held, the other's all go out."""
    class OneSlowBot(RecordingOutbox):
        async def send(self, to, reply, *, bulk=False):
            if to.channel == "telegram:slow":
                await held.wait()
            return await super().send(to, reply, bulk=bulk)

    held = asyncio.Event()
    outbox = OneSlowBot()
    sends_ = [Send("summary", "manual", DAY, ChatRecipient(Address(bot, f"-{n}")), Address(bot, f"-{n}"), "🔔 Tổng hợp",
                   urgency=(n,)) for n in range(1, 7) for bot in ("telegram:slow", "telegram")]
    clock.set(at("16:00"))
    job = asyncio.create_task(jobs.deliver(store, field.services, outbox, sends_, concurrency=2))

    async def the_fast_bot_done() -> None:
        while len(outbox.sent) < 6 and not job.done():
            await asyncio.sleep(0)

    await asyncio.wait_for(the_fast_bot_done(), 15)  # only keeps a broken fan-out from hanging the suite
    assert [to.channel for to, _ in outbox.sent] == ["telegram"] * 6
    assert outbox.bulk == [to.chat_id for to, _ in outbox.sent]  # every scheduled send marked bulk
    held.set()
    outcome = await job
    assert outcome.sent == 12 and len(outbox.sent) == 12


async def test_a_reminder_run_stops_when_the_next_reminder_is_due(field, clock, outbox, store):
    clock.set(at("15:30"))
    sends_ = await store.read(lambda tx: chasing.reporter_reminders(
        tx, field.services, None, DAY, at("16:00"), "team-30", clock.now()))
    clock.set(at("15:50"))
    outcome = await jobs.deliver(store, field.services, outbox, sends_, until=at("15:50"))
    assert outbox.sent == [] and outcome.expired == 5


async def test_a_blocked_member_is_marked_unreachable_reported_once_and_never_retried(field, clock, store):
    outbox = RecordingOutbox(blocked={"binh"})
    clock.set(at("15:30"))
    outcome = await remind(field, outbox, "team", 30)
    assert outcome.blocked == 1 and outcome.notes == 1
    note = [t for t in outbox.to("tam") if "⚠️" in t]
    assert len(note) == 1 and "Binh (Tổ CNS KP1)" in note[0] and "chặn bot" in note[0]
    binh = await store.read(lambda tx: tx.members.by_identity("test", "binh"))
    assert binh.unreachable
    outbox.attempts.clear()
    clock.set(at("15:50"))
    await remind(field, outbox, "team", 10)
    assert "binh" not in outbox.attempts and len([t for t in outbox.to("tam") if "⚠️" in t]) == 1

    async def outcomes(tx):
        return {(r.topic, r.recipient, r.outcome) for r in await tx.conn.execute(select(sends))}
    assert ("team-30", f"member:{binh.id}", "blocked") in await store.read(outcomes)


def test_recipients_are_stored_as_before_so_claims_made_earlier_still_hold():
    assert recipient_key(MemberRecipient(17)) == "member:17"
    assert recipient_key(ChatRecipient(Address("telegram:P01", "-100123"))) == "chat:telegram:P01:-100123"
    private = Send("remind", "team-30", DAY, MemberRecipient(17), Address("telegram", "5"), "⏰")
    group = Send("summary", "team", DAY, ChatRecipient(Address("telegram", "-1")), Address("telegram", "-1"), "🔔")
    assert private.key == ("remind", "team-30", DAY, "member:17") and private.member_id == 17
    assert group.key == ("summary", "team", DAY, "chat:telegram:-1") and group.member_id is None


async def test_ward_leaders_are_reminded_before_the_next_cutoff_only_with_teams_missing(field, clock, outbox):
    await report(field, "dung", "ho 4")  # Đa Kao's only team has reported
    clock.set(at("16:40"))
    await remind(field, outbox, "ward", 20)
    assert outbox.chats == ["lead"]
    text = outbox.to("lead")[0]
    assert "Phường Bến Nghé: còn 2 tổ chưa báo cáo" in text and "Tổ CNS KP1, Tổ CNS KP2" in text
    assert "còn 20 phút" in text


async def test_days_off_and_paused_teams_silence_reminders(store, clock, outbox):
    rules = CampaignRules(campaign=Campaign(weekly_days_off=("friday",), holidays=(DAY + timedelta(days=1),)))
    chat = Chat(store, clock, rules=rules, admins={"test": frozenset({"admin"})})
    await populate(chat)
    clock.set(at("15:30"))
    assert (await remind(chat, outbox, "team", 30)).skipped == "day off"
    clock.set(at("16:00"))
    await at_cutoff(chat, outbox, "team")  # nobody reported on a day off: no summary, no missing lists
    assert outbox.sent == []
    next_day = DAY + timedelta(days=1)  # a holiday
    clock.set(at("15:30", "2026-11-21"))
    assert (await remind(chat, outbox, "team", 30, day=next_day)).skipped == "day off"

    clock.set(at("10:00", "2026-11-22"))
    said = await chat.say("lead", "/pause P01-KP2-T")
    assert "tạm dừng nhắc nhở cho Tổ CNS KP2" in said.text
    clock.set(at("15:30", "2026-11-22"))
    await remind(chat, outbox, "team", 30, day=next_day + timedelta(days=1))
    assert sorted(outbox.chats) == sorted(REPORTERS - {"chi"})


async def test_the_real_apscheduler_is_built_from_config_with_deliberate_misfire_grace(store, clock, caplog):
    settings = load_settings(ROOT / "config.toml")
    chat = Chat(store, clock, settings=settings)
    scheduler = Scheduler(store, chat.services, RecordingOutbox(), settings.scheduler)
    aps = scheduler.build()
    now = at("10:00")  # Friday 20/11/2026
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    expected = {
        "remind:team:30": (datetime(2026, 11, 20, 15, 30, tzinfo=tz), 20 * 60),
        "remind:team:10": (datetime(2026, 11, 20, 15, 50, tzinfo=tz), 10 * 60),
        "cutoff:team": (datetime(2026, 11, 20, 16, 0, tzinfo=tz), 3600),
        "remind:ward:20": (datetime(2026, 11, 20, 16, 40, tzinfo=tz), 20 * 60),
        "cutoff:ward": (datetime(2026, 11, 20, 17, 0, tzinfo=tz), 3600),
        "cutoff:recap": (datetime(2026, 11, 21, 8, 0, tzinfo=tz), 3600),
        "cutoff:monthly": (datetime(2026, 12, 10, 8, 0, tzinfo=tz), 3600),
    }
    jobs_ = {j.id: j for j in aps.get_jobs()}
    assert set(jobs_) == set(expected)
    for job_id, (first_run, grace) in expected.items():
        assert jobs_[job_id].trigger.get_next_fire_time(None, now) == first_run, job_id
        assert jobs_[job_id].misfire_grace_time == grace
    caplog.set_level(logging.INFO, logger="scheduler")
    await scheduler.start()  # the real start: the running loop, next run times from the machine's clock
    try:
        assert scheduler.aps.running
        for job in scheduler.aps.get_jobs():
            first_run = expected[job.id][0]
            assert (job.next_run_time.hour, job.next_run_time.minute) == (first_run.hour, first_run.minute)
            assert job.next_run_time.utcoffset() == timedelta(hours=7)
            assert job.coalesce and job.max_instances == 1
        assert sum("next run" in r.getMessage() for r in caplog.records) == len(expected)
    finally:
        await scheduler.stop()
    assert scheduler.aps is None


async def test_stopping_lets_the_message_in_flight_finish_and_sends_no_more(field, clock, store):
    outbox = RecordingOutbox()
    outbox.gate = asyncio.Event()
    scheduler = Scheduler(store, field.services, outbox, SchedulerSettings(concurrency=1))
    clock.set(at("15:30"))
    job = asyncio.create_task(scheduler.remind(cutoff(field, "team"), 30))
    while not outbox.attempts:
        await asyncio.sleep(0)
    stopping = asyncio.create_task(scheduler.stop(timeout=30))
    await asyncio.sleep(0)
    outbox.gate.set()
    await stopping
    await job
    assert len(outbox.sent) == 1 and len(outbox.attempts) == 1


async def test_the_runner_starts_and_stops_the_scheduler(tmp_path, clock):
    from bot.app import build_app
    from bot.runner import start_scheduler, stop_scheduler
    from domain.messages import ChannelTraits

    settings = Settings(database={"url": f"sqlite:///{tmp_path / 'run.db'}"})
    app = await build_app(settings, {"test": ChannelTraits("test", True, 4096)}, clock=clock)
    try:
        await start_scheduler(app)
        assert app.scheduler.aps.running
        await stop_scheduler(app)
        assert app.scheduler is None
    finally:
        await app.store.close()


async def test_old_claims_are_forgotten_at_start(field, clock, outbox, store):
    clock.set(at("15:30", "2026-09-01"))
    await remind(field, outbox, "team", 30, day=DAY.replace(month=9, day=1))
    clock.set(at("10:00"))
    scheduler = Scheduler(store, field.services, outbox)
    await scheduler.catch_up()

    async def days(tx):
        return {r.day for r in await tx.conn.execute(select(sends))}
    assert await store.read(days) == set()
