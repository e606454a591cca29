"""The scheduled reports with their files, on a fixed clock: the report on the 10th with the month's workbook and
charts, the 08:00 recap with the day's workbook and ranking, a final report when a phase or the campaign ends; and
the monthly report as it reaches the Zalo double (tests/telegram/test_files.py: the Bot API double)."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.exports import FileKind, Period, PeriodKind
from domain.settings import Campaign, CampaignRules
from scheduler import jobs
from tests.support.chat import Chat, at
from tests.support.field import at_cutoff, populate, report
from tests.support.outbox import RecordingOutbox
from tests.support.seed import invite_code, seed_units
from tests.support.zalo_bot import running_bot

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEC_10 = date(2026, 12, 10)
NOVEMBER = Period.month(2026, 11)
LEADERS = {"lead", "lead2", "quan", "city"}  # the monthly report and the recap go from the city down to the wards


async def reported(chat, clock) -> None:
    for day, who, text in (("2026-11-03", "an", "ho 10, muc 1 5, kh muc 1 3"),
                           ("2026-11-19", "chi", "ho 5, muc 1 9, kh muc 1 9"),
                           ("2026-11-20", "an", "ho 20, muc 1 8, kh muc 1 6"),
                           ("2026-11-20", "dung", "ho 2, muc 1 1, kh muc 1 1")):
        clock.set(at("10:00", day))
        await report(chat, who, text)


@pytest.fixture
async def field(store, clock):
    rules = CampaignRules(campaign=Campaign(end_date=date(2026, 11, 20)))
    chat = Chat(store, clock, rules=rules, admins={"test": frozenset({"admin"})})
    await populate(chat)
    await reported(chat, clock)
    return chat


def files(outbox: RecordingOutbox, who: str) -> list[list]:
    return [[a.order for a in reply.attachments] for to, reply in outbox.replies if to.chat_id == who]


async def test_the_report_on_the_10th_comes_with_the_months_workbook_and_charts(field, clock):
    outbox = RecordingOutbox()
    clock.set(at("08:00", "2026-12-10"))
    outcome = await at_cutoff(field, outbox, "monthly", day=DEC_10)
    assert set(outbox.chats) == LEADERS and outcome.sent == 4
    assert outbox.to("lead")[0].startswith("🔔 Báo cáo tháng 11/2026\n📊 Phường Bến Nghé")
    (orders,) = files(outbox, "lead")
    assert [o.kind for o in orders] == [FileKind.WORKBOOK, FileKind.CUMULATIVE, FileKind.DAILY, FileKind.RANKING]
    assert {(o.unit_code, o.period, o.made_at) for o in orders} == {
        ("P01", NOVEMBER, datetime(2026, 12, 10, 8, 0, tzinfo=TZ))}
    assert {files(outbox, who)[0][0].unit_code for who in LEADERS} == {"P01", "P02", "Q1", "HCM"}
    again = await at_cutoff(field, outbox, "monthly", day=DEC_10)  # a second run (a restart): nothing twice
    assert again.already == 4 and len(outbox.sent) == 4


async def test_the_recap_carries_the_days_workbook_and_ranking_the_cutoffs_before_it_none(field, clock):
    outbox = RecordingOutbox()
    clock.set(at("16:00"))
    await at_cutoff(field, outbox, "team")
    assert all(reply.attachments == () for _, reply in outbox.replies)
    outbox.clear()
    clock.set(at("08:00", "2026-11-21"))
    await at_cutoff(field, outbox, "recap", day=date(2026, 11, 21))
    summary = [orders for orders in files(outbox, "lead") if orders and orders[0].period.kind == PeriodKind.DAY]
    assert [[o.kind for o in orders] for orders in summary] == [[FileKind.WORKBOOK, FileKind.RANKING]]
    assert summary[0][0].period == Period.day(date(2026, 11, 20))


async def test_the_final_reports_when_a_phase_and_the_campaign_end(field, clock, store):
    await store.write(lambda tx: tx.quotas.put_phase("Cao điểm", date(2026, 11, 15), date(2026, 11, 20), None,
                                                     clock.now()))
    outbox = RecordingOutbox()
    clock.set(at("08:00", "2026-11-21"))
    await at_cutoff(field, outbox, "recap", day=date(2026, 11, 21))
    texts = outbox.to("lead")
    assert texts[0].startswith("🔔 Số liệu cuối cùng ngày 20/11/2026")  # the recap itself first
    phase = next(t for t in texts if t.startswith("🏁 Kết thúc Cao điểm (15/11/2026 – 20/11/2026)"))
    campaign = next(t for t in texts if t.startswith("🏁 Kết thúc chiến dịch (03/11/2026 – 20/11/2026)"))
    assert "Tổng: 25 · 0 · 17 · 15 · 0 · 0" in phase and "Tổng: 35 · 0 · 22 · 18 · 0 · 0" in campaign
    periods = {orders[0].period for orders in files(outbox, "lead")}
    assert Period(date(2026, 11, 15), date(2026, 11, 20), PeriodKind.PHASE, "Cao điểm") in periods
    assert Period(date(2026, 11, 3), date(2026, 11, 20), PeriodKind.CAMPAIGN) in periods
    finals = [o for orders in files(outbox, "city") for o in orders if o.period.kind != PeriodKind.DAY]
    assert [o.kind for o in finals] == [FileKind.WORKBOOK, FileKind.CUMULATIVE, FileKind.DAILY, FileKind.RANKING] * 2
    before = len(outbox.sent)
    await at_cutoff(field, outbox, "recap", day=date(2026, 11, 21))
    assert len(outbox.sent) == before  # claimed once, ever
    outbox.clear()
    clock.set(at("08:00", "2026-11-22"))
    await at_cutoff(field, outbox, "recap", day=date(2026, 11, 22))
    assert not any(t.startswith("🏁") for _, t in outbox.sent)  # the day after: no final report again


async def test_the_monthly_report_reaches_zalo_with_a_link_and_photos(store, clock, files):
    await seed_units(store)

    async def with_files(app) -> None:
        await files(app)
        app.web.serve_files(app.files.shelf)
    async with running_bot(store, clock, before_start=with_files) as bot:
        said = await bot.chat.say("admin", "/invite P01 leader")
        await bot.user.say("zlead", f"/start {invite_code(said.text)}")
        clock.set(at("08:00", "2026-12-10"))
        monthly = next(c for c in bot.app.services.rules.cutoffs if c.name == "monthly")
        outcome = await jobs.at_cutoff(store, bot.app.services, bot.app, monthly, DEC_10)
        assert outcome.sent == 1
        texts = bot.api.texts_to("zlead")
        assert texts[-2].startswith("🔔 Báo cáo tháng 11/2026\n📊 Phường Bến Nghé")
        assert re.match(r"📎 baocao_P01_2026-11\.xlsx: http://127\.0\.0\.1:\d+/files/[\w-]{32}/baocao_P01_2026-11"
                        r"\.xlsx\n\(Liên kết dùng được đến 08:00 ngày 11/12/2026\.\)$", texts[-1])
        assert [chat for chat, _, _ in bot.api.photos] == ["zlead"] * 3
