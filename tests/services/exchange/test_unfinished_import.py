"""An import cut short (the program killed, the computer off) is told at the next start, on either engine."""

from __future__ import annotations

import os
import signal

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QMessageBox

from lvqi_desktop import app
from lvqi_desktop.services.exchange import import_marker
from lvqi_desktop.ui.main_window import MainWindow
from tests.conftest import open_services
from tests.services.exchange.conftest import db_state
from tests.services.exchange.test_kill import _start
from tests.services.exchange.test_kill import _wait_for
from tests.ui.safety_window import close_windows
from tests.ui.safety_window import isolate_settings
from tests.ui.safety_window import settle


@pytest.fixture
def city(city_on):
    return city_on


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_mid_import_is_told_at_the_next_start(tmp_path, city, county_package, monkeypatch) -> None:
    _county_root, package = county_package
    before = db_state(city)
    city.db.dispose()
    if city.data_dir.server:
        monkeypatch.setenv("LVQI_DATABASE", city.data_dir.server)  # the child program on the same server
    proc = _start(city.data_dir.root, "pause", package)  # killed after the writes, before the commit
    _wait_for(proc, "MERGED")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (city.data_dir.root / import_marker.MARKER_NAME).exists()

    again = open_services(city.data_dir)
    try:
        told = again.exchange.unfinished_import()
        assert told and "离石区 2026Q3（序号 1）" in told and "未完成" in told and "数据库没有改动" in told
        assert "重新导入" in told
        assert db_state(again) == before
        assert again.exchange.unfinished_import() is None  # told once
        result = again.exchange.apply(again.exchange.dry_run([package]))  # re-imported as told
        assert result.applied and again.exchange.unfinished_import() is None
    finally:
        again.db.dispose()


def test_a_normal_or_refused_import_leaves_nothing_to_tell(city, county_package) -> None:
    _county_root, package = county_package
    plan = city.exchange.dry_run([package])
    assert city.exchange.apply(plan).applied
    assert city.exchange.unfinished_import() is None
    assert not (city.data_dir.root / import_marker.MARKER_NAME).exists()


def test_an_import_that_finished_before_the_end_is_told_as_done(city, county_package) -> None:
    _county_root, package = county_package
    plan = city.exchange.dry_run([package])
    chosen = plan.to_apply[0]
    city.exchange.apply(plan)
    # the program ended between the commit and removing the mark
    import_marker.begin(city.data_dir.root, "2026-10-08 09:30", [(chosen.package_uuid, "离石区 2026Q3（序号 1）")])
    told = city.exchange.unfinished_import()
    assert told and "已经完成" in told and "未完成" not in told


@pytest.mark.parametrize("content", [b"\x00\xff not json", b"[]", b'{"packages": 7}', b"{" * 300_000])
def test_a_damaged_mark_still_says_an_import_was_cut_short(city, content) -> None:
    (city.data_dir.root / import_marker.MARKER_NAME).write_bytes(content)
    told = city.exchange.unfinished_import()
    assert told and "未完成" in told and "数据库没有改动" in told
    assert city.exchange.unfinished_import() is None


def test_the_start_of_the_program_shows_it(qtbot, tmp_path, city, monkeypatch) -> None:
    isolate_settings(tmp_path)
    import_marker.begin(city.data_dir.root, "2026-10-08 09:30", [("0" * 32, "文水县 2026Q3（序号 2）")])
    city.db.dispose()
    monkeypatch.setattr(app, "choose_operator", lambda services: "李四")
    answers: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            answers.append(f"{box.windowTitle()}：{box.text()}")
            box.accept()
        else:
            QTimer.singleShot(50, close_box)

    QTimer.singleShot(50, close_box)
    try:
        window, code = app.start_gui(city.data_dir)
        assert code == 0 and isinstance(window, MainWindow)
        assert len(answers) == 1 and "上次导入报送包未完成" in answers[0] and "文水县 2026Q3（序号 2）" in answers[0]
        window.services.db.dispose()
    finally:
        settle()
        close_windows()
