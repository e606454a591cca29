"""quotas, targets and phases (issue 4)

Revision ID: 0003
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import storage.schema


revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('phases',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('set_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('set_at', storage.schema.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phases')),
    sa.UniqueConstraint('name', name=op.f('uq_phases_name'))
    )
    op.create_table('quotas',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('unit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('daily', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=True),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.Column('split_from', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('basis', sa.String(length=16), nullable=True),
    sa.Column('set_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('set_at', storage.schema.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['split_from'], ['units.id'], name=op.f('fk_quotas_split_from_units')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_quotas_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotas'))
    )
    with op.batch_alter_table('quotas', schema=None) as batch_op:
        batch_op.create_index('ix_quotas_unit_metric', ['unit_id', 'metric'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('unit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('end_day', sa.Date(), nullable=False),
    sa.Column('set_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('set_at', storage.schema.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_targets_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('unit_id', 'metric', 'end_day', name='uq_targets_unit_metric_end')
    )


def downgrade() -> None:
    op.drop_table('targets')
    with op.batch_alter_table('quotas', schema=None) as batch_op:
        batch_op.drop_index('ix_quotas_unit_metric')

    op.drop_table('quotas')
    op.drop_table('phases')
