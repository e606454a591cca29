"""The scheduler's own settings ([scheduler] in config.toml); the cut-offs themselves are the campaign's."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


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
    # Several bot processes on one database: one leads (runs the jobs). It renews its lead this often; on
    # SQLite a lead not renewed for lease_seconds is taken over (PostgreSQL's advisory lock dies with its holder).
    renew_seconds: int = Field(default=10, ge=1, le=300)
    lease_seconds: int = Field(default=30, ge=3, le=900)

    @model_validator(mode="after")
    def _renewed_in_time(self) -> "SchedulerSettings":
        if self.renew_seconds * 2 > self.lease_seconds:
            raise ValueError("[scheduler] renew_seconds must be at most half of lease_seconds, "
                             "or a busy leader loses its lead between renewals")
        return self
