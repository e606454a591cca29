"""Who should have reported on a day (application.chasing.roll_call): members of that day only — not before they
joined, not after they left, not while their team is paused, not on their day off — the same for /summary,
/remind, the cut-offs' lists and leaders' files; and every list whole, however long."""
from __future__ import annotations

from datetime import timedelta

import pytest

import application.chasing
from domain.present import split_text
from tests.support.chat import TEXT_ONLY, at
from tests.support.field import DAY, populate, report
from tests.support.seed import invite_code, join, seed_units


@pytest.fixture
async def field(chat, clock):
    clock.set(at("09:00", "2026-11-18"))
    await populate(chat)
    clock.set(at("10:00"))
    return chat


async def test_a_member_joining_mid_period_is_not_missing_before_they_joined(field, clock):
    await join(field, "em", "P01-KP1-T")  # joins on the 20th
    said = await field.say("tam", "/summary 19/11/2026")
    assert "Thành viên chưa báo cáo: An, Binh, Tam" in said.text and "Em" not in said.text
    said = await field.say("tam", "/summary")
    assert "Thành viên chưa báo cáo: An, Binh, Em, Tam" in said.text
    said = await field.say("tam", "/summary 17/11/2026")  # nobody had joined yet: nobody was missing
    assert "Thành viên chưa báo cáo" not in said.text and "Đã báo cáo: 0/0 tổ" in said.text


async def test_a_member_who_left_is_missing_only_while_a_member(field, clock, store):
    an = await store.read(lambda tx: tx.members.by_identity("test", "an"))
    await store.write(lambda tx: tx.members.remove(an.id, at("12:00", "2026-11-19")))
    assert "Thành viên chưa báo cáo: An, Binh, Tam" in (await field.say("tam", "/summary 19/11/2026")).text
    assert "Thành viên chưa báo cáo: Binh, Tam" in (await field.say("tam", "/summary")).text


async def test_remind_and_summary_agree_on_who_is_missing(field):
    await report(field, "an", "ho 5")
    await report(field, "binh", "ho 5")
    said = await field.say("tam", "/remind")  # only the asker is left: he is told so, not "everyone reported"
    assert "Bạn cũng chưa báo cáo" in said.text and "không còn ai cần nhắc" not in said.text
    assert "Thành viên chưa báo cáo: Tam" in (await field.say("tam", "/summary")).text


async def test_a_pause_stays_in_the_past_days_after_it_is_turned_off(field, clock):
    clock.set(at("10:00", "2026-11-19"))
    assert "đến hết ngày" in (await field.say("lead", "/pause P01-KP2-T den 25/11/2026")).text
    clock.set(at("10:00"))
    assert "bật lại" in (await field.say("lead", "/pause P01-KP2-T off")).text
    said = await field.say("lead", "/summary 19/11/2026")
    assert "⏸ Tổ CNS KP2" in said.text and "Chưa báo cáo (1): Tổ CNS KP1" in said.text
    said = await field.say("lead", "/summary")  # on again today: missing
    assert "Chưa báo cáo (2): Tổ CNS KP1, Tổ CNS KP2" in said.text
    said = await field.say("lead", "/summary 18/11/2026")  # before the pause
    assert "Chưa báo cáo (2): Tổ CNS KP1, Tổ CNS KP2" in said.text


async def test_a_day_off_excuses_the_member_everywhere(field, store, monkeypatch):
    """Days off come through the roll call's one plug point (application.chasing.excused); here a double."""
    binh = await store.read(lambda tx: tx.members.by_identity("test", "binh"))
    chi = await store.read(lambda tx: tx.members.by_identity("test", "chi"))

    async def off(tx, day, member_ids):
        return {binh.id, chi.id} & set(member_ids) if day == DAY else set()
    monkeypatch.setattr(application.chasing, "excused", off)
    await report(field, "an", "ho 5")
    said = await field.say("lead", "/summary")
    assert "Tổ CNS KP1: Tam" in said.text and "Binh" not in said.text
    assert "Chưa báo cáo" not in said.text.replace("Thành viên chưa báo cáo", "")  # KP2's only member is off
    assert "Đã báo cáo: 1/1 tổ" in said.text
    said = await field.say("lead", "/remind")
    assert "Tam" in said.text and "Binh" not in said.text and "Chi" not in said.text
    said = await field.say("tam", "/summary")
    assert "➖ Binh" in said.text and "Thành viên chưa báo cáo: Tam" in said.text
    said = await field.say("lead", f"/summary {(DAY - timedelta(days=1)).strftime('%d/%m/%Y')}")
    assert "Tổ CNS KP1" in said.text and "Chưa báo cáo (2)" in said.text  # the day before: nobody off


async def test_eighty_missing_teams_arrive_whole_on_zalo(chat, clock):
    rows = [("HCM", "TP. Hồ Chí Minh", "city", None, None), ("Q1", "Quận 1", "district", "HCM", None),
            ("P01", "Phường Bến Nghé", "ward", "Q1", None)]
    rows += [(f"P01-T{i:02d}", f"Tổ công nghệ số cộng đồng khu phố {i:02d} Bến Nghé", "team", "P01", 100)
             for i in range(1, 81)]
    await seed_units(chat.store, rows)
    said = await chat.say("admin", "/invite P01 leader")
    await chat.say("lead", f"/start {invite_code(said.text)}", channel="plain")  # a ward leader on Zalo
    said = await chat.say("lead", "/summary", channel="plain")
    parts = [p for text in said.texts for p in split_text(text, TEXT_ONLY.max_text)]  # what the Zalo channel sends
    assert len(parts) > 1 and all(len(p) <= TEXT_ONLY.max_text for p in parts)
    whole = "\n".join(parts)
    assert "Chưa báo cáo (80)" in whole
    for i in range(1, 81):
        assert f"Tổ công nghệ số cộng đồng khu phố {i:02d} Bến Nghé" in whole
