"""Rotating log file in the data dir's logs/ folder (Qt-free, shared by the GUI and the CLI)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path


def setup_logging(log_dir: Path, name: str = "lvqi.log") -> Path:
    """Log INFO and above to logs/lvqi.log (1 MB × 5 files); returns the log file's path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / name
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
