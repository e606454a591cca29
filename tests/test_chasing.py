"""Leaders' commands around the cut-offs: /link and /unlink in groups, /pause for a team, /remind now."""
from __future__ import annotations

import pytest

from tests.support.chat import at
from tests.support.field import populate, remind, report
from tests.support.outbox import RecordingOutbox


@pytest.fixture
async def field(chat):
    await populate(chat)
    return chat


async def test_link_is_refused_to_a_volunteer_and_a_team_leader_and_outside_a_group(field):
    said = await field.say("an", "/link", group="g1")
    assert said.text.startswith("Không được: chỉ lãnh đạo đơn vị")
    assert (await field.say("tam", "/link", group="g1")).text.startswith("Không được")
    said = await field.say("lead", "/link")
    assert "gõ /link trong nhóm đó" in said.text
    assert "không cần tham số" in (await field.say("lead", "/link P02", group="g1")).text
    assert "chưa là thành viên" in (await field.say("stranger", "/link", group="g1")).text


async def test_link_then_unlink_a_group(field, store):
    said = await field.say("quan", "/link", group="g-q1")
    assert "Quận 1" in said.text and "17:00" in said.text and "08:00" in said.text
    assert "08:00 ngày 10 hằng tháng" in said.text
    linked = await store.read(lambda tx: tx.links.get("test", "g-q1"))
    assert linked.unit_id == (await store.read(lambda tx: tx.units.by_code("Q1"))).id
    assert "không có quyền" in (await field.say("lead", "/unlink", group="g-q1")).text  # above their unit
    assert "Đã huỷ liên kết" in (await field.say("city", "/unlink", group="g-q1")).text
    assert "chưa liên kết" in (await field.say("quan", "/unlink", group="g-q1")).text


async def test_pause_for_a_team_in_the_leaders_subtree(field, clock, store):
    assert "không có quyền" in (await field.say("lead", "/pause P02-KP1-T")).text
    assert "không phải một tổ" in (await field.say("lead", "/pause P01")).text
    assert "Không tìm thấy" in (await field.say("lead", "/pause XX")).text
    assert "đã qua" in (await field.say("lead", "/pause P01-KP2-T den 19/11/2026")).text
    assert "không phải ngày hợp lệ" in (await field.say("lead", "/pause P01-KP2-T den 31/11/2026")).text
    assert "Cách dùng" in (await field.say("lead", "/pause P01-KP2-T den")).text
    said = await field.say("lead", "/pause P01-KP2-T den 21/11/2026")
    assert "đến hết ngày 21/11/2026" in said.text
    team = await store.read(lambda tx: tx.units.by_code("P01-KP2-T"))
    assert str(team.paused_until) == "2026-11-21"
    said = await field.say("lead", "/summary")
    assert "⏸ Tổ CNS KP2: 0 · 0 · 0 · 0 · 0 · 0 (tạm dừng)" in said.text and "Đã báo cáo: 0/1 tổ" in said.text
    assert "Chưa báo cáo (1): Tổ CNS KP1" in said.text
    outbox = RecordingOutbox()
    clock.set(at("15:30"))
    await remind(field, outbox, "team", 30)
    assert "chi" not in outbox.chats
    assert "bật lại" in (await field.say("lead", "/pause P01-KP2-T off")).text
    clock.set(at("15:50"))
    await remind(field, outbox, "team", 10)
    assert "chi" in outbox.chats
    said = await field.say("tam", "/pause P01-KP1-T until 22/11/2026")  # a team leader, own team, in English words
    assert "tạm dừng" in said.text


async def test_remind_now_reaches_the_leaders_missing_members_once_a_day(field, clock):
    await report(field, "an", "ho 3")
    said = await field.say("tam", "/remind")  # the team leader has not reported either, but asked
    assert [o.to.chat_id for o in said.out] == ["tam", "binh"]
    assert "Đã nhắc 1 thành viên chưa báo cáo: Binh" in said.texts[0]
    assert "còn 360 phút" in said.texts[1] and "(Nhắc từ Tam)" in said.texts[1]
    said = await field.say("lead", "/remind")  # the ward: Chi and Tam now; Binh had his today
    assert [o.to.chat_id for o in said.out] == ["lead", "chi", "tam"]
    assert "đã được nhắc bằng /remind hôm nay, không nhắc lại: Binh" in said.texts[0]
    clock.set(at("16:30"))
    said = await field.say("admin", "/remind")
    assert [o.to.chat_id for o in said.out] == ["admin", "dung"]
    assert "Đã quá hạn 16:00" in said.texts[1]
    assert "không có quyền" in (await field.say("an", "/remind")).text
    assert "không cần tham số" in (await field.say("lead", "/remind P01")).text


async def test_remind_when_everyone_has_reported(field):
    for who in ("an", "binh", "tam", "chi"):
        await report(field, who, "ho 1")
    assert "không còn ai cần nhắc" in (await field.say("lead", "/remind")).text


async def test_a_group_given_a_new_id_keeps_its_link(field, store, clock):
    await field.say("lead", "/link", group="-100")
    await store.write(lambda tx: tx.links.move("test", "-100", "-100200"))
    assert await store.read(lambda tx: tx.links.get("test", "-100")) is None
    assert (await store.read(lambda tx: tx.links.get("test", "-100200"))).language == "vi"
