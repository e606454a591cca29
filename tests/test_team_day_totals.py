"""Teams' daily and running totals, kept beside the entries, always equal what the active entries add up to."""
from __future__ import annotations

import asyncio
from datetime import date, datetime, timezone

from alembic import command
from sqlalchemy import text

from storage.migrate import alembic_config
from tests.support.backends import make_store
from tests.support.seed import join, seed_units

RAW = """
SELECT e.team_id, e.day, v.metric, sum(v.value), count(*) FROM entries e JOIN entry_values v ON v.entry_id = e.id
 WHERE e.withdrawn_at IS NULL AND e.replaced_by IS NULL GROUP BY e.team_id, e.day, v.metric
"""
KEPT = "SELECT team_id, day, metric, total, entries FROM team_day_totals"
RAW_RUNNING = """
SELECT e.team_id, v.metric, sum(v.value), count(*) FROM entries e JOIN entry_values v ON v.entry_id = e.id
 WHERE e.withdrawn_at IS NULL AND e.replaced_by IS NULL GROUP BY e.team_id, v.metric
"""
KEPT_RUNNING = "SELECT team_id, metric, total, entries FROM team_totals"


async def both(store) -> tuple[set, set]:
    """(what the entries add up to, what is kept), per team and day, then per team over every day."""
    async def work(tx):
        raw = {tuple(r) for q in (RAW, RAW_RUNNING) for r in await tx.conn.execute(text(q))}
        kept = {tuple(r) for q in (KEPT, KEPT_RUNNING) for r in await tx.conn.execute(text(q))}
        return raw, kept
    return await store.read(work)


async def test_reports_undos_edits_and_concurrent_reports_keep_the_totals_exact(chat, store, clock):
    await seed_units(store)
    for who in ("an", "binh", "chi"):
        await join(chat, who, "P01-KP1-T")
    await chat.say("an", "ho 10, app 4, muc 1 3")
    await chat.press("an", "report:confirm")
    await chat.say("an", "ho 5")
    await chat.press("an", "report:confirm")
    await chat.say("an", "/undo")
    await chat.press("an", "undo:yes")  # the second entry goes
    await chat.say("binh", "ho 7, muc 1 2, kh muc 1 1")
    await chat.press("binh", "report:confirm")
    await chat.say("binh", "/edit")  # binh's day becomes 9 households, nothing else
    await chat.say("binh", "9")
    for _ in range(5):
        await chat.press("binh", "report:skip")
    await chat.press("binh", "report:confirm")
    clock.advance(days=1)
    await asyncio.gather(*(chat.say(w, f"ho {n}, app 1") for n, w in enumerate(("an", "binh", "chi"), 1)))
    await asyncio.gather(*(chat.press(w, "report:confirm") for w in ("an", "binh", "chi")))
    await chat.say("chi", "/undo")
    await chat.press("chi", "undo:yes")

    raw, kept = await both(store)
    assert kept == raw and raw
    said = await chat.say("admin", "/summary P01-KP1-T")
    assert "Tổng: 3 · 2 ·" in said.text  # today: an 1 + binh 2 households, 1 + 1 installs; chi withdrew


async def test_the_migration_fills_the_totals_from_entries_already_stored(backend, tmp_path):
    async with make_store(backend, tmp_path) as store:
        async def downgrade(tx):
            await tx.conn.run_sync(lambda c: _alembic(c, "downgrade", "0001"))
        await store.write(downgrade)
        async def entries(tx):
            await tx.conn.execute(text("INSERT INTO units (id, code, name, kind, path) VALUES (1, 'T', 'T', 'team', '/1/')"))
            at = datetime(2026, 11, 20, 1, tzinfo=timezone.utc)
            if backend == "sqlite":
                at = at.replace(tzinfo=None)
            await tx.conn.execute(text("INSERT INTO members (id, name, role, unit_id, language, unreachable, created_at) "
                                       "VALUES (1, 'An', 'volunteer', 1, 'vi', false, :at)"), {"at": at})
            for n, (day, withdrawn) in enumerate([(19, False), (20, False), (20, True), (20, False)], 1):
                await tx.conn.execute(text(
                    "INSERT INTO entries (id, member_id, team_id, day, recorded_at, source_key, late, withdrawn_at) "
                    "VALUES (:n, 1, 1, :day, :at, :key, false, :w)"),
                    {"n": n, "day": date(2026, 11, day), "at": at, "key": f"k{n}", "w": at if withdrawn else None})
                await tx.conn.execute(text("INSERT INTO entry_values VALUES (:n, 'households', :v), (:n, 'installs', 1)"),
                                      {"n": n, "v": 10 * n})
        await store.write(entries)
        async def upgrade(tx):
            await tx.conn.run_sync(lambda c: _alembic(c, "upgrade", "head"))
        await store.write(upgrade)
        raw, kept = await both(store)
        assert kept == raw and len(kept) == 6  # 19th and 20th × 2 metrics, and the two running totals


def _alembic(sync_conn, verb: str, target: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = sync_conn
    getattr(command, verb)(cfg, target)
