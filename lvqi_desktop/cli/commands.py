"""The list of command groups; each module adds its sub-commands through a `register` function."""

from __future__ import annotations

from lvqi_desktop.cli import enterprise_cmd, setup_cmd

REGISTRARS = [setup_cmd.register, enterprise_cmd.register]
