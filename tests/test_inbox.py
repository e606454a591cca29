"""The inbox port on every backend: an update is stored once, waits until its delivery is claimed, and leaves the
inbox in the transaction that claims it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from domain.ports import Pending


async def put(store, channel: str, *items: tuple[str, str]) -> list[str]:
    return await store.write(lambda tx: tx.inbox.put(channel, list(items), store.clock.now()))


async def pending(store, channel: str) -> list[Pending]:
    return await store.read(lambda tx: tx.inbox.pending(channel))


async def test_updates_wait_in_the_order_they_came_each_channel_apart(store):
    assert await put(store, "telegram", ("7", '{"n": 7}'), ("5", '{"n": 5}')) == ["7", "5"]
    assert await put(store, "zalo", ("7", "tin nhắn")) == ["7"]  # ids are only unique within a channel
    assert await put(store, "telegram", ("9", "{}")) == ["9"]
    assert await pending(store, "telegram") == [Pending("telegram", "7", '{"n": 7}'),
                                                Pending("telegram", "5", '{"n": 5}'), Pending("telegram", "9", "{}")]
    assert await pending(store, "zalo") == [Pending("zalo", "7", "tin nhắn")]
    assert await pending(store, "console") == []


async def test_an_update_stored_twice_is_new_only_the_first_time(store):
    assert await put(store, "telegram", ("7", "first")) == ["7"]
    assert await put(store, "telegram", ("7", "again"), ("8", "other")) == ["8"]
    assert await pending(store, "telegram") == [Pending("telegram", "7", "first"), Pending("telegram", "8", "other")]
    assert await put(store, "telegram") == []


async def test_claiming_a_delivery_takes_it_out_of_the_inbox_for_good(store):
    await put(store, "telegram", ("7", "a"), ("8", "b"))

    async def handle(tx) -> bool:
        return await tx.deliveries.claim("telegram", "7", store.clock.now())
    assert await store.write(handle) is True
    assert await pending(store, "telegram") == [Pending("telegram", "8", "b")]
    assert await put(store, "telegram", ("7", "a")) == []  # re-sent by the platform after it was processed
    assert await pending(store, "telegram") == [Pending("telegram", "8", "b")]
    assert await store.write(handle) is False


async def test_a_claim_rolled_back_leaves_the_update_waiting(store):
    await put(store, "zalo", ("m1", "x"))

    async def fails(tx):
        await tx.deliveries.claim("zalo", "m1", store.clock.now())
        raise RuntimeError("the handler failed")
    with pytest.raises(RuntimeError):
        await store.write(fails)
    assert await pending(store, "zalo") == [Pending("zalo", "m1", "x")]


async def test_forgotten_deliveries_may_be_stored_again(store, clock):
    await put(store, "telegram", ("7", "a"))
    await store.write(lambda tx: tx.deliveries.claim("telegram", "7", clock.now()))
    clock.advance(days=8)
    assert await store.write(lambda tx: tx.deliveries.prune(clock.now() - timedelta(days=7))) == 1
    assert await put(store, "telegram", ("7", "a week later")) == ["7"]  # Telegram reuses ids after a week
