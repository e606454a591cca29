"""Applying migrations from code: at start of the bot, from the CLI, and in tests."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the database to the newest schema: the history's one head. Two heads (a branch nobody merged) fail
    here rather than being applied in an order nobody chose; tests/test_migrations.py keeps the history linear."""
    async with engine.begin() as conn:
        def _do(sync_conn):
            cfg = alembic_config()
            cfg.attributes["connection"] = sync_conn
            command.upgrade(cfg, "head")
        await conn.run_sync(_do)
