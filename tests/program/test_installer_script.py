"""The Inno Setup script refuses Windows builds older than 10 1809 with a Chinese message naming the build."""

import re
from pathlib import Path

ISS = Path(__file__).resolve().parents[2] / "installer" / "lvqi_desktop.iss"


def _setting(name: str) -> str:
    """The value of a `Name=value` line of the script (first occurrence)."""
    text = ISS.read_text(encoding="utf-8-sig")
    match = re.search(rf"^{re.escape(name)}=(.*)$", text, re.MULTILINE)
    assert match, f"{name} missing from {ISS.name}"
    return match.group(1).strip()


def test_min_version_is_windows_10_1809() -> None:
    assert _setting("MinVersion") == "10.0.17763"


def test_too_old_windows_gets_a_chinese_message_naming_the_build() -> None:
    message = _setting("chs.WinVersionTooLowError")
    assert "Windows 10 1809" in message and "LTSC 2019" in message and "17763" in message
    assert "%1" in message and "%2" in message  # Inno fills in the required version


def test_app_mutex_is_the_one_the_program_creates() -> None:
    from lvqi_desktop.ui.app_mutex import APP_MUTEX

    assert _setting("AppMutex") == APP_MUTEX


def test_one_version_source_pyproject() -> None:
    import tomllib

    import lvqi_desktop

    root = ISS.parent.parent
    version = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert lvqi_desktop.__version__ == version
    iss = ISS.read_text(encoding="utf-8-sig")
    assert 'ReadIni(SourcePath + "\\..\\pyproject.toml", "project", "version"' in iss
    template = (root / "installer" / "version_info.txt").read_text(encoding="utf-8")
    filled = template.format(version=version, numbers=(0, 1, 0, 0))
    assert f"StringStruct('ProductVersion', '{version}')" in filled and "filevers=(0, 1, 0, 0)" in filled
