"""The scheduler's own settings ([scheduler] in config.toml); the cut-offs themselves are the campaign's."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SchedulerSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    # A cut-off's summary still goes out this long after its time (a stalled loop, a restart); later, never.
    summary_grace_minutes: int = Field(default=60, ge=1, le=12 * 60)
    # Messages in flight at once per channel (bot token); the channel paces them (Telegram: [telegram] bulk_rate).
    # Enough to keep a paced lane's next slots booked while the next batch is claimed: rate × (round trip + claim).
    concurrency: int = Field(default=32, ge=1, le=100)
    # Claims older than this many days are deleted at start (none of them can be sent again anyway).
    keep_sends_days: int = Field(default=60, ge=35)
    # Platforms re-deliver within a day; Telegram may restart update ids after a week without updates.
    keep_deliveries_days: int = Field(default=3, ge=2, le=6)
