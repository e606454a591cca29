"""scale: teams' daily totals, a covering index for reporters, the leader lease

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
    op.create_table(
        "team_day_totals",
        sa.Column("team_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("total", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "day", "metric", name=op.f("pk_team_day_totals")),
        sqlite_with_rowid=False,
    )
    op.execute("""
        INSERT INTO team_day_totals (team_id, day, metric, total, entries)
        SELECT e.team_id, e.day, v.metric, sum(v.value), count(*)
          FROM entries e JOIN entry_values v ON v.entry_id = e.id
         WHERE e.withdrawn_at IS NULL AND e.replaced_by IS NULL
         GROUP BY e.team_id, e.day, v.metric""")
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
    op.drop_table("team_day_totals")
    op.drop_index("ix_entries_team_day_active", table_name="entries")
    op.drop_table("leases")
