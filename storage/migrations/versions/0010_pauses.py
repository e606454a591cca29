"""pauses: a team's pauses kept as history, so a past day's summary knows who was paused then

Revision ID: 0010
Revises: 0008
"""
from datetime import date, datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pauses",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("unit_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  sa.ForeignKey("units.id", name="fk_pauses_unit_id_units"), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("created_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pauses"),
    )
    op.create_index("ix_pauses_unit_id", "pauses", ["unit_id"])
    # A pause set before history was kept: from an unknown day (None) to its end (None: until turned off).
    conn = op.get_bind()
    units = sa.table("units", sa.column("id"), sa.column("paused_until", sa.Date()))
    pauses = sa.table("pauses", sa.column("unit_id"), sa.column("first_day", sa.Date()),
                      sa.column("last_day", sa.Date()), sa.column("created_at", sa.DateTime(timezone=True)))
    now = datetime.now(timezone.utc)
    rows = conn.execute(sa.select(units.c.id, units.c.paused_until).where(units.c.paused_until.is_not(None))).all()
    if rows:
        conn.execute(pauses.insert(), [{"unit_id": r.id, "first_day": None,
                                        "last_day": None if r.paused_until == date.max else r.paused_until,
                                        "created_at": now} for r in rows])


def downgrade() -> None:
    op.drop_index("ix_pauses_unit_id", table_name="pauses")
    op.drop_table("pauses")
