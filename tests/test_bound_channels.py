"""Channels bound to a subtree (a province's own bot), in the platform-free core: which link an invite shows,
who may join where, and through which channel a member is reached. The binding is data in Services."""
from __future__ import annotations

from dataclasses import replace

import pytest

from domain.messages import Binding
from application.chasing import private_address
from tests.support.chat import TELEGRAM_LIKE
from tests.support.seed import invite_code, seed_units


@pytest.fixture
async def bound(chat, store):
    """Platform "test" has a general channel and one bound to ward P01; platform "plain" has one channel."""
    await seed_units(store)
    chat.services.traits["test:P01"] = replace(TELEGRAM_LIKE, name="test:P01")
    chat.services.join_links.update({"test:P01": "https://t.me/p01bot?start={code}",
                                     "plain": "plain: /start {code}"})
    chat.services.bindings = (Binding("test:P01", "P01", "test"),)
    chat.services.admins["test:P01"] = chat.services.admins["test"]
    return chat


async def test_an_invite_shows_one_link_per_platform_each_to_the_channel_serving_the_unit(bound):
    said = await bound.say("admin", "/invite P01-KP2-T")
    code = invite_code(said.text)
    assert f"https://t.me/p01bot?start={code}\nplain: /start {code}" in said.text
    assert "testbot" not in said.text
    said = await bound.say("admin", "/invite P02-KP1-T", channel="test:P01")  # asked anywhere, same answer
    code = invite_code(said.text)
    assert f"https://t.me/testbot?start={code}\nplain: /start {code}" in said.text


async def test_joining_goes_through_the_serving_channel_of_each_platform_only(bound, store):
    code = invite_code((await bound.say("admin", "/invite P01-KP1-T")).text)
    said = await bound.say("an", f"/start {code}")  # the general channel of the platform
    assert said.texts == ["Mã mời này dành cho Tổ CNS KP1, đơn vị do một bot khác phụ trách. Hãy mở liên kết "
                          f"này để tham gia:\nhttps://t.me/p01bot?start={code}"]
    assert "Chào mừng" in (await bound.say("binh", f"/start {code}", channel="plain")).text  # another platform
    assert "Chào mừng" in (await bound.say("an", f"/start {code}", channel="test:P01")).text
    said = await bound.say("an", "/link_account", channel="test:P01")  # and her account on the general one too
    said = await bound.say("an", f"/link_account {said.text.split('/link_account ')[1].split()[0]}")
    assert "Đã liên kết!" in said.text
    member = await store.read(lambda tx: tx.members.by_identity("test:P01", "an"))
    assert [i.channel for i in member.identities] == ["test", "test:P01"]
    assert private_address(member, bound.services).channel == "test:P01"  # reached through the bound channel


async def test_a_leader_above_every_bound_subtree_joins_through_the_general_channel(bound):
    code = invite_code((await bound.say("admin", "/invite Q1 leader")).text)
    said = await bound.say("lan", f"/start {code}", channel="test:P01")
    assert "https://t.me/testbot?start=" in said.text and "Chào mừng" not in said.text
    assert "Chào mừng Lan" in (await bound.say("lan", f"/start {code}")).text
