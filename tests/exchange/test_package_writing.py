"""Writing a package: the returns inside print its data fingerprint; a second package never silently replaces."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from lvqi_desktop.cli import main
from lvqi_desktop.exchange.format import short_fingerprint
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import wait_for_background
from lvqi_desktop.ui.exchange_page import ExchangePage
from tests.services.exchange.conftest import inner_members
from tests.services.exchange.conftest import make_county
from tests.services.exchange.conftest import opened

NAME = "吕梁市-离石区-2026Q3-数据报送包.lvqi"


@pytest.fixture
def county(tmp_path):
    s = make_county(tmp_path / "county", enterprises=6)
    yield s
    s.db.dispose()


@pytest.fixture
def usb(tmp_path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def _xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)


def test_the_returns_inside_the_package_print_its_data_fingerprint(county, usb, tmp_path):
    made = county.exchange.export_package("2026Q3", usb)
    short = short_fingerprint(opened(made.path, with_records=False).manifest.fingerprint)
    assert short == short_fingerprint(made.fingerprint) and len(short) == 19
    members = inner_members(made.path)
    pdfs = [n for n in members if n.endswith(".pdf")]
    workbooks = [n for n in members if n.endswith(".xlsx")]
    assert pdfs and workbooks
    for n, name in enumerate(pdfs):
        pdf = tmp_path / f"r{n}.pdf"
        pdf.write_bytes(members[name])
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert short in text, name
        assert f"报送包第 {made.manifest.sequence} 号" in text and "校验说明" in text, name
    for name in workbooks:
        assert short in _xlsx_text(members[name]), name
        assert f"报送包第 {made.manifest.sequence} 号" in _xlsx_text(members[name]), name


def test_a_second_package_for_the_same_period_replaces_the_first_and_says_so(county, usb):
    x = county.exchange
    first = x.export_package("2026Q3", usb, with_returns=False)
    assert first.note == "" and first.path.name == NAME
    second = x.export_package("2026Q3", usb, with_returns=False)
    assert second.path == first.path and second.manifest.sequence == 2
    assert second.note == "已替换该文件夹中较早的报送包（报送序号 1）"
    assert "已替换该文件夹中较早的报送包（报送序号 1）" in second.summary
    assert [p.name for p in usb.iterdir()] == [NAME]
    assert opened(usb / NAME, with_records=False).manifest.sequence == 2


def test_a_same_named_file_that_is_not_a_package_is_left_alone(county, usb):
    stranger = usb / NAME
    stranger.write_bytes(b"not a zip: somebody's notes")
    made = county.exchange.export_package("2026Q3", usb, with_returns=False)
    assert made.path.name == "吕梁市-离石区-2026Q3-数据报送包(2).lvqi"
    assert stranger.read_bytes() == b"not a zip: somebody's notes"
    assert "不是可读的本县区报送包，未作替换" in made.note and made.path.name in made.note
    assert opened(made.path, with_records=False).manifest.sequence == 1


def test_the_command_line_prints_the_replacement_note(county, usb, capsys):
    root = county.data_dir.root
    county.db.dispose()
    args = ["--data-dir", str(root), "package", "export", "--period", "2026Q3", "--out", str(usb), "--no-returns"]
    assert main(args) == 0
    assert "已替换" not in capsys.readouterr().err
    assert main(args) == 0
    out = capsys.readouterr()
    assert out.out.strip() == str(usb / NAME)
    assert "已替换该文件夹中较早的报送包（报送序号 1）" in out.err


def test_the_page_says_when_it_replaced_an_earlier_package(qtbot, county, usb, monkeypatch, fixed_clock):
    fixed_clock.set(datetime(2026, 11, 20, 10))  # the page offers 2026Q3 as a finished quarter
    told: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda parent, text, *a, **k: told.append(text))
    monkeypatch.setattr(messages, "show_error", lambda parent, text, *a, **k: told.append(str(text)))
    county.exchange.export_package("2026Q3", usb, with_returns=False)
    page = ExchangePage(county)
    qtbot.addWidget(page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026Q3"))
    page.folder_edit.setText(str(usb))
    page.exchange.export_package = (lambda real: lambda *a, **k: real(*a, **{**k, "with_returns": False}))(
        page.exchange.export_package)
    page.export_package()
    qtbot.waitUntil(lambda: bool(told), timeout=30000)
    assert "可以安全拔出U盘" in told[0] and "已替换该文件夹中较早的报送包（报送序号 1）" in told[0]
    wait_for_background()
