"""Exactly one bot process leads (runs the scheduled jobs); when it dies, another takes over."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from domain.ports import Leadership
from storage.lease import PostgresLease, SqliteLease, leader_lease
from tests.support.backends import second_store


@pytest.fixture
def name() -> str:
    return f"scheduler-{uuid.uuid4().hex[:8]}"  # test runs sharing a PostgreSQL server never share a lock


@pytest.fixture
async def other_process(store):
    """A second bot process on the same database (sharing the test's clock)."""
    async with second_store(store, store.clock) as other:
        yield other


async def test_one_process_leads_and_the_others_do_not(store, other_process, name):
    first: Leadership = leader_lease(store, name)
    second: Leadership = leader_lease(other_process, name)
    unrelated: Leadership = leader_lease(store, f"{name}-other")
    try:
        assert await first.is_leader()
        assert not await second.is_leader()
        assert await first.is_leader()  # asking again keeps it
        assert not await second.is_leader()
        assert await unrelated.is_leader()  # another lease is another question
    finally:
        for lease in (first, second, unrelated):
            await lease.step_down()


async def test_stepping_down_hands_over_at_once(store, other_process, name):
    first, second = leader_lease(store, name), leader_lease(other_process, name)
    assert await first.is_leader()
    await first.step_down()
    assert await second.is_leader()
    assert not await first.is_leader()
    await second.step_down()
    await first.step_down()


async def test_an_expired_lease_is_taken_over_and_its_old_holder_knows(store, other_process, name, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL leases do not expire; see the dead-connection test")
    first = SqliteLease(store, name, ttl=timedelta(seconds=30))
    second = SqliteLease(other_process, name, ttl=timedelta(seconds=30))
    assert await first.is_leader()
    store.clock.advance(seconds=29)
    assert not await second.is_leader()  # still fresh
    store.clock.advance(seconds=2)  # the holder died and stopped renewing
    assert await second.is_leader()
    assert not await first.is_leader()  # back from a stall, it has lost the lead and knows it


async def test_a_dead_holders_lock_is_taken_over(store, name, backend):
    if backend != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    first, second = PostgresLease(store.engine, name), PostgresLease(store.engine, name)
    try:
        assert await first.is_leader() and not await second.is_leader()
        async with store.engine.connect() as admin:  # the holder's process dies: its connection goes with it
            # (with a timeout, PostgreSQL ≥ 14 returns once that backend has exited and its locks are gone)
            await admin.execute(text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": first.backend_pid})
            await admin.commit()
        assert await second.is_leader()
        assert not await first.is_leader()  # it notices the lost connection and does not claim the lead
        assert await second.is_leader()
    finally:
        await first.step_down()
        await second.step_down()

