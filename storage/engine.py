"""Engines: SQLite in WAL mode with writes begun IMMEDIATE, or PostgreSQL through asyncpg."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.inline import LoopWriter

BUSY_TIMEOUT_MS = 15_000
# The one writer reads what every report checks (members, teams' entries to date): keep those pages in its own
# cache rather than re-reading them from the OS. Readers keep SQLite's default (2 MiB each).
WRITER_CACHE_KIB = 64 * 1024


def normalize_url(url: str) -> str:
    """Accept plain `sqlite:///` and `postgresql://` URLs and pick the async drivers."""
    u = make_url(url)
    if u.drivername in ("sqlite", "sqlite+pysqlite"):
        u = u.set(drivername="sqlite+aiosqlite")
    elif u.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        u = u.set(drivername="postgresql+asyncpg")
    return u.render_as_string(hide_password=False)


def create_engine(url: str, *, pool_size: int = 10, schema: str | None = None) -> AsyncEngine:
    """`schema`: PostgreSQL only, a search_path to keep (tests use one throwaway schema each). A failing
    statement's exception never carries its parameters (names, messages): `hide_parameters`."""
    url = normalize_url(url)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, pool_size=pool_size, max_overflow=0, hide_parameters=True,
                                     connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _sqlite_transactions(engine)
        return engine
    connect_args = {"server_settings": {"search_path": schema}} if schema else {}
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
                               hide_parameters=True, connect_args=connect_args)


def _sqlite_transactions(engine: AsyncEngine) -> None:
    """Take transaction control from the sqlite3 module so writes can begin IMMEDIATE.

    A deferred BEGIN lets two read-then-write transactions both read, then one fails with
    "database is locked" when it tries to write; IMMEDIATE takes the write lock up front.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed report survives a power cut, not only a crash of the bot. Affordable because the
        # writer commits many messages at once (group commit: one fsync per batch).
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def loop_writer(url: str) -> LoopWriter | None:
    """SQLite's writer on the loop's thread (storage/inline.py); None for an in-memory database, which a second
    connection would not see."""
    u = make_url(normalize_url(url))
    if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
        return None
    return LoopWriter(u.database, BUSY_TIMEOUT_MS / 1000, WRITER_CACHE_KIB)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"
