"""Every storage backend the suite runs on: SQLite always, PostgreSQL where a URL is configured."""
from __future__ import annotations

import os
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from domain.clock import Clock
from storage.engine import create_engine
from storage.migrate import upgrade
from storage.store import SqlStore

PG_ENV = "BAOCAO_TEST_POSTGRES_URL"
BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.skipif(
        not os.environ.get(PG_ENV), reason=f"PostgreSQL tests need {PG_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)")),
]


def only_sqlite() -> bool:
    return os.environ.get("BAOCAO_TEST_BACKENDS", "") == "sqlite"


@asynccontextmanager
async def make_store(backend: str, tmp_path: Path, clock: Clock | None = None, pool_size: int = 10):
    """A migrated, empty store; PostgreSQL gets a schema of its own, dropped afterwards."""
    if backend == "sqlite":
        store = SqlStore.from_url(f"sqlite:///{tmp_path / 'test.db'}", clock, pool_size=pool_size)
        await upgrade(store.engine)
        try:
            yield store
        finally:
            await store.close()
        return
    url = os.environ[PG_ENV]
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(url, pool_size=1)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    store = SqlStore.from_url(url, clock, pool_size=pool_size, schema=schema)
    try:
        await upgrade(store.engine)
        yield store
    finally:
        await store.close()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@asynccontextmanager
async def second_store(store: SqlStore, clock: Clock | None = None):
    """Another store on the same database, as a second process would have."""
    url = store.engine.url.render_as_string(hide_password=False)
    schema = None
    if not store.sqlite:
        async with store.engine.connect() as conn:
            schema = (await conn.execute(text("SELECT current_schema()"))).scalar_one()
    other = SqlStore.from_url(url, clock, schema=schema)
    try:
        yield other
    finally:
        await other.close()
