"""package keys: enrolled public keys (counties at the city, the city at a county); who signed a received package

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 09:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('enrolled_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_code', sa.String(length=6), nullable=False),
    sa.Column('office_name', sa.String(length=40), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('sign_key', sa.String(length=44), nullable=False),
    sa.Column('box_key', sa.String(length=44), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('offered_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_by', sa.String(length=40), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by', sa.String(length=40), nullable=False),
    sa.Column('revoked_reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolled_key')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_enrolled_key_fingerprint'))
    )
    op.create_index(op.f('ix_enrolled_key_office_code'), 'enrolled_key', ['office_code'], unique=False)
    with op.batch_alter_table('package_received') as batch:
        batch.add_column(sa.Column('signer', sa.String(length=64), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('package_received') as batch:
        batch.drop_column('signer')
    op.drop_index(op.f('ix_enrolled_key_office_code'), table_name='enrolled_key')
    op.drop_table('enrolled_key')
