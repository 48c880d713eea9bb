"""firms by USCC: an index on enterprise (uscc, county_code, archived_at) for the 各县对比 count of doubled firms

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:45:00
"""
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# models/enterprise.py: USCCs held by two counties are counted in USCC order, grouped as the index is read


def upgrade() -> None:
    op.create_index('ix_enterprise_uscc_county', 'enterprise', ['uscc', 'county_code', 'archived_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_enterprise_uscc_county', table_name='enterprise')
