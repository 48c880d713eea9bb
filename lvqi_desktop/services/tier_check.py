"""Condition checks (对照条件和标准): gap reports, 检查全部, rule inputs and locally entered conditions."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import NotFound
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.errors import refuse_blocking
from lvqi_desktop.models.pools import PoolCatalog
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.models.pools import tiers_above
from lvqi_desktop.models.tier_rules import TierCondition
from lvqi_desktop.models.tier_rules import TierInput
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.services.pool_rows import CheckRow
from lvqi_desktop.services.pool_rows import GapReport
from lvqi_desktop.services.tier_facts import facts_for
from lvqi_desktop.services.tier_facts import held_tiers
from lvqi_desktop.services.tier_facts import inputs_by_firm
from lvqi_desktop.services.tier_facts import lines_from
from lvqi_desktop.services.tier_facts import revenues_by_firm
from lvqi_desktop.services.tier_facts import rule_sets_from
from lvqi_desktop.services.tier_facts import title_held
from lvqi_desktop.services.tier_facts import years_by_firm
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.above_scale import AboveScaleLines
from lvqi_desktop.validation.above_scale import readiness
from lvqi_desktop.validation.numbers import fen_to_wan_input
from lvqi_desktop.validation.tier_inputs import COUNTS
from lvqi_desktop.validation.tier_inputs import FLAGS
from lvqi_desktop.validation.tier_inputs import TierInputDraft
from lvqi_desktop.validation.tier_inputs import clean_tier_input
from lvqi_desktop.validation.tier_metrics import METRICS
from lvqi_desktop.validation.tier_metrics import FirmFacts
from lvqi_desktop.validation.tier_metrics import YearFigures
from lvqi_desktop.validation.tier_rules import MET
from lvqi_desktop.validation.tier_rules import NOT_MET
from lvqi_desktop.validation.tier_rules import OPS
from lvqi_desktop.validation.tier_rules import UNKNOWN
from lvqi_desktop.validation.tier_rules import RuleSetDef
from lvqi_desktop.validation.tier_rules import TierAssessment
from lvqi_desktop.validation.tier_rules import assess
from lvqi_desktop.validation.tier_rules import check_condition_draft
from lvqi_desktop.validation.tier_rules import default_rule_set

__all__ = ["ConditionRow", "RuleSetRow", "TierCheckService", "TierInputDraft"]

SRDI, SCALE_UP = "srdi", "scale_up"
SCALE_UP_OPEN = ("survey", "cultivating")  # statuses where reaching the line is news


@dataclass(frozen=True)
class RuleSetRow:
    code: str
    name: str
    document: str
    applies_from: date


@dataclass(frozen=True)
class ConditionRow:
    """One condition as the rules page lists it, with its thresholds spelled out."""

    id: int
    code: str
    text: str
    test_text: str
    source: str
    editable: bool


def describe_test(node: dict[str, Any]) -> str:  # a test tree as parsed from JSON
    """A test tree in words: 营业收入 ≥ 1000 且 (…)."""
    if "all" in node or "any" in node:
        joiner = " 且 " if "all" in node else " 或 "
        parts = [describe_test(n) for n in (node["all"] if "all" in node else node["any"])]
        return "（" + joiner.join(parts) + "）" if len(parts) > 1 else "".join(parts)
    if "score" in node:
        return f"评价得分达标（{node['score']}）"
    name = str(node["metric"])
    label, unit = (METRICS[name][0], METRICS[name][1]) if name in METRICS else (name, "")
    op, value = str(node["op"]), node.get("value")
    if op == "rank_within":
        return f"{label}前{value}名"
    if op == "present":
        return f"有{label}"
    unit_text = "" if unit in ("bool", "code") else unit
    shown = ("是" if value else "否") if isinstance(value, bool) else value
    return f"{label} {OPS.get(op, op)} {shown}{unit_text}"


def _next_tier(pool: PoolDef, tier: str | None, held: bool, rule_set: RuleSetDef) -> str | None:
    """The tier a record is checked for: its own until the title is held, then the next one with conditions."""
    if not held:
        return tier
    above = tiers_above(pool, tier)
    with_conditions = [t for t in above if rule_set.conditions.get(t)]
    return with_conditions[0] if with_conditions else (above[0] if above else None)


class TierCheckService:
    def __init__(self, db: Database, office_county: Callable[[], str | None],
                 today: Callable[[], date] = clock.today) -> None:
        self._db = db
        self._office_county = office_county
        self._today = today

    # ---- rule sets and conditions
    def rule_sets(self) -> list[RuleSetRow]:
        with self._db.unit_of_work() as uow:
            return [RuleSetRow(r.code, r.name, r.document, date.fromisoformat(r.applies_from))
                    for r in uow.tier_data.rule_sets()]

    def metric_choices(self) -> list[tuple[str, str]]:
        """Indicators a locally entered condition may test (e.g. for 省级小巨人)."""
        return [(name, spec[0]) for name, spec in METRICS.items()]

    def conditions(self, rule_set: str, tier: str) -> list[ConditionRow]:
        with self._db.unit_of_work() as uow:
            return [ConditionRow(c.id, c.code, c.text, describe_test(json.loads(c.test)), c.source, c.entered_locally)
                    for c in uow.tier_data.condition_rows(rule_set, tier)]

    def save_condition(self, rule_set: str, tier: str, text: str, metric: str, op: str, value: str,
                       source: str = "本单位录入", condition_id: int | None = None) -> int:
        """Add or change a condition typed by the office (seeded national conditions cannot be edited)."""
        test, issues = check_condition_draft(metric, op, value, text)
        with self._db.unit_of_work() as uow:
            repo = uow.tier_data
            if rule_set not in {r.code for r in repo.rule_sets()}:
                issues.append(Issue("rule_set", f"条件版本“{rule_set}”不存在"))
            pool = uow.pools.catalog().pools[SRDI]
            if tier not in pool.tiers:
                issues.append(Issue("tier", "请选择专精特新层级"))
            if issues:
                raise ValidationFailed(issues)
            if condition_id is None:
                existing = repo.condition_rows(rule_set, tier)
                row = TierCondition(rule_set=rule_set, tier=tier, code=f"X{len(existing) + 1}",
                                    seq=len(existing) + 1, entered_locally=True)
                repo.add_condition(row)
            else:
                found = repo.condition(condition_id)
                if found is None or not found.entered_locally:
                    raise ValidationFailed([Issue("condition", "只能修改本单位录入的条件，国家标准条件不能修改。")])
                row = found
            row.text, row.test, row.source = text.strip(), json.dumps(test, ensure_ascii=False), source.strip()
            uow.commit()
            return row.id

    def remove_condition(self, condition_id: int) -> None:
        with self._db.unit_of_work() as uow:
            repo = uow.tier_data
            found = repo.condition(condition_id)
            if found is None or not found.entered_locally:
                raise ValidationFailed([Issue("condition", "只能删除本单位录入的条件，国家标准条件不能删除。")])
            repo.delete_condition(found)
            uow.commit()

    # ---- rule inputs per firm and year
    def tier_inputs(self, enterprise_id: int) -> list[TierInputDraft]:
        with self._db.unit_of_work() as uow:
            return [_input_draft(row) for row in uow.tier_data.inputs_of(enterprise_id)]

    def save_tier_inputs(self, enterprise_id: int, drafts: list[TierInputDraft]) -> None:
        """Save the years given (other years are left as they are); all or nothing."""
        with self._db.unit_of_work() as uow:
            if uow.enterprises.get(enterprise_id) is None:
                raise NotFound("该企业不存在。")
            repo = uow.tier_data
            issues: list[Issue] = []
            cleaned = []
            seen: set[int] = set()
            for d in drafts:
                if d.year in seen:
                    issues.append(Issue(str(d.year), f"{d.year}年的数据填写了两次"))
                seen.add(d.year)
                values, more = clean_tier_input(d, self._today())
                issues += more
                cleaned.append((d.year, values))
            refuse_blocking(issues)
            for year, values in cleaned:
                row = repo.input_row(enterprise_id, year)
                if row is None:
                    row = TierInput(enterprise_id=enterprise_id, year=year)
                    repo.add_input(row)
                row.archived_at = None
                for key, value in values.items():
                    if getattr(row, key) != value:
                        setattr(row, key, value)
                row.checked_on = self._today()
            uow.commit()

    # ---- gap report and 检查全部
    def gap_report(self, record_id: int | None = None, *, enterprise_id: int | None = None,
                   tier: str | None = None, pool: str = SRDI, rule_set: str | None = None,
                   as_of: date | None = None) -> GapReport:
        """Each condition of a target tier met / not met / unknown, with the figure and year used.
        With a record: its pool, rule set and next tier; otherwise `enterprise_id` and `tier` (or pool
        "scale_up" for 规上 readiness)."""
        as_of = as_of or self._today()
        with self._db.unit_of_work() as uow:
            pools = uow.pools
            data = uow.tier_data
            catalog = pools.catalog()
            rec = pools.get(record_id) if record_id is not None else None
            if record_id is not None and rec is None:
                raise NotFound(f"找不到编号为 {record_id} 的培育记录。")
            if rec is None and enterprise_id is not None:
                rec = pools.current(enterprise_id, pool)
            eid = rec.enterprise_id if rec is not None else enterprise_id
            enterprise = uow.enterprises.get(eid) if eid is not None else None
            if enterprise is None:
                raise NotFound("请指定培育记录或企业。")
            pool_code = rec.pool if rec is not None else pool
            rule_sets = rule_sets_from(data.rule_sets(), data.conditions())
            years = years_by_firm(data.year_figures(as_of.year - 6, [enterprise.id])).get(enterprise.id, {})
            if pool_code == SCALE_UP:
                result = readiness(lines_from(data.lines()), enterprise.industry_section, enterprise.industry_class,
                                   {y: (f.revenue_fen, f.main_revenue_fen) for y, f in years.items()})
                return GapReport(enterprise.id, enterprise.name, SCALE_UP, None, "规上标准", None, "",
                                 result.line.source if result.line else "", as_of, readiness=result)
            if pool_code != SRDI:
                raise ValidationFailed([Issue("pool", f"“{catalog.pool_label(pool_code)}”没有需要对照的条件。")])
            srdi = catalog.pools[SRDI]
            held: frozenset[str] = frozenset()
            code = rule_set or (rec.rule_set if rec else None) or default_rule_set(list(rule_sets.values()), as_of)
            if code not in rule_sets:
                raise ValidationFailed([Issue("rule_set", f"条件版本“{code}”不存在")])
            rs = rule_sets[code]
            target = tier
            if rec is not None:
                held = held_tiers(srdi, rec.tier, rec.status, rec.valid_until, rec.prerequisite_valid_until, as_of)
                target = target or _next_tier(srdi, rec.tier, title_held(srdi, rec.status, rec.valid_until, as_of), rs)
            if not target:
                raise ValidationFailed([Issue("tier", "该企业已在最高层级，没有下一层级可对照。")])
            inputs = inputs_by_firm(data.input_figures([enterprise.id])).get(enterprise.id, {})
            facts = facts_for(enterprise, years, inputs, as_of, as_of.year - 1, held)
            result_a = assess(facts, rs, target)
            notes = []
            if not result_a.conditions:
                notes.append(f"{srdi.tier_label(target, code)}的条件尚未录入，请在“条件标准”中录入后再对照。")
            return GapReport(enterprise.id, enterprise.name, SRDI, target, srdi.tier_label(target, code), code,
                             rs.name, rs.document, as_of, assessment=result_a, notes=notes)

    def check_all(self, progress: Progress = NO_PROGRESS, as_of: date | None = None,
                  include_not_met: bool = False) -> list[CheckRow]:
        """检查全部: every SRDI record against its next tier (under the record's rule set), every open
        小升规 record and every firm not yet 规上 against its 规上 line. Returns rows that meet or miss
        data (and those not met when asked). Loads each table once; safe on a worker thread."""
        as_of = as_of or self._today()
        county = self._office_county() or ""
        with self._db.unit_of_work() as uow:
            data = uow.tier_data
            catalog = uow.pools.catalog()
            rule_sets = rule_sets_from(data.rule_sets(), data.conditions())
            lines = lines_from(data.lines())
            firms = {row.id: row for row in data.enterprises(county_code=county)}
            progress.update(0, 4, "读取企业年度数据")
            years = years_by_firm(data.pooled_year_figures(SRDI, as_of.year - 3))
            revenues = revenues_by_firm(data.revenue_figures(as_of.year - 3))
            progress.update(1, 4, "读取条件录入数据")
            inputs = inputs_by_firm(data.input_figures())
            records = data.active_records([SRDI, SCALE_UP])
        progress.update(2, 4, "对照条件")
        checker = _Checker(catalog, rule_sets, lines, years, revenues, inputs, as_of, include_not_met)
        rows: list[CheckRow] = []
        in_scale_up: set[int] = set()
        for i, rec in enumerate(records):
            firm = firms.get(rec.enterprise_id)
            if rec.pool == SCALE_UP:
                in_scale_up.add(rec.enterprise_id)
            if firm is None:
                continue
            row = checker.srdi(firm, rec) if rec.pool == SRDI else checker.scale_up(firm, rec)
            if row is not None:
                rows.append(row)
            if i % 1000 == 0:
                progress.raise_if_cancelled()
        progress.update(3, 4, "检查未入库企业是否达到规上标准")
        for i, firm in enumerate(firms.values()):
            if firm.id not in in_scale_up and not firm.above_scale and firm.business_status == "active":
                row = checker.scale_up(firm, None)
                if row is not None:
                    rows.append(row)
            if i % 5000 == 0:
                progress.raise_if_cancelled()
        progress.update(4, 4, f"完成：{len(rows)} 条")
        order = {"meets": 0, "missing_data": 1, "no_conditions": 2, "not_met": 3}
        rows.sort(key=lambda r: (order.get(r.outcome, 9), r.pool, r.name))
        return rows


class _Checker:
    """One 检查全部 run: judges records and firms from the bulk-loaded figures."""

    def __init__(self, catalog: PoolCatalog, rule_sets: dict[str, RuleSetDef], lines: AboveScaleLines,
                 years: dict[int, dict[int, YearFigures]], revenues: dict[int, dict[int, tuple[int | None, int | None]]],
                 inputs: dict[int, dict[int, dict[str, object]]], as_of: date, include_not_met: bool) -> None:
        self.catalog, self.rule_sets, self.lines = catalog, rule_sets, lines
        self.years, self.revenues, self.inputs, self.as_of = years, revenues, inputs, as_of
        self.include_not_met = include_not_met
        self.default_rule_set = default_rule_set(list(rule_sets.values()), as_of)
        self.srdi_pool = catalog.pools[SRDI]
        self.scale_pool = catalog.pools[SCALE_UP]

    def _row(self, firm: AnyRow, rec: AnyRow | None, pool: PoolDef | None, current: str, target: str | None,
             target_label: str, rule_set: str | None, outcome: str, counts: tuple[int, int, int], missing: str,
             score: str, message: str) -> CheckRow:
        return CheckRow(firm.id, firm.uscc, firm.name, firm.county_code,
                        firm.township_name or "", rec.id if rec is not None else None,
                        pool.code if pool else SCALE_UP, pool.name if pool else "（未入库）", current, target,
                        target_label, rule_set, outcome, *counts, missing, score, message)

    def srdi(self, firm: AnyRow, rec: AnyRow) -> CheckRow | None:
        pool = self.srdi_pool
        code = rec.rule_set or self.default_rule_set
        rs = self.rule_sets.get(code or "")
        if rs is None:
            return None
        held_now = title_held(pool, rec.status, rec.valid_until, self.as_of)
        target = _next_tier(pool, rec.tier, held_now, rs)
        current = f"{pool.tier_label(rec.tier, code)}·{pool.status_label(rec.status)}"
        if target is None:
            return None
        held = held_tiers(pool, rec.tier, rec.status, rec.valid_until,
                          rec.prerequisite_valid_until, self.as_of)
        facts = FirmFacts(self.as_of, self.as_of.year - 1, firm.size_class, firm.registered_on,
                          firm.high_tech_valid_until, self.years.get(firm.id, {}),
                          self.inputs.get(firm.id, {}), held)
        a: TierAssessment = assess(facts, rs, target, with_scores=False)
        label = pool.tier_label(target, code)
        if a.no_conditions:
            return self._row(firm, rec, pool, current, target, label, code, "no_conditions", (0, 0, 0), "", "",
                             f"{label}的条件尚未录入")
        states = [c.state for c in a.conditions]
        counts = (states.count(MET), states.count(NOT_MET), states.count(UNKNOWN))
        outcome = {MET: "meets", UNKNOWN: "missing_data", NOT_MET: "not_met"}[a.state]
        if outcome == "not_met" and not self.include_not_met:
            return None
        score = "；".join(f"{s.name}：{s.text}" for s in a.scores if s.indicators)
        failed = "、".join(c.code for c in a.conditions if c.state == NOT_MET)
        message = {"meets": f"符合{label}各项条件（{rs.name}）",
                   "missing_data": f"缺少数据，无法判断是否符合{label}",
                   "not_met": f"不符合：{failed}"}[outcome]
        return self._row(firm, rec, pool, current, target, label, code, outcome, counts, "、".join(a.missing),
                         score, message)

    def scale_up(self, firm: AnyRow, rec: AnyRow | None) -> CheckRow | None:
        pool = self.scale_pool
        if rec is not None and rec.status not in SCALE_UP_OPEN:
            return None
        r = readiness(self.lines, firm.industry_section, firm.industry_class or "",
                      self.revenues.get(firm.id, {}))
        if rec is None and r.state != MET:
            return None
        if r.state == "not_applicable" or (r.state == NOT_MET and not self.include_not_met):
            return None
        outcome = {MET: "meets", UNKNOWN: "missing_data", NOT_MET: "not_met"}[r.state]
        current = pool.status_label(rec.status) if rec is not None else "未入库"
        message = r.message
        if outcome == "meets":
            message += "；可改为“已达标待入统”" if rec is not None else "；尚未纳入小升规培育库"
        return self._row(firm, rec, pool if rec is not None else None, current, None, "规上（限上）标准", None,
                         outcome, (1, 0, 0) if r.state == MET else (0, 1, 0) if r.state == NOT_MET else (0, 0, 1),
                         r.message if r.state == UNKNOWN else "", "", message)


def _input_draft(row: TierInput) -> TierInputDraft:
    d = TierInputDraft(year=row.year)
    for name in COUNTS:
        value = getattr(row, name)
        setattr(d, name, "" if value is None else str(value))
    for name in FLAGS:
        value = getattr(row, name)
        setattr(d, name, "" if value is None else ("是" if value else "否"))
    d.rd_institution_level = row.rd_institution_level or ""
    d.product_field = row.product_field or ""
    d.new_equity = fen_to_wan_input(row.new_equity_fen)
    d.market_share = "" if row.market_share_bp is None else format(row.market_share_bp / 100, "g")
    return d

