"""Tables, as SQLAlchemy Core metadata; Alembic migrations create them."""
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
