"""The store: runs the core's work in transactions and hands it repositories bound to them."""
from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.clock import Clock, SystemClock
from storage.engine import create_engine, is_sqlite
from storage.entries import SqlEntries
from storage.members import SqlInvites, SqlMembers
from storage.state import SqlAudit, SqlConversations, SqlDeliveries, SqlInbox
from storage.units import SqlUnits

T = TypeVar("T")


class SqlTx:
    """The repositories of one transaction. Feature modules add theirs through `extensions`."""

    extensions: dict[str, Callable[["SqlTx"], object]] = {}

    def __init__(self, conn: AsyncConnection, clock: Clock) -> None:
        self.conn = conn
        now = clock.now
        self.units = SqlUnits(conn)
        self.members = SqlMembers(conn, now)
        self.invites = SqlInvites(conn, now)
        self.entries = SqlEntries(conn)
        self.conversations = SqlConversations(conn)
        self.deliveries = SqlDeliveries(conn)
        self.audit = SqlAudit(conn)
        self.inbox = SqlInbox(conn)

    def __getattr__(self, name: str):
        factory = SqlTx.extensions.get(name)
        if factory is None:
            raise AttributeError(name)
        repo = factory(self)
        setattr(self, name, repo)
        return repo


class SqlStore:
    def __init__(self, engine: AsyncEngine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()
        self.sqlite = is_sqlite(engine)
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE") if self.sqlite else engine
        # SQLite has one writer; queueing here costs nothing, where contending for the file lock busy-waits.
        self._write_lock = asyncio.Lock() if self.sqlite else None

    @classmethod
    def from_url(cls, url: str, clock: Clock | None = None, pool_size: int = 10,
                 schema: str | None = None) -> "SqlStore":
        return cls(create_engine(url, pool_size=pool_size, schema=schema), clock)

    async def write(self, work: Callable[[SqlTx], Awaitable[T]]) -> T:
        if self._write_lock is None:
            return await self._run(self._writer, work)
        async with self._write_lock:
            return await self._run(self._writer, work)

    async def read(self, work: Callable[[SqlTx], Awaitable[T]]) -> T:
        return await self._run(self.engine, work)

    async def _run(self, engine, work):
        async with engine.begin() as conn:
            return await work(SqlTx(conn, self.clock))

    async def close(self) -> None:
        await self.engine.dispose()


# Last: feature modules import SqlTx to register their repositories, so it must exist by now.
import storage.feature_tables  # noqa: E402,F401  (feature repositories register themselves)
