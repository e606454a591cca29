"""Invites: unguessable, hashed, expiring, limited, rate-limited; and who may invite whom."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.schema import invites
from tests.support.seed import invite_code, join, seed_units


@pytest.fixture
async def tree(chat, store):
    await seed_units(store)
    return chat


async def test_invite_answers_a_deep_link_and_the_bare_code_stored_only_hashed(tree, store):
    said = await tree.say("admin", "/invite P01-KP1-T")
    code = invite_code(said.text)
    assert f"https://t.me/testbot?start={code}" in said.text and f"/start {code}" in said.text
    assert len(code) == 9 and code[4] == "-"  # ABCD-EFGH: typed by hand on a phone (docs/quota.md: the arithmetic)

    async def stored(tx):
        return [r.code_hash for r in await tx.conn.execute(select(invites))]
    hashes = await store.read(stored)
    assert code not in hashes and len(hashes[0]) == 64

    said = await tree.say("an", f"/start {code}", name="Nguyễn Văn An")
    assert "Chào mừng Nguyễn Văn An" in said.text and "tình nguyện viên" in said.text and "Tổ CNS KP1" in said.text


async def test_expired_and_used_up_codes_are_refused(tree, clock, store):
    code = invite_code((await tree.say("admin", "/invite P01-KP1-T")).text)
    clock.advance(days=8)
    assert "hết hạn" in (await tree.say("an", f"/start {code}")).text

    async def one_use(tx):
        from sqlalchemy import update
        await tx.conn.execute(update(invites).values(max_uses=1))
    code = invite_code((await tree.say("admin", "/invite P01-KP1-T")).text)
    await store.write(one_use)
    assert "Chào mừng" in (await tree.say("an", f"/start {code}")).text
    assert "dùng hết" in (await tree.say("binh", f"/start {code}")).text


async def test_repeated_wrong_codes_are_rate_limited(tree, clock):
    good = invite_code((await tree.say("admin", "/invite P01-KP1-T")).text)
    for i in range(5):
        assert "không đúng" in (await tree.say("mallory", f"/start guess{i}")).text
    assert "quá nhiều lần" in (await tree.say("mallory", f"/start {good}")).text
    clock.advance(hours=1, minutes=1)
    assert "Chào mừng" in (await tree.say("mallory", f"/start {good}")).text


async def test_a_member_cannot_join_twice(tree):
    await join(tree, "an", "P01-KP1-T")
    code = invite_code((await tree.say("admin", "/invite P02-KP1-T")).text)
    said = await tree.say("an", f"/start {code}")
    assert "đã là thành viên" in said.text and "Tổ CNS KP1" in said.text


@pytest.mark.parametrize("inviter, inviter_unit, inviter_role, target, role, allowed", [
    ("lead", "P01", "leader", "P01-KP1-T", "volunteer", True),
    ("lead", "P01", "leader", "P01-KP1", "leader", True),
    ("lead", "P01", "leader", "P02-KP1-T", "volunteer", False),  # another ward
    ("lead", "P01", "leader", "P01", "admin", False),  # above their own rank
    ("tl", "P01-KP1-T", "team_leader", "P01-KP1-T", "volunteer", True),
    ("tl", "P01-KP1-T", "team_leader", "P01-KP1-T", "team_leader", False),
    ("tl", "P01-KP1-T", "team_leader", "P01-KP2-T", "volunteer", False),
])
async def test_who_may_invite_whom(tree, inviter, inviter_unit, inviter_role, target, role, allowed):
    await join(tree, inviter, inviter_unit, inviter_role)
    said = await tree.say(inviter, f"/invite {target} {role}")
    assert ("start=" in said.text) is allowed, said.text
    if not allowed:
        assert "không có quyền" in said.text


async def test_volunteers_cannot_invite_and_bad_arguments_get_an_example(tree):
    await join(tree, "an", "P01-KP1-T")
    assert "không có quyền" in (await tree.say("an", "/invite P01-KP1-T")).text
    assert "Cách dùng: /invite" in (await tree.say("admin", "/invite")).text
    assert "không phải vai trò" in (await tree.say("admin", "/invite P01 boss")).text
    assert "Không tìm thấy đơn vị" in (await tree.say("admin", "/invite NOPE")).text
    assert "phải thuộc một tổ" in (await tree.say("admin", "/invite P01 volunteer")).text
