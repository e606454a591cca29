"""What running at scale adds to storage: each team's daily totals kept beside the entries, a covering index for
who reported, and the leader lease."""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, Index, Integer, String, Table

from storage.schema import Id, UtcTime, entries, metadata

# Per team, day and metric: the sum of the active entries' values and how many entries make it up (a row goes
# when that reaches 0, so a metric shows exactly when some active entry has it). Kept by storage/entries.py in
# the transaction that adds, replaces or withdraws an entry. A report's running totals then read one team's
# rows, side by side (no rowid: the table is its key's B-tree), instead of every value of every entry the team
# ever made, spread over the whole file — at 400,000 members that was most of a report's time.
team_day_totals = Table(
    "team_day_totals", metadata,
    Column("team_id", Id, primary_key=True),
    Column("day", Date, primary_key=True),
    Column("metric", String(32), primary_key=True),
    Column("total", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("entries", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Per team and metric: the same over every day, so a running total is this minus the few days after (and before)
# the range asked for, instead of the sum of every day of the campaign (a province's summary added up 250,000 rows
# for it). Kept in the same statements' transaction as team_day_totals, its rows going at 0 entries likewise.
team_totals = Table(
    "team_totals", metadata,
    Column("team_id", Id, primary_key=True),
    Column("metric", String(32), primary_key=True),
    Column("total", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("entries", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Who reported on a day, for a summary's teams: answered from this index alone.
Index("ix_entries_team_day_active", entries.c.team_id, entries.c.day, entries.c.member_id, entries.c.late,
      entries.c.withdrawn_at, entries.c.replaced_by,
      sqlite_where=entries.c.withdrawn_at.is_(None) & entries.c.replaced_by.is_(None),
      postgresql_where=entries.c.withdrawn_at.is_(None) & entries.c.replaced_by.is_(None))
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
