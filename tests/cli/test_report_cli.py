"""`lvqi report list` and `lvqi report … --period … --format … --out …` (exit codes and Chinese messages)."""

from __future__ import annotations

import json

from lvqi_desktop.cli import main


def test_list_as_json(services, capsys) -> None:
    root = str(services.data_dir.root)
    assert main(["--data-dir", root, "report", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["count"] == len(listed["items"]) == len(services.returns.catalogue())
    assert {"pool_summary", "demand_ledger", "monitoring_summary", "incubation_bases"} <= {i["id"] for i in listed["items"]}
    first = listed["items"][0]
    assert first["id"] == "pool_summary" and first["title"] == "梯度培育企业汇总表"
    assert first["period_kinds"] == ["quarter", "year"] and first["periods_label"] == "季、年"


def test_list_as_table(services, capsys) -> None:
    assert main(["--data-dir", str(services.data_dir.root), "report", "list"]) == 0
    assert "专精特新企业培育库台账" in capsys.readouterr().out


def test_export_prints_the_paths(services, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code = main(["--data-dir", str(services.data_dir.root), "report", "demand_ledger", "srdi_ledger",
                 "--period", "2026-10", "--format", "xlsx", "--out", str(out), "--preparer", "王五"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.strip().endswith("报表（2026年10月）.xlsx")
    assert "已导出2026年10月报表 2 张" in captured.err
    assert len(list(out.iterdir())) == 1


def test_bad_period_and_unwritable_target_exit_1(services, tmp_path, capsys) -> None:
    root = str(services.data_dir.root)
    assert main(["--data-dir", root, "report", "demand_ledger", "--period", "2026Q9", "--format", "xlsx",
                 "--out", str(tmp_path)]) == 1
    assert "错误：期别“2026Q9”无法识别" in capsys.readouterr().err
    assert main(["--data-dir", root, "report", "demand_ledger", "--period", "2099", "--format", "pdf",
                 "--out", str(tmp_path)]) == 1
    assert "尚未开始" in capsys.readouterr().err
    assert main(["--data-dir", root, "report", "demand_ledger", "--period", "2026Q3", "--format", "xlsx",
                 "--out", str(tmp_path / "没有这个U盘")]) == 1
    assert "不存在（U盘是否已拔出？）" in capsys.readouterr().err
    assert main(["--data-dir", root, "report", "demand_ledger", "--period", "2026Q3", "--format", "doc",
                 "--out", str(tmp_path)]) == 1
    assert "xlsx、pdf" in capsys.readouterr().err
