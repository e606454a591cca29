"""When a message was sent, as the platform says, taken only within a plausible window of its arrival."""
from __future__ import annotations

from datetime import datetime, timedelta

REPLAY_WINDOW = timedelta(days=2)  # Telegram keeps an update a day; a date older than this is a wrong clock


def plausible(said: datetime | None, now: datetime) -> datetime:
    """`said` when it lies between `now` - REPLAY_WINDOW and `now` (a replay after downtime keeps its day);
    else `now`: a message dated 1970, or in the future, counts when it was received."""
    return said if said is not None and now - REPLAY_WINDOW <= said <= now else now
