"""`lvqi … > file` in cmd.exe: a redirected stream is written in UTF-8, whatever the ANSI code page (issue 20 item 6).

PYTHONIOENCODING stands in for the code page Python picks for a redirected stream on Windows:
gbk on a Chinese laptop, cp1252 on an English-locale one.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lvqi_desktop.cli.streams import configure_streams


def lvqi_into_file(tmp_path: Path, code_page: str, *args: str, **extra_env: str) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "PYTHONIOENCODING": code_page, **extra_env}
    env.pop("PYTHONUTF8", None)
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with open(out, "wb") as fh_out, open(err, "wb") as fh_err:
        code = subprocess.run([sys.executable, "-m", "lvqi_desktop.cli", "--data-dir", str(tmp_path / "data"), *args],
                              stdout=fh_out, stderr=fh_err, env=env, timeout=120).returncode
    return code, out.read_bytes(), err.read_bytes()


@pytest.mark.parametrize("code_page", ["gbk", "cp1252"])
def test_a_name_outside_the_code_page_is_written_in_utf8(tmp_path, code_page: str) -> None:
    code, out, err = lvqi_into_file(tmp_path, code_page, "init", "--county", "141102", "--preparer", "王䶮")
    assert code == 0, err.decode("utf-8", "replace")
    assert "默认填报人：王䶮" in out.decode("utf-8")


def test_an_error_message_redirected_is_utf8_too(tmp_path) -> None:
    code, _out, err = lvqi_into_file(tmp_path, "cp1252", "init", "--county", "140100")
    assert code == 1
    assert "不是吕梁市的县" in err.decode("utf-8")


def test_lvqi_output_encoding_chooses_gbk_and_marks_what_it_cannot_hold(tmp_path) -> None:
    code, out, _err = lvqi_into_file(tmp_path, "cp1252", "init", "--county", "141102", "--preparer", "王䶮",
                                     LVQI_OUTPUT_ENCODING="gbk")
    assert code == 0
    assert "默认填报人：王?" in out.decode("gbk")


def test_a_console_keeps_its_encoding_and_never_raises() -> None:
    class Console(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    raw = io.BytesIO()
    console = Console(raw, encoding="gbk", errors="strict")
    configure_streams({}, (console,))
    console.write("王䶮\n")
    console.flush()
    assert raw.getvalue() == "王?\n".encode("gbk")
