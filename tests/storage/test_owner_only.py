"""Personal data is owner-only on disk: the data folder, backups, logs, keys (issue 18 item 8)."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from lvqi_desktop.logging_setup import setup_logging
from lvqi_desktop.storage import key_store

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_folder_backups_logs_and_keys_are_the_owners(services, tmp_path) -> None:
    root = services.data_dir.root
    assert _mode(root) == 0o700
    made = services.backups.backup("manual").path
    assert _mode(made) & 0o077 == 0
    log = setup_logging(services.data_dir.logs)
    root_logger = logging.getLogger()
    try:
        logging.getLogger("t").info("x")
        assert _mode(log) & 0o077 == 0
    finally:
        for h in [h for h in root_logger.handlers if getattr(h, "baseFilename", "") == str(log)]:
            root_logger.removeHandler(h)
            h.close()
    services.keys.own()
    assert _mode(key_store.key_path(services.data_dir)) == 0o600
    assert _mode(key_store.key_path(services.data_dir).parent) == 0o700
