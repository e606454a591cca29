"""Which of several bot processes runs the scheduled jobs: a PostgreSQL advisory lock, or a lease row on SQLite.

PostgreSQL: `pg_try_advisory_lock` on a connection kept for the purpose. The lock lives exactly as long as that
connection, so a holder that dies (process killed, machine gone) loses it as soon as the server notices the
connection is gone — TCP keepalives set below make that seconds, not the system's default two hours — and the
next process that asks takes it over. SQLite: a row naming the holder and an expiry; the holder renews it each
time it asks, anyone may take it once it has expired.
"""
from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from storage.schema import leases
from storage.sql import advisory_key, upsert
from storage.store import SqlStore

log = logging.getLogger(__name__)

DEFAULT_TTL = timedelta(seconds=30)


def holder_id() -> str:
    """Who holds a lease: readable in the table, unique per process start."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:128]


class SqliteLease:
    """A lease row with an expiry. Whoever asks renews it while it is theirs, or takes it once it expired."""

    def __init__(self, store: SqlStore, name: str = "scheduler", ttl: timedelta = DEFAULT_TTL,
                 holder: str | None = None) -> None:
        self.store = store
        self.name = name
        self.ttl = ttl
        self.holder = holder or holder_id()

    async def is_leader(self) -> bool:
        async def work(tx) -> bool:
            now = self.store.clock.now()
            row = (await tx.conn.execute(select(leases).where(leases.c.name == self.name))).first()
            if row is not None and row.holder != self.holder and row.expires_at > now:
                return False
            await tx.conn.execute(upsert(tx.conn, leases, ["name"], {
                "name": self.name, "holder": self.holder, "expires_at": now + self.ttl}))
            return True

        return await self.store.write(work)  # one writer at a time: no two processes both see it free

    async def step_down(self) -> None:
        async def work(tx) -> None:
            await tx.conn.execute(leases.delete().where(leases.c.name == self.name,
                                                        leases.c.holder == self.holder))

        await self.store.write(work)


class PostgresLease:
    """A session advisory lock, held on a connection of its own (outside every pool) for as long as we lead."""

    def __init__(self, engine: AsyncEngine, name: str = "scheduler", keepalive_s: int = 10) -> None:
        # The same server and database as the store, on connections of our own that are never reused.
        url = engine.url
        self._engine = create_async_engine(url, poolclass=NullPool, hide_parameters=True, connect_args={
            "command_timeout": 5,
            "server_settings": {"tcp_keepalives_idle": str(keepalive_s),
                                "tcp_keepalives_interval": str(max(1, keepalive_s // 2)),
                                "tcp_keepalives_count": "3", "application_name": "baocao-lease"}})
        self.name = name
        self.key = advisory_key(f"lease:{name}")
        self._conn: AsyncConnection | None = None
        self._held = False
        self.backend_pid: int | None = None  # the server process holding our lock: for logs, and tests

    async def is_leader(self) -> bool:
        try:
            if self._conn is None:
                self._conn = await self._engine.connect()
                await self._conn.execution_options(isolation_level="AUTOCOMMIT")
                self.backend_pid = (await self._conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
                self._held = False
            if self._held:
                # Still ours while the connection lives; a query that fails means it does not.
                await self._conn.execute(text("SELECT 1"))
            else:
                self._held = bool((await self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                                            {"k": self.key})).scalar_one())
            return self._held
        except Exception as exc:  # the connection broke: whatever we held is gone with it
            if self._held:
                log.warning("lost the %s lease: %s", self.name, exc.__class__.__name__)
            await self._drop()
            return False

    async def step_down(self) -> None:
        if self._conn is not None and self._held:
            try:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            except Exception:
                pass  # closing the connection below releases it anyway
        await self._drop()

    async def _drop(self) -> None:
        self._held = False
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:
                await conn.invalidate()


def leader_lease(store: SqlStore, name: str = "scheduler", ttl: timedelta = DEFAULT_TTL):
    """The lease for this store's database: an advisory lock on PostgreSQL, a lease row on SQLite."""
    if store.sqlite:
        return SqliteLease(store, name, ttl)
    return PostgresLease(store.engine, name)
