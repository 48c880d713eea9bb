"""incubation bases (小微企业双创基地): kinds, levels, bases, level timeline, tenants, yearly figures

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 20:30:00
"""
from alembic import op
import sqlalchemy as sa

from lvqi_desktop.storage.base_seed import seed_bases


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _travelling() -> list[sa.Column]:
    return [
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('archived_at', sa.DateTime(), nullable=True),
        sa.Column('archive_reason', sa.String(length=200), nullable=True),
    ]


def upgrade() -> None:
    op.create_table('base_kind',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_base_kind'))
    )
    op.create_table('base_level',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('recognized', sa.Boolean(), nullable=False),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.Column('needs_reason', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_base_level'))
    )
    op.create_table('base_level_transition',
    sa.Column('from_level', sa.String(length=20), nullable=False),
    sa.Column('to_level', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['from_level'], ['base_level.code'],
                            name=op.f('fk_base_level_transition_from_level_base_level')),
    sa.ForeignKeyConstraint(['to_level'], ['base_level.code'],
                            name=op.f('fk_base_level_transition_to_level_base_level')),
    sa.PrimaryKeyConstraint('from_level', 'to_level', name=op.f('pk_base_level_transition'))
    )
    op.create_table('incubation_base',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('operator_name', sa.String(length=100), nullable=False),
    sa.Column('operator_type', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=True),
    sa.Column('floor_area_m2', sa.Float(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('level_on', sa.Date(), nullable=True),
    sa.Column('city_applied_on', sa.Date(), nullable=True),
    sa.Column('city_recognized_on', sa.Date(), nullable=True),
    sa.Column('city_document_no', sa.String(length=60), nullable=False),
    sa.Column('provincial_applied_on', sa.Date(), nullable=True),
    sa.Column('provincial_recognized_on', sa.Date(), nullable=True),
    sa.Column('provincial_document_no', sa.String(length=60), nullable=False),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=200), nullable=False),
    sa.Column('services_offered', sa.Text(), nullable=False),
    sa.Column('shared_facilities', sa.Text(), nullable=False),
    sa.Column('contact_person', sa.String(length=40), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *_travelling(),
    sa.ForeignKeyConstraint(['county_code'], ['county.code'], name=op.f('fk_incubation_base_county_code_county')),
    sa.ForeignKeyConstraint(['kind'], ['base_kind.code'], name=op.f('fk_incubation_base_kind_base_kind')),
    sa.ForeignKeyConstraint(['level'], ['base_level.code'], name=op.f('fk_incubation_base_level_base_level')),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'],
                            name=op.f('fk_incubation_base_township_code_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubation_base')),
    sa.UniqueConstraint('uuid', name=op.f('uq_incubation_base_uuid'))
    )
    op.create_index('ix_incubation_base_county_level', 'incubation_base', ['county_code', 'level'], unique=False)
    op.create_table('base_level_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base_id', sa.Integer(), nullable=False),
    sa.Column('from_level', sa.String(length=20), nullable=True),
    sa.Column('to_level', sa.String(length=20), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('document_no', sa.String(length=60), nullable=False),
    sa.Column('happened_at', sa.DateTime(), nullable=False),
    sa.Column('operator', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_travelling(),
    sa.ForeignKeyConstraint(['base_id'], ['incubation_base.id'],
                            name=op.f('fk_base_level_event_base_id_incubation_base')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_level_event')),
    sa.UniqueConstraint('uuid', name=op.f('uq_base_level_event_uuid'))
    )
    op.create_index(op.f('ix_base_level_event_base_id'), 'base_level_event', ['base_id'], unique=False)
    op.create_table('base_tenant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('moved_in_on', sa.Date(), nullable=False),
    sa.Column('moved_out_on', sa.Date(), nullable=True),
    sa.Column('move_out_reason', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *_travelling(),
    sa.ForeignKeyConstraint(['base_id'], ['incubation_base.id'], name=op.f('fk_base_tenant_base_id_incubation_base')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'],
                            name=op.f('fk_base_tenant_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_tenant')),
    sa.UniqueConstraint('uuid', name=op.f('uq_base_tenant_uuid'))
    )
    op.create_index(op.f('ix_base_tenant_base_id'), 'base_tenant', ['base_id'], unique=False)
    op.create_index(op.f('ix_base_tenant_enterprise_id'), 'base_tenant', ['enterprise_id'], unique=False)
    op.create_index('uq_base_tenant_current', 'base_tenant', ['base_id', 'enterprise_id'], unique=True,
                    sqlite_where=sa.text('archived_at IS NULL AND moved_out_on IS NULL'),
                    postgresql_where=sa.text('archived_at IS NULL AND moved_out_on IS NULL'))
    op.create_table('base_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('tenants', sa.Integer(), nullable=True),
    sa.Column('new_tenants', sa.Integer(), nullable=True),
    sa.Column('jobs', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    *_travelling(),
    sa.ForeignKeyConstraint(['base_id'], ['incubation_base.id'], name=op.f('fk_base_year_base_id_incubation_base')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_year')),
    sa.UniqueConstraint('base_id', 'year', name='uq_base_year_base_year'),
    sa.UniqueConstraint('uuid', name=op.f('uq_base_year_uuid'))
    )
    op.create_index(op.f('ix_base_year_base_id'), 'base_year', ['base_id'], unique=False)
    seed_bases(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f('ix_base_year_base_id'), table_name='base_year')
    op.drop_table('base_year')
    op.drop_index('uq_base_tenant_current', table_name='base_tenant')
    op.drop_index(op.f('ix_base_tenant_enterprise_id'), table_name='base_tenant')
    op.drop_index(op.f('ix_base_tenant_base_id'), table_name='base_tenant')
    op.drop_table('base_tenant')
    op.drop_index(op.f('ix_base_level_event_base_id'), table_name='base_level_event')
    op.drop_table('base_level_event')
    op.drop_index('ix_incubation_base_county_level', table_name='incubation_base')
    op.drop_table('incubation_base')
    op.drop_table('base_level_transition')
    op.drop_table('base_level')
    op.drop_table('base_kind')
