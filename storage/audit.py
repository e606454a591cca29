"""The audit log: who changed what, with the value before and after, as JSON."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import audit_log

_AUDIT = audit_log.insert()


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


class SqlAudit:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def record(self, at: datetime, actor_id: int | None, action: str, subject: str,
                     old: Any, new: Any) -> None:
        await self.conn.execute(_AUDIT, {"at": at, "actor_id": actor_id, "action": action, "subject": subject,
                                         "old": _dump(old), "new": _dump(new)})
