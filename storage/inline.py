"""SQLite's one writer, run on the event loop's own thread: synchronous SQLAlchemy behind AsyncConnection's face.

An async SQLite statement costs far more than SQLite spends on it: aiosqlite hops to its worker thread and back
(a queue put, a thread wake-up, a loop wake-up: about 140 µs each on a small virtual machine, five per
statement), and even without the hops SQLAlchemy's async layer spawns a greenlet and switches several times per
statement. The writer's statements are short indexed lookups and appends that SQLite runs in a few µs, and they
are serialized anyway (one writer), so here they run right on the loop's thread through a synchronous
connection: about 45 µs a statement instead of 110-700. Two things still leave the loop: COMMIT, which may
write out the WAL or checkpoint it, goes to a thread when the transaction wrote anything; and waiting for
another process's write lock is done with asyncio.sleep between tries of BEGIN IMMEDIATE, never by blocking.

Repositories see a LoopConnection: the part of AsyncConnection they use (execute, exec_driver_sql, scalar,
scalars, run_sync, begin_nested, dialect). Reads (SqlStore.read) keep aiosqlite: a long report there runs
beside the loop rather than on it.
"""
from __future__ import annotations

import asyncio
import itertools
import sqlite3
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

_BUSY = ("database is locked", "database is busy")


class _Savepoint:
    """What AsyncConnection.begin_nested() gives: awaitable, or used with `async with`.

    Said to SQLite directly rather than through SQLAlchemy's nested transaction: group commit puts every message
    in one, and SQLAlchemy's bookkeeping cost several times what SQLite spends on SAVEPOINT and RELEASE."""

    def __init__(self, conn: Connection) -> None:
        self._raw: sqlite3.Connection = conn.connection.driver_connection
        self._name = ""
        self.is_active = False

    def _start(self) -> "_Savepoint":
        if not self._name:
            self._name = f"sp_{next(_savepoint_names)}"
            self._raw.execute(f"SAVEPOINT {self._name}")
            self.is_active = True
        return self

    def __await__(self):
        yield from ()
        return self._start()

    async def commit(self) -> None:
        self._end(rollback=False)

    async def rollback(self) -> None:
        self._end(rollback=True)

    def _end(self, rollback: bool) -> None:
        if not self.is_active:
            return
        self.is_active = False
        if rollback:
            self._raw.execute(f"ROLLBACK TO {self._name}")
        self._raw.execute(f"RELEASE {self._name}")

    async def __aenter__(self) -> "_Savepoint":
        return self._start()

    async def __aexit__(self, exc_type, exc, tb) -> None:
        self._end(rollback=exc_type is not None)


_savepoint_names = itertools.count(1)


class LoopConnection:
    """AsyncConnection's interface over a synchronous Connection; every call completes without yielding."""

    def __init__(self, sync_connection: Connection) -> None:
        self.sync_connection = sync_connection

    @property
    def dialect(self):
        return self.sync_connection.dialect

    @property
    def info(self) -> dict:
        return self.sync_connection.info

    async def execute(self, statement, parameters=None, *, execution_options=None):
        return self.sync_connection.execute(statement, parameters, execution_options=execution_options)

    async def exec_driver_sql(self, statement: str, parameters=None, execution_options=None):
        return self.sync_connection.exec_driver_sql(statement, parameters, execution_options)

    async def scalar(self, statement, parameters=None, *, execution_options=None):
        return self.sync_connection.scalar(statement, parameters, execution_options=execution_options)

    async def scalars(self, statement, parameters=None, *, execution_options=None):
        return self.sync_connection.scalars(statement, parameters, execution_options=execution_options)

    async def run_sync(self, fn, *args, **kwargs):
        return fn(self.sync_connection, *args, **kwargs)

    def begin_nested(self) -> _Savepoint:
        return _Savepoint(self.sync_connection)

    def in_transaction(self) -> bool:
        return self.sync_connection.in_transaction()

    def __getattr__(self, name: str):
        raise AttributeError(f"{name!r}: the SQLite writer's connection (storage/inline.py) offers only what "
                             "repositories use of AsyncConnection; add it there")


class LoopWriter:
    """The writer's single connection and its transactions."""

    def __init__(self, database: str, busy_timeout_s: float, cache_kib: int) -> None:
        self.busy_timeout_s = busy_timeout_s
        # prebuffer_rows: results are read in full at execute, as AsyncConnection's are, so no half-read
        # statement is pending when the transaction ends.
        self.engine: Engine = create_engine(
            f"sqlite:///{database}", pool_size=1, max_overflow=0, hide_parameters=True,
            connect_args={"check_same_thread": False, "isolation_level": None},
            execution_options={"prebuffer_rows": True})

        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection, _record):
            for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=0", "foreign_keys=ON",
                           f"cache_size=-{cache_kib}"):
                dbapi_connection.execute(f"PRAGMA {pragma}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[LoopConnection]:
        """BEGIN IMMEDIATE … COMMIT (or ROLLBACK when the body raises)."""
        conn = self.engine.connect()
        try:
            raw: sqlite3.Connection = conn.connection.driver_connection
            await self._begin(raw)
            tx = conn.begin()  # SQLAlchemy's bookkeeping; SQLite's transaction is already open
            written_before = raw.total_changes
            try:
                yield LoopConnection(conn)
            except BaseException:
                tx.rollback()
                raise
            if raw.total_changes == written_before:
                tx.commit()  # nothing written: nothing to flush, no reason to leave the loop
            else:
                await _in_thread(tx.commit)
        finally:
            conn.close()

    async def _begin(self, raw: sqlite3.Connection) -> None:
        deadline = time.monotonic() + self.busy_timeout_s
        pause = 0.001
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not str(exc).startswith(_BUSY) or time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)

    def dispose(self) -> None:
        self.engine.dispose()


async def _in_thread(fn) -> Any:
    """Run `fn` in the default executor; if we are cancelled meanwhile, still wait for it to finish."""
    future = asyncio.get_running_loop().run_in_executor(None, fn)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        await asyncio.wait([future])
        raise
