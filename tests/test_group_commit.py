"""Concurrent writes share a commit on SQLite, yet each behaves as its own transaction; PostgreSQL keeps one each."""
from __future__ import annotations

import asyncio
import itertools

import pytest
from sqlalchemy import func, select

from domain.messages import Kind
from storage.schema import audit_log
from tests.support.chat import at
from tests.support.seed import join, seed_units

NOW = at("10:00")


def note(subject: str, then=None):
    """A write that leaves one audit row, then does `then(tx)` (which may raise)."""

    async def work(tx):
        await tx.audit.record(NOW, None, "test", subject, None, None)
        if then is not None:
            return await then(tx)
        return subject

    return work


async def subjects(store) -> list[str]:
    async def work(tx):
        return [r.subject for r in await tx.conn.execute(select(audit_log.c.subject).order_by(audit_log.c.id))]

    return await store.read(work)


async def test_a_failing_write_among_many_is_rolled_back_alone_and_its_caller_gets_the_error(store):
    async def boom(tx):
        raise ValueError("bad input")

    works = [note(f"w{i}", boom if i == 4 else None) for i in range(10)]
    results = await asyncio.gather(*(store.write(w) for w in works), return_exceptions=True)

    assert isinstance(results[4], ValueError) and str(results[4]) == "bad input"
    assert [r for i, r in enumerate(results) if i != 4] == [f"w{i}" for i in range(10) if i != 4]
    assert sorted(await subjects(store)) == sorted(f"w{i}" for i in range(10) if i != 4)


async def test_a_single_write_behaves_as_before(store):
    assert await store.write(note("alone")) == "alone"

    async def boom(tx):
        raise KeyError("nope")

    with pytest.raises(KeyError):
        await store.write(note("doomed", boom))
    assert await subjects(store) == ["alone"]


async def test_writes_are_applied_in_the_order_they_were_asked(store):
    if not store.group_commit:
        pytest.skip("PostgreSQL runs concurrent writes concurrently; their order is the database's")

    async def count_before(tx):
        return (await tx.conn.execute(select(func.count()).select_from(audit_log))).scalar_one() - 1

    seen = await asyncio.gather(*(store.write(note(f"w{i:03d}", count_before)) for i in range(120)))
    assert seen == list(range(120))  # each saw exactly the writes asked before it, batches or not
    assert await subjects(store) == [f"w{i:03d}" for i in range(120)]


async def test_many_concurrent_writers_all_commit_in_far_fewer_transactions(store):
    seen = []  # each write's connection, in the order the writes ran: the writes of one commit share one

    async def look(tx):
        seen.append(tx.conn)

    await asyncio.gather(*(store.write(note(f"w{i}", look)) for i in range(500)))
    assert len(await subjects(store)) == 500 and len(seen) == 500
    commits = [len(list(writes)) for _, writes in itertools.groupby(seen, key=id)]
    if store.group_commit:
        assert len(commits) < 500 / 4
        assert max(commits) <= max(1, store.max_batch)  # no batch exceeded its bound
    else:
        assert len({id(conn) for conn in seen}) == 500  # one transaction each


async def test_a_caller_hears_back_only_after_its_data_is_committed(store):
    async def then_look(tx):
        return "committed"

    assert await store.write(note("mine", then_look)) == "committed"
    assert await subjects(store) == ["mine"]  # a separate connection sees it the moment the caller hears


async def test_a_writer_cancelled_while_queued_leaves_nothing_behind(store):
    if not store.group_commit:
        pytest.skip("queueing belongs to the SQLite group commit")
    gate = asyncio.Event()

    async def wait_for_gate(tx):
        await gate.wait()
        return "first"

    first = asyncio.create_task(store.write(note("first", wait_for_gate)))
    await asyncio.sleep(0)
    queued = asyncio.create_task(store.write(note("queued")))
    await asyncio.sleep(0)
    queued.cancel()
    gate.set()
    assert await first == "first"
    with pytest.raises(asyncio.CancelledError):
        await queued
    assert await subjects(store) == ["first"]
    assert await store.write(note("after")) == "after"  # the store goes on


async def test_the_same_delivery_twice_in_one_batch_is_handled_once(chat, store):
    await seed_units(store)
    await join(chat, "an", "P01-KP1-T")
    await chat.say("an", "ho 7, app 3")
    press = chat.incoming("an", "report:confirm", kind=Kind.CHOICE, delivery_id="dup-7")
    first, again = await asyncio.gather(chat.deliver(press), chat.deliver(press))
    assert sorted([bool(first.out), bool(again.out)]) == [False, True]
    said = await chat.say("an", "/summary")
    assert "Tổng: 7 · 3" in said.text


async def test_many_volunteers_reporting_at_once_each_get_their_own_answer(chat, store):
    await seed_units(store)
    people = [f"v{i}" for i in range(12)]
    for i, who in enumerate(people):
        await join(chat, who, "P01-KP1-T" if i % 2 else "P01-KP2-T")
    previews = await asyncio.gather(*(chat.say(who, f"ho {i + 1}") for i, who in enumerate(people)))
    assert all("report:confirm" in p.buttons for p in previews)
    saved = await asyncio.gather(*(chat.press(who, "report:confirm") for who in people))
    for i, said in enumerate(saved):
        assert "Đã lưu" in said.text and f"Số hộ đã đến: {i + 1} (cả ngày: bạn {i + 1}," in said.text
    said = await chat.say("admin", "/summary P01")
    assert f"Tổng: {sum(range(1, 13))} ·" in said.text


async def test_waiting_for_another_process_holding_the_write_lock_does_not_stall_the_loop(store, backend):
    if backend != "sqlite":
        pytest.skip("SQLite's file lock")
    import sqlite3

    other = sqlite3.connect(store.engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process (a CLI import, say) is writing
    write = asyncio.create_task(store.write(note("mine")))
    ticks = 0
    for _ in range(20):
        await asyncio.sleep(0)
        ticks += 1
    assert not write.done() and ticks == 20  # the loop kept running while the write waited
    other.execute("COMMIT")
    other.close()
    assert await write == "mine"


async def test_a_write_whose_own_await_is_cancelled_fails_alone(store):
    if not store.group_commit:
        pytest.skip("batching belongs to the SQLite group commit")

    async def inner_cancelled(tx):
        waiting = asyncio.get_running_loop().create_future()
        waiting.cancel()
        await waiting  # raises CancelledError inside the work, the drainer itself is not cancelled

    results = await asyncio.gather(store.write(note("a")), store.write(note("b", inner_cancelled)),
                                   store.write(note("c")), return_exceptions=True)
    assert results[0] == "a" and results[2] == "c" and isinstance(results[1], asyncio.CancelledError)
    assert sorted(await subjects(store)) == ["a", "c"]
    assert await store.write(note("after")) == "after"
