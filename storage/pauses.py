"""Teams' pauses as history: who was paused on which days."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterable

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.model import Pause
from storage.schema import pauses
from storage.sql import chunks


class SqlPauses:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def for_units(self, unit_ids: Iterable[int], first: date, last: date) -> list[Pause]:
        out = []
        for chunk in chunks(unit_ids):
            rows = await self.conn.execute(select(pauses.c.unit_id, pauses.c.first_day, pauses.c.last_day).where(
                pauses.c.unit_id.in_(chunk),
                or_(pauses.c.first_day.is_(None), pauses.c.first_day <= last),
                or_(pauses.c.last_day.is_(None), pauses.c.last_day >= first)))
            out += [Pause(r.unit_id, r.first_day, r.last_day) for r in rows]
        return out

    async def set(self, unit_id: int, today: date, until: date | None, by: int | None, at: datetime) -> None:
        mine = pauses.c.unit_id == unit_id
        # What starts today or later is replaced; what runs into today ends yesterday.
        await self.conn.execute(delete(pauses).where(mine, pauses.c.first_day.is_not(None),
                                                     pauses.c.first_day >= today))
        await self.conn.execute(update(pauses).where(
            mine, or_(pauses.c.last_day.is_(None), pauses.c.last_day >= today),
            or_(pauses.c.first_day.is_(None), pauses.c.first_day < today)).values(last_day=today - timedelta(days=1)))
        if until is not None:
            await self.conn.execute(pauses.insert().values(
                unit_id=unit_id, first_day=today, last_day=None if until == date.max else until,
                created_by=by, created_at=at))


