"""replies: the outbox, each reply written in the transaction of the change it confirms and marked once sent

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

from storage.schema import UtcDateTime


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "replies",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
    )
    op.create_index("ix_replies_unsent", "replies", ["channel", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_replies_unsent", table_name="replies")
    op.drop_table("replies")
