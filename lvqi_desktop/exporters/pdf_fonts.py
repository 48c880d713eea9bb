"""Finds a Chinese TrueType font reportlab can embed: user setting → Windows font folders (on Windows, nothing
else: no process is started) or fontconfig (elsewhere); never a fallback."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from lvqi_desktop.errors import ExportError

WINDOWS_FONTS = ("simsun.ttc", "msyh.ttc", "simhei.ttf", "msyh.ttf")
ON_WINDOWS = os.name == "nt"
PLACEHOLDER = "□"
PROBE = "吕梁市中小企业服务中心填报单位审核人合计（万元）第页共"
_LOCK = threading.Lock()
_CACHE: dict[str, CjkFont] = {}


@dataclass(frozen=True)
class CjkFont:
    """A registered font: the reportlab name, the file it came from, and what it can draw."""

    name: str
    family: str
    path: str
    subfont_index: int
    codepoints: frozenset[int] = field(repr=False)
    notes: tuple[str, ...] = ()  # e.g. the user's font could not be used

    def has(self, ch: str) -> bool:
        return ord(ch) in self.codepoints

    @property
    def placeholder(self) -> str:
        return PLACEHOLDER if self.has(PLACEHOLDER) else "?"


def _windows_font_folders() -> list[Path]:
    """%WINDIR%\\Fonts, then the per-user font folder (fonts installed "for me only", Windows 10 1809+)."""
    folders = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        folders.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return folders


def _windows_candidates() -> list[tuple[str, int]]:
    return [(str(folder / name), 0) for folder in _windows_font_folders() for name in WINDOWS_FONTS
            if (folder / name).is_file()]


def _fontconfig(args: list[str]) -> list[tuple[str, int]]:
    exe = shutil.which(args[0])
    if exe is None:
        return []
    try:
        raw = subprocess.run([exe, *args[1:]], capture_output=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    out = os.fsdecode(raw)  # file names as the file system spells them, whatever the locale says
    found = []
    for line in out.splitlines():
        path, _, index = line.partition("\t")
        if path.strip():
            found.append((path.strip(), int(index) if index.strip().isdigit() else 0))
    return found


def _fontconfig_candidates() -> list[tuple[str, int]]:
    """fontconfig's Chinese fonts, in its order of preference (fc-match -s), then any fc-list adds."""
    fmt = "%{file}\t%{index}\n"
    listed = _fontconfig(["fc-list", "--format", fmt, ":lang=zh"])
    wanted = set(listed)
    ordered = [c for c in _fontconfig(["fc-match", "-s", "--format", fmt, ":lang=zh"]) if c in wanted]
    return list(dict.fromkeys(ordered + sorted(listed)))


def _load(path: str, index: int, name: str) -> CjkFont:
    """Register one font with reportlab; raises ValueError when it cannot be embedded or lacks Chinese."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        font = TTFont(name, path, subfontIndex=index)
    except (TTFError, OSError, ValueError, KeyError, IndexError) as exc:
        raise ValueError(str(exc)) from exc
    cmap = frozenset(font.face.charToGlyph)
    if not all(ord(ch) in cmap for ch in PROBE):
        raise ValueError("缺少常用汉字")
    pdfmetrics.registerFont(font)
    family = getattr(font.face, "familyName", b"")
    family = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family or "")
    return CjkFont(name, family or Path(path).stem, path, index, cmap)


def _missing_message(notes: list[str]) -> str:
    tried = ("；".join(notes[:4]) + "。") if notes else ""
    return ("找不到可嵌入PDF的中文字体，无法生成PDF报表。" + tried +
            "Windows：系统自带的“宋体”（simsun.ttc）或“微软雅黑”（msyh.ttc）即可，请确认 C:\\Windows\\Fonts 中有这两个文件；"
            "Linux：请安装 fonts-wqy-microhei（文泉驿微米黑），例如 sudo apt-get install fonts-wqy-microhei。"
            "也可以在“设置”中指定一个 TrueType 中文字体文件（.ttf/.ttc）。Excel 报表不受影响。")


def resolve_cjk_font(user_path: str | None = None) -> CjkFont:
    """The font for PDF returns, registered with reportlab and cached per user setting.

    Order: `user_path` (a .ttf/.ttc) → %WINDIR%\\Fonts simsun.ttc / msyh.ttc / simhei.ttf → fontconfig's
    `:lang=zh` matches. Fonts reportlab cannot embed (CFF outlines such as Noto CJK, or embedding
    forbidden) are skipped. Raises ExportError in Chinese, naming what to install, when none works.
    """
    key = user_path or ""
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        notes: list[str] = []
        candidates: list[tuple[str, int]] = []
        if user_path:
            if Path(user_path).is_file():
                candidates.append((user_path, 0))
            else:
                notes.append(f"设置中指定的字体文件“{user_path}”不存在")
        candidates += _windows_candidates() if ON_WINDOWS else _windows_candidates() + _fontconfig_candidates()
        for n, (path, index) in enumerate(dict.fromkeys(candidates)):
            try:
                font = _load(path, index, f"LvqiCJK{len(_CACHE)}_{n}")
            except ValueError as exc:
                if user_path and path == user_path:
                    notes.append(f"设置中指定的字体“{Path(path).name}”无法嵌入PDF（{exc}）")
                continue
            font = CjkFont(font.name, font.family, font.path, font.subfont_index, font.codepoints, tuple(notes))
            _CACHE[key] = font
            return font
        raise ExportError(_missing_message(notes))


def forget_fonts() -> None:
    """Drop the cache (after the font setting changed; tests)."""
    with _LOCK:
        _CACHE.clear()
