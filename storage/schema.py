"""Every table, as SQLAlchemy Core metadata, in one place: repositories query them, Alembic migrations create them."""
from __future__ import annotations

from datetime import timezone

from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, MetaData,
                        String, Table, Text, UniqueConstraint, false)
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no offset, so it is stored as UTC and restored)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to storage")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

Id = BigInteger().with_variant(Integer, "sqlite")  # SQLite only autoincrements INTEGER PRIMARY KEY
UtcTime = UtcDateTime()

units = Table(
    "units", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("parent_id", Id, ForeignKey("units.id"), nullable=True, index=True),
    Column("path", String(512), nullable=False, index=True),
    Column("households", Integer, nullable=True),
    Column("paused_until", Date, nullable=True),
)

# A team's pauses, kept as history so that a past day's summary knows who was paused then (units.paused_until is
# the current one, kept for what reads it). first_day None: since before pauses were kept; last_day None: open.
pauses = Table(
    "pauses", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("unit_id", Id, ForeignKey("units.id"), nullable=False, index=True),
    Column("first_day", Date, nullable=True),
    Column("last_day", Date, nullable=True),
    Column("created_by", Id, nullable=True),
    Column("created_at", UtcTime, nullable=False),
)

members = Table(
    "members", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("unit_id", Id, ForeignKey("units.id"), nullable=True),
    Column("language", String(8), nullable=False, default="vi"),
    Column("unreachable", Boolean, nullable=False, default=False),
    Column("created_at", UtcTime, nullable=False),
    Column("removed_at", UtcTime, nullable=True),
    Index("ix_members_unit_active", "unit_id", "removed_at"),
)

identities = Table(
    "identities", metadata,
    Column("channel", String(64), primary_key=True),
    Column("external_id", String(64), primary_key=True),
    Column("member_id", Id, ForeignKey("members.id"), nullable=False, index=True),
    Column("chat_id", String(64), nullable=False),
    Column("blocked", Boolean, nullable=False, default=False, server_default=false()),
)

invites = Table(
    "invites", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("unit_id", Id, ForeignKey("units.id"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("expires_at", UtcTime, nullable=False),
    Column("max_uses", Integer, nullable=False),
    Column("uses", Integer, nullable=False, default=0),
    Column("created_by", Id, ForeignKey("members.id"), nullable=True),
    Column("created_at", UtcTime, nullable=False),
)

invite_failures = Table(
    "invite_failures", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel", String(64), nullable=False),
    Column("external_id", String(64), nullable=False),
    Column("at", UtcTime, nullable=False),
    Index("ix_invite_failures_who", "channel", "external_id", "at"),
)

# A removed member's channels (issue 12): an invite created before revoked_at no longer admits them.
revoked_identities = Table(
    "revoked_identities", metadata,
    Column("channel", String(64), primary_key=True),
    Column("external_id", String(64), primary_key=True),
    Column("member_id", Id, ForeignKey("members.id"), nullable=False),
    Column("revoked_at", UtcTime, nullable=False),
)

# What members write for leaders ("Khó khăn: …", issue 10): with a report (entry_id) or alone; a re-delivery
# is kept once (source_key, the delivery's key as for entries).
notes = Table(
    "notes", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id"), nullable=False),
    Column("team_id", Id, ForeignKey("units.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("recorded_at", UtcTime, nullable=False),
    Column("source_key", String(128), nullable=False, unique=True),
    Column("entry_id", Id, ForeignKey("entries.id"), nullable=True),
    Index("ix_notes_day_team", "day", "team_id"),
)

# Members' days off (issue 10): one per member and day, the newest reason standing.
days_off = Table(
    "days_off", metadata,
    Column("member_id", Id, ForeignKey("members.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("team_id", Id, ForeignKey("units.id"), nullable=False),
    Column("reason", Text, nullable=True),
    Column("recorded_at", UtcTime, nullable=False),
    Index("ix_days_off_day_team", "day", "team_id"),
)

entries = Table(
    "entries", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("member_id", Id, ForeignKey("members.id"), nullable=False),
    Column("team_id", Id, ForeignKey("units.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("recorded_at", UtcTime, nullable=False),
    Column("source_key", String(128), nullable=False, unique=True),
    Column("late", Boolean, nullable=False, default=False),
    Column("withdrawn_at", UtcTime, nullable=True),
    Column("replaced_by", Id, nullable=True),
    Index("ix_entries_team_day", "team_id", "day"),
    Index("ix_entries_member_day", "member_id", "day"),
    Index("ix_entries_day_team", "day", "team_id"),
)

entry_values = Table(
    "entry_values", metadata,
    Column("entry_id", Id, ForeignKey("entries.id"), primary_key=True),
    Column("metric", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)

conversations = Table(
    "conversations", metadata,
    Column("channel", String(64), primary_key=True),
    Column("chat_id", String(64), primary_key=True),
    Column("user_id", String(64), primary_key=True),
    Column("name", String(32), nullable=False),
    Column("step", String(32), nullable=False),
    Column("data", Text, nullable=False),
    Column("choices", Text, nullable=False),
    Column("expects_number", Boolean, nullable=False),
    Column("updated_at", UtcTime, nullable=False),
)

deliveries = Table(
    "deliveries", metadata,
    Column("channel", String(64), primary_key=True),
    Column("delivery_id", String(64), primary_key=True),
    Column("processed_at", UtcTime, nullable=False),
)

inbox = Table(
    "inbox", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel", String(64), nullable=False),
    Column("delivery_id", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("received_at", UtcTime, nullable=False),
    Column("unreadable", String(200), nullable=True),  # why the bot cannot read it; NULL: waiting to be handled
    UniqueConstraint("channel", "delivery_id", name="uq_inbox_delivery"),
)

replies = Table(
    "replies", metadata,  # the outbox: written with the change a reply confirms, marked once the channel sent it
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel", String(64), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("body", Text, nullable=False),  # the Reply as JSON: text, buttons, attachments' orders
    Column("created_at", UtcTime, nullable=False),
    Column("sent_at", UtcTime, nullable=True),  # NULL: committed, not yet sent
    Index("ix_replies_unsent", "channel", "sent_at"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", UtcTime, nullable=False),
    Column("actor_id", Id, nullable=True),
    Column("action", String(32), nullable=False),
    Column("subject", String(128), nullable=False),
    Column("old", Text, nullable=True),
    Column("new", Text, nullable=True),
)

# The scheduler's claims: every reminder and summary is claimed here before it is sent.
sends = Table(
    "sends", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # remind, missing, summary, unreachable
    Column("topic", String(64), nullable=False),  # the cut-off and reminder offset ("team-30"), or the subject
    Column("day", Date, nullable=False),
    Column("recipient", String(96), nullable=False),  # "member:12" or "chat:telegram:-100…"
    Column("claimed_at", UtcTime, nullable=False),
    Column("outcome", String(16), nullable=True),  # None: claimed, not known to be sent (a crash in between)
    Column("finished_at", UtcTime, nullable=True),
    UniqueConstraint("kind", "topic", "day", "recipient", name="uq_sends_key"),
)

# Group chats linked to units with /link: their leaders' summaries go there.
linked_chats = Table(
    "linked_chats", metadata,
    Column("channel", String(64), primary_key=True),
    Column("chat_id", String(64), primary_key=True),
    Column("unit_id", Id, ForeignKey("units.id"), nullable=False, index=True),
    Column("language", String(8), nullable=False),
    Column("linked_by", Id, ForeignKey("members.id"), nullable=True),
    Column("linked_at", UtcTime, nullable=False),
)

quotas = Table(
    "quotas", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("unit_id", Id, ForeignKey("units.id"), nullable=False),
    Column("metric", String(32), nullable=False),
    Column("daily", Integer, nullable=False),
    Column("first_day", Date, nullable=True),
    Column("last_day", Date, nullable=True),
    Column("split_from", Id, ForeignKey("units.id"), nullable=True),
    Column("basis", String(16), nullable=True),
    Column("set_by", Id, nullable=True),
    Column("set_at", UtcTime, nullable=False),
    Index("ix_quotas_unit_metric", "unit_id", "metric"),
)

targets = Table(
    "targets", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("unit_id", Id, ForeignKey("units.id"), nullable=False),
    Column("metric", String(32), nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("end_day", Date, nullable=False),
    Column("set_by", Id, nullable=True),
    Column("set_at", UtcTime, nullable=False),
    UniqueConstraint("unit_id", "metric", "end_day", name="uq_targets_unit_metric_end"),
)

phases = Table(
    "phases", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("first_day", Date, nullable=False),
    Column("last_day", Date, nullable=False),
    Column("set_by", Id, nullable=True),
    Column("set_at", UtcTime, nullable=False),
)

# One-time codes that attach a second channel's identity to an existing member (stored hashed, short-lived).
account_links = Table(
    "account_links", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("member_id", Id, ForeignKey("members.id"), nullable=False),
    Column("channel", String(64), nullable=False),  # where the code was asked for
    Column("chat_id", String(64), nullable=False),
    Column("expires_at", UtcTime, nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Column("used_at", UtcTime, nullable=True),
    Index("ix_account_links_member", "member_id"),
)

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
