"""Dialect helpers shared by the repositories: insert-or-ignore and upsert on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
from typing import Iterable

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def insert_for(conn: AsyncConnection, table: Table):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def insert_ignore(conn: AsyncConnection, table: Table, index_elements: list[str]):
    return insert_for(conn, table).on_conflict_do_nothing(index_elements=index_elements)


def upsert(conn: AsyncConnection, table: Table, index_elements: list[str], values: dict):
    stmt = insert_for(conn, table).values(**values)
    updates = {k: stmt.excluded[k] for k in values if k not in index_elements}
    return stmt.on_conflict_do_update(index_elements=index_elements, set_=updates)


def by_dialect(build) -> dict[str, object]:
    """A statement built once per dialect, from `build(insert)`. Hot paths keep statements prebuilt with
    bind parameters: building one costs SQLAlchemy several times what running it costs SQLite."""
    return {"sqlite": build(sqlite.insert), "postgresql": build(postgresql.insert)}


def prebuilt_upsert(table: Table, index_elements: list[str], columns: tuple[str, ...]) -> dict[str, object]:
    """by_dialect: insert, or on a key conflict update `columns`; run it with every column as a parameter."""

    def build(insert):
        stmt = insert(table)
        return stmt.on_conflict_do_update(index_elements=index_elements, set_={k: stmt.excluded[k] for k in columns})

    return by_dialect(build)


def advisory_key(name: str) -> int:
    """A stable signed 64-bit PostgreSQL advisory-lock key for a name."""
    return int.from_bytes(hashlib.sha256(f"baocao:{name}".encode()).digest()[:8], "big", signed=True)


CHUNK = 5000  # ids per IN list: drivers cap bind parameters near 32,767, and a country has 80,000 teams


def chunks(ids: Iterable[int]) -> list[list[int]]:
    """Distinct ids, ascending, in lists short enough to pass as bind parameters (results of an ordered query then
    come chunk after chunk in order)."""
    ids = sorted(set(ids))
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
