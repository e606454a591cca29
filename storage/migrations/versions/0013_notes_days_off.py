"""notes and days off: what members write for leaders beside their figures, and the days they do not work

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa
import storage.schema


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notes",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("team_id", _ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_at", storage.schema.UtcDateTime(timezone=True), nullable=False),
        sa.Column("source_key", sa.String(length=128), nullable=False),
        sa.Column("entry_id", _ID, nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_notes_member_id_members")),
        sa.ForeignKeyConstraint(["team_id"], ["units.id"], name=op.f("fk_notes_team_id_units")),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], name=op.f("fk_notes_entry_id_entries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
        sa.UniqueConstraint("source_key", name=op.f("uq_notes_source_key")),
    )
    op.create_index("ix_notes_day_team", "notes", ["day", "team_id"])
    op.create_table(
        "days_off",
        sa.Column("member_id", _ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("team_id", _ID, nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_at", storage.schema.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_days_off_member_id_members")),
        sa.ForeignKeyConstraint(["team_id"], ["units.id"], name=op.f("fk_days_off_team_id_units")),
        sa.PrimaryKeyConstraint("member_id", "day", name=op.f("pk_days_off")),
    )
    op.create_index("ix_days_off_day_team", "days_off", ["day", "team_id"])


def downgrade() -> None:
    op.drop_index("ix_days_off_day_team", table_name="days_off")
    op.drop_table("days_off")
    op.drop_index("ix_notes_day_team", table_name="notes")
    op.drop_table("notes")
