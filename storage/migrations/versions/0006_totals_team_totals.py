"""team totals: each team's running totals over every day, beside its daily ones

Revision ID: 0006_totals
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = "0006_totals"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_totals",
        sa.Column("team_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("total", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "metric", name=op.f("pk_team_totals")),
        sqlite_with_rowid=False,
    )
    op.execute("""
        INSERT INTO team_totals (team_id, metric, total, entries)
        SELECT team_id, metric, sum(total), sum(entries) FROM team_day_totals GROUP BY team_id, metric""")


def downgrade() -> None:
    op.drop_table("team_totals")
