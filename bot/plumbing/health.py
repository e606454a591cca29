"""How each channel's intake (polling or webhook) is doing: what /healthz reports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class IntakeHealth:
    """The last poll or webhook that worked, and since when the intake fails, if it does."""

    channel: str
    mode: str  # "polling" or "webhook"
    last_ok: datetime | None = None
    failing_since: datetime | None = None
    failures: int = 0  # in a row, since the last success
    error: str = ""  # the last failure, safe to show: no token, no personal data

    @property
    def failing(self) -> bool:
        return self.failing_since is not None

    def ok(self, at: datetime) -> None:
        self.last_ok = at
        self.failing_since = None
        self.failures = 0
        self.error = ""

    def failed(self, at: datetime, error: str) -> None:
        if self.failing_since is None:
            self.failing_since = at
        self.failures += 1
        self.error = error

    def as_json(self) -> dict:
        return {"mode": self.mode, "last_ok": _iso(self.last_ok), "failing": self.failing,
                "failing_since": _iso(self.failing_since), "failures": self.failures, "error": self.error}


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None
