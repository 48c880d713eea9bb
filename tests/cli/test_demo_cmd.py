"""`lvqi demo`, real runs of `python -m lvqi_desktop.cli` in a child process, and interrupting one."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest


def test_demo_prints_a_summary(county_cli) -> None:
    ran = county_cli("demo", "--enterprises", "60", "--seed", "3")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("已生成演示企业 60 家、年度数据 ")
    assert "随机种子 3。" in ran.out and "规模" in ran.out and "小型" in ran.out
    assert county_cli.count() == 60


def test_demo_json(county_cli) -> None:
    ran = county_cli("demo", "--enterprises", "80", "--seed", "3", "--format", "json")
    assert ran.code == 0, ran.err
    out = ran.json()
    assert (out["enterprises"], out["seed"]) == (80, 3)
    assert out["enterprise_years"] == county_cli.count("enterprise_year")
    assert out["by_county"] == [{"county_code": "141102", "county_label": "离石区", "count": 80}]
    sizes = {s["size_class"]: (s["size_class_label"], s["count"]) for s in out["by_size_class"]}
    assert sum(n for _, n in sizes.values()) == 80
    assert sizes["4"][0] == "微型" and sizes["3"][0] == "小型"


def test_demo_with_activity_fills_helpers_visits_and_demands(county_cli) -> None:
    out = county_cli("demo", "--enterprises", "130", "--seed", "4", "--activity", "--format", "json").json()
    activity = out["activity"]
    assert {k: activity[k] for k in ("helpers", "assignments", "visits", "demands")} == {
        "helpers": 5, "assignments": 10, "visits": 120, "demands": 40}
    assert activity["pool_records"] >= 30 and activity["targets"] == 15 and activity["bases"] >= 2
    bases = county_cli("base", "list", "--format", "json").json()["items"]
    assert len(bases) == activity["bases"] and all(b["name"].startswith("离石区") for b in bases)
    assert activity["monitoring_reports"] > 10 * 24 * 0.85
    assert (county_cli.count("visit"), county_cli.count("demand")) == (120, 40)
    listed = county_cli("demand", "list", "--format", "json").json()
    assert listed["count"] == 40 and all(d["number"].startswith("141102-") for d in listed["items"])


def test_demo_city_edition_covers_every_county(cli) -> None:
    assert cli("init", "--city").code == 0
    out = cli("demo", "--enterprises", "400", "--seed", "2", "--format", "json").json()
    assert len(out["by_county"]) == 13
    listed = cli("enterprise", "list", "--county", "石楼县", "--format", "json").json()
    assert listed["count"] == next(c["count"] for c in out["by_county"] if c["county_label"] == "石楼县")
    assert {i["county_code"] for i in listed["items"]} == {"141126"}


def test_demo_is_recorded_under_the_operator(county_cli) -> None:
    assert county_cli("demo", "--enterprises", "5", "--seed", "1").code == 0
    county_cli.add_operator("李四")
    assert county_cli("demo", "--enterprises", "5", "--seed", "2", operator="李四").code == 0
    conn = sqlite3.connect(county_cli.database)
    try:
        ops = [r[0] for r in conn.execute("SELECT operator FROM change_record WHERE action='batch' ORDER BY id")]
    finally:
        conn.close()
    assert ops == ["张三", "李四"]  # the default preparer, then --operator


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--enterprises", "0"], 1, "演示企业数量应在 1 到 200000 之间，现在是 0"),
    (["--enterprises", "abc"], 2, "invalid int value"),
    ([], 2, "--enterprises"),
])
def test_demo_refuses_bad_counts(county_cli, args, code, message) -> None:
    ran = county_cli("demo", *args)
    assert ran.code == code and message in ran.err
    assert county_cli.count() == 0


def test_demo_before_init_is_refused(cli) -> None:
    ran = cli("demo", "--enterprises", "5")
    assert ran.code == 1
    assert "本数据文件夹还没有设置所属单位" in ran.err


def _lvqi(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lvqi_desktop.cli", "--data-dir", str(root), *args],
                          capture_output=True, text=True, timeout=120, encoding="utf-8")


def test_python_dash_m_runs_the_command_line_end_to_end(tmp_path) -> None:
    root = tmp_path / "data"
    first = _lvqi(root, "init", "--county", "141182", "--preparer", "赵六")
    assert first.returncode == 0, first.stderr
    assert "汾阳市" in first.stdout
    demo = _lvqi(root, "demo", "--enterprises", "150", "--seed", "9", "--format", "json")
    assert demo.returncode == 0, demo.stderr
    assert json.loads(demo.stdout)["enterprises"] == 150
    listed = _lvqi(root, "enterprise", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    out = json.loads(listed.stdout)
    assert out["count"] == 150 and all(i["uscc"][2:8] == "141182" for i in out["items"])
    refused = _lvqi(root, "enterprise", "add", "--uscc", "123", "--name", "甲有限公司")
    assert refused.returncode == 1
    assert "统一社会信用代码应为18位，现在是3位" in refused.stderr and refused.stdout == ""
    usage = _lvqi(root, "enterprise", "list", "--size", "9")
    assert usage.returncode == 2


@pytest.mark.slow
@pytest.mark.parametrize("how", ["sigint", "sigkill"])
def test_interrupting_a_demo_run_leaves_nothing(tmp_path, how) -> None:
    """Ctrl-C (exit 130, Chinese message) or a hard kill while rows are being written: no row survives."""
    root = tmp_path / "data"
    assert _lvqi(root, "init", "--county", "141124").returncode == 0
    child = subprocess.Popen(
        [sys.executable, "-m", "lvqi_desktop.cli", "--data-dir", str(root), "demo", "--enterprises", "65000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    wal = root / "lvqi.sqlite3-wal"
    deadline = time.monotonic() + 90
    while child.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 2_000_000:  # well into the transaction
            break
        time.sleep(0.05)
    assert child.poll() is None, "the run ended before it could be interrupted"
    child.send_signal(signal.SIGINT if how == "sigint" else signal.SIGKILL)
    _out, err = child.communicate(timeout=60)
    if how == "sigint":
        assert child.returncode == 130
        assert "已中断：未完成的操作没有写入任何数据。" in err
    else:
        assert child.returncode == -signal.SIGKILL
    conn = sqlite3.connect(root / "lvqi.sqlite3")
    try:
        assert conn.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM enterprise_year").fetchone()[0] == 0
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    check = _lvqi(root, "check")
    assert check.returncode == 0, check.stderr


def test_demo_activity_fills_every_pool_and_the_county_targets(services) -> None:
    """Issue 17 item 4 (part): records in all four pools at every tier and status the rules allow, entered over
    three years; the county's own targets for this year and the two before."""
    from lvqi_desktop import clock
    from lvqi_desktop.services.demo.cultivation import generate_cultivation
    from lvqi_desktop.services.enterprises import EnterpriseFilter

    services.demo.generate(200, 9)
    counts = generate_cultivation(services.cultivation, services.enterprises.matching_ids(EnterpriseFilter()),
                                  "141102", clock.today(), 9)
    records = services.cultivation.pools.list_records()
    assert counts.records == len(records) >= 30
    assert {r.pool for r in records} == {"scale_up", "srdi", "share_reform", "listing_reserve"}
    assert len({(r.pool, r.status) for r in records}) >= 12 and len({r.tier for r in records if r.tier}) >= 6
    this_year = clock.today().year
    mine = services.cultivation.targets.progress(scope="141102")
    assert {r.year for r in mine} == {this_year - 2, this_year - 1, this_year} and not any(r.reference for r in mine)


def test_demo_activity_is_the_same_for_the_same_seed(county_cli, tmp_path) -> None:
    from tests.cli.conftest import Cli

    again = Cli(tmp_path / "again", county_cli._capsys)
    again("init", "--county", "141102", "--preparer", "张三")
    runs = []
    for cli in (county_cli, again):
        cli("demo", "--enterprises", "150", "--seed", "9", "--activity")
        runs.append(sorted((p["uscc"], p["tier"], p["status"])
                           for p in cli("pool", "list", "--pool", "srdi", "--format", "json").json()["items"]))
    assert runs[0] == runs[1] and len(runs[0]) >= 8


def test_the_demo_fills_the_pools_monitoring_and_bases_pages(county_cli, qtbot) -> None:
    """lvqi demo --enterprises 500 --activity: 梯度培育库 (every pool), 运行监测 and 双创基地 open non-empty."""
    from lvqi_desktop.paths import DataDir
    from lvqi_desktop.ui.bases_page import BasesPage
    from lvqi_desktop.ui.monitoring.page import MonitoringPage
    from lvqi_desktop.ui.pools.page import PoolsPage
    from tests.conftest import open_services

    assert county_cli("demo", "--enterprises", "500", "--seed", "3", "--activity").code == 0
    services = open_services(DataDir(county_cli.root))
    try:
        pools, monitoring, bases = PoolsPage(services), MonitoringPage(services), BasesPage(services)
        for page in (pools, monitoring, bases):
            qtbot.addWidget(page)
            page.show()
            page.on_shown()
        for tab in pools.pool_tabs:  # a tab loads when it is shown
            pools.tabs.setCurrentWidget(tab)
            qtbot.waitUntil(lambda t=tab: bool(t.model.all_rows()))
        qtbot.waitUntil(lambda: bool(bases.bases.model.all_rows()))
        qtbot.waitUntil(lambda: monitoring.model.rowCount() >= 10)
        progress = pools.progress_tab
        pools.tabs.setCurrentWidget(progress)
        qtbot.waitUntil(lambda: any(not r.reference for r in progress.model.all_rows()))
    finally:
        services.db.dispose()
