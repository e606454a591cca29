"""wider channel names: a province's own bot is a channel of its own ("telegram:<name>"), up to 64 characters

Revision ID: 0006
Revises: 0002, 0004
"""
from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = ("0002", "0004")  # linked_chats, account_links
branch_labels = None
depends_on = None

TABLES = ("identities", "invite_failures", "conversations", "deliveries", "inbox", "account_links", "linked_chats")


def upgrade() -> None:
    # Widening a VARCHAR rewrites nothing on PostgreSQL; SQLite ignores lengths, its batch copy keeps the
    # declared schema equal to the code's.
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("channel", existing_type=sa.String(length=16), type_=sa.String(length=64),
                                  existing_nullable=False)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("channel", existing_type=sa.String(length=64), type_=sa.String(length=16),
                                  existing_nullable=False)
