"""The one place that reads the wall clock: every "today" and "now" in the program comes from here."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from contextlib import contextmanager


class Clock:
    """Reads the computer's clock; a test or a moved-date run swaps in a `FixedClock` through `using`."""

    def now(self) -> _dt.datetime:
        return _dt.datetime.now()

    def today(self) -> _dt.date:
        return _dt.date.today()


class FixedClock(Clock):
    """A clock that says what it is told: a fixed moment, moved on only by `set`."""

    def __init__(self, at: _dt.datetime | _dt.date) -> None:
        self.set(at)

    def set(self, at: _dt.datetime | _dt.date) -> None:
        if not isinstance(at, _dt.datetime):
            at = _dt.datetime.combine(at, _dt.time(9, 0))
        self._at = at

    def now(self) -> _dt.datetime:
        return self._at

    def today(self) -> _dt.date:
        return self._at.date()


_current: Clock = Clock()


def now() -> _dt.datetime:
    """The current local time, from the installed clock."""
    return _current.now()


def today() -> _dt.date:
    """Today's local date, from the installed clock."""
    return _current.today()


def install(clock: Clock) -> Clock:
    """Make `clock` the program's clock; returns the one it replaces."""
    global _current
    previous, _current = _current, clock
    return previous


@contextmanager
def using(clock: Clock) -> Iterator[Clock]:
    """Within the block, the program reads `clock`."""
    previous = install(clock)
    try:
        yield clock
    finally:
        install(previous)
