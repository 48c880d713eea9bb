"""submission packages sent and received, merged-record origins, period locks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('package_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_uuid', sa.String(length=36), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('file_path', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('preparer', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('receipt_decision', sa.String(length=30), nullable=True),
    sa.Column('receipt_remarks', sa.Text(), nullable=False),
    sa.Column('receipt_issued_at', sa.DateTime(), nullable=True),
    sa.Column('receipt_imported_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_sent')),
    sa.UniqueConstraint('package_uuid', name=op.f('uq_package_sent_package_uuid')),
    sa.UniqueConstraint('sequence', name=op.f('uq_package_sent_sequence'))
    )
    op.create_index(op.f('ix_package_sent_period'), 'package_sent', ['period'], unique=False)
    op.create_table('package_received',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_uuid', sa.String(length=36), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('county_name', sa.String(length=40), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('stored_path', sa.Text(), nullable=False),
    sa.Column('original_name', sa.Text(), nullable=False),
    sa.Column('preparer', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('receipt_decision', sa.String(length=30), nullable=True),
    sa.Column('receipt_remarks', sa.Text(), nullable=False),
    sa.Column('receipt_issued_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_received')),
    sa.UniqueConstraint('package_uuid', name=op.f('uq_package_received_package_uuid'))
    )
    op.create_index('ix_package_received_county_period', 'package_received', ['county_code', 'period'],
                    unique=False)
    op.create_table('record_origin',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('county_code', 'uuid', name=op.f('pk_record_origin')),
    sqlite_with_rowid=False
    )
    op.create_table('period_lock',
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('package_uuid', sa.String(length=36), nullable=False),
    sa.Column('locked_at', sa.DateTime(), nullable=False),
    sa.Column('reopened_at', sa.DateTime(), nullable=True),
    sa.Column('reopen_reason', sa.Text(), nullable=False),
    sa.Column('reopened_by', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('period', name=op.f('pk_period_lock'))
    )


def downgrade() -> None:
    op.drop_table('period_lock')
    op.drop_table('record_origin')
    op.drop_index('ix_package_received_county_period', table_name='package_received')
    op.drop_table('package_received')
    op.drop_index(op.f('ix_package_sent_period'), table_name='package_sent')
    op.drop_table('package_sent')
