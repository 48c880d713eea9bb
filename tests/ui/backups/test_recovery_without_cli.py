"""Recovering without the command line (issue 19 item 5): a database found damaged after a normal exit, or
emptied to 0 bytes while backups exist, gets the offer of the newest good backup at start-up."""

from __future__ import annotations

from lvqi_desktop import app
from tests.storage.db_damage import corrupt_pages
from tests.storage.db_damage import sha
from tests.ui.window.test_app_start import damaged_data_dir
from tests.ui.window.test_app_start import first_run  # noqa: F401 - fixtures: set-up and operator answered, messages recorded


def test_damage_found_after_a_normal_exit_offers_the_newest_good_backup(qtbot, services, first_run, told):  # noqa: F811
    data_dir, _ = damaged_data_dir(services)  # a good backup of two firms, a third firm, damage
    corrupt_pages(data_dir.database, first=1, count=3)  # the schema itself: the file cannot even be read
    damaged = sha(data_dir.database)
    window, code = app.start_gui(data_dir, unclean_exit=False)
    assert code == 0 and window is not None
    assert [k for k, _ in told] == ["confirm", "inform"]
    assert "现在从这份备份恢复吗" in told[0][1]
    assert window.services.enterprises.counts() == (2, 0)
    kept = list(data_dir.quarantine.rglob("lvqi.sqlite3"))
    assert len(kept) == 1 and sha(kept[0]) == damaged
    window.services.db.dispose()


def test_an_emptied_database_is_not_started_afresh_but_restored(qtbot, services, first_run, told):  # noqa: F811
    data_dir, _ = damaged_data_dir(services)
    data_dir.database.write_bytes(b"")
    window, code = app.start_gui(data_dir, unclean_exit=False)
    assert code == 0 and window is not None and "setup" not in first_run  # not set up as a "new" database
    assert "0 字节" in told[0][1] and "现在从这份备份恢复吗" in told[0][1]
    assert window.services.enterprises.counts() == (2, 0)
    window.services.db.dispose()
