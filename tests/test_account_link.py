"""One person, two channels: a one-time code links a second identity to the same member, counted once."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.messages import Address
from storage.schema import account_links
from tests.support.seed import join, seed_units


@pytest.fixture
async def team(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    await join(chat, "binh", "P01-KP1-T")
    return chat


def code_in(text: str) -> str:
    return text.split("/link_account ")[1].split()[0]


async def test_a_code_from_one_channel_links_the_other_and_entries_count_once(team, store):
    said = await team.say("an", "/link_account")
    code = code_in(said.text)
    assert "10 phút" in said.text and len(code) == 9 and code[4] == "-"

    said = await team.say("an-plain", f"/link_account {code}", channel="plain")
    assert "Đã liên kết" in said.texts[0] and "An" in said.texts[0]
    notice = said.out[1]
    assert notice.to == Address("test", "an") and "vừa được liên kết" in notice.reply.text

    await team.say("an", "ho 10")
    await team.press("an", "report:confirm")
    said = await team.say("an-plain", "them ho 5", channel="plain")
    assert "Số hộ đã đến: 5 (cả ngày: bạn 15, tổ 15)" in said.text  # the same member's day
    await team.say("an-plain", "1", channel="plain")

    said = await team.say("admin", "/summary P01-KP1-T")
    assert "✅ An: 15 · 0" in said.text and said.text.count("An:") == 1
    assert "⏳ Binh: 0" in said.text and "Thành viên chưa báo cáo: Binh\n" in said.text + "\n"

    async def members(tx):
        return await tx.members.in_units([(await tx.units.by_code("P01-KP1-T")).id])
    people = await store.read(members)
    assert [m.name for m in people] == ["An", "Binh"]
    assert {(i.channel, i.external_id) for i in people[0].identities} == {("test", "an"), ("plain", "an-plain")}


async def test_codes_are_stored_hashed_and_typed_loosely(team, store):
    code = code_in((await team.say("an", "/link_account")).text)
    rows = await store.read(lambda tx: tx.conn.execute(select(account_links)))
    stored = [r.code_hash for r in rows]
    assert len(stored) == 1 and code.replace("-", "") not in stored[0] and len(stored[0]) == 64
    said = await team.say("an-plain", f"/link_account {code.lower().replace('-', ' ')}", channel="plain")
    assert "Đã liên kết" in said.text


async def test_a_wrong_used_or_expired_code_is_refused(team, clock):
    said = await team.say("x-plain", "/link_account ABCD-EFGH", channel="plain")
    assert "không đúng" in said.text
    code = code_in((await team.say("an", "/link_account")).text)
    clock.advance(minutes=11)
    said = await team.say("an-plain", f"/link_account {code}", channel="plain")
    assert "hết hạn" in said.text
    code = code_in((await team.say("an", "/link_account")).text)
    await team.say("an-plain", f"/link_account {code}", channel="plain")
    said = await team.say("an-other", f"/link_account {code}", channel="plain")
    assert "không đúng hoặc đã được dùng" in said.text


async def test_asking_again_replaces_the_earlier_code(team):
    first = code_in((await team.say("an", "/link_account")).text)
    second = code_in((await team.say("an", "/link_account")).text)
    said = await team.say("an-plain", f"/link_account {first}", channel="plain")
    assert "không đúng" in said.text
    said = await team.say("an-plain", f"/link_account {second}", channel="plain")
    assert "Đã liên kết" in said.text


async def test_an_identity_of_another_member_is_not_taken_over(team):
    await join(team, "chi-plain", "P01-KP2-T")  # joined by invite on the test channel, as "chi-plain"
    code = code_in((await team.say("an", "/link_account")).text)
    said = await team.say("binh", f"/link_account {code}")
    assert "đã thuộc thành viên Binh" in said.text
    said = await team.say("an", f"/link_account {code}")
    assert "đã là của bạn" in said.text
    said = await team.say("an-plain", f"/link_account {code}", channel="plain")
    assert "Đã liên kết" in said.text  # the refusals above did not use the code up


async def test_one_identity_per_channel_per_member(team):
    code = code_in((await team.say("an", "/link_account")).text)
    await team.say("an-plain", f"/link_account {code}", channel="plain")
    code = code_in((await team.say("an", "/link_account")).text)
    said = await team.say("an-plain-2", f"/link_account {code}", channel="plain")
    assert "đã có một tài khoản plain" in said.text


async def test_guessing_codes_is_stopped_after_five_failures(team):
    for _ in range(5):
        await team.say("mallory", "/link_account AAAA-AAAA", channel="plain")
    code = code_in((await team.say("an", "/link_account")).text)
    said = await team.say("mallory", f"/link_account {code}", channel="plain")
    assert "quá nhiều lần" in said.text


async def test_an_outsider_asking_for_a_code_is_told_how(team):
    said = await team.say("nobody", "/link_account")
    assert "chưa là thành viên" in said.text and "/start" in said.text


async def test_in_english(team):
    await team.say("an", "/language en")
    said = await team.say("an", "/link_account")
    assert "Your link code" in said.text
    said = await team.say("an-plain", f"/link_account {code_in(said.text)}", channel="plain")
    assert "Linked!" in said.texts[0] and "just linked" in said.texts[1]


def test_the_zalo_catalogs_have_the_same_keys_in_both_languages():
    from babel.messages.pofile import read_po

    from domain.i18n import LOCALES_DIR

    keys = {}
    for lang in ("vi", "en"):
        with (LOCALES_DIR / lang / "LC_MESSAGES" / "zalo.po").open("rb") as fh:
            keys[lang] = {m.id for m in read_po(fh, locale=lang) if m.id and m.string}
    assert keys["vi"] == keys["en"] and "help.link_account" in keys["vi"]
