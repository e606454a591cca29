"""SQLite on the event loop's own thread, behind aiosqlite's interface: for the one writer, no thread hop per statement.

aiosqlite runs every call on a worker thread; each hop (a queue put, a thread wake-up, a loop wake-up) costs
about 140 µs on a small virtual machine, five of them per SQLAlchemy statement — more than the statement.
The writer's statements are short indexed lookups and appends of a few µs each, and they are serialized
anyway, so here they run inline. Only COMMIT, which may fsync or checkpoint the WAL, goes to a thread, so the
loop keeps taking messages while the disk works. Waiting for another process's write lock also never blocks
the loop: BEGIN is tried without a busy timeout and retried with asyncio.sleep.
"""
from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any, Iterable

_BUSY = ("database is locked", "database is busy")


class InlineCursor:
    __slots__ = ("_conn", "_cursor")

    def __init__(self, conn: "InlineConnection", cursor: sqlite3.Cursor) -> None:
        self._conn = conn
        self._cursor = cursor

    async def __aenter__(self) -> "InlineCursor":
        return self

    async def __aexit__(self, *exc) -> None:
        self._cursor.close()

    def __await__(self):
        yield from ()
        return self

    @property
    def description(self):
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Iterable[Any] = ()) -> "InlineCursor":
        if sql.lstrip()[:5].upper() == "BEGIN":
            await self._conn.begin(self._cursor, sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> "InlineCursor":
        self._cursor.executemany(sql, seq)
        return self

    async def fetchone(self):
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None):
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self):
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def nextset(self) -> None:
        return None

    async def setinputsizes(self, *sizes) -> None:
        return None


class _Immediately:
    """Stands in for aiosqlite's job queue, which SQLAlchemy uses directly to set the isolation level."""

    def put_nowait(self, job) -> None:
        future, function = job
        try:
            result = function()
        except BaseException as exc:  # noqa: B036 — handed to the waiting future, as aiosqlite does
            future.set_exception(exc)
        else:
            future.set_result(result)


class InlineConnection:
    """What SQLAlchemy's aiosqlite dialect calls on an aiosqlite.Connection, run on the calling thread."""

    def __init__(self, conn: sqlite3.Connection, busy_timeout_s: float) -> None:
        self._connection: sqlite3.Connection | None = conn
        self._tx = _Immediately()
        self._busy_timeout_s = busy_timeout_s
        self._changes_at_begin = 0

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("no active connection")
        return self._connection

    @property
    def isolation_level(self):
        return self._conn.isolation_level

    def cursor(self) -> InlineCursor:
        return InlineCursor(self, self._conn.cursor())

    async def begin(self, cursor: sqlite3.Cursor, sql: str) -> None:
        """BEGIN without blocking the loop while another process holds the write lock."""
        deadline = time.monotonic() + self._busy_timeout_s
        pause = 0.001
        while True:
            try:
                cursor.execute(sql)
                self._changes_at_begin = self._conn.total_changes
                return
            except sqlite3.OperationalError as exc:
                if not str(exc).startswith(_BUSY) or time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)

    async def execute(self, sql: str, parameters: Iterable[Any] = ()) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        if not self._conn.in_transaction:
            return
        if self._conn.total_changes == self._changes_at_begin:
            self._conn.commit()  # nothing written: nothing to flush, no reason to leave the loop
        else:
            await asyncio.get_running_loop().run_in_executor(None, self._conn.commit)

    async def rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.rollback()

    async def create_function(self, *args, **kw) -> None:
        self._conn.create_function(*args, **kw)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def connector(database: str, busy_timeout_s: float):
    """An `async_creator` for create_async_engine: plain sqlite3, in autocommit mode (BEGIN is ours)."""

    async def connect() -> InlineConnection:
        conn = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout=0")  # waiting happens in begin(), off the loop's back
        return InlineConnection(conn, busy_timeout_s)

    return connect
