"""Storage faults in one sentence: a database that cannot be written, a full disk, one that cannot be reached."""
from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.engine import normalize_url


def where(url: str) -> str:
    """The database file, or the server's address (never its password)."""
    u = make_url(normalize_url(url))
    if u.get_backend_name() == "sqlite":
        return str(Path(u.database or ":memory:").resolve()) if u.database not in (None, "", ":memory:") else ":memory:"
    return f"{u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}"


def said(exc: BaseException, url: str) -> str | None:
    """One sentence for a storage fault the operator can fix, or None for anything else (a bug)."""
    place = where(url)
    causes = []
    while exc is not None and len(causes) < 8:  # the chain: SQLAlchemy's error wraps the driver's
        causes.append(exc)
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    for cause in causes:
        message = str(cause).lower()
        if isinstance(cause, OSError) and cause.errno == errno.ENOSPC or "database or disk is full" in message:
            return f"The disk holding the database {place} is full: free some space, then start the bot again."
        if isinstance(cause, OSError) and getattr(cause, "filename", None):  # making the database's directory
            return (f"Cannot create the directory for the database {place}: make {_existing(Path(place).parent)} "
                    f"writable for the bot's user, or set [database] url to a writable place.")
        if isinstance(cause, sqlite3.DatabaseError):
            if "readonly" in message or "read-only" in message:
                return (f"The database {place} is read-only: make the file and its directory {Path(place).parent} "
                        f"writable for the bot's user.")
            if "unable to open database file" in message:
                return (f"Cannot open or create the database {place}: make its directory {Path(place).parent} "
                        f"writable for the bot's user, or set [database] url to a writable place.")
        if isinstance(cause, (ConnectionError, TimeoutError)) or (
                isinstance(cause, OSError) and cause.errno in (errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH)):
            return (f"Cannot reach the database at {place}: start PostgreSQL there, or correct [database] url "
                    f"(BAOCAO_DATABASE__URL).")
        if type(cause).__name__ in ("InvalidPasswordError", "InvalidAuthorizationSpecificationError"):
            return f"The database at {place} refused the login: correct the user or password in [database] url."
        if type(cause).__name__ == "InvalidCatalogNameError":
            return f"The database at {place} does not exist: create it (createdb), or correct [database] url."
    return None


def _existing(path: Path) -> Path:
    """The nearest directory that exists: the one to make writable."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


async def probe(store) -> None:
    """A write that changes nothing, at start: a read-only database file stops the start instead of every batch."""
    await store.write(lambda tx: tx.conn.execute(text("UPDATE alembic_version SET version_num = version_num")))
