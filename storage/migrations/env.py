"""Alembic environment: runs migrations on the connection the application hands it, or its own."""
from __future__ import annotations

import asyncio

from alembic import context

from storage.engine import create_engine
from storage.schema import metadata

config = context.config


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _own_engine() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"), pool_size=1)
    async with engine.begin() as conn:
        await conn.run_sync(_migrate)
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `python -m bot db upgrade`")
if config.attributes.get("connection") is not None:
    _migrate(config.attributes["connection"])
else:
    asyncio.run(_own_engine())
