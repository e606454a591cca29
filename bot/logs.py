"""Logger levels that keep tokens and people's messages out of the logs; set before anything else is imported."""
from __future__ import annotations

import logging


def quiet_http_loggers() -> None:
    """httpx logs every request URL at INFO, and a Bot API URL carries the token; the database drivers log
    every statement with its parameters (people's messages, in the inbox) at DEBUG; alembic announces itself on
    import. Cheap and import-free, so the command line calls it before it imports the bot's wiring."""
    for name in ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler.executors.default",
                 "apscheduler.scheduler", "alembic", "aiosqlite", "sqlalchemy.engine"):
        logging.getLogger(name).setLevel(logging.WARNING)
