"""change history: the append-only change_record table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

The triggers make the table append-only. A later batch migration that rebuilds change_record
(batch_alter_table copies it into a new table) drops them with the old table: re-create them
after the batch block with the same SQL.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS change_record_no_update BEFORE UPDATE ON change_record "
    "BEGIN SELECT RAISE(ABORT, '修改记录只能追加，不能更改'); END",
    "CREATE TRIGGER IF NOT EXISTS change_record_no_delete BEFORE DELETE ON change_record "
    "BEGIN SELECT RAISE(ABORT, '修改记录只能追加，不能删除'); END",
)


def upgrade() -> None:
    op.create_table('change_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('operator', sa.String(length=40), nullable=False),
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('table_name', sa.String(length=60), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('record_uuid', sa.String(length=36), nullable=True),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('batch_id', sa.String(length=36), nullable=False),
    sa.Column('reverts_batch_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_record'))
    )
    with op.batch_alter_table('change_record', schema=None) as batch_op:
        batch_op.create_index('ix_change_record_table_record', ['table_name', 'record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_record_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_record_operator'), ['operator'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_record_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_record_batch_id'), ['batch_id'], unique=False)
    for sql in triggers():
        op.execute(sql)


# PostgreSQL (the city edition on a server): the same refusal from a PL/pgSQL trigger function; TRUNCATE too.
PG_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION change_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION '修改记录只能追加，不能更改' USING ERRCODE = 'restrict_violation'; "
    "END IF; RAISE EXCEPTION '修改记录只能追加，不能删除' USING ERRCODE = 'restrict_violation'; END $$",
    "CREATE TRIGGER change_record_no_update BEFORE UPDATE ON change_record "
    "FOR EACH ROW EXECUTE FUNCTION change_record_append_only()",
    "CREATE TRIGGER change_record_no_delete BEFORE DELETE ON change_record "
    "FOR EACH ROW EXECUTE FUNCTION change_record_append_only()",
    "CREATE TRIGGER change_record_no_truncate BEFORE TRUNCATE ON change_record "
    "FOR EACH STATEMENT EXECUTE FUNCTION change_record_append_only()",
)


def triggers() -> tuple[str, ...]:
    """The append-only triggers in the dialect of the database being migrated."""
    return PG_TRIGGERS if op.get_bind().dialect.name == "postgresql" else TRIGGERS


def downgrade() -> None:
    on = " ON change_record" if op.get_bind().dialect.name == "postgresql" else ""
    op.execute("DROP TRIGGER IF EXISTS change_record_no_delete" + on)
    op.execute("DROP TRIGGER IF EXISTS change_record_no_update" + on)
    with op.batch_alter_table('change_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_record_batch_id'))
        batch_op.drop_index(batch_op.f('ix_change_record_session_id'))
        batch_op.drop_index(batch_op.f('ix_change_record_operator'))
        batch_op.drop_index(batch_op.f('ix_change_record_at'))
        batch_op.drop_index('ix_change_record_table_record')

    op.drop_table('change_record')
