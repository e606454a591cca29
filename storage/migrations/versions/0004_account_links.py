"""account links: one-time codes attaching a second channel's identity to a member

Revision ID: 0004
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import storage.schema


revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account_links',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('expires_at', storage.schema.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_at', storage.schema.UtcDateTime(timezone=True), nullable=False),
    sa.Column('used_at', storage.schema.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_account_links_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_links')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_account_links_code_hash'))
    )
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.create_index('ix_account_links_member', ['member_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.drop_index('ix_account_links_member')
    op.drop_table('account_links')
