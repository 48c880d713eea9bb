"""origin map: the city's per-record origins become one text row per county (record_origin → origin_map)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 22:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('origin_map',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('entries', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('county_code', name=op.f('pk_origin_map'))
    )
    conn = op.get_bind()
    lines: dict[str, list[str]] = {}
    for county, uuid, row_hash, archived in conn.exec_driver_sql(
            "SELECT county_code, uuid, row_hash, archived FROM record_origin ORDER BY county_code, uuid"):
        lines.setdefault(county, []).append(f"{uuid}\t{row_hash}\t{1 if archived else 0}")
    if lines:
        conn.exec_driver_sql("INSERT INTO origin_map (county_code, entries) VALUES (?, ?)",
                             [(county, "\n".join(rows)) for county, rows in lines.items()])
    op.drop_table('record_origin')


def downgrade() -> None:
    op.create_table('record_origin',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('county_code', 'uuid', name=op.f('pk_record_origin')),
    sqlite_with_rowid=False
    )
    conn = op.get_bind()
    for county, entries in conn.exec_driver_sql("SELECT county_code, entries FROM origin_map").fetchall():
        rows = [line.split("\t") for line in entries.split("\n") if line]
        conn.exec_driver_sql("INSERT INTO record_origin VALUES (?, ?, '', ?, ?)",
                             [(county, u, h, a == "1") for u, h, a in rows])
    op.drop_table('origin_map')
