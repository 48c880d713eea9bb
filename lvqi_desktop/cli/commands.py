"""The list of command groups; each module adds its sub-commands through a `register` function."""

from __future__ import annotations

from lvqi_desktop.cli import backup_cmd
from lvqi_desktop.cli import base_cmd
from lvqi_desktop.cli import demands_cmd
from lvqi_desktop.cli import demo_cmd
from lvqi_desktop.cli import enterprise_cmd
from lvqi_desktop.cli import helpers_cmd
from lvqi_desktop.cli import history_cmd
from lvqi_desktop.cli import import_cmd
from lvqi_desktop.cli import key_cmd
from lvqi_desktop.cli import kpi_cmd
from lvqi_desktop.cli import monitor_cmd
from lvqi_desktop.cli import operator_cmd
from lvqi_desktop.cli import package_cmd
from lvqi_desktop.cli import pool_cmd
from lvqi_desktop.cli import report_cmd
from lvqi_desktop.cli import server_cmd
from lvqi_desktop.cli import setup_cmd
from lvqi_desktop.cli import visits_cmd

REGISTRARS = [setup_cmd.register, enterprise_cmd.register, base_cmd.register, demo_cmd.register, history_cmd.register,
              backup_cmd.register, helpers_cmd.register, visits_cmd.register, demands_cmd.register, kpi_cmd.register,
              pool_cmd.register, report_cmd.register, import_cmd.register,
              package_cmd.register, key_cmd.register, monitor_cmd.register, operator_cmd.register,
              server_cmd.register]
