"""The store: runs the core's work in transactions and hands it repositories bound to them."""
from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from typing import Awaitable, Callable, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.clock import Clock, SystemClock
from storage.account_links import SqlAccountLinks
from storage.audit import SqlAudit
from storage.conversations import SqlConversations
from storage.deliveries import SqlDeliveries
from storage.engine import create_engine, is_sqlite, loop_writer
from storage.entries import SqlEntries
from storage.inbox import SqlInbox
from storage.inline import LoopWriter
from storage.invites import SqlInvites
from storage.linked_chats import SqlLinks
from storage.members import SqlMembers
from storage.pauses import SqlPauses
from storage.quotas import SqlQuotas
from storage.notes import SqlDaysOff, SqlNotes
from storage.replies import SqlReplies
from storage.sends import SqlSends
from storage.units import SqlUnits

T = TypeVar("T")
MAX_BATCH = 32  # writes per group commit: bounds how long the first of a batch waits for the last


class SqlTx:
    """One transaction's connection and every repository bound to it: what `domain.ports.Tx` names.

    Each repository only keeps the connection, so building all of them costs a few attribute stores."""

    def __init__(self, conn: AsyncConnection, clock: Clock) -> None:
        self.conn = conn
        now = clock.now
        self.units = SqlUnits(conn)
        self.members = SqlMembers(conn, now)
        self.invites = SqlInvites(conn, now)
        self.entries = SqlEntries(conn)
        self.conversations = SqlConversations(conn)
        self.deliveries = SqlDeliveries(conn)
        self.inbox = SqlInbox(conn)
        self.audit = SqlAudit(conn)
        self.sends = SqlSends(conn)
        self.links = SqlLinks(conn)
        self.account_links = SqlAccountLinks(conn)
        self.quotas = SqlQuotas(conn)
        self.pauses = SqlPauses(conn)
        self.replies = SqlReplies(conn)
        self.notes = SqlNotes(conn)
        self.days_off = SqlDaysOff(conn)


@dataclass(eq=False)
class _Job:
    work: Callable[[SqlTx], Awaitable]
    future: asyncio.Future


class SqlStore:
    """Transactions for the core. On SQLite, concurrent writes share one commit (group commit, below)."""

    def __init__(self, engine: AsyncEngine, clock: Clock | None = None, *, writer: LoopWriter | None = None,
                 group_commit: bool | None = None, max_batch: int = MAX_BATCH) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()
        self.sqlite = is_sqlite(engine)
        self._loop_writer = writer  # SQLite: writes on the loop's thread (storage/inline.py)
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE") if self.sqlite else engine
        # SQLite has one writer; queueing here costs nothing, where contending for the file lock busy-waits.
        self._write_lock = asyncio.Lock() if self.sqlite else None
        # By default PostgreSQL keeps one transaction per write: it has real concurrency, and a batch makes every
        # writer wait for the others (measured in docs/benchmarks.md); group_commit=True forces batching there.
        self.group_commit = self.sqlite if group_commit is None else group_commit
        self.max_batch = max_batch
        self._queue: deque[_Job] = deque()
        self._drainer: asyncio.Task | None = None

    @classmethod
    def from_url(cls, url: str, clock: Clock | None = None, pool_size: int = 10,
                 schema: str | None = None, *, group_commit: bool | None = None, inline: bool = True,
                 max_batch: int = MAX_BATCH) -> "SqlStore":
        """`inline`: SQLite writes on the loop's thread (storage/inline.py); reads keep aiosqlite's thread."""
        engine = create_engine(url, pool_size=pool_size, schema=schema)
        return cls(engine, clock, writer=loop_writer(url) if inline else None, group_commit=group_commit,
                   max_batch=max_batch)

    async def write(self, work: Callable[[SqlTx], Awaitable[T]]) -> T:
        if self.group_commit:
            job = _Job(work, asyncio.get_running_loop().create_future())
            self._queue.append(job)
            if self._drainer is None:
                self._drainer = asyncio.create_task(self._drain())
            return await job.future
        if self._write_lock is None:
            return await self._run(self._writer, work)
        async with self._write_lock:
            async with self._write_transaction() as conn:
                return await work(SqlTx(conn, self.clock))

    async def read(self, work: Callable[[SqlTx], Awaitable[T]]) -> T:
        return await self._run(self.engine, work)

    async def _run(self, engine, work):
        async with engine.begin() as conn:
            return await work(SqlTx(conn, self.clock))

    def _write_transaction(self):
        if self._loop_writer is not None:
            return self._loop_writer.transaction()
        return self._writer.begin()

    # Group commit. Writers queue their work; one task takes what is queued (at most max_batch), runs each
    # work in its own SAVEPOINT inside one BEGIN IMMEDIATE … COMMIT, and only then answers every writer.
    # A work that raises is rolled back to its savepoint and its writer gets the exception; the others
    # commit. While a batch commits, the next one queues up: no timer, so an idle writer waits for nothing.

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = []
                while self._queue and len(batch) < self.max_batch:
                    job = self._queue.popleft()
                    if not job.future.done():  # its writer was cancelled while it queued
                        batch.append(job)
                if batch:
                    await self._commit_batch(batch)
        except BaseException:  # torn down (shutdown): no writer may wait for a drainer that is gone
            while self._queue:
                self._queue.popleft().future.cancel()
            raise
        finally:
            self._drainer = None

    async def _commit_batch(self, batch: list[_Job]) -> None:
        outcomes: list[tuple[bool, object]] = []
        try:
            async with self._write_transaction() as conn:
                for job in batch:
                    outcomes.append(await self._in_savepoint(conn, job))
        except Exception as exc:  # BEGIN or COMMIT failed, or SQLite dropped the transaction: nothing committed
            for job in batch:
                if not job.future.done():
                    job.future.set_exception(exc)
            return
        except BaseException:  # the drainer itself was cancelled (shutdown): so are its writers
            for job in batch:
                job.future.cancel()
            raise
        for job, (ok, value) in zip(batch, outcomes):
            if job.future.done():
                continue
            if ok:
                job.future.set_result(value)
            elif isinstance(value, asyncio.CancelledError):
                job.future.cancel()
            else:
                job.future.set_exception(value)

    async def _in_savepoint(self, conn: AsyncConnection, job: _Job) -> tuple[bool, object]:
        savepoint = await conn.begin_nested()
        try:
            value = await job.work(SqlTx(conn, self.clock))
        except asyncio.CancelledError as exc:
            if asyncio.current_task().cancelling():
                raise  # the drainer itself is being cancelled
            await savepoint.rollback()  # something the work awaited was cancelled: that work fails alone
            return False, exc
        except Exception as exc:
            await savepoint.rollback()
            return False, exc
        if job.future.cancelled():  # its writer gave up while it ran: as if it had never been asked
            await savepoint.rollback()
            return False, None
        await savepoint.commit()
        return True, value

    async def close(self) -> None:
        if self._drainer is not None:
            await asyncio.shield(self._drainer)
        await self.engine.dispose()
        if self._loop_writer is not None:
            self._loop_writer.dispose()
