"""Checks on database files, the unclean-exit marker, replacing and quarantining the live file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from lvqi_desktop.errors import DatabaseRefused
from lvqi_desktop.paths import DataDir
from lvqi_desktop.storage.file_checks import FULL
from lvqi_desktop.storage.file_checks import QUICK
from lvqi_desktop.storage.file_checks import RefusalTexts
from lvqi_desktop.storage.file_checks import inspect_file
from lvqi_desktop.storage.file_checks import run_check
from lvqi_desktop.storage.live_file import quarantine
from lvqi_desktop.storage.live_file import replace_live_database
from lvqi_desktop.storage.opening import open_database
from lvqi_desktop.storage.session_marker import SessionMarker
from tests.storage.db_damage import checkpoint
from tests.storage.db_damage import corrupt_pages
from tests.storage.db_damage import execute
from tests.storage.db_damage import scalar
from tests.storage.db_damage import sha

TEXTS = RefusalTexts(not_sqlite="非{path}", damaged="坏{path}:{detail}", newer_program="新程序{needed}>{version}",
                     newer_schema="新结构{revision}")
NOW = datetime(2026, 11, 26, 19, 30)


@pytest.fixture
def db_file(data_dir: DataDir) -> Path:
    open_database(data_dir, "0.1.0").dispose()
    checkpoint(data_dir.database)
    return data_dir.database


def test_a_good_file_passes_both_checks(db_file: Path) -> None:
    assert run_check(db_file, QUICK) is None
    assert run_check(db_file, FULL) is None
    facts = inspect_file(db_file, "0.1.0", TEXTS, check=FULL)
    assert facts.revision and "enterprise" in facts.tables


def test_overwritten_pages_fail_quick_check_and_integrity_check(db_file: Path) -> None:
    corrupt_pages(db_file, first=4, count=10)
    assert run_check(db_file, QUICK) is not None
    assert run_check(db_file, FULL) is not None
    with pytest.raises(DatabaseRefused, match="^坏"):
        inspect_file(db_file, "0.1.0", TEXTS, check=FULL, shown_as=Path("备份.gz"))


def test_refusals_use_the_callers_texts(db_file: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    with pytest.raises(DatabaseRefused, match="^非"):
        inspect_file(empty, "0.1.0", TEXTS)
    execute(db_file, "UPDATE app_meta SET value='9.0.0' WHERE key='min_program_version'")
    with pytest.raises(DatabaseRefused, match="新程序9.0.0>0.1.0"):
        inspect_file(db_file, "0.1.0", TEXTS)
    execute(db_file, "UPDATE app_meta SET value='0.1.0' WHERE key='min_program_version'")
    execute(db_file, "UPDATE alembic_version SET version_num='9999_future'")
    with pytest.raises(DatabaseRefused, match="新结构9999_future"):
        inspect_file(db_file, "0.1.0", TEXTS)


def test_the_marker_tells_an_unclean_exit_from_a_clean_one(data_dir: DataDir) -> None:
    marker = SessionMarker(data_dir)
    assert marker.begin(NOW) is False  # first start
    assert marker.begin(NOW) is True  # started again without end_clean(): the last run crashed
    marker.end_clean()
    assert marker.left_behind() is False
    assert marker.begin(NOW) is False


def test_replacing_the_live_file_drops_its_old_wal(db_file: Path, tmp_path: Path) -> None:
    new = tmp_path / "restored.sqlite3"
    new.write_bytes(db_file.read_bytes())
    execute(new, "INSERT INTO setting(key, value) VALUES ('marker', '\"new\"')")
    stale_wal = Path(str(db_file) + "-wal")
    stale_wal.write_bytes(b"stale wal from the old file")
    replace_live_database(new, db_file)
    assert not stale_wal.exists() and not new.exists()
    assert scalar(db_file, "SELECT value FROM setting WHERE key='marker'") == '"new"'
    assert not any(p.name.endswith(".replaced") for p in db_file.parent.iterdir())


def test_quarantine_moves_the_file_and_its_side_files_untouched(db_file: Path, data_dir: DataDir) -> None:
    wal = Path(str(db_file) + "-wal")
    wal.write_bytes(b"wal bytes")
    before = sha(db_file)
    folder = quarantine(db_file, data_dir.quarantine, NOW, "测试")
    assert folder == data_dir.quarantine / "20261126-193000"
    assert not db_file.exists() and not wal.exists()
    assert sha(folder / db_file.name) == before
    assert (folder / (db_file.name + "-wal")).read_bytes() == b"wal bytes"
    assert "原样保存" in (folder / "说明.txt").read_text(encoding="utf-8")
    assert quarantine(folder / db_file.name, data_dir.quarantine, NOW, "再次").name == "20261126-193000-2"
