"""The program folder under a user name with % in it: Alembic's ConfigParser must not read it as interpolation
(issue 20 item 7)."""

from __future__ import annotations

import shutil

from lvqi_desktop.storage import migrate
from lvqi_desktop.storage.database import make_engine


def test_migrations_run_from_a_folder_with_a_percent_sign(tmp_path, monkeypatch) -> None:
    here = tmp_path / "Users" / "张三 100%" / "AppData" / "Local" / "Programs" / "lvqi_desktop" / "storage"
    shutil.copytree(migrate.HERE, here, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "HERE", here)
    assert migrate.script_directory().get_current_head() == migrate.head_revision()
    engine = make_engine(tmp_path / "lvqi.sqlite3")
    try:
        migrate.upgrade_to_head(engine)
        with engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
    finally:
        engine.dispose()
