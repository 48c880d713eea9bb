"""foundation: office, reference data, enterprise register

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 18:52:19.660492
"""
from alembic import op
import sqlalchemy as sa

from lvqi_desktop.storage.reference_seed import seed_reference


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_meta',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_meta'))
    )
    op.create_table('county',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_county'))
    )
    op.create_table('industry_section',
    sa.Column('code', sa.String(length=1), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_industry_section'))
    )
    op.create_table('operator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operator')),
    sa.UniqueConstraint('name', name=op.f('uq_operator_name'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('size_class_rule',
    sa.Column('group_code', sa.String(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('e_upper', sa.Integer(), nullable=True),
    sa.Column('r_upper', sa.Integer(), nullable=True),
    sa.Column('a_upper', sa.Integer(), nullable=True),
    sa.Column('e_medium', sa.Integer(), nullable=True),
    sa.Column('r_medium', sa.Integer(), nullable=True),
    sa.Column('a_medium', sa.Integer(), nullable=True),
    sa.Column('e_small', sa.Integer(), nullable=True),
    sa.Column('r_small', sa.Integer(), nullable=True),
    sa.Column('a_small', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('group_code', name=op.f('pk_size_class_rule'))
    )
    op.create_table('office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('default_preparer', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['county.code'], name=op.f('fk_office_county_code_county')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office'))
    )
    op.create_table('township',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['county.code'], name=op.f('fk_township_county_code_county')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_township'))
    )
    with op.batch_alter_table('township', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_township_county_code'), ['county_code'], unique=False)

    op.create_table('enterprise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=100), nullable=False),
    sa.Column('name_initials', sa.String(length=100), nullable=False),
    sa.Column('name_pinyin', sa.String(length=400), nullable=False),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('former_names', sa.Text(), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('legal_representative', sa.String(length=40), nullable=False),
    sa.Column('contact_person', sa.String(length=40), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('ownership_type', sa.String(length=20), nullable=True),
    sa.Column('industry_section', sa.String(length=1), nullable=True),
    sa.Column('industry_class', sa.String(length=4), nullable=False),
    sa.Column('size_group', sa.String(length=20), nullable=True),
    sa.Column('size_class', sa.String(length=1), nullable=True),
    sa.Column('size_class_override', sa.String(length=1), nullable=True),
    sa.Column('size_class_override_reason', sa.String(length=200), nullable=False),
    sa.Column('main_products', sa.Text(), nullable=False),
    sa.Column('above_scale', sa.Boolean(), nullable=False),
    sa.Column('above_scale_since', sa.String(length=7), nullable=True),
    sa.Column('four_above_category', sa.String(length=20), nullable=True),
    sa.Column('high_tech_cert_no', sa.String(length=40), nullable=False),
    sa.Column('high_tech_valid_until', sa.Date(), nullable=True),
    sa.Column('business_status', sa.String(length=20), nullable=False),
    sa.Column('moved_to_county', sa.String(length=6), nullable=True),
    sa.Column('merged_into_uuid', sa.String(length=36), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('latest_year', sa.Integer(), nullable=True),
    sa.Column('latest_revenue_fen', sa.BigInteger(), nullable=True),
    sa.Column('latest_employees', sa.Integer(), nullable=True),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('archive_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['county_code'], ['county.code'], name=op.f('fk_enterprise_county_code_county')),
    sa.ForeignKeyConstraint(['industry_section'], ['industry_section.code'], name=op.f('fk_enterprise_industry_section_industry_section')),
    sa.ForeignKeyConstraint(['township_code'], ['township.code'], name=op.f('fk_enterprise_township_code_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise')),
    sa.UniqueConstraint('county_code', 'uscc', name='uq_enterprise_county_uscc'),
    sa.UniqueConstraint('uuid', name=op.f('uq_enterprise_uuid'))
    )
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_above_scale'), ['above_scale'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_county_code'), ['county_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_industry_section'), ['industry_section'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_name_key'), ['name_key'], unique=False)
        batch_op.create_index('ix_enterprise_search', ['archived_at', 'search_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_size_class'), ['size_class'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_township_code'), ['township_code'], unique=False)

    op.create_table('enterprise_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revenue_fen', sa.BigInteger(), nullable=True),
    sa.Column('main_revenue_fen', sa.BigInteger(), nullable=True),
    sa.Column('net_profit_fen', sa.BigInteger(), nullable=True),
    sa.Column('total_assets_fen', sa.BigInteger(), nullable=True),
    sa.Column('total_liabilities_fen', sa.BigInteger(), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('rd_expense_fen', sa.BigInteger(), nullable=True),
    sa.Column('rd_staff', sa.Integer(), nullable=True),
    sa.Column('ip_class1', sa.Integer(), nullable=True),
    sa.Column('ip_class2', sa.Integer(), nullable=True),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('archive_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_enterprise_year_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_year')),
    sa.UniqueConstraint('enterprise_id', 'year', name='uq_enterprise_year_enterprise_year'),
    sa.UniqueConstraint('uuid', name=op.f('uq_enterprise_year_uuid'))
    )
    with op.batch_alter_table('enterprise_year', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_year_enterprise_id'), ['enterprise_id'], unique=False)
    seed_reference(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('enterprise_year', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_year_enterprise_id'))

    op.drop_table('enterprise_year')
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_township_code'))
        batch_op.drop_index(batch_op.f('ix_enterprise_size_class'))
        batch_op.drop_index(batch_op.f("ix_enterprise_name_key"))
        batch_op.drop_index('ix_enterprise_search')
        batch_op.drop_index(batch_op.f('ix_enterprise_industry_section'))
        batch_op.drop_index(batch_op.f('ix_enterprise_county_code'))
        batch_op.drop_index(batch_op.f('ix_enterprise_above_scale'))

    op.drop_table('enterprise')
    with op.batch_alter_table('township', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_township_county_code'))

    op.drop_table('township')
    op.drop_table('office')
    op.drop_table('size_class_rule')
    op.drop_table('setting')
    op.drop_table('operator')
    op.drop_table('industry_section')
    op.drop_table('county')
    op.drop_table('app_meta')
