"""firms' counties by id: an index on enterprise (id, county_code) for 各县对比's visits and demands per county

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 00:10:00
"""
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# models/enterprise.py: the per-county counts join visits and demands with the register through this index


def upgrade() -> None:
    op.create_index('ix_enterprise_id_county', 'enterprise', ['id', 'county_code'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_enterprise_id_county', table_name='enterprise')
