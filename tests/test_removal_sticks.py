"""A removal sticks: the removed member's channels lose access, and the invite they joined with (30 uses in a week)
no longer admits them; only a new invite brings them back, and the audit says who came back (issue 12, Why 4)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from storage.schema import audit_log
from tests.support.seed import invite_code, seed_units


@pytest.fixture
async def ward(chat, store):
    await seed_units(store)
    return chat


async def _invite(chat, unit: str, role: str) -> str:
    return invite_code((await chat.say("admin", f"/invite {unit} {role}")).text)


async def _audit(store, action: str) -> list[dict]:
    async def read(tx):
        rows = await tx.conn.execute(select(audit_log.c.new).where(audit_log.c.action == action)
                                     .order_by(audit_log.c.id))
        return [json.loads(r.new) for r in rows]
    return await store.read(read)


@pytest.mark.parametrize("role, unit, who_removes", [
    ("volunteer", "P01-KP1-T", "lead"),
    ("leader", "P01-KP1", "lead"),
])
async def test_a_removed_member_cannot_rejoin_with_the_old_code_but_can_with_a_new_one(ward, store, clock, role,
                                                                                     unit, who_removes):
    lead_code = await _invite(ward, "P01", "leader")
    assert "Chào mừng" in (await ward.say("lead", f"/start {lead_code}")).text
    old = await _invite(ward, unit, role)
    assert "Chào mừng" in (await ward.say("an", f"/start {old}")).text
    assert "Chào mừng" in (await ward.say("binh", f"/start {old}")).text

    clock.advance(minutes=5)
    await ward.say(who_removes, "/remove An")
    assert "An đã rời nhóm" in (await ward.press(who_removes, "people:confirm")).text
    assert "chưa là thành viên" in (await ward.say("an", "/summary")).text

    clock.advance(minutes=5)
    said = await ward.say("an", f"/start {old}")
    assert "không còn dùng được cho bạn" in said.text and "mã mời mới" in said.text
    assert "chưa là thành viên" in (await ward.say("an", "/summary")).text
    assert "Chào mừng" in (await ward.say("chi", f"/start {old}")).text  # the code still admits others

    clock.advance(minutes=5)
    new = await _invite(ward, unit, role)
    assert "Chào mừng" in (await ward.say("an", f"/start {new}")).text
    joins = await _audit(store, "member.join")
    assert "removed_as" in joins[-1] and all("removed_as" not in j for j in joins[:-1])


async def test_every_channel_of_a_removed_member_is_revoked(ward, store, clock):
    code = await _invite(ward, "P01-KP1-T", "volunteer")
    await ward.say("an", f"/start {code}")
    link = (await ward.say("an", "/link_account")).text.split("/link_account ")[1].split()[0]
    assert "Đã liên kết" in (await ward.say("an-zalo", f"/link_account {link}", channel="plain")).text
    clock.advance(minutes=5)
    await ward.say("admin", "/remove An")
    await ward.press("admin", "people:confirm")
    clock.advance(minutes=5)
    assert "không còn dùng được cho bạn" in (await ward.say("an-zalo", f"/start {code}", channel="plain")).text
    assert "không còn dùng được cho bạn" in (await ward.say("an", f"/start {code}")).text
