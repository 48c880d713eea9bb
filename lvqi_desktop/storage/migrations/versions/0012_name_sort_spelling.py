"""enterprise.name_pinyin becomes the register's sort key: the name's pinyin with a space between syllables

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 19:00:00
"""
from alembic import op
import sqlalchemy as sa

from lvqi_desktop.models.search_keys import sort_spelling


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_BATCH = 2_000


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM enterprise")).all()
    update = sa.text("UPDATE enterprise SET name_pinyin = :spelling WHERE id = :id")
    for start in range(0, len(rows), _BATCH):
        batch = rows[start:start + _BATCH]
        conn.execute(update, [{"id": r.id, "spelling": sort_spelling(r.name)} for r in batch])


def downgrade() -> None:
    op.execute("UPDATE enterprise SET name_pinyin = replace(name_pinyin, ' ', '')")
