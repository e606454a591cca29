"""revoked identities: a removed member's channels, so that invite codes older than the removal no longer admit them

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa
import storage.schema


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('revoked_identities',
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('revoked_at', storage.schema.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_revoked_identities_member_id_members')),
    sa.PrimaryKeyConstraint('channel', 'external_id', name=op.f('pk_revoked_identities'))
    )


def downgrade() -> None:
    op.drop_table('revoked_identities')
