"""The fast revision scan agrees with Alembic's own reading of the migration scripts."""

from __future__ import annotations

from lvqi_desktop.storage import migrate


def test_scanned_head_and_revisions_match_alembic() -> None:
    script = migrate.script_directory()
    assert migrate.head_revision() == script.get_current_head()
    assert migrate.known_revisions() == {r.revision for r in script.walk_revisions()}
