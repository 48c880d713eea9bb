"""operation monitoring: monitored sample, monthly reports, statisticians and their fees

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _travelling() -> list[sa.Column]:
    return [
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.Column('archived_at', sa.DateTime(), nullable=True),
        sa.Column('archive_reason', sa.String(length=200), nullable=True),
    ]


def upgrade() -> None:
    op.create_table('monitored_firm',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('monitored_from', sa.Date(), nullable=False),
    sa.Column('monitored_to', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    *_travelling(),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_monitored_firm_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitored_firm')),
    sa.UniqueConstraint('enterprise_id', name='uq_monitored_firm_enterprise'),
    sa.UniqueConstraint('uuid', name=op.f('uq_monitored_firm_uuid'))
    )
    op.create_table('monitoring_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('form_version', sa.String(length=20), nullable=False),
    sa.Column('values', sa.Text(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('corrections', sa.Integer(), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('warnings', sa.Text(), nullable=False),
    *_travelling(),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'],
                            name=op.f('fk_monitoring_report_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_report')),
    sa.UniqueConstraint('enterprise_id', 'period', name='uq_monitoring_report_enterprise_period'),
    sa.UniqueConstraint('uuid', name=op.f('uq_monitoring_report_uuid'))
    )
    op.create_index(op.f('ix_monitoring_report_period'), 'monitoring_report', ['period'], unique=False)
    op.create_table('statistician',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    *_travelling(),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_statistician_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statistician')),
    sa.UniqueConstraint('uuid', name=op.f('uq_statistician_uuid'))
    )
    op.create_index(op.f('ix_statistician_enterprise_id'), 'statistician', ['enterprise_id'], unique=False)
    op.create_table('statistician_fee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statistician_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid', sa.Boolean(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    *_travelling(),
    sa.ForeignKeyConstraint(['statistician_id'], ['statistician.id'],
                            name=op.f('fk_statistician_fee_statistician_id_statistician')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statistician_fee')),
    sa.UniqueConstraint('statistician_id', 'year', name='uq_statistician_fee_statistician_year'),
    sa.UniqueConstraint('uuid', name=op.f('uq_statistician_fee_uuid'))
    )


def downgrade() -> None:
    op.drop_table('statistician_fee')
    op.drop_index(op.f('ix_statistician_enterprise_id'), table_name='statistician')
    op.drop_table('statistician')
    op.drop_index(op.f('ix_monitoring_report_period'), table_name='monitoring_report')
    op.drop_table('monitoring_report')
    op.drop_table('monitored_firm')
