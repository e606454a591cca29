"""The generated campaign copied into PostgreSQL (a schema of its own), to measure reports there too."""
from __future__ import annotations

import sqlite3
import uuid
from datetime import date, datetime, timezone

import asyncpg
from sqlalchemy import Boolean, Date, DateTime
from sqlalchemy.engine import make_url

from storage.migrate import upgrade
from storage.schema import entries, entry_values, identities, members, team_day_totals, team_totals, units
from storage.store import SqlStore

TABLES = (units, members, identities, entries, entry_values, team_day_totals, team_totals)


def _converter(column):
    kind = column.type.impl if hasattr(column.type, "impl") else column.type
    if isinstance(kind, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v).replace(tzinfo=timezone.utc)
    if isinstance(kind, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(kind, Boolean):
        return lambda v: None if v is None else bool(v)
    return None


async def copy_campaign(sqlite_path: str, url: str) -> str:
    """Copy the campaign into a new schema; returns its name (drop_schema removes it)."""
    schema = "bench_" + uuid.uuid4().hex[:8]
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'CREATE SCHEMA "{schema}"')
        store = SqlStore.from_url(url, schema=schema)
        await upgrade(store.engine)
        await store.close()
        src = sqlite3.connect(sqlite_path)
        for table in TABLES:
            names = [c.name for c in table.columns]
            convert = [_converter(c) for c in table.columns]
            cursor = src.execute(f"SELECT {', '.join(names)} FROM {table.name}")
            while rows := cursor.fetchmany(50_000):
                records = [tuple(f(v) if f else v for f, v in zip(convert, row)) for row in rows]
                await conn.copy_records_to_table(table.name, records=records, columns=names, schema_name=schema)
            qualified = f'"{schema}".{table.name}'
            if "id" in names:
                await conn.execute(f"SELECT setval(pg_get_serial_sequence($1, 'id'), "
                                   f"(SELECT coalesce(max(id), 1) FROM {qualified}))", qualified)
            await conn.execute(f"ANALYZE {qualified}")
        src.close()
    finally:
        await conn.close()
    return schema


async def drop_schema(url: str, schema: str) -> None:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        await conn.close()


async def worker(url: str, schema: str, db_path: str, index: int, of: int, reports: int, concurrency: int) -> dict:
    """One of several bot processes on the same PostgreSQL schema: its own share of the volunteers."""
    import time as _time

    from benchmarks.campaign import clock_for
    from benchmarks.reports import Volunteers, closed_loop, dispatcher_for

    people = [r[0] for r in sqlite3.connect(db_path).execute(
        "SELECT i.external_id FROM identities i JOIN members m ON m.id = i.member_id "
        "WHERE m.role IN ('volunteer', 'team_leader') ORDER BY m.id")]
    clock = clock_for(db_path)
    volunteers = Volunteers(people[index::of], seed=index)
    store = SqlStore.from_url(url, clock, schema=schema)
    try:
        dispatcher = dispatcher_for(store, clock)
        await closed_loop(dispatcher, clock, volunteers, 20, 10)
        start = _time.perf_counter()
        done, failed, wall, cpu = await closed_loop(dispatcher, clock, volunteers, reports, concurrency)
        return {"reports": done, "failed": failed, "start": start, "wall": wall, "cpu": cpu}
    finally:
        await store.close()


if __name__ == "__main__":
    import asyncio
    import json
    import sys

    url, schema, db, index, of, reports, concurrency = sys.argv[1:8]
    print(json.dumps(asyncio.run(worker(url, schema, db, int(index), int(of), int(reports), int(concurrency)))))
