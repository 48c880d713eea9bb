"""cultivation pools: pool reference data, records and timeline, tier rules and inputs, targets

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 19:10:00
"""
from alembic import op
import sqlalchemy as sa

from lvqi_desktop.storage.pool_seed import seed_pools


revision = '0003'
down_revision = '0002'
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
    op.create_table('pool',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('initial_status', sa.String(length=20), nullable=False),
    sa.Column('annual_update_due', sa.String(length=5), nullable=False),
    sa.Column('annual_update_remind_days', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_pool'))
    )
    op.create_table('pool_tier',
    sa.Column('pool_code', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_2026', sa.String(length=40), nullable=False),
    sa.Column('valid_years', sa.Integer(), nullable=False),
    sa.Column('prerequisite', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['pool_code'], ['pool.code'], name=op.f('fk_pool_tier_pool_code_pool')),
    sa.PrimaryKeyConstraint('pool_code', 'code', name=op.f('pk_pool_tier'))
    )
    op.create_table('pool_status',
    sa.Column('pool_code', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('holds_title', sa.Boolean(), nullable=False),
    sa.Column('needs_reason', sa.Boolean(), nullable=False),
    sa.Column('needs_month', sa.Boolean(), nullable=False),
    sa.Column('needs_recognition', sa.Boolean(), nullable=False),
    sa.Column('needs_completion', sa.Boolean(), nullable=False),
    sa.Column('terminal', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['pool_code'], ['pool.code'], name=op.f('fk_pool_status_pool_code_pool')),
    sa.PrimaryKeyConstraint('pool_code', 'code', name=op.f('pk_pool_status'))
    )
    op.create_table('pool_transition',
    sa.Column('pool_code', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['pool_code'], ['pool.code'], name=op.f('fk_pool_transition_pool_code_pool')),
    sa.PrimaryKeyConstraint('pool_code', 'from_status', 'to_status', name=op.f('pk_pool_transition'))
    )
    op.create_table('listing_venue',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('board_name', sa.String(length=40), nullable=False),
    sa.Column('listed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_listing_venue'))
    )
    op.create_table('tier_rule_set',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('document', sa.String(length=120), nullable=False),
    sa.Column('applies_from', sa.String(length=10), nullable=False),
    sa.Column('scores', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_tier_rule_set'))
    )
    op.create_table('tier_condition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_set', sa.String(length=10), nullable=False),
    sa.Column('tier', sa.String(length=30), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('test', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('entered_locally', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['rule_set'], ['tier_rule_set.code'], name=op.f('fk_tier_condition_rule_set_tier_rule_set')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tier_condition')),
    sa.UniqueConstraint('rule_set', 'tier', 'code', name='uq_tier_condition_code')
    )
    op.create_table('above_scale_line',
    sa.Column('section', sa.String(length=1), nullable=False),
    sa.Column('prefix', sa.String(length=4), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('measure', sa.String(length=20), nullable=False),
    sa.Column('threshold_wan', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('section', 'prefix', name=op.f('pk_above_scale_line'))
    )
    op.create_table('cultivation_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('pool', sa.String(length=20), nullable=False),
    sa.Column('tier', sa.String(length=30), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.String(length=200), nullable=False),
    sa.Column('rule_set', sa.String(length=10), nullable=True),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.Column('status_on', sa.Date(), nullable=True),
    sa.Column('recognized_on', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('document_no', sa.String(length=60), nullable=False),
    sa.Column('prerequisite_valid_until', sa.Date(), nullable=True),
    sa.Column('override_reason', sa.String(length=200), nullable=False),
    sa.Column('info_updated_on', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('county_review_on', sa.Date(), nullable=True),
    sa.Column('city_review_on', sa.Date(), nullable=True),
    sa.Column('subsidy_fen', sa.BigInteger(), nullable=True),
    sa.Column('listing_venue', sa.String(length=20), nullable=True),
    sa.Column('listed_on', sa.Date(), nullable=True),
    sa.Column('target_tier', sa.String(length=30), nullable=True),
    sa.Column('target_year', sa.Integer(), nullable=True),
    sa.Column('responsible_person', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('last_follow_up_on', sa.Date(), nullable=True),
    *_travelling(),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_cultivation_record_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['listing_venue'], ['listing_venue.code'], name=op.f('fk_cultivation_record_listing_venue_listing_venue')),
    sa.ForeignKeyConstraint(['pool'], ['pool.code'], name=op.f('fk_cultivation_record_pool_pool')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cultivation_record')),
    sa.UniqueConstraint('uuid', name=op.f('uq_cultivation_record_uuid'))
    )
    with op.batch_alter_table('cultivation_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cultivation_record_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_cultivation_record_pool_status', ['pool', 'status'], unique=False)
        batch_op.create_index('uq_cultivation_record_current', ['enterprise_id', 'pool'], unique=True,
                              sqlite_where=sa.text('archived_at IS NULL'),
                    postgresql_where=sa.text('archived_at IS NULL'))

    op.create_table('cultivation_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('happened_at', sa.DateTime(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('operator', sa.String(length=40), nullable=False),
    sa.Column('from_tier', sa.String(length=30), nullable=True),
    sa.Column('to_tier', sa.String(length=30), nullable=True),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    *_travelling(),
    sa.ForeignKeyConstraint(['record_id'], ['cultivation_record.id'], name=op.f('fk_cultivation_event_record_id_cultivation_record')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cultivation_event')),
    sa.UniqueConstraint('uuid', name=op.f('uq_cultivation_event_uuid'))
    )
    with op.batch_alter_table('cultivation_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cultivation_event_record_id'), ['record_id'], unique=False)

    op.create_table('tier_input',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('niche_years', sa.Integer(), nullable=True),
    sa.Column('new_equity_fen', sa.BigInteger(), nullable=True),
    sa.Column('ip_class1_high_value', sa.Integer(), nullable=True),
    sa.Column('ip_class1_own', sa.Integer(), nullable=True),
    sa.Column('rd_institution_level', sa.String(length=12), nullable=True),
    sa.Column('national_award_rank', sa.Integer(), nullable=True),
    sa.Column('provincial_award_rank', sa.Integer(), nullable=True),
    sa.Column('maker_china_rank', sa.Integer(), nullable=True),
    sa.Column('market_share_bp', sa.Integer(), nullable=True),
    sa.Column('market_rank', sa.Integer(), nullable=True),
    sa.Column('market_leading', sa.Boolean(), nullable=True),
    sa.Column('digital_level', sa.Integer(), nullable=True),
    sa.Column('quality_award', sa.Boolean(), nullable=True),
    sa.Column('quality_cert', sa.Boolean(), nullable=True),
    sa.Column('own_brand', sa.Boolean(), nullable=True),
    sa.Column('drafted_standard', sa.Boolean(), nullable=True),
    sa.Column('strategic_emerging', sa.Boolean(), nullable=True),
    sa.Column('product_field', sa.String(length=20), nullable=True),
    sa.Column('key_chain_link', sa.Boolean(), nullable=True),
    sa.Column('info_system', sa.Boolean(), nullable=True),
    sa.Column('innovation_title', sa.Boolean(), nullable=True),
    sa.Column('no_veto', sa.Boolean(), nullable=True),
    sa.Column('platform_score', sa.Integer(), nullable=True),
    sa.Column('distinctive_points', sa.Integer(), nullable=True),
    sa.Column('checked_on', sa.Date(), nullable=True),
    *_travelling(),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_tier_input_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tier_input')),
    sa.UniqueConstraint('enterprise_id', 'year', name='uq_tier_input_enterprise_year'),
    sa.UniqueConstraint('uuid', name=op.f('uq_tier_input_uuid'))
    )
    with op.batch_alter_table('tier_input', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tier_input_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=6), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    *_travelling(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target')),
    sa.UniqueConstraint('scope', 'metric', 'year', name='uq_target_scope_metric_year'),
    sa.UniqueConstraint('uuid', name=op.f('uq_target_uuid'))
    )
    seed_pools(op.get_bind())


def downgrade() -> None:
    op.drop_table('target')
    with op.batch_alter_table('tier_input', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tier_input_enterprise_id'))
    op.drop_table('tier_input')
    with op.batch_alter_table('cultivation_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cultivation_event_record_id'))
    op.drop_table('cultivation_event')
    with op.batch_alter_table('cultivation_record', schema=None) as batch_op:
        batch_op.drop_index('uq_cultivation_record_current')
        batch_op.drop_index('ix_cultivation_record_pool_status')
        batch_op.drop_index(batch_op.f('ix_cultivation_record_enterprise_id'))
    op.drop_table('cultivation_record')
    op.drop_table('above_scale_line')
    op.drop_table('tier_condition')
    op.drop_table('tier_rule_set')
    op.drop_table('listing_venue')
    op.drop_table('pool_transition')
    op.drop_table('pool_status')
    op.drop_table('pool_tier')
    op.drop_table('pool')
