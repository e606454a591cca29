"""Resident memory of a bot process with the campaign's database and many conversations in progress.

Run in a fresh interpreter (`python -m benchmarks.memory DB N`) so nothing the other measurements allocated
counts; prints one JSON line. The process is what a running bot holds: the core, the stores, python-telegram-bot
and aiohttp loaded, and N volunteers half-way through a guided report.
"""
from __future__ import annotations

import asyncio
import gc
import json
import sys
from pathlib import Path


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size in MB, from /proc (Linux)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


async def measure(db: str, conversations: int, concurrency: int = 100) -> dict:
    import aiohttp  # noqa: F401  (loaded by a running bot: the web server)
    import telegram.ext  # noqa: F401  (loaded by a running bot: the Telegram channel)

    from benchmarks.campaign import BENCH_CHANNEL, clock_for
    from benchmarks.reports import dispatcher_for
    from domain.messages import Incoming
    from storage.store import SqlStore

    import sqlite3
    plain = sqlite3.connect(db)
    members = plain.execute("SELECT count(*) FROM members").fetchone()[0]
    people = [r[0] for r in plain.execute(
        "SELECT i.external_id FROM identities i JOIN members m ON m.id = i.member_id "
        "WHERE m.role IN ('volunteer', 'team_leader') ORDER BY m.id DESC LIMIT ?", (conversations,))]
    plain.close()
    clock = clock_for(db)
    store = SqlStore.from_url(f"sqlite:///{db}", clock)
    dispatcher = dispatcher_for(store, clock)
    before = rss_mb()[0]
    queue = iter(enumerate(people))
    started = 0

    async def volunteer() -> None:
        nonlocal started
        for n, who in queue:
            out = await dispatcher.handle(Incoming(BENCH_CHANNEL, who, who, who, f"mem-{n}", clock.now(), "/report"))
            started += bool(out)

    await asyncio.gather(*(volunteer() for _ in range(concurrency)))

    async def in_progress(tx):
        from sqlalchemy import func, select
        from storage.schema import conversations as table
        return (await tx.conn.execute(select(func.count()).select_from(table).where(table.c.name == "report"))).scalar_one()

    open_conversations = await store.read(in_progress)
    gc.collect()
    rss, peak = rss_mb()
    await store.close()
    plain = sqlite3.connect(db)  # leave no half-done reports behind for the next run's volunteers
    with plain:
        plain.executemany("DELETE FROM conversations WHERE channel = ? AND chat_id = ? AND user_id = ?",
                          [(BENCH_CHANNEL, who, who) for who in people])
    plain.close()
    return {"members": members, "conversations": open_conversations, "started": started,
            "rss_mb": round(rss, 1), "peak_mb": round(peak, 1), "before_conversations_mb": round(before, 1)}


def main() -> None:
    db, conversations = sys.argv[1], int(sys.argv[2])
    print(json.dumps(asyncio.run(measure(db, conversations))))


if __name__ == "__main__":
    main()
