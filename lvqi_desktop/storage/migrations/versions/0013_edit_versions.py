"""version counters on the records clerks edit in forms: a save on what another clerk changed meanwhile is refused

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 04:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# models/base.py EditedInForms; existing rows start at 1 (the server default fills them, on SQLite and PostgreSQL)
TABLES = ('enterprise', 'cultivation_record', 'visit', 'demand', 'helper_assignment', 'monitoring_report',
          'incubation_base', 'target')


def upgrade() -> None:
    for table in TABLES:  # a plain ADD COLUMN on both: no table copy, so no foreign-key cascade can fire
        op.add_column(table, sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('version')
