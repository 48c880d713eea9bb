"""`lvqi pool list|check|add`: the cultivation pools through the same services as the GUI."""

from __future__ import annotations

import argparse

from lvqi_desktop.cli.activity_args import code_of
from lvqi_desktop.cli.activity_args import report_refusal
from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.groups import command_group
from lvqi_desktop.cli.output import coded
from lvqi_desktop.cli.output import iso
from lvqi_desktop.cli.output import listing
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models.pools import PoolCatalog
from lvqi_desktop.models.pools import PoolDef
from lvqi_desktop.services.pool_rows import CheckRow
from lvqi_desktop.services.pool_rows import PoolRecordRow
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.services.pools import RecordFilter
from lvqi_desktop.services.tier_check import SRDI


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands = command_group(sub, "pool", "梯度培育库：列出、检查、入库", "梯度培育库（小升规、专精特新、股改、上市挂牌后备）")
    pools = "培育库代码或名称：scale_up 小升规、srdi 专精特新、share_reform 股改、listing_reserve 上市挂牌后备"

    ls = commands.add_parser("list", help="列出某个培育库的企业", description="列出培育库中的企业，可按层级、状态等筛选。")
    ls.add_argument("--pool", required=True, help=pools)
    ls.add_argument("--tier", default="", help="层级代码或名称（如 srdi_provincial 或 省级专精特新中小企业）")
    ls.add_argument("--status", default="", help="状态代码或名称（如 valid 或 有效）")
    ls.add_argument("--township", default="", metavar="CODE", help="乡镇（街道）代码")
    ls.add_argument("--section", default="", metavar="X", help="行业门类字母 A–T")
    ls.add_argument("--year", type=int, help="入库年份")
    printing_handler(ls, run_list)

    check = commands.add_parser("check", help="检查全部：哪些企业已符合下一层级、哪些缺少数据",
                                description="对照条件和标准检查全部培育记录，并找出已达规上标准但未入库的企业。")
    check.add_argument("--all", action="store_true", help="同时列出尚不符合的记录")
    printing_handler(check, run_check)

    add = commands.add_parser("add", help="把一家企业纳入培育库", description="把企业纳入培育库；校验不通过时不保存，退出码 1。")
    add.add_argument("--uscc", required=True, help="统一社会信用代码")
    add.add_argument("--pool", required=True, help=pools)
    add.add_argument("--tier", default="", help="层级代码或名称（专精特新、上市挂牌后备库必填）")
    add.add_argument("--status", default="", help="状态代码或名称（默认为该库的第一个状态）")
    add.add_argument("--rule-set", default="", help="条件版本：2022 或 2026（默认按日期）")
    add.add_argument("--recognized-on", default="", metavar="YYYY-MM-DD", help="认定日期")
    add.add_argument("--document-no", default="", help="认定文号")
    add.add_argument("--prerequisite-valid-until", default="", metavar="YYYY-MM-DD", help="省级专精特新有效期至")
    add.add_argument("--override-reason", default="", help="越级理由（小巨人未持有有效的省级专精特新时必填）")
    add.add_argument("--responsible", default="", help="责任人")
    add.add_argument("--note", default="", help="记入时间线的说明")
    printing_handler(add, run_add)


_SHORT_NAMES = {"小升规": "scale_up", "专精特新": "srdi", "股改": "share_reform", "股份制改造": "share_reform",
                "上市挂牌后备": "listing_reserve", "上市后备": "listing_reserve"}


def _pool(catalog: PoolCatalog, given: str) -> PoolDef:
    text = given.strip()
    text = _SHORT_NAMES.get(text, text)
    for p in catalog.pools.values():
        if text in (p.code, p.name):
            return p
    raise ValidationFailed([Issue("pool", f"培育库“{given}”不存在，应为：{'、'.join(catalog.pools)}")])


def _tiers(pool: PoolDef) -> dict[str, str]:
    return {t.code: t.name for t in pool.ladder()}


def _statuses(pool: PoolDef) -> dict[str, str]:
    return {s.code: s.name for s in pool.statuses.values()}


def record_json(r: PoolRecordRow) -> dict[str, object]:
    return {
        "id": r.id, "uuid": r.uuid, "enterprise_id": r.enterprise_id, "uscc": r.uscc, "name": r.name,
        "county_code": r.county_code, **coded("township_code", r.township_code, r.township_name),
        "industry_section": r.industry_section or None, **coded("pool", r.pool, r.pool_label),
        **coded("tier", r.tier, r.tier_label), **coded("status", r.status, r.status_label),
        "status_reason": r.status_reason or None, **coded("rule_set", r.rule_set, r.rule_set_label),
        "entered_on": iso(r.entered_on), "status_on": iso(r.status_on), "recognized_on": iso(r.recognized_on),
        "valid_until": iso(r.valid_until), "document_no": r.document_no or None,
        **coded("listing_venue", r.listing_venue, r.listing_venue_label),
        "target_tier_label": r.target_tier_label or None, "target_year": r.target_year,
        "responsible_person": r.responsible_person or None, "last_follow_up_on": iso(r.last_follow_up_on),
        "above_scale_since": r.above_scale_since, "archived": r.archived,
    }


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    pools = services.cultivation.pools
    pool = _pool(pools.catalog(), args.pool)
    f = RecordFilter(pool=pool.code, tier=code_of(_tiers(pool), args.tier, "tier", "层级", blank=True),
                     status=code_of(_statuses(pool), args.status, "status", "状态", blank=True), township_code=args.township.strip(),
                     industry_section=args.section.strip().upper(), entered_year=args.year)
    rows = pools.list_records(f)
    if args.format == "json":
        ctx.print_json(listing([record_json(r) for r in rows]))
        return 0
    headers = ["统一社会信用代码", "企业名称", "乡镇（街道）", "层级", "状态", "认定日期", "有效期至", "入库日期", "责任人"]
    table = [[r.uscc, r.name, r.township_name, r.tier_label, r.status_label, iso(r.recognized_on) or "",
              iso(r.valid_until) or "", iso(r.entered_on) or "", r.responsible_person] for r in rows]
    print_table(headers, table, max_width=[18, 36, 16, 24, 12, 10, 10, 10, 8])
    print(f"{pool.name}：共 {len(rows)} 条记录")
    return 0


def check_json(r: CheckRow) -> dict[str, object]:
    return {
        "enterprise_id": r.enterprise_id, "uscc": r.uscc, "name": r.name, "county_code": r.county_code,
        "township_label": r.township_name or None, "record_id": r.record_id, **coded("pool", r.pool, r.pool_label),
        "current_label": r.current_label, **coded("target_tier", r.target_tier, r.target_label),
        "rule_set": r.rule_set, **coded("outcome", r.outcome, r.outcome_label), "met": r.met, "not_met": r.not_met,
        "unknown": r.unknown, "missing": r.missing or None, "score_label": r.score or None, "message": r.message,
    }


def run_check(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    rows = services.cultivation.checks.check_all(include_not_met=args.all)
    if args.format == "json":
        ctx.print_json(listing([check_json(r) for r in rows]))
        return 0
    headers = ["结果", "企业名称", "培育库", "当前", "对照层级", "符合/不符/缺", "说明"]
    table = [[r.outcome_label, r.name, r.pool_label, r.current_label, r.target_label,
              f"{r.met}/{r.not_met}/{r.unknown}", r.message + (f"（缺：{r.missing}）" if r.missing else "")]
             for r in rows]
    print_table(headers, table, max_width=[8, 36, 16, 30, 24, 12, 80])
    meets = sum(1 for r in rows if r.outcome == "meets")
    print(f"共 {len(rows)} 条：已符合 {meets} 条，缺少数据 {sum(1 for r in rows if r.outcome == 'missing_data')} 条")
    return 0


def run_add(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=True)
    pools = services.cultivation.pools
    try:
        pool = _pool(pools.catalog(), args.pool)
        draft = RecordDraft(pool=pool.code, tier=code_of(_tiers(pool), args.tier, "tier", "层级", blank=True),
                            status=code_of(_statuses(pool), args.status, "status", "状态", blank=True), rule_set=args.rule_set.strip(),
                            recognized_on=args.recognized_on, document_no=args.document_no,
                            prerequisite_valid_until=args.prerequisite_valid_until,
                            override_reason=args.override_reason, responsible_person=args.responsible,
                            note=args.note)
        record_id = pools.add_to_pool(services.enterprises.id_by_uscc(args.uscc), draft)
    except ValidationFailed as refused:
        return report_refusal(refused)
    row = pools.record(record_id).row
    if args.format == "json":
        ctx.print_json(record_json(row))
        return 0
    tier = f"，{row.tier_label}" if row.tier else ""
    rule = f"，按{row.rule_set_label}对照" if row.pool == SRDI and row.rule_set_label else ""
    print(f"已入库：{row.name} → {row.pool_label}{tier}（{row.status_label}{rule}；记录编号 {row.id}）")
    return 0
