"""/link never takes over a group linked to another unit, except by a leader of that unit or above both; the
other unit's leader can still /unlink it (issue 12, Why 5)."""
from __future__ import annotations

import pytest

from tests.support.seed import join, seed_units


@pytest.fixture
async def wards(chat, store):
    await seed_units(store)
    await join(chat, "p01", "P01", "leader")
    await join(chat, "p01b", "P01", "leader")
    await join(chat, "p02", "P02", "leader")
    await join(chat, "q1", "Q1", "leader")
    return chat


async def linked_to(store, group: str) -> int | None:
    found = await store.read(lambda tx: tx.links.get("test", group))
    return found.unit_id if found else None


async def unit_id(store, code: str) -> int:
    return (await store.read(lambda tx: tx.units.by_code(code))).id


async def test_another_wards_leader_cannot_take_a_group_over_and_its_own_leader_can_still_unlink(wards, store):
    assert "Đã liên kết nhóm này với Phường Đa Kao" in (await wards.say("p02", "/link", group="g")).text
    said = await wards.say("p01", "/link", group="g")
    assert said.text.startswith("Nhóm này đang nhận báo cáo của Phường Đa Kao")
    assert await linked_to(store, "g") == await unit_id(store, "P02")
    await wards.say("p01", "/unlink", group="g")
    assert await linked_to(store, "g") == await unit_id(store, "P02")  # nor unlink it
    said = await wards.say("p02", "/unlink", group="g")
    assert "Phường Đa Kao" in said.text and await linked_to(store, "g") is None


async def test_a_leader_above_both_or_of_the_same_unit_may_move_the_group(wards, store):
    await wards.say("p02", "/link", group="g")
    assert "Đã liên kết nhóm này với Quận 1" in (await wards.say("q1", "/link", group="g")).text
    assert await linked_to(store, "g") == await unit_id(store, "Q1")
    # Now the district's: a ward's leader is below it, so may not move it down to their ward.
    assert (await wards.say("p01", "/link", group="g")).text.startswith("Nhóm này đang nhận báo cáo của Quận 1")
    await wards.say("p01", "/link", group="h")
    assert "Đã liên kết" in (await wards.say("p01b", "/link", group="h")).text  # the same ward: a colleague
    assert await linked_to(store, "h") == await unit_id(store, "P01")
