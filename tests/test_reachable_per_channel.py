"""Someone on two channels who blocks the bot on one is still reached on the other; only when every channel
bounces is the member unreachable and their team leader told. Writing on a channel makes it usable again."""
from __future__ import annotations

import pytest

from tests.support.chat import at
from tests.support.field import remind
from tests.support.outbox import RecordingOutbox
from tests.support.seed import join, seed_units


@pytest.fixture
async def team(chat, store):
    await seed_units(store)
    for who, role in (("an", "volunteer"), ("tam", "team_leader")):
        await join(chat, who, "P01-KP1-T", role)
    code = (await chat.say("an", "/link_account")).text.split("/link_account ")[1].split()[0]
    said = await chat.say("an-plain", f"/link_account {code}", channel="plain")
    assert "Đã liên kết" in said.texts[0]
    return chat


async def an(store):
    return await store.read(lambda tx: tx.members.by_identity("test", "an"))


async def test_a_bounce_on_one_channel_moves_reminders_to_the_other(team, clock, store):
    outbox = RecordingOutbox(blocked={"an-plain"})  # An blocked the bot on "plain" (tried first), not on "test"
    clock.set(at("15:30"))
    outcome = await remind(team, outbox, "team", 30)
    assert outcome.blocked == 1 and outcome.notes == 0  # the leader is not told: An can still be reached
    member = await an(store)
    assert not member.unreachable
    assert {(i.channel, i.blocked) for i in member.identities} == {("test", False), ("plain", True)}

    clock.set(at("15:50"))
    await remind(team, outbox, "team", 10)
    assert [(to.channel, to.chat_id) for to, text in outbox.sent if "Chào An" in text] == [("test", "an")]
    assert not [t for t in outbox.to("tam") if "⚠️" in t]


async def test_bounces_on_every_channel_make_the_member_unreachable_and_the_leader_is_told(team, clock, store):
    outbox = RecordingOutbox(blocked={"an", "an-plain"})
    clock.set(at("15:30"))
    await remind(team, outbox, "team", 30)
    assert not (await an(store)).unreachable
    clock.set(at("15:50"))
    await remind(team, outbox, "team", 10)  # the second channel bounces too
    assert (await an(store)).unreachable
    note = [t for t in outbox.to("tam") if "⚠️" in t]
    assert len(note) == 1 and "An (Tổ CNS KP1)" in note[0]


async def test_writing_on_a_blocked_channel_makes_it_the_one_used_again(team, clock, store):
    outbox = RecordingOutbox(blocked={"an-plain"})
    clock.set(at("15:30"))
    await remind(team, outbox, "team", 30)
    await team.say("an-plain", "/help", channel="plain")  # unblocked the bot on "plain" and wrote there
    member = await an(store)
    assert not any(i.blocked for i in member.identities)
    outbox.blocked.clear()
    clock.set(at("15:50"))
    await remind(team, outbox, "team", 10)
    assert [(to.channel, to.chat_id) for to, text in outbox.sent if "Chào An" in text] == [("plain", "an-plain")]
