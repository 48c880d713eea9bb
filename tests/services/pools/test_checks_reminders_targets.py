"""检查全部, the gap report, reminders on a fixed date, and target progress against hand counts."""

from __future__ import annotations

import json
from datetime import date

import pytest

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.services.tier_check import TierInputDraft
from tests.services.pools.conftest import STRONG
from tests.services.pools.conftest import STRONG_INPUT


def test_gap_report_and_check_all(cult, add_firm):
    strong = add_firm("强企科技有限公司", years=STRONG)
    cult.checks.save_tier_inputs(strong, [STRONG_INPUT])
    rid = cult.pools.add_to_pool(strong, RecordDraft(pool="srdi", tier="srdi_provincial", rule_set="2022"))
    report = cult.checks.gap_report(rid)
    assert report.assessment.state == "met" and report.tier == "srdi_provincial"
    s3 = next(c for c in report.assessment.conditions if c.code == "S3")
    assert s3.figures[0].value_text == "10,000.00万元" and s3.figures[0].year == "2025"
    assert "63号" in s3.source
    thin = add_firm("缺数企业", years={2025: dict(revenue="3000", employees="50")})
    cult.pools.add_to_pool(thin, RecordDraft(pool="srdi", tier="srdi_provincial", rule_set="2022"))
    candidate = add_firm("升规候选", years={2025: dict(revenue="2600", main_revenue="2500", employees="80")})
    cult.pools.add_to_pool(candidate, RecordDraft(pool="scale_up"))
    outside = add_firm("未入库达标", years={2025: dict(revenue="2100", main_revenue="2000", employees="80")})
    add_firm("差一点", years={2025: dict(revenue="2100", main_revenue="1999.99", employees="80")})
    add_firm("已规上", years={2025: dict(revenue="3000", main_revenue="3000", employees="80")},
             above_scale=True, above_scale_since="2024-01")
    add_firm("零售达标", section="F", industry_class="5211", years={2025: dict(main_revenue="500", revenue="500")})
    rows = cult.checks.check_all()
    by_name = {r.name: r for r in rows}
    assert by_name["强企科技有限公司"].outcome == "meets"
    assert by_name["缺数企业"].outcome == "missing_data" and "从事特定细分市场年限" in by_name["缺数企业"].missing
    assert by_name["升规候选"].outcome == "meets" and by_name["升规候选"].record_id is not None
    assert by_name["未入库达标"].pool_label == "（未入库）" and by_name["未入库达标"].enterprise_id == outside
    assert by_name["零售达标"].outcome == "meets"
    assert "差一点" not in by_name and "已规上" not in by_name
    assert rows[0].outcome == "meets"


def test_held_title_is_checked_against_the_next_tier_with_conditions(cult, add_firm):
    firm = add_firm(years=STRONG)
    cult.checks.save_tier_inputs(firm, [STRONG_INPUT])
    rid = cult.pools.add_to_pool(firm, RecordDraft(pool="srdi", tier="srdi_provincial", status="valid",
                                                   recognized_on="2025-03-01", document_no="晋〔2025〕1号"))
    report = cult.checks.gap_report(rid)
    assert report.tier == "little_giant_national"  # 省级小巨人 has no conditions yet
    assert next(c for c in report.assessment.conditions if c.code == "L0").state == "met"
    cid = cult.checks.save_condition("2022", "little_giant_provincial", "营业收入不低于5000万元", "revenue_wan", "ge",
                                     "5000")
    assert cult.checks.gap_report(rid).tier == "little_giant_provincial"
    assert cult.checks.conditions("2022", "little_giant_provincial")[0].test_text == "营业收入 ≥ 5000.0万元"
    with pytest.raises(ValidationFailed):
        cult.checks.remove_condition(cult.checks.conditions("2022", "srdi_provincial")[0].id)
    cult.checks.remove_condition(cid)
    assert cult.checks.conditions("2022", "little_giant_provincial") == []


def test_tier_inputs_round_trip_and_refusals(cult, add_firm):
    firm = add_firm()
    cult.checks.save_tier_inputs(firm, [STRONG_INPUT])
    back = cult.checks.tier_inputs(firm)[0]
    assert (back.market_share, back.rd_institution_level, back.quality_cert) == ("15", "provincial", "是")
    with pytest.raises(ValidationFailed) as err:
        cult.checks.save_tier_inputs(firm, [TierInputDraft(year=2025, market_share="120", own_brand="也许")])
    assert "0 到 100" in str(err.value) and "“是”或“否”" in str(err.value)
    assert cult.checks.tier_inputs(firm)[0].market_share == "15"


def test_scale_up_gap_report(cult, add_firm):
    firm = add_firm(years={2024: dict(revenue="1500", main_revenue="1400"), 2025: dict(revenue="1900",
                                                                                      main_revenue="1800")})
    report = cult.checks.gap_report(enterprise_id=firm, pool="scale_up")
    assert report.readiness.state == "not_met" and report.readiness.year == 2025
    assert report.readiness.gap_wan == pytest.approx(200.0)


def test_reminders_on_a_fixed_date(cult, add_firm):
    soon = cult.pools.add_to_pool(add_firm("快到期"), RecordDraft(
        pool="srdi", tier="srdi_provincial", status="valid", recognized_on="2023-05-01", document_no="A"))
    cult.pools.add_to_pool(add_firm("还早"), RecordDraft(
        pool="srdi", tier="srdi_provincial", status="valid", recognized_on="2023-12-01", document_no="B",
        info_updated_on="2026-01-15"))
    quiet = cult.pools.add_to_pool(add_firm("久未跟进"), RecordDraft(pool="scale_up", entered_on="2025-12-01"))
    followed = cult.pools.add_to_pool(add_firm("刚跟进"), RecordDraft(pool="scale_up", entered_on="2025-12-01"))
    cult.pools.record_follow_up(followed, "2026-02-01")
    add_firm("规上未入统", years={2025: dict(revenue="2500", main_revenue="2400")})
    got = {(r.kind, r.name) for r in cult.reminders.reminders(date(2026, 3, 15))}
    assert ("title_expiring", "快到期") in got and ("title_expiring", "还早") not in got  # 2026-05-01 vs 2026-12-01
    assert ("annual_update", "快到期") in got and ("annual_update", "还早") not in got
    assert ("no_follow_up", "久未跟进") in got and ("no_follow_up", "刚跟进") not in got
    assert ("above_line_not_entered", "规上未入统") in got
    early = {(r.kind, r.name) for r in cult.reminders.reminders(date(2026, 2, 1))}
    assert ("annual_update", "快到期") not in early  # the window opens 90 days before 05-31
    row = next(r for r in cult.reminders.reminders(date(2026, 3, 15)) if r.record_id == soon
               and r.kind == "title_expiring")
    assert row.days == 47 and row.kind_label == "称号即将到期"
    assert quiet


def test_target_progress_against_hand_counts(cult, add_firm):
    def titled(name: str, tier: str, **kw: str) -> int:
        firm = add_firm(name)
        cult.pools.add_to_pool(firm, RecordDraft(pool="srdi", tier=tier, status="valid", **kw))
        return firm
    a = titled("甲", "srdi_provincial", recognized_on="2024-03-01", document_no="1")
    titled("乙", "srdi_provincial", recognized_on="2024-06-01", document_no="2")
    c = titled("丙", "little_giant_national", recognized_on="2025-07-01", document_no="3",
               prerequisite_valid_until="2026-06-01")
    titled("丁（2026年认定，不计入2025）", "srdi_provincial", recognized_on="2026-02-01", document_no="4")
    cult.pools.add_to_pool(a, RecordDraft(pool="listing_reserve", tier="basic", listing_venue="equity_center"))
    cult.pools.add_to_pool(c, RecordDraft(pool="listing_reserve", tier="neeq_reserve", listing_venue="neeq_basic"))
    city = cult.targets.progress(year=2025)  # the city plan's 2025 targets: shown for reference, never judged
    assert city and all(r.reference and r.scope_label == "全市目标（参考）" and r.achieved is None for r in city)
    for metric in ("tier:srdi_provincial", "tier:little_giant_provincial", "tier:little_giant_national",
                   "srdi_display_share", "little_giant_listed"):
        cult.targets.save_target("141102", metric, 2025, "120" if metric == "tier:srdi_provincial" else "5")
    rows = {r.metric: r for r in cult.targets.progress(scope="141102", year=2025)}
    assert not any(r.reference for r in rows.values())
    prov = rows["tier:srdi_provincial"]
    assert (prov.target, prov.achieved, prov.gap, prov.percent) == (120, 3.0, 117.0, 2.5)
    assert rows["tier:little_giant_provincial"].achieved == 1.0
    assert rows["tier:little_giant_national"].achieved == 1.0
    assert rows["srdi_display_share"].achieved == pytest.approx(66.7)
    assert rows["little_giant_listed"].achieved == 1.0
    tid = cult.targets.save_target("141102", "tier:srdi_provincial", 2027, "10")
    assert cult.targets.save_target("141102", "tier:srdi_provincial", 2027, "12") == tid
    mine = [r for r in cult.targets.progress(scope="141102") if r.year == 2027]
    assert [(r.year, r.target, r.achieved) for r in mine] == [(2027, 12, 4.0)]
    with pytest.raises(ValidationFailed) as err:
        cult.targets.save_target("141100", "tier:srdi_provincial", 2030, "200")
    assert "全市目标由市中心设置" in str(err.value)
    cult.targets.remove_target(tid, "重新测算")
    assert [t.year for t in cult.targets.list_targets(scope="141102")] == [2025] * 5


def test_cli_pool_add_list_check(fixed_clock, services, add_firm, capsys):  # 2025 is last year; set up on that clock
    from lvqi_desktop.cli import main
    firm = add_firm("命令行企业", years={2025: dict(revenue="2600", main_revenue="2500")})
    uscc = services.enterprises.draft(firm).uscc
    root = str(services.data_dir.root)
    assert main(["--data-dir", root, "pool", "add", "--uscc", uscc, "--pool", "srdi", "--tier", "省级专精特新中小企业"]) == 0
    assert main(["--data-dir", root, "pool", "add", "--uscc", uscc, "--pool", "srdi", "--tier", "innovative_sme"]) == 1
    assert "不能重复入库" in capsys.readouterr().err
    assert main(["--data-dir", root, "pool", "list", "--pool", "srdi", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["count"] == 1 and listed["items"][0]["tier_label"] == "省级专精特新中小企业"
    assert main(["--data-dir", root, "pool", "check", "--format", "json"]) == 0
    checked = json.loads(capsys.readouterr().out)
    # The SRDI record fails 2026 condition N1 (no 科技和创新型 title) and is left out; the firm is above
    # the 规上 line without a 小升规 record.
    assert [(i["name"], i["pool"], i["outcome"]) for i in checked["items"]] == [("命令行企业", "scale_up", "meets")]
