"""A child process the tests start follows the suite's moved clock (pytest --clock-at)."""

from __future__ import annotations

import os
import time


def follow_the_suite_clock() -> None:
    """Under --clock-at, move this process's wall clock by the same offset as the parent's; else nothing."""
    offset = os.environ.get("LVQI_TEST_CLOCK_OFFSET")
    if offset:
        import time_machine

        time_machine.travel(time.time() + float(offset), tick=True).start()
