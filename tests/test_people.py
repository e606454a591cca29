"""Managing people: /members lists, /role and /remove act within the subtree and never above one's rank."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from domain.model import NewEntry
from tests.support.chat import at
from tests.support.seed import join, seed_units


@pytest.fixture
async def ward(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    await join(chat, "tuan", "P01-KP1-T", "team_leader")
    await join(chat, "chi", "P01-KP2-T")
    await join(chat, "dung", "P02-KP1-T")
    await join(chat, "lead", "P01", "leader")
    await join(chat, "lead2", "P01", "leader")
    await join(chat, "kp", "P01-KP1", "leader")
    await join(chat, "boss", "Q1", "leader")
    return chat


async def member_id(store, who: str) -> int:
    return (await store.read(lambda tx: tx.members.by_identity("test", who))).id


async def audit(store) -> list[tuple]:
    async def read(tx):
        from storage.schema import audit_log
        return [(r.action, r.subject, r.old, r.new) for r in
                await tx.conn.execute(select(audit_log).order_by(audit_log.c.id))]
    return await store.read(read)


async def test_members_lists_name_role_channel_and_last_report(ward, store):
    async def report(tx):
        an = await tx.members.by_identity("test", "an")
        await tx.entries.add(NewEntry(an.id, an.unit_id, date(2026, 11, 18), {"households": 3}, at("09:00"), "x1"))
    await store.write(report)
    said = await ward.say("lead", "/members")
    an = await member_id(store, "an")
    assert f"#{an} An — tình nguyện viên — Tổ CNS KP1 — test — báo cáo gần nhất: 18/11/2026" in said.text
    assert "Chi — tình nguyện viên — Tổ CNS KP2 — test — báo cáo gần nhất: chưa có" in said.text
    assert "👥 Thành viên — Phường Bến Nghé (6):" in said.text and "Dung" not in said.text
    said = await ward.say("tuan", "/members")  # a team leader: the own team
    assert "(2):" in said.text and "Chi" not in said.text


async def test_role_by_unambiguous_name_with_preview_and_audit(ward, store):
    said = await ward.say("lead", "/role chi team_leader")
    chi = await member_id(store, "chi")
    assert f"Đổi vai trò của Chi (#{chi}, Tổ CNS KP2): tình nguyện viên → tổ trưởng?" in said.text
    assert "tổ trưởng" in (await ward.press("lead", "people:confirm")).text
    assert ("member.role", f"member:{chi}", '{"role": "volunteer"}', '{"role": "team_leader"}') in await audit(store)
    assert "/members" in (await ward.say("chi", "/help")).text  # the new role takes effect at once


async def test_an_ambiguous_or_unknown_name_is_answered_with_what_to_type(ward, store):
    await join(ward, "an2", "P01-KP2-T")  # joins as "An2": a name containing "an"
    said = await ward.say("lead", "/remove An")  # exact name wins over a partial match
    assert "Cho An (#" in said.text
    said = await ward.say("lead", "/remove a")
    assert said.text.startswith("Có nhiều thành viên khớp «a»:") and "Ví dụ: /remove #12" in said.text
    said = await ward.say("lead", "/remove Xuân")
    assert said.text.startswith("Không tìm thấy thành viên «Xuân».")
    said = await ward.say("lead", "/remove Dung")  # in another ward: not found within the leader's scope
    assert said.text.startswith("Không tìm thấy thành viên «Dung».")
    said = await ward.say("lead", "/role an boss")
    assert said.text.startswith("«boss» không phải vai trò") and "Ví dụ: /role #12 team_leader" in said.text


@pytest.mark.parametrize("actor, command, allowed", [
    ("lead", "/remove #{lead2}", False),  # the same rank in the same unit: a colleague
    ("lead", "/remove #{kp}", True),  # the same rank in a unit below
    ("lead", "/remove #{lead}", False),  # oneself
    ("lead", "/role #{an} admin", False),  # above the own rank
    ("lead", "/role #{an} leader", True),  # up to the own rank
    ("lead", "/role #{kp} volunteer", False),  # a team role needs a team
    ("tuan", "/remove #{an}", True),
    ("tuan", "/remove #{tuan}", False),
    ("boss", "/role #{lead} volunteer", False),
    ("boss", "/remove #{dung}", True),
    ("admin", "/role #{boss} admin", True),
])
async def test_rank_and_subtree_rules(ward, store, actor, command, allowed):
    ids = {who: await member_id(store, who) for who in ("an", "tuan", "dung", "lead", "lead2", "kp", "boss")}
    before = await audit(store)
    said = await ward.say(actor, command.format(**ids))
    if not allowed:
        assert said.buttons == [] and ("không có quyền" in said.text or "phải thuộc một tổ" in said.text), said.text
        assert await audit(store) == before
        return
    assert said.buttons == ["people:confirm", "people:cancel"], said.text
    assert "✅" in (await ward.press(actor, "people:confirm")).text
    assert len(await audit(store)) == len(before) + 1


async def test_a_removed_member_is_an_outsider_and_their_figures_stay(ward, store):
    await ward.say("an", "ho 12")
    await ward.press("an", "report:confirm")
    said = await ward.say("tuan", "/remove An")
    assert "Số liệu đã báo cáo vẫn được giữ" in said.text
    assert "An đã rời nhóm" in (await ward.press("tuan", "people:confirm")).text
    assert "chưa là thành viên" in (await ward.say("an", "/summary")).text
    assert "Tổng: 12 ·" in (await ward.say("lead", "/summary")).text
    assert "An —" not in (await ward.say("lead", "/members")).text


async def test_a_change_since_the_preview_is_not_applied(ward, store):
    said = await ward.say("lead", "/role an team_leader")
    assert said.buttons
    await ward.say("tuan", "/remove An")
    await ward.press("tuan", "people:confirm")
    said = await ward.press("lead", "people:confirm")
    assert "vừa thay đổi" in said.text
    said = await ward.say("lead", "/role chi team_leader")
    await ward.say("boss", "/remove Lead")
    await ward.press("boss", "people:confirm")
    assert "chưa là thành viên" in (await ward.press("lead", "people:confirm")).text
    assert "tình nguyện viên — Tổ CNS KP2" in (await ward.say("boss", "/members P01-KP2-T")).text


@pytest.mark.parametrize("command", ["/remove #{lead}", "/remove #{boss}", "/role #{lead} volunteer", "/remove #{dung}"])
async def test_a_member_outside_ones_units_is_answered_as_a_missing_one(ward, store, command):
    """Ids cannot be enumerated: an existing member outside one's units gets the same sentence as a missing id."""
    ids = {who: await member_id(store, who) for who in ("lead", "boss", "dung")}
    missing = max(ids.values()) + 1000
    before = await audit(store)
    outside = await ward.say("kp", command.format(**ids))
    absent = await ward.say("kp", command.format(**{who: missing for who in ids}))
    assert outside.text.startswith("Không tìm thấy thành viên «#") and outside.buttons == []
    assert outside.text.replace(str(ids[command.split("{")[1].split("}")[0]]), "N") == \
        absent.text.replace(str(missing), "N")
    assert await audit(store) == before


async def test_role_to_the_same_role_and_missing_arguments(ward):
    assert "Chi đã là tình nguyện viên." in (await ward.say("lead", "/role chi volunteer")).text
    said = await ward.say("lead", "/role chi")
    assert said.text.startswith("Lệnh còn thiếu thông tin.") and "Ví dụ: /role" in said.text
    said = await ward.say("lead", "/remove")
    assert said.text.startswith("Lệnh còn thiếu thông tin.") and "Ví dụ: /remove" in said.text
    said = await ward.say("lead", "/members P01 P02")
    assert said.text.startswith("Thừa «P02» ở cuối lệnh.") and "Ví dụ: /members" in said.text


async def test_a_report_typed_while_a_change_waits_drops_the_change_and_is_read(ward, store):
    said = await ward.say("tuan", "/remove An")
    assert said.buttons == ["people:confirm", "people:cancel"]
    said = await ward.say("tuan", "ho 12")
    assert said.texts[0].startswith("Chưa áp dụng thay đổi nào.") and "Số hộ đã đến: 12" in said.texts[1]
    assert said.buttons == ["report:confirm", "report:fix", "report:cancel"]
    assert "không còn hiệu lực" in (await ward.press("tuan", "people:confirm")).text
    assert "An —" in (await ward.say("lead", "/members")).text
