"""A store whose writes can be made to fail, as a database that went away fails them."""
from __future__ import annotations


class DatabaseAway(Exception):
    """What a driver raises when the database is gone; its message carries the statement's parameters, as
    SQLAlchemy's does (so a log line that repeats it would leak people's messages)."""


class FlakyStore:
    """The real store, except that the next `fail_writes(n)` writes raise DatabaseAway carrying `carrying`."""

    def __init__(self, store) -> None:
        self.store = store
        self.failing = 0
        self.carrying = ""

    def fail_writes(self, n: int, carrying: str) -> None:
        self.failing, self.carrying = n, carrying

    async def write(self, work):
        if self.failing:
            self.failing -= 1
            raise DatabaseAway(f"INSERT INTO inbox … [parameters: {self.carrying!r}]")
        return await self.store.write(work)

    async def read(self, work):
        return await self.store.read(work)

    def __getattr__(self, name):  # close(), engine … of the real store
        return getattr(self.store, name)
