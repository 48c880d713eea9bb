"""The PDF font search on Windows looks in the font folders only; fontconfig's odd output never breaks it (issue 20 item 7)."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from lvqi_desktop.exporters import pdf_fonts

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


pytestmark = pytest.mark.usefixtures("fresh_fonts")


def fake_fontconfig(folder: Path, output: bytes) -> Path:
    """fc-list and fc-match on PATH that print `output` and leave a mark that they ran."""
    folder.mkdir()
    marker = folder / "ran"
    for name in ("fc-list", "fc-match"):
        script = folder / name
        script.write_text(f"#!{sys.executable}\nimport sys\nopen({str(marker)!r}, 'a').write('x')\n"
                          f"sys.stdout.buffer.write({output!r})\n", encoding="utf-8")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return marker


@pytest.mark.skipif(os.name == "nt" or not WQY.exists(), reason="fake fontconfig scripts; fonts-wqy-microhei")
def test_on_windows_only_the_font_folders_are_searched_and_no_process_is_started(tmp_path, monkeypatch) -> None:
    marker = fake_fontconfig(tmp_path / "bin", f"{WQY}\t0\n".encode())
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + os.environ["PATH"])
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    per_user = tmp_path / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts"
    per_user.mkdir(parents=True)
    shutil.copyfile(WQY, per_user / "msyh.ttc")  # 微软雅黑 installed "for me only"
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    monkeypatch.setattr(pdf_fonts, "ON_WINDOWS", True)
    assert pdf_fonts.resolve_cjk_font().path == str(per_user / "msyh.ttc")
    assert not marker.exists()


@pytest.mark.skipif(os.name == "nt" or not WQY.exists(), reason="fake fontconfig scripts; fonts-wqy-microhei")
def test_fontconfig_output_in_another_encoding_is_read_not_a_crash(tmp_path, monkeypatch) -> None:
    marker = fake_fontconfig(tmp_path / "bin", b"/fonts/\xcb\xce\xcc\xe5.ttc\t0\n" + f"{WQY}\t0\n".encode())
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + os.environ["PATH"])
    monkeypatch.delenv("WINDIR", raising=False)
    monkeypatch.delenv("SystemRoot", raising=False)
    assert pdf_fonts.resolve_cjk_font().path == str(WQY)
    assert marker.exists()
