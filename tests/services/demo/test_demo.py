"""Demo data: valid and unique USCCs and names, townships of the county, three years of figures, all or nothing."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date

import pytest

from lvqi_desktop.errors import Cancelled
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models.search_keys import pinyin_keys
from lvqi_desktop.models.search_keys import sort_spelling
from lvqi_desktop.paths import DataDir
from lvqi_desktop.progress import SilentProgress
from lvqi_desktop.services.demo.service import DemoService
from lvqi_desktop.services.enterprises import EnterpriseFilter
from lvqi_desktop.validation.text import name_key
from lvqi_desktop.validation.uscc import check_uscc
from tests.conftest import open_services

TODAY = date(2026, 11, 26)
FIRST_YEAR, LAST_YEAR = 2023, 2025  # the last three complete years


def demo(services, count: int, seed: int = 7, progress=None):
    service = DemoService(services.db, services.office_info, today=lambda: TODAY)
    return service.generate(count, seed, progress or SilentProgress())


def rows_of(db_path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM enterprise ORDER BY id").fetchall()
    finally:
        conn.close()


def years_of(db_path) -> dict[int, list[sqlite3.Row]]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        out: dict[int, list[sqlite3.Row]] = {}
        for y in conn.execute("SELECT * FROM enterprise_year ORDER BY enterprise_id, year"):
            out.setdefault(y["enterprise_id"], []).append(y)
        return out
    finally:
        conn.close()


@pytest.fixture
def generated(services, data_dir):
    result = demo(services, 300)
    return services, data_dir, result


def test_usccs_are_valid_unique_and_registered_in_the_county(generated) -> None:
    services, data_dir, result = generated
    rows = rows_of(data_dir.database)
    assert result.enterprises == len(rows) == 300
    usccs = [r["uscc"] for r in rows]
    assert len(set(usccs)) == 300
    for code in usccs:
        assert check_uscc(code) == [], code  # no error and no 'outside 吕梁' warning
        assert code[2:8] == "141102"
        assert code[:2] in ("91", "93")  # company, or farmers' cooperative


def test_names_are_unique_plausible_and_townships_belong_to_the_county(generated) -> None:
    services, data_dir, _ = generated
    rows = rows_of(data_dir.database)
    assert len({name_key(r["name"]) for r in rows}) == len(rows)
    assert all(r["name"].endswith(("公司", "合作社")) and len(r["name"]) <= 100 for r in rows)
    assert all(r["name_key"] == name_key(r["name"]) for r in rows)
    townships = {c.code for c in services.reference.townships("141102")}
    assert {r["township_code"] for r in rows} <= townships
    assert len({r["township_code"] for r in rows}) > 5
    assert all(r["county_code"] == "141102" for r in rows)


def test_industries_are_weighted_towards_trade_industry_building_farming(generated) -> None:
    _, data_dir, _ = generated
    sections = Counter(r["industry_section"] for r in rows_of(data_dir.database))
    top = {s for s, _ in sections.most_common(5)}
    assert {"C", "F"} <= top
    assert len(sections) >= 10


def test_three_years_of_figures_and_mixed_size_classes(generated) -> None:
    _, data_dir, result = generated
    rows = rows_of(data_dir.database)
    years = years_of(data_dir.database)
    assert result.enterprise_years == sum(len(v) for v in years.values())
    older = [r for r in rows if date.fromisoformat(r["registered_on"]).year < FIRST_YEAR]
    assert len(older) > 200
    for r in older:
        ys = years[r["id"]]
        assert [y["year"] for y in ys] == [FIRST_YEAR, FIRST_YEAR + 1, LAST_YEAR]
        for y in ys:
            assert y["main_revenue_fen"] <= y["revenue_fen"]
            assert y["employees"] >= 1 and y["total_assets_fen"] > 0 and y["rd_expense_fen"] >= 0
        assert (r["latest_year"], r["latest_revenue_fen"], r["latest_employees"]) == (
            LAST_YEAR, ys[-1]["revenue_fen"], ys[-1]["employees"])
    assert any(y["net_profit_fen"] < 0 for ys in years.values() for y in ys)
    assert any(y["rd_expense_fen"] > 0 and y["ip_class1"] + y["ip_class2"] > 0 for ys in years.values() for y in ys)
    classes = Counter(r["size_class"] for r in rows)
    assert {"2", "3", "4"} <= set(classes) and classes["4"] > classes["3"] > classes["2"]
    assert sum(result.by_size_class.values()) == 300


def test_above_scale_firms_have_the_month_they_entered_statistics(generated) -> None:
    _, data_dir, result = generated
    above = [r for r in rows_of(data_dir.database) if r["above_scale"]]
    assert len(above) == result.above_scale > 0
    for r in above:
        assert r["four_above_category"] and r["above_scale_since"]
        year, month = map(int, r["above_scale_since"].split("-"))
        assert date(year, month, 28) >= date.fromisoformat(r["registered_on"]).replace(day=1)
        assert (year, month) <= (TODAY.year, TODAY.month)


def test_search_by_pinyin_initials_full_pinyin_and_uscc_finds_generated_names(generated) -> None:
    services, data_dir, _ = generated
    rows = rows_of(data_dir.database)
    for r in rows[:25]:
        initials, full = pinyin_keys(r["name"])
        assert r["name_initials"] == initials and r["name_pinyin"].replace(" ", "") == full
        assert r["name_pinyin"] == sort_spelling(r["name"])
        for text in (initials, full, r["uscc"][8:16].lower(), r["name"][-6:]):
            assert r["id"] in services.enterprises.matching_ids(EnterpriseFilter(search=text)), text


def test_generated_records_pass_the_register_rules_and_keep_their_derived_columns(generated) -> None:
    """Saving a demo record unchanged through EnterpriseService gives the same derived columns."""
    services, data_dir, _ = generated
    derived = ("name_key", "name_initials", "name_pinyin", "search_key", "size_class", "latest_year",
               "latest_revenue_fen", "latest_employees")
    before = {r["id"]: tuple(r[k] for k in derived) for r in rows_of(data_dir.database)}
    sample = sorted(before)[::10]
    for enterprise_id in sample:
        draft = services.enterprises.draft(enterprise_id)
        issues = services.enterprises.check(draft, enterprise_id)
        assert not [i for i in issues if i.blocking], (enterprise_id, issues)
        services.enterprises.save(draft, enterprise_id)
    after = {r["id"]: tuple(r[k] for k in derived) for r in rows_of(data_dir.database)}
    assert {i: after[i] for i in sample} == {i: before[i] for i in sample}


def _demo_elsewhere(folder, count: int, seed: int) -> list[sqlite3.Row]:
    """The rows `demo` writes into a new county office's database in `folder`."""
    data_dir = DataDir(folder)
    other = open_services(data_dir)
    try:
        other.office.set_up("county", "141102", "吕梁市离石区中小企业服务中心", "测试员")
        other.forget_office()
        demo(other, count, seed=seed)
    finally:
        other.db.dispose()
    return rows_of(data_dir.database)


def test_same_seed_gives_the_same_data(services, data_dir, tmp_path) -> None:
    demo(services, 120, seed=42)
    keys = ("uscc", "name", "township_code", "industry_class", "registered_on", "contact_phone", "size_class",
            "latest_revenue_fen")
    first = [tuple(r[k] for k in keys) for r in rows_of(data_dir.database)]
    second = [tuple(r[k] for k in keys) for r in _demo_elsewhere(tmp_path / "other", 120, seed=42)]
    assert first == second
    assert [tuple(r[k] for k in keys) for r in _demo_elsewhere(tmp_path / "third", 120, seed=43)] != first


def test_a_second_run_adds_more_without_clashing(services, data_dir) -> None:
    demo(services, 150, seed=1)
    demo(services, 150, seed=1)  # same seed: the same draws must step around what exists
    rows = rows_of(data_dir.database)
    assert len(rows) == 300
    assert len({r["uscc"] for r in rows}) == 300
    assert len({r["name_key"] for r in rows}) == 300
    assert len({r["uuid"] for r in rows}) == 300


def test_city_edition_spreads_over_all_thirteen_counties(blank_services, data_dir) -> None:
    blank_services.office.set_up("city", None, "吕梁市中小企业服务中心", "市中心")
    blank_services.forget_office()
    result = demo(blank_services, 600)
    assert len(result.by_county) == 13
    assert result.by_county["141181"] > result.by_county["141126"]  # 孝义 is busier than 石楼
    townships = {c.code: c for c in blank_services.reference.townships()}
    county_of = {t.code: t.code[:6] for t in townships.values()}
    for r in rows_of(data_dir.database):
        assert r["uscc"][2:8] == r["county_code"] == county_of[r["township_code"]]


def test_the_batch_is_recorded_once_under_the_operator(generated) -> None:
    _, data_dir, _ = generated
    conn = sqlite3.connect(data_dir.database)
    try:
        rows = conn.execute("SELECT operator, action, summary FROM change_record WHERE summary LIKE '生成演示数据%'"
                            ).fetchall()
    finally:
        conn.close()
    assert rows == [("测试员", "batch", "生成演示数据：300 家企业（随机种子 7）")]


class CancelAfter(SilentProgress):
    def __init__(self, updates: int) -> None:
        super().__init__()
        self.left = updates
        self.seen: list[tuple[int, int]] = []

    def update(self, done: int, total: int, message: str = "") -> None:
        self.seen.append((done, total))
        self.left -= 1
        if self.left <= 0:
            self.cancel_event.set()


def test_cancel_mid_way_leaves_nothing(services, data_dir) -> None:
    progress = CancelAfter(2)  # cancelled after the first chunk was inserted
    with pytest.raises(Cancelled):
        demo(services, 5000, progress=progress)
    assert progress.seen[:2] == [(0, 5000), (2000, 5000)]
    assert services.enterprises.counts() == (0, 0)
    conn = sqlite3.connect(data_dir.database)
    try:
        assert conn.execute("SELECT count(*) FROM enterprise_year").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM change_record WHERE action='batch'").fetchone()[0] == 0
    finally:
        conn.close()


@pytest.mark.parametrize("count", [0, -5, 200_001])
def test_count_out_of_range_is_refused(services, count) -> None:
    with pytest.raises(ValidationFailed, match="演示企业数量应在 1 到 200000 之间"):
        demo(services, count)
    assert services.enterprises.counts() == (0, 0)


def test_refused_before_the_office_is_set_up(blank_services) -> None:
    with pytest.raises(LvqiError, match="还没有设置所属单位"):
        demo(blank_services, 10)
