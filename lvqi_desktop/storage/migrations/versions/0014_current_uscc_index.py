"""current firms by USCC: a partial index (not archived) on enterprise (uscc, county_code) for the 各县对比 count

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# models/enterprise.py: USCCs held by two counties are counted in USCC order, grouped as the index is read
CURRENT = sa.text('archived_at IS NULL')


def upgrade() -> None:
    op.create_index('ix_enterprise_current_uscc', 'enterprise', ['uscc', 'county_code'], unique=False,
                    postgresql_where=CURRENT, sqlite_where=CURRENT)


def downgrade() -> None:
    op.drop_index('ix_enterprise_current_uscc', table_name='enterprise')
