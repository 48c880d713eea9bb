"""How a command group is declared: a parser of its own whose sub-command, required, lands in `<name>_command`."""

from __future__ import annotations

import argparse

Subcommands = argparse._SubParsersAction  # what add_subparsers returns: each sub-command is added to it


def command_group(sub: Subcommands[argparse.ArgumentParser], name: str, help_text: str,
                  description: str | None = None, *, metavar: str = "SUBCOMMAND") -> Subcommands[argparse.ArgumentParser]:
    """`lvqi <name> …`: the group's parser under `sub`, and the sub-commands it takes (one must be given; it is
    in `args.<name>_command`)."""
    group = sub.add_parser(name, help=help_text, description=description)
    return group.add_subparsers(dest=f"{name}_command", required=True, metavar=metavar)
