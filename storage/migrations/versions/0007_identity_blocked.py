"""reachable per channel: an identity remembers that the bot was blocked there; also joins the branches into one head

Revision ID: 0007
Revises: 0003, 0006, 0006_totals
"""
from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = ("0003", "0006", "0006_totals")  # quotas, wider channel names, team totals
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("identities") as batch_op:
        batch_op.add_column(sa.Column("blocked", sa.Boolean(), nullable=False, server_default=sa.false()))
    # Until now a bounce marked the whole member: their every identity was the one that bounced, as far as known.
    op.execute("UPDATE identities SET blocked = TRUE WHERE member_id IN "
               "(SELECT id FROM members WHERE unreachable = TRUE)")


def downgrade() -> None:
    with op.batch_alter_table("identities") as batch_op:
        batch_op.drop_column("blocked")
