"""The list of command groups; each module adds its sub-commands through a `register` function."""

from __future__ import annotations

from lvqi_desktop.cli import (
    backup_cmd,
    base_cmd,
    demands_cmd,
    demo_cmd,
    enterprise_cmd,
    helpers_cmd,
    history_cmd,
    import_cmd,
    key_cmd,
    kpi_cmd,
    monitor_cmd,
    operator_cmd,
    package_cmd,
    pool_cmd,
    report_cmd,
    server_cmd,
    setup_cmd,
    visits_cmd,
)

REGISTRARS = [setup_cmd.register, enterprise_cmd.register, base_cmd.register, demo_cmd.register, history_cmd.register,
              backup_cmd.register, helpers_cmd.register, visits_cmd.register, demands_cmd.register, kpi_cmd.register,
              pool_cmd.register, report_cmd.register, import_cmd.register,
              package_cmd.register, key_cmd.register, monitor_cmd.register, operator_cmd.register,
              server_cmd.register]
