"""Several bot processes on one PostgreSQL database: what one person sends is handled one message at a time."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from domain.model import Conversation


async def test_one_persons_messages_handled_by_two_processes_at_once_take_turns(store, backend, clock):
    if backend != "postgresql":
        pytest.skip("SQLite has one writer: its transactions never overlap")
    first_has_read = asyncio.Event()
    first_may_commit = asyncio.Event()

    async def first(tx):
        conv = await tx.conversations.get("test", "an", "an")
        conv.name, conv.step = "report", "confirm"
        await tx.conversations.save("test", "an", "an", conv, clock.now())
        first_has_read.set()
        await first_may_commit.wait()

    async def second(tx) -> Conversation:
        return await tx.conversations.get("test", "an", "an")  # a second message of hers, another process

    one = asyncio.create_task(store.write(first))
    await first_has_read.wait()
    two = asyncio.create_task(store.write(second))
    async with store.engine.connect() as watch:  # until the second transaction waits on the first's lock
        while not (await watch.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))).scalar_one():
            assert not two.done()
            await watch.rollback()
    assert not two.done()
    first_may_commit.set()
    await one
    seen = await two
    assert (seen.name, seen.step) == ("report", "confirm")  # it continued from what the first saved
