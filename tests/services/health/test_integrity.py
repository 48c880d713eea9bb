"""The integrity check: a healthy file passes; damage, broken references and a missing office are named."""

from __future__ import annotations

import sqlite3

from lvqi_desktop.services.enterprises import EnterpriseDraft
from tests.conftest import make_uscc
from tests.conftest import open_services


def test_a_healthy_database_passes_with_counts(services, data_dir) -> None:
    services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=1), name="甲有限公司", township_code="141102001"))
    archived = services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=2), name="乙有限公司")).id
    services.enterprises.archive(archived)
    report = services.integrity.check()
    assert report.ok and report.problems == []
    assert report.counts == {"enterprises": 1, "archived_enterprises": 1, "enterprise_years": 0, "operators": 1}
    assert report.schema_revision == report.head_revision
    assert report.min_program_version
    assert (report.office_kind, report.office_county_code) == ("county", "141102")
    assert report.database == data_dir.database and report.database_bytes > 0
    assert report.integrity_messages == [] and report.foreign_key_problems == 0


def test_no_office_is_a_problem(blank_services) -> None:
    report = blank_services.integrity.check()
    assert not report.ok
    assert report.problems == ["尚未设置本单位。请先运行：lvqi init --county 县区代码（或 --city）。"]


def _raw(data_dir, *statements: str) -> None:
    conn = sqlite3.connect(data_dir.database)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def _checked_again(data_dir):
    """The integrity report of the database as a fresh start of the program finds it."""
    again = open_services(data_dir)
    try:
        return again.integrity.check()
    finally:
        again.db.dispose()


def test_broken_references_and_misplaced_townships_are_found(services, data_dir) -> None:
    saved = services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=3), name="丙有限公司",
                                                      township_code="141102001"))
    services.db.dispose()
    _raw(data_dir,
         f"UPDATE enterprise SET township_code='141181100' WHERE id={saved.id}",  # a 孝义 township
         "INSERT INTO enterprise_year (enterprise_id, year, uuid, created_at, updated_at) "
         "VALUES (9999, 2025, 'u-1', '2026-01-01', '2026-01-01')")
    report = _checked_again(data_dir)
    assert not report.ok
    assert report.foreign_key_problems == 1
    assert "外键检查发现 1 行记录引用了不存在的数据（表：enterprise_year）。" in report.problems
    assert "有 1 家企业所填乡镇（街道）不属于其所属县（市、区）。" in report.problems


def test_enterprise_of_another_county_in_a_county_office_is_found(services, data_dir) -> None:
    saved = services.enterprises.save(EnterpriseDraft(uscc=make_uscc(seed=4), name="丁有限公司"))
    _raw(data_dir, f"UPDATE enterprise SET county_code='141181' WHERE id={saved.id}")
    report = services.integrity.check()
    assert "本机为县级单位，但有 1 家企业登记在其他县（市、区）名下。" in report.problems


def test_a_damaged_page_is_reported_not_raised(services, data_dir) -> None:
    services.demo.generate(200, seed=1)
    services.db.dispose()
    conn = sqlite3.connect(data_dir.database)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='ix_enterprise_name_key'").fetchone()[0]
    finally:
        conn.close()
    with open(data_dir.database, "r+b") as fh:
        fh.seek((root - 1) * page_size + 8)
        fh.write(b"\xff" * 200)
    report = _checked_again(data_dir)
    assert not report.ok
    assert report.integrity_messages
    assert any("文件可能已损坏" in p or "处损坏" in p for p in report.problems)
    assert all("请从 backups 文件夹中的备份恢复" in p for p in report.problems if "损坏" in p)
