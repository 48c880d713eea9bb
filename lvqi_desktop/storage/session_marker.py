"""The unclean-exit marker: a file that exists while the GUI runs; found at start-up, the last run crashed."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from lvqi_desktop import atomic_files
from lvqi_desktop import clock
from lvqi_desktop.atomic_files import fsync_dir
from lvqi_desktop.paths import DataDir

MARKER_NAME = "lvqi.running"


class SessionMarker:
    """begin() when the GUI has the data dir to itself (after the single-instance lock); end_clean() on exit."""

    def __init__(self, data_dir: DataDir) -> None:
        self.path: Path = data_dir.root / MARKER_NAME

    def left_behind(self) -> bool:
        """True when the last run did not end cleanly (its marker is still there)."""
        return self.path.exists()

    def begin(self, now: datetime | None = None) -> bool:
        """Write the marker; returns whether one was left behind by an unclean exit."""
        unclean = self.left_behind()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_files.replacing(self.path, temp=self.path.with_name(self.path.name + ".tmp")) as tmp:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(f"pid={os.getpid()}\nstarted={(now or clock.now()).isoformat(timespec='seconds')}\n")
                fh.flush()
                os.fsync(fh.fileno())
        fsync_dir(self.path.parent)
        return unclean

    def end_clean(self) -> None:
        """Remove the marker: the program is exiting after closing the database properly."""
        atomic_files.remove(self.path)
