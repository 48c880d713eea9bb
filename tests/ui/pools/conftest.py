"""Fixtures for the 梯度培育库 page tests: message boxes that never block."""

from __future__ import annotations

import pytest

from lvqi_desktop.ui import messages


@pytest.fixture
def no_boxes(monkeypatch) -> list[str]:
    """Message boxes never block: every message shown is recorded instead."""
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error, title="": shown.append(str(error)))
    monkeypatch.setattr(messages, "inform", lambda parent, text, title="": shown.append(text))
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    return shown
