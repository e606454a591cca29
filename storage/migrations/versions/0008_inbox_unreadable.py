"""inbox: an update the bot cannot read is kept aside with the reason (its raw text stays for an admin)

Revision ID: 0008_inbox_unreadable
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = "0008_inbox_unreadable"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox") as batch_op:
        batch_op.add_column(sa.Column("unreadable", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbox") as batch_op:
        batch_op.drop_column("unreadable")
