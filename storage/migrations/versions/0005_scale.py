"""scale: covering indexes for reports and summaries, the leader lease

Revision ID: 0005
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import storage.schema


revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

_ACTIVE = "withdrawn_at IS NULL AND replaced_by IS NULL"


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=128), nullable=False),
        sa.Column("expires_at", storage.schema.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )
    op.create_index("ix_entries_team_day_active", "entries",
                    ["team_id", "day", "member_id", "late", "withdrawn_at", "replaced_by"],
                    sqlite_where=sa.text(_ACTIVE), postgresql_where=sa.text(_ACTIVE))
    op.create_index("ix_entry_values_covering", "entry_values", ["entry_id", "metric", "value"])
    if op.get_bind().dialect.name == "sqlite":
        # Without statistics on the new indexes SQLite keeps reading values through the table; a bounded
        # ANALYZE takes milliseconds even on tens of millions of rows.
        op.execute("PRAGMA analysis_limit=1000")
        op.execute("ANALYZE")
    if op.get_bind().dialect.name == "postgresql":  # subtree LIKE 'prefix%' from an index (SQLite uses GLOB)
        op.create_index("ix_units_path_pattern", "units", ["path"], postgresql_ops={"path": "text_pattern_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_units_path_pattern", table_name="units")
    op.drop_index("ix_entry_values_covering", table_name="entry_values")
    op.drop_index("ix_entries_team_day_active", table_name="entries")
    op.drop_table("leases")
