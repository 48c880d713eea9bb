"""Rotating log file in the data dir's logs/ folder (Qt-free, shared by the GUI and the CLI); owner-only."""

from __future__ import annotations

import logging
import os
import re
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path


class _OwnerOnlyFileHandler(RotatingFileHandler):
    """Every log file (the first and each one rotation starts) readable by its owner only: a traceback can
    name a folder or a firm's record number, which is nobody else's business on a shared computer."""

    def _open(self) -> TextIOWrapper:
        if os.name != "nt":
            fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.close(fd)
            os.chmod(self.baseFilename, 0o600)
        return super()._open()


# the shapes validation/enterprise.py accepts as a phone (mobile; landline with area code), found inside text;
# not inside a longer run of digits or letters, so a USCC, an id or an amount is left alone
_PHONE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?:1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})(?![0-9A-Za-z])")
PHONE_MASK = "[电话已隐去]"


class PhoneMaskingFormatter(logging.Formatter):
    """Logs carry no phone numbers (issue 18 item 8): message, arguments and traceback are masked once formatted."""

    def format(self, record: logging.LogRecord) -> str:
        return _PHONE_IN_TEXT.sub(PHONE_MASK, super().format(record))


def setup_logging(log_dir: Path, name: str = "lvqi.log") -> Path:
    """Log INFO and above to logs/lvqi.log (1 MB × 5 files); returns the log file's path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    if os.name != "nt":
        os.chmod(log_dir, 0o700)
    path = log_dir / name
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        handler = _OwnerOnlyFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(PhoneMaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
