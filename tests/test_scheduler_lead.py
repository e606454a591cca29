"""Several bot processes on one database: only the one holding the lead runs the scheduled jobs; when it dies or
stops, another takes over and sends what was missed, once."""
from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from scheduler.service import Scheduler
from scheduler.settings import SchedulerSettings
from storage.lease import leader_lease
from tests.support.backends import second_store
from tests.support.chat import at
from tests.support.field import REPORTERS, cutoff, populate
from tests.support.outbox import RecordingOutbox


@pytest.fixture
def lease_name() -> str:
    return f"scheduler-{uuid.uuid4().hex[:8]}"  # PostgreSQL's advisory locks are per database, not per schema


@pytest.fixture
async def field(chat):
    await populate(chat)
    return chat


@pytest.fixture
async def two_processes(field, store, clock, lease_name):
    """Two bot processes' schedulers on the same database, each with its own outbox and lease."""
    async with second_store(store, clock) as other:
        first = Scheduler(store, field.services, RecordingOutbox(), leadership=leader_lease(store, lease_name))
        second = Scheduler(other, field.services, RecordingOutbox(), leadership=leader_lease(other, lease_name))
        try:
            yield first, second
        finally:
            await first.stop()
            await second.stop()


async def test_only_the_leading_process_runs_a_reminder(two_processes, field, clock):
    first, second = two_processes
    clock.set(at("15:30"))
    assert await first.leads() and not await second.leads()
    await first.remind(cutoff(field, "team"), 30)
    await second.remind(cutoff(field, "team"), 30)
    assert sorted(first.outbox.chats) == sorted(REPORTERS)
    assert second.outbox.attempts == []  # it did not even plan or claim


async def test_a_follower_takes_over_from_a_dead_leader_and_catches_up_once(two_processes, field, clock, backend):
    first, second = two_processes
    clock.set(at("15:20"))
    assert await first.leads() and not await second.leads()
    # The leader dies at 15:25: on SQLite its lease simply stops being renewed; on PostgreSQL its connection goes.
    if backend == "postgresql":
        async with first.store.engine.connect() as admin:
            await admin.execute(text("SELECT pg_terminate_backend(:pid, 10000)"),
                                {"pid": first.leadership.backend_pid})
    clock.set(at("15:40"))  # so the 15:30 reminder never went
    await second.renew()
    await second.idle()  # the catch-up it started on taking over
    assert sorted(second.outbox.chats) == sorted(REPORTERS)
    assert all("còn 20 phút" in said for _, said in second.outbox.sent)
    assert first.outbox.attempts == []


async def test_a_stopping_leader_hands_over_at_once(two_processes, field, clock):
    first, second = two_processes
    clock.set(at("15:29"))
    assert await first.leads()
    await first.stop()
    assert await second.leads()  # no waiting for a lease to expire
    clock.set(at("15:30"))
    await second.remind(cutoff(field, "team"), 30)
    assert sorted(second.outbox.chats) == sorted(REPORTERS)


async def test_a_leader_that_cannot_reach_the_database_does_not_act(field, clock, store):
    class Unreachable:
        async def is_leader(self) -> bool:
            raise ConnectionError("database gone")

        async def step_down(self) -> None:
            pass

    scheduler = Scheduler(store, field.services, RecordingOutbox(), leadership=Unreachable())
    clock.set(at("15:30"))
    await scheduler.remind(cutoff(field, "team"), 30)
    assert scheduler.outbox.attempts == []


def test_the_lead_check_is_built_only_where_processes_share_the_lead(field, store, lease_name):
    alone = Scheduler(store, field.services, RecordingOutbox()).build()
    shared = Scheduler(store, field.services, RecordingOutbox(), leadership=leader_lease(store, lease_name)).build()
    assert "lead" not in {j.id for j in alone.get_jobs()}
    lead = next(j for j in shared.get_jobs() if j.id == "lead")
    assert lead.trigger.interval.total_seconds() == SchedulerSettings().renew_seconds


def test_a_lease_renewed_too_rarely_is_refused():
    with pytest.raises(ValidationError, match="renew_seconds must be at most half of lease_seconds"):
        SchedulerSettings(renew_seconds=20, lease_seconds=30)
