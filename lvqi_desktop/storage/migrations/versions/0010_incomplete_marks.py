"""资料待补充: an enterprise's marks of what an import took without (enterprise.incomplete)

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-05 09:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # one line per missing or doubtful fact: "<field>\t<what to complete>"; '' when the record is complete
    op.add_column('enterprise', sa.Column('incomplete', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('enterprise') as batch_op:
        batch_op.drop_column('incomplete')
