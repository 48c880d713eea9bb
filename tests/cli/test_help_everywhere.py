"""Every command's --help prints (no bare % in a help text) and no sub-command reuses a global option's name."""

from __future__ import annotations

import argparse

import pytest

from lvqi_desktop.cli import build_parser
from lvqi_desktop.cli import main


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _commands(child, path + (name,))
    return found


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _parsers(child)
    return found


COMMANDS = _commands(build_parser())


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "lvqi")
def test_help_of_every_command_prints(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*path, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "usage: lvqi" in out


def test_there_are_many_commands() -> None:
    assert ("monitor", "add") in COMMANDS and ("base", "add") in COMMANDS and len(COMMANDS) > 40


# `history --operator NAME` filters the listing by person: it reads, and its value lands in its own dest
FILTERS_NAMED_LIKE_A_GLOBAL = {("lvqi history", "--operator")}


def test_no_sub_command_option_shadows_a_global_option() -> None:
    top = build_parser()
    globals_ = {s for a in top._actions for s in a.option_strings} - {"-h", "--help"}
    dests = {a.dest for a in top._actions if a.option_strings} - {"help"}
    for parser in _parsers(top)[1:]:
        for action in parser._actions:
            shared = {(parser.prog, s) for s in set(action.option_strings) & globals_}
            assert shared <= FILTERS_NAMED_LIKE_A_GLOBAL, shared
            assert action.dest not in dests, (parser.prog, action.dest)
