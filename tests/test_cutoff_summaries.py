"""Summaries pushed at the cut-offs: numbers match the stored entries (ranking, change against the day before,
running total, late marks), the 08:00 recap includes late reports, linked groups get them, languages hold."""
from __future__ import annotations

from datetime import date

import pytest

from domain.settings import Campaign, CampaignRules
from application import summaries
from tests.support.chat import Chat, at
from tests.support.field import DAY, at_cutoff, populate, report
from tests.support.outbox import RecordingOutbox


@pytest.fixture
async def field(store, clock):
    """19/11: An on time. 20/11: An and Chi on time, Đa Kao nothing, then Binh after the cut-off."""
    chat = Chat(store, clock, rules=CampaignRules(campaign=Campaign(rank_by="l1_activations")),
                admins={"test": frozenset({"admin"})})
    await populate(chat)
    clock.set(at("10:00", "2026-11-19"))
    await report(chat, "an", "ho 10, muc 1 5, kh muc 1 3")
    clock.set(at("10:00"))
    await report(chat, "an", "ho 20, muc 1 8, kh muc 1 6")
    await report(chat, "chi", "ho 5, muc 1 9, kh muc 1 9")
    return chat


@pytest.fixture
def outbox() -> RecordingOutbox:
    return RecordingOutbox()


async def test_the_cutoff_summary_has_ranking_change_running_total_and_who_is_missing(field, clock, outbox):
    clock.set(at("16:00"))
    await at_cutoff(field, outbox, "team")
    text = outbox.to("lead")[0]
    assert text.startswith("🔔 Tổng hợp lúc 16:00\n📊 Phường Bến Nghé — 20/11/2026")
    assert "Đã báo cáo: 2/2 tổ" in text
    assert "Xếp hạng theo Kích hoạt mức 1" in text
    # Ranked by level-1 activations: KP2 (9) above KP1 (6); [change against 19/11 | running total].
    assert "1. ✅ Tổ CNS KP2: 5 · 0 · 9 · 9 · 0 · 0 [+9 | 9]\n2. ✅ Tổ CNS KP1: 20 · 0 · 8 · 6 · 0 · 0 [+3 | 9]" in text
    assert "Tổng: 25 · 0 · 17 · 15 · 0 · 0" in text
    assert "So với hôm trước: +15 · 0 · +12 · +12 · 0 · 0" in text
    assert "Lũy kế từ 19/11/2026: 35 · 0 · 22 · 18 · 0 · 0" in text
    assert "Tổ CNS KP1: Binh, Tam" in text  # members of a reported team who did not report
    district = [t for t in outbox.to("quan")]
    assert district == []  # the 16:00 cut-off goes to ward leaders only
    assert outbox.to("tam") and "Binh, Tam" in outbox.to("tam")[0]


async def test_the_numbers_are_the_stored_entries(field, store):
    async def stored(tx):
        teams = [await tx.units.by_code(c) for c in ("P01-KP1-T", "P01-KP2-T")]
        ids = [t.id for t in teams]
        return (await tx.entries.totals(ids, DAY, DAY), await tx.entries.totals(ids, None, DAY),
                await summaries.collect(tx, field.rules, await tx.units.by_code("P01"), DAY))
    day, to_date, s = await store.read(stored)
    rows = {r.unit.id: r for r in s.rows}
    assert set(rows) == set(day) == set(to_date) and len(rows) == 2  # both teams reported: none left unchecked
    for team_id in rows:
        assert rows[team_id].totals == day[team_id] and rows[team_id].to_date == to_date[team_id]
    assert [r.rank for r in s.rows] == [1, 2] and s.since == date(2026, 11, 19)


async def test_a_late_report_is_marked_and_counted_in_the_0800_recap(field, clock, outbox):
    clock.set(at("16:30"))
    await report(field, "binh", "ho 4, muc 1 1, kh muc 1 1")
    clock.set(at("08:00", "2026-11-21"))
    await at_cutoff(field, outbox, "recap", day=date(2026, 11, 21))
    ward = outbox.to("lead")[0]
    assert ward.startswith("🔔 Số liệu cuối cùng ngày 20/11/2026, gồm cả báo cáo muộn\n📊 Phường Bến Nghé — 20/11/2026")
    assert "✅ Tổ CNS KP1: 24 · 0 · 9 · 7 · 0 · 0 (1 người nộp muộn) [+4 | 10]" in ward
    # Every leader from the city down to the wards gets their own unit's recap.
    assert set(outbox.chats) == {"lead", "lead2", "quan", "city"}
    assert "📊 TP. Hồ Chí Minh — 20/11/2026" in outbox.to("city")[0]
    assert "Chưa báo cáo (1): Tổ CNS Đa Kao 1" in outbox.to("city")[0]
    assert "Tổng: 29 · 0 · 18 · 16 · 0 · 0" in outbox.to("quan")[0]


async def test_a_team_whose_every_report_is_late_is_marked_late(field, clock, outbox):
    clock.set(at("16:10"))
    await report(field, "dung", "ho 2")
    clock.set(at("17:00"))
    await at_cutoff(field, outbox, "ward")
    assert "Tổ CNS Đa Kao 1: 2 · 0 · 0 · 0 · 0 · 0 (muộn)" in outbox.to("quan")[0]


async def test_the_monthly_report_covers_the_previous_month(field, clock, outbox):
    clock.set(at("08:00", "2026-12-10"))
    await at_cutoff(field, outbox, "monthly", day=date(2026, 12, 10))
    text = outbox.to("lead")[0]
    assert text.startswith("🔔 Báo cáo tháng 11/2026\n📊 Phường Bến Nghé — tháng 11/2026")
    assert "Tổng: 35 · 0 · 22 · 18 · 0 · 0" in text and "So với tháng trước: +35" in text


async def test_summaries_go_to_a_linked_group_instead_of_privately_and_back_when_it_is_gone(field, clock):
    said = await field.say("lead", "/link", group="g-p01")
    assert "Đã liên kết nhóm này với Phường Bến Nghé" in said.text and "16:00" in said.text
    clock.set(at("16:00"))
    outbox = RecordingOutbox(blocked={"g-p01"})  # the bot was removed from the group since
    await at_cutoff(field, outbox, "team")
    assert "lead" not in outbox.attempts and "g-p01" in outbox.attempts
    clock.set(at("16:00", "2026-11-21"))
    await at_cutoff(field, outbox, "team", day=date(2026, 11, 21))
    assert outbox.to("lead") and "21/11/2026" in outbox.to("lead")[0]


async def test_each_reader_gets_their_own_language(field, clock, outbox):
    await field.say("lead", "/language en")
    await field.say("binh", "/language en")
    clock.set(at("15:50"))
    from tests.support.field import remind
    await remind(field, outbox, "team", 10)
    assert "Hi Binh! You have not sent today's figures (20/11/2026) for Tổ CNS KP1" in outbox.to("binh")[0]
    assert "Chào Tam!" in outbox.to("tam")[0]
    clock.set(at("16:00"))
    await at_cutoff(field, outbox, "team")
    text = outbox.to("lead")[0]
    assert text.startswith("🔔 Summary at 16:00") and "Ranked by Level-1 activations" in text
    assert "Against the day before: +15 · 0 · +12 · +12 · 0 · 0" in text
    assert "Running total since 19/11/2026: 35 · 0 · 22 · 18 · 0 · 0" in text
    assert "Binh, Tam" in outbox.to("tam")[-1] and "thành viên chưa báo cáo" in outbox.to("tam")[-1]


async def test_a_linked_group_gets_the_linkers_language(field, clock, outbox, store):
    await field.say("lead", "/language en")
    await field.say("lead", "/link", group="g-p01")
    clock.set(at("16:00"))
    await at_cutoff(field, outbox, "team")
    assert outbox.to("g-p01")[0].startswith("🔔 Summary at 16:00") and not outbox.to("lead")

    async def claims(tx):
        from sqlalchemy import text
        return {tuple(r) for r in await tx.conn.execute(text("SELECT kind, recipient, outcome FROM sends"))}
    assert ("summary", "chat:test:g-p01", "sent") in await store.read(claims)  # the group's key, as stored before


async def test_a_group_that_became_a_supergroup_keeps_getting_summaries(field, clock):
    from domain.messages import SendResult

    class Migrating(RecordingOutbox):
        async def send(self, to, reply, *, bulk=False):
            result = await super().send(to, reply, bulk=bulk)
            return SendResult(ok=True, moved_to="-100999") if to.chat_id == "-1" else result

    await field.say("lead", "/link", group="-1")
    clock.set(at("16:00"))
    await at_cutoff(field, Migrating(), "team")
    outbox = RecordingOutbox()
    clock.set(at("16:00", "2026-11-21"))
    await at_cutoff(field, outbox, "team", day=date(2026, 11, 21))
    assert "-100999" in outbox.chats and "-1" not in outbox.attempts and "lead" not in outbox.chats
