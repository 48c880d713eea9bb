"""helpers, service teams, assignments, visits, demands and the demand progress log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('helper',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('post', sa.String(length=60), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('archive_reason', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helper')),
    sa.UniqueConstraint('uuid', name=op.f('uq_helper_uuid'))
    )
    op.create_table('service_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('archive_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['leader_id'], ['helper.id'], name=op.f('fk_service_team_leader_id_helper')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_team')),
    sa.UniqueConstraint('uuid', name=op.f('uq_service_team_uuid'))
    )
    with op.batch_alter_table('service_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_team_leader_id'), ['leader_id'], unique=False)

    op.create_table('service_team_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('helper_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('archive_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['helper_id'], ['helper.id'], name=op.f('fk_service_team_member_helper_id_helper')),
    sa.ForeignKeyConstraint(['team_id'], ['service_team.id'], name=op.f('fk_service_team_member_team_id_service_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_team_member')),
    sa.UniqueConstraint('uuid', name=op.f('uq_service_team_member_uuid'))
    )
    with op.batch_alter_table('service_team_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_team_member_helper_id'), ['helper_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_team_member_team_id'), ['team_id'], unique=False)

    op.create_table('helper_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('helper_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('from_date', sa.Date(), nullable=False),
    sa.Column('to_date', sa.Date(), nullable=True),
    sa.Column('cadence_visits', sa.Integer(), nullable=False),
    sa.Column('cadence_months', sa.Integer(), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('archive_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_helper_assignment_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['helper_id'], ['helper.id'], name=op.f('fk_helper_assignment_helper_id_helper')),
    sa.ForeignKeyConstraint(['replaces_id'], ['helper_assignment.id'], name=op.f('fk_helper_assignment_replaces_id_helper_assignment')),
    sa.ForeignKeyConstraint(['team_id'], ['service_team.id'], name=op.f('fk_helper_assignment_team_id_service_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helper_assignment')),
    sa.UniqueConstraint('uuid', name=op.f('uq_helper_assignment_uuid'))
    )
    with op.batch_alter_table('helper_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helper_assignment_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_helper_assignment_helper_id'), ['helper_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_helper_assignment_team_id'), ['team_id'], unique=False)

    op.create_table('visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('campaign', sa.String(length=40), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('visitors', sa.String(length=200), nullable=False),
    sa.Column('policies_explained', sa.Text(), nullable=False),
    sa.Column('firm_reported', sa.Text(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('archive_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_visit_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['team_id'], ['service_team.id'], name=op.f('fk_visit_team_id_service_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit')),
    sa.UniqueConstraint('uuid', name=op.f('uq_visit_uuid'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index('ix_visit_date_enterprise', ['visited_on', 'enterprise_id', 'archived_at'], unique=False)
        batch_op.create_index('ix_visit_enterprise_date', ['enterprise_id', 'visited_on', 'archived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_team_id'), ['team_id'], unique=False)

    op.create_table('demand',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('office_code', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('helper_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=12), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('suggestion', sa.Text(), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=True),
    sa.Column('responsible_unit', sa.String(length=100), nullable=False),
    sa.Column('co_units', sa.String(length=300), nullable=False),
    sa.Column('unit_contact', sa.String(length=100), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('closing_kind', sa.String(length=10), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('first_closed_on', sa.Date(), nullable=True),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('satisfaction', sa.String(length=12), nullable=True),
    sa.Column('followed_up_on', sa.Date(), nullable=True),
    sa.Column('followed_up_by', sa.String(length=40), nullable=False),
    sa.Column('signed_off_on', sa.Date(), nullable=True),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('archive_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_demand_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['helper_id'], ['helper.id'], name=op.f('fk_demand_helper_id_helper')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_demand_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand')),
    sa.UniqueConstraint('number', name=op.f('uq_demand_number')),
    sa.UniqueConstraint('office_code', 'year', 'seq', name='uq_demand_office_year_seq'),
    sa.UniqueConstraint('uuid', name=op.f('uq_demand_uuid'))
    )
    with op.batch_alter_table('demand', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_closed_on'), ['closed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_helper_id'), ['helper_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_responsible_unit'), ['responsible_unit'], unique=False)
        batch_op.create_index('ix_demand_status_due', ['status', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_demand_visit_id'), ['visit_id'], unique=False)

    op.create_table('visit_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('helper_id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('archive_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['helper_id'], ['helper.id'], name=op.f('fk_visit_participant_helper_id_helper')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_participant_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_participant')),
    sa.UniqueConstraint('uuid', name=op.f('uq_visit_participant_uuid'))
    )
    with op.batch_alter_table('visit_participant', schema=None) as batch_op:
        batch_op.create_index('ix_visit_participant_helper_visit', ['helper_id', 'visit_id', 'archived_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_participant_visit_id'), ['visit_id'], unique=False)

    op.create_table('demand_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=False),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('satisfaction', sa.String(length=12), nullable=True),
    sa.Column('operator', sa.String(length=40), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('archive_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['demand_id'], ['demand.id'], name=op.f('fk_demand_event_demand_id_demand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_event')),
    sa.UniqueConstraint('uuid', name=op.f('uq_demand_event_uuid'))
    )
    with op.batch_alter_table('demand_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_event_demand_id'), ['demand_id'], unique=False)
        batch_op.create_index('ix_demand_event_kind_day', ['kind', 'happened_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('demand_event', schema=None) as batch_op:
        batch_op.drop_index('ix_demand_event_kind_day')
        batch_op.drop_index(batch_op.f('ix_demand_event_demand_id'))

    op.drop_table('demand_event')
    with op.batch_alter_table('visit_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_participant_visit_id'))
        batch_op.drop_index('ix_visit_participant_helper_visit')

    op.drop_table('visit_participant')
    with op.batch_alter_table('demand', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demand_visit_id'))
        batch_op.drop_index('ix_demand_status_due')
        batch_op.drop_index(batch_op.f('ix_demand_responsible_unit'))
        batch_op.drop_index(batch_op.f('ix_demand_received_on'))
        batch_op.drop_index(batch_op.f('ix_demand_helper_id'))
        batch_op.drop_index(batch_op.f('ix_demand_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_demand_closed_on'))
        batch_op.drop_index(batch_op.f('ix_demand_category'))

    op.drop_table('demand')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_team_id'))
        batch_op.drop_index('ix_visit_enterprise_date')
        batch_op.drop_index('ix_visit_date_enterprise')

    op.drop_table('visit')
    with op.batch_alter_table('helper_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helper_assignment_team_id'))
        batch_op.drop_index(batch_op.f('ix_helper_assignment_helper_id'))
        batch_op.drop_index(batch_op.f('ix_helper_assignment_enterprise_id'))

    op.drop_table('helper_assignment')
    with op.batch_alter_table('service_team_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_team_member_team_id'))
        batch_op.drop_index(batch_op.f('ix_service_team_member_helper_id'))

    op.drop_table('service_team_member')
    with op.batch_alter_table('service_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_team_leader_id'))

    op.drop_table('service_team')
    op.drop_table('helper')
