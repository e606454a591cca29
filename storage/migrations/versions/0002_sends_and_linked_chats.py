"""sends and linked chats: the scheduler's claims, and groups linked to units

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import storage.schema


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sends',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('recipient', sa.String(length=96), nullable=False),
    sa.Column('claimed_at', storage.schema.UtcDateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('finished_at', storage.schema.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sends')),
    sa.UniqueConstraint('kind', 'topic', 'day', 'recipient', name='uq_sends_key')
    )
    op.create_table('linked_chats',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('linked_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('linked_at', storage.schema.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['linked_by'], ['members.id'], name=op.f('fk_linked_chats_linked_by_members')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_linked_chats_unit_id_units')),
    sa.PrimaryKeyConstraint('channel', 'chat_id', name=op.f('pk_linked_chats'))
    )
    with op.batch_alter_table('linked_chats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linked_chats_unit_id'), ['unit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('linked_chats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linked_chats_unit_id'))
    op.drop_table('linked_chats')
    op.drop_table('sends')
