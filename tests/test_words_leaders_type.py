"""What leaders type by hand: role words in Vietnamese (with or without diacritics) or English, and invite codes short
enough to type on a phone — 8 characters over 31 that cannot be mistaken for one another, read in any case."""
from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest

from domain.codes import INVITE_ALPHABET, code_hash, new_invite_code
from domain.model import Role
from tests.support.chat import at
from tests.support.seed import invite_code, seed_units

CODE = re.compile(r"/start ([A-Z0-9]{4}-[A-Z0-9]{4})\b")


@pytest.fixture
async def ward(chat, store):
    await seed_units(store)
    said = await chat.say("admin", "/invite P01 lãnh đạo")
    assert "Lãnh đạo" in said.text or "lãnh đạo" in said.text, said.text
    assert "Chào mừng" in (await chat.say("lead", f"/start {invite_code(said.text)}")).text
    return chat


@pytest.mark.parametrize("typed, role", [
    ("tình nguyện viên", Role.VOLUNTEER), ("tinh nguyen vien", Role.VOLUNTEER), ("volunteer", Role.VOLUNTEER),
    ("tổ trưởng", Role.TEAM_LEADER), ("TO TRUONG", Role.TEAM_LEADER), ("team_leader", Role.TEAM_LEADER),
    ("team leader", Role.TEAM_LEADER), ("lãnh đạo", Role.LEADER), ("lanh dao", Role.LEADER),
    ("quản trị", Role.ADMIN), ("quan tri", Role.ADMIN), ("admin", Role.ADMIN), ("sếp", None)])
def test_role_words(typed, role):
    assert Role.parse(typed) is role


async def test_a_leader_invites_and_changes_roles_in_vietnamese(ward, store):
    said = await ward.say("lead", "/invite p01-kp1-t tổ trưởng")
    code = CODE.search(said.text).group(1)
    said = await ward.say("tam", f"/start {code.lower().replace('-', ' ')}")  # typed in lower case, a space
    assert said.text.startswith("Chào mừng Tam! Bạn là tổ trưởng của Tổ CNS KP1.")
    said = await ward.say("lead", "/invite P01-KP1-T tinh nguyen vien")
    await ward.say("an", f"/start {CODE.search(said.text).group(1)}")
    an = await store.read(lambda tx: tx.members.by_identity("test", "an"))
    said = await ward.say("lead", f"/role #{an.id} tổ trưởng")
    assert said.buttons and "tổ trưởng" in said.text.lower() and "không phải vai trò" not in said.text
    said = await ward.say("lead", "/invite P01-KP1-T sếp")
    assert said.text.startswith("«sếp» không phải vai trò. Dùng: tình nguyện viên, tổ trưởng")


async def test_an_invite_code_given_before_this_format_still_works(ward, store):
    async def old(tx):
        unit = await tx.units.by_code("P01-KP1-T")
        await tx.invites.create(code_hash("AbCdEfGhIjKlMnOp"), unit.id, Role.VOLUNTEER,
                                at("10:00") + timedelta(days=3), 5, None)
    await store.write(old)
    assert "Chào mừng" in (await ward.say("old", "/start AbCdEfGhIjKlMnOp")).text


def test_invite_codes_are_short_without_look_alikes_and_spread_over_the_whole_alphabet():
    import secrets
    assert len(INVITE_ALPHABET) == 31 and not set("0O1IL") & set(INVITE_ALPHABET)
    codes = [new_invite_code(secrets.choice) for _ in range(2000)]
    assert all(re.fullmatch(rf"[{INVITE_ALPHABET}]{{4}}-[{INVITE_ALPHABET}]{{4}}", c) for c in codes)
    assert len(set(codes)) == len(codes)
    seen = Counter(ch for c in codes for ch in c.replace("-", ""))
    assert set(seen) == set(INVITE_ALPHABET)
