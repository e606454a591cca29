"""Prints the PostgreSQL URL given if a server answers there, else nothing (the PostgreSQL tests then skip)."""
from __future__ import annotations

import asyncio
import sys

import asyncpg


async def _probe(url: str) -> bool:
    try:
        conn = await asyncio.wait_for(asyncpg.connect(url), timeout=3)
    except Exception:
        return False
    await conn.close()
    return True


if __name__ == "__main__":
    url = sys.argv[1]
    if asyncio.run(_probe(url)):
        print(url)
    else:
        print(f"PostgreSQL not reachable at {url}: its tests will be skipped", file=sys.stderr)
