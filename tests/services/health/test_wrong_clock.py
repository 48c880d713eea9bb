"""A clock set back (a dead CMOS battery, 2009-01-01): warned about at start-up, backups and the weekly check
go on, and the GUI asks before anything is dated from it. The clock is moved with time-machine."""

from __future__ import annotations

from datetime import datetime

import time_machine

from lvqi_desktop.services.clock_check import ClockCheck
from lvqi_desktop.services.db_health import HealthService
from lvqi_desktop.services.enterprises import EnterpriseDraft
from tests.cli.conftest import cli  # noqa: F401 - fixtures: the CLI run in-process
from tests.cli.conftest import county_cli  # noqa: F401 - fixtures: the CLI run in-process
from tests.conftest import make_uscc
from tests.ui.conftest import told  # noqa: F401 - fixture: messages recorded
from tests.ui.window.test_app_start import first_run  # noqa: F401 - fixture: set-up answered

DEAD_BATTERY = datetime(2009, 1, 1, 8, 0)


def _used_today(services) -> None:
    services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=90), name="吕梁时钟有限公司"))
    services.backups.backup("manual")
    HealthService(services.data_dir, services.db).run_full_check()


def test_a_clock_set_back_is_noticed_and_backups_and_checks_go_on(services) -> None:
    _used_today(services)
    assert ClockCheck(services.data_dir, services.db).behind() is None
    with time_machine.travel(DEAD_BATTERY, tick=False):
        warning = ClockCheck(services.data_dir, services.db).behind()
        assert warning is not None and "2009-01-01" in warning and "校正时钟" in warning
        assert services.backups.backup_if_due() is not None  # a backup "from the future" does not stop them
        assert HealthService(services.data_dir, services.db).full_check_due()
    assert len(services.backups.list_backups()) == 2


def test_the_cli_warns_on_every_command(county_cli) -> None:  # noqa: F811
    assert county_cli("enterprise", "add", "--uscc", make_uscc(seed=91), "--name", "吕梁时钟乙有限公司").code == 0
    with time_machine.travel(DEAD_BATTERY, tick=False):
        ran = county_cli("enterprise", "list")
    assert ran.code == 0 and "提示：电脑的日期现在是 2009-01-01" in ran.err


def test_the_gui_asks_before_dating_records_from_that_clock(qtbot, services, first_run, told,  # noqa: F811
                                                            monkeypatch) -> None:
    from lvqi_desktop import app
    from lvqi_desktop.ui import messages

    _used_today(services)
    services.db.dispose()
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: told.append(("confirm", text)) and False)
    with time_machine.travel(DEAD_BATTERY, tick=False):
        window, code = app.start_gui(services.data_dir)
    assert window is None and code == 0
    assert [k for k, _ in told] == ["confirm"] and "2009-01-01" in told[0][1] and "仍要按现在的日期继续使用吗" in told[0][1]


def test_a_clock_a_few_hours_off_is_not_worth_a_warning_but_a_day_back_is(fixed_clock, services) -> None:
    fixed_clock.set(datetime(2026, 6, 15, 9, 0))
    services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=92), name="吕梁时钟丙有限公司"))
    fixed_clock.set(datetime(2026, 6, 15, 0, 0))  # nine hours back: a time zone, not a dead battery
    assert ClockCheck(services.data_dir, services.db).behind() is None
    fixed_clock.set(datetime(2026, 6, 14, 9, 0))
    warning = ClockCheck(services.data_dir, services.db).behind()
    assert warning is not None and "2026-06-14" in warning and "最近一次修改记录（2026-06-15 09:00）" in warning


def test_a_backup_newer_than_the_clock_is_noticed_and_the_start_up_backup_still_made(fixed_clock, services) -> None:
    fixed_clock.set(datetime(2026, 6, 10, 9, 0))
    services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=93), name="吕梁时钟丁有限公司"))
    fixed_clock.set(datetime(2026, 6, 20, 9, 0))
    services.backups.backup("manual")
    fixed_clock.set(datetime(2026, 6, 18, 9, 0))
    warning = ClockCheck(services.data_dir, services.db).behind()
    assert warning is not None and "最新的备份（2026-06-20 09:00）" in warning and "自动备份照常进行" in warning
    made = services.backups.backup_if_due()
    assert made is not None and len(services.backups.list_backups()) == 2
