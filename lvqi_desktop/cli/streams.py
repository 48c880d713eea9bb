"""stdout/stderr encodings: UTF-8 when redirected (never the ANSI code page), LVQI_OUTPUT_ENCODING to override.

Python writes a redirected stream (`lvqi … > file`, `| findstr`) in the ANSI code page on Windows, strictly:
a name outside GBK (䶮) raised UnicodeEncodeError after part of the output, and on an English-locale
Windows (cp1252) every Chinese line did. A console keeps Windows' own Unicode output.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Mapping
from typing import TextIO

ENV_ENCODING = "LVQI_OUTPUT_ENCODING"  # e.g. gbk for an old program that reads only the code page
REDIRECTED_ENCODING = "utf-8"


def _is_console(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def wanted_encoding(stream: TextIO, environ: Mapping[str, str]) -> str | None:
    """The encoding `stream` should use, or None to keep it (a console, or no valid override)."""
    override = environ.get(ENV_ENCODING, "").strip()
    if override:
        try:
            return codecs.lookup(override).name
        except LookupError:
            return None
    return None if _is_console(stream) else REDIRECTED_ENCODING


def configure_streams(environ: Mapping[str, str] | None = None, streams: tuple[TextIO, ...] | None = None) -> None:
    """Switch each redirected stream to UTF-8 (or the override); a character the encoding lacks becomes ?,
    never an exception, so no line is lost."""
    environ = os.environ if environ is None else environ
    for stream in streams if streams is not None else (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:  # replaced by a test harness or an embedding program
            continue
        encoding = wanted_encoding(stream, environ)
        if encoding is not None:
            stream.flush()
            reconfigure(encoding=encoding, errors="replace")
        else:
            reconfigure(errors="replace")
