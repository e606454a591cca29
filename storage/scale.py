"""What running at scale adds to storage: covering indexes for reports and summaries, and the leader lease."""
from __future__ import annotations

from sqlalchemy import Column, Index, String, Table

from storage.schema import UtcTime, entries, entry_values, metadata

# A day's totals per team, the reporters of a day and every report's running totals read these two and
# nothing else: the entry ids, members and late flags of a team's active entries, then each entry's values.
Index("ix_entries_team_day_active", entries.c.team_id, entries.c.day, entries.c.member_id, entries.c.late,
      entries.c.withdrawn_at, entries.c.replaced_by,
      sqlite_where=entries.c.withdrawn_at.is_(None) & entries.c.replaced_by.is_(None),
      postgresql_where=entries.c.withdrawn_at.is_(None) & entries.c.replaced_by.is_(None))
Index("ix_entry_values_covering", entry_values.c.entry_id, entry_values.c.metric, entry_values.c.value)
# PostgreSQL also gets ix_units_path_pattern (path text_pattern_ops), for LIKE 'prefix%' subtree queries: made by
# migration 0005 on PostgreSQL alone and kept out of this metadata, which autogenerate compares on SQLite too.

# "Exactly one process runs the scheduled jobs" on SQLite: whoever holds an unexpired row. (PostgreSQL uses an
# advisory lock instead; see storage/lease.py.)
leases = Table(
    "leases", metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(128), nullable=False),
    Column("expires_at", UtcTime, nullable=False),
)
