"""Chinese names of recorded fields and readable old/new values for the change history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from lvqi_desktop.models import codes
from lvqi_desktop.models.bases import BASE_FIELD_LABELS
from lvqi_desktop.models.pools import PoolCatalog
from lvqi_desktop.models.visits import VISIT_CHANNELS
from lvqi_desktop.services.pool_rows import EVENT_KINDS
from lvqi_desktop.services.pools import EDIT_LABELS
from lvqi_desktop.validation.enterprise import COUNT_FIELDS
from lvqi_desktop.validation.enterprise import MONEY_FIELDS
from lvqi_desktop.validation.monitoring_form import default_form
from lvqi_desktop.validation.numbers import fen_to_wan_input

EMPTY_TEXT = "（空）"

ENTERPRISE_FIELDS = {
    "uscc": "统一社会信用代码", "county_code": "所属县（市、区）", "name": "企业名称", "former_names": "曾用名",
    "township_code": "乡镇（街道）", "address": "地址", "legal_representative": "法定代表人",
    "contact_person": "联系人", "contact_phone": "联系电话", "registered_on": "成立日期",
    "ownership_type": "企业性质", "industry_section": "行业门类", "industry_class": "行业小类",
    "size_group": "划型行业", "size_class": "企业规模", "size_class_override": "人工划型",
    "size_class_override_reason": "人工划型理由", "main_products": "主要产品", "above_scale": "规上企业",
    "above_scale_since": "入统年月", "four_above_category": "四上类别", "high_tech_cert_no": "高新技术企业证书编号",
    "high_tech_valid_until": "高新技术企业证书有效期", "business_status": "经营状态", "moved_to_county": "迁入地",
    "merged_into_uuid": "合并至", "remarks": "备注", "latest_year": "最新年度",
    "latest_revenue_fen": "最新年度营业收入（万元）", "latest_employees": "最新年度从业人员",
}
YEAR_FIELDS = {
    "enterprise_id": "所属企业", "year": "年度",
    **{f"{key}_fen": f"{label}（万元）" for key, label in MONEY_FIELDS.items()},
    **COUNT_FIELDS,
}
COMMON_FIELDS = {"archived_at": "归档时间", "archive_reason": "归档原因"}
# Details on a row naming a bulk operation (its "changes" describe the batch, not one record).
BATCH_FIELDS = {"note": "说明", "count": "记录数", "enterprises": "企业数", "enterprise_years": "年度数据条数",
                "seed": "随机种子"}

FIRM = {"enterprise_id": "企业"}
FIELD_LABELS: dict[str, dict[str, str]] = {
    "enterprise": ENTERPRISE_FIELDS,
    "enterprise_year": YEAR_FIELDS,
    "cultivation_record": {**FIRM, "pool": "培育库", "tier": "层级", "status": "状态", "status_on": "状态日期",
                           "last_follow_up_on": "最近跟进日期", **EDIT_LABELS, "subsidy_fen": "奖补金额（万元）"},
    "cultivation_event": {"record_id": "培育记录编号", "kind": "变更类型", "happened_at": "记录时间",
                          "effective_on": "生效日期", "operator": "操作员", "from_tier": "原层级", "to_tier": "新层级",
                          "from_status": "原状态", "to_status": "新状态", "detail": "变更内容", "note": "说明"},
    "monitored_firm": {**FIRM, "monitored_from": "纳入监测日期", "monitored_to": "退出监测日期", "note": "说明"},
    "monitoring_report": {**FIRM, "period": "月份", "form_version": "表式版本", "values": "填报数值",
                          "received_on": "报送日期", "corrections": "更正次数", "confirmed": "提示已核实",
                          "warnings": "提示"},
    "visit": {**FIRM, "visited_on": "走访日期", "channel": "服务方式", "campaign": "专项活动", "team_id": "工作组编号",
              "visitors": "其他人员", "policies_explained": "宣讲政策", "firm_reported": "企业反映情况",
              "remarks": "备注"},
    "visit_participant": {"visit_id": "走访记录编号", "helper_id": "帮扶干部编号"},
    "office": {"kind": "单位类型", "county_code": "所属县（市、区）", "name": "单位名称",
               "default_preparer": "默认填报人"},
    "operator": {"name": "姓名", "active": "启用"},
    **BASE_FIELD_LABELS,
}

# Coded fields shown by their label (any table).
CODED_FIELDS: dict[str, dict[str, str]] = {
    "business_status": codes.BUSINESS_STATUSES,
    "ownership_type": codes.OWNERSHIP_TYPES,
    "four_above_category": codes.FOUR_ABOVE_CATEGORIES,
    "size_group": codes.SIZE_GROUPS,
    "size_class": codes.SIZE_CLASSES,
    "size_class_override": codes.SIZE_CLASSES,
    "kind": {"county": "县（市、区）", "city": "市中心"},
}


# Coded fields of one table only (the same name means something else elsewhere).
TABLE_CODED: dict[str, dict[str, dict[str, str]]] = {
    "visit": {"channel": VISIT_CHANNELS},
    "cultivation_event": {"kind": EVENT_KINDS},
}
TIER_FIELDS = frozenset({"tier", "from_tier", "to_tier", "target_tier"})
STATUS_FIELDS = frozenset({"status", "from_status", "to_status"})


@dataclass
class Readers:
    """What turns ids and reference codes into names: firms, pools, tiers, statuses, listing venues."""

    firms: dict[int, str] = field(default_factory=dict)
    catalog: PoolCatalog | None = None
    base_codes: dict[str, dict[str, str]] = field(default_factory=dict)  # field → code → name (双创基地)

    def coded(self, table: str, name: str, raw: Any) -> str | None:
        """The name for an id or a reference code, or None when this field is not one."""
        if name == "enterprise_id" and isinstance(raw, int):
            return self.firms.get(raw)
        if table in TABLE_CODED and name in TABLE_CODED[table]:
            return TABLE_CODED[table][name].get(str(raw), str(raw))
        if table in BASE_FIELD_LABELS and name in self.base_codes:
            return self.base_codes[name].get(str(raw))
        if self.catalog is None or not table.startswith("cultivation_"):
            return None
        pools = self.catalog.pools.values()
        if name == "pool":
            return self.catalog.pool_label(str(raw))
        if name == "listing_venue":
            return self.catalog.venue_label(str(raw)) or str(raw)
        if name in TIER_FIELDS:
            return next((p.tiers[raw].name for p in pools if raw in p.tiers), None)
        if name in STATUS_FIELDS:
            return next((p.statuses[raw].name for p in pools if raw in p.statuses), None)
        return None


def report_value_changes(old: Any, new: Any) -> list[tuple[str, str, Any, Any, str, str]]:
    """A monthly report's `values` JSON old → new as one (key, label, old, new, texts) per changed form field."""
    form = default_form()
    before, after = _figures(old), _figures(new)
    out = []
    for key in dict.fromkeys([*before, *after]):
        if before.get(key) == after.get(key):
            continue
        f = form.by_key.get(key)
        out.append((f"values.{key}", f.header if f else key, before.get(key), after.get(key),
                    _form_text(f, before.get(key)), _form_text(f, after.get(key))))
    return out


def _figures(raw: Any) -> dict[str, Any]:
    try:
        data = json.loads(raw) if isinstance(raw, str) and raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _form_text(f: Any, value: Any) -> str:
    if value is None:
        return EMPTY_TEXT
    if f is not None and f.kind == "money" and isinstance(value, int):
        return fen_to_wan_input(value)
    return "、".join(map(str, value)) if isinstance(value, list) else str(value)


def field_label(table: str, field: str) -> str:
    return FIELD_LABELS.get(table, {}).get(field) or COMMON_FIELDS.get(field) or BATCH_FIELDS.get(field) or field


def value_text(field: str, raw: Any, table: str = "", readers: Readers | None = None) -> str:
    """A stored JSON value as a user reads it: 万元 for money, labels for codes, names for firms, 是/否."""
    if raw is None or raw == "":
        return EMPTY_TEXT
    named = readers.coded(table, field, raw) if readers is not None else None
    if named:
        return named
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if field.endswith("_fen") and isinstance(raw, int):
        return fen_to_wan_input(raw)
    if field in CODED_FIELDS:
        return codes.label(CODED_FIELDS[field], str(raw))
    if field.endswith("_at") and isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            return raw
    return str(raw)
