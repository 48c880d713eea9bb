"""Chinese names of recorded fields and readable old/new values for the change history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lvqi_desktop.models import codes
from lvqi_desktop.models.bases import BASE_FIELD_LABELS
from lvqi_desktop.validation.enterprise import COUNT_FIELDS, MONEY_FIELDS
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

FIELD_LABELS: dict[str, dict[str, str]] = {
    "enterprise": ENTERPRISE_FIELDS,
    "enterprise_year": YEAR_FIELDS,
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


def field_label(table: str, field: str) -> str:
    return FIELD_LABELS.get(table, {}).get(field) or COMMON_FIELDS.get(field) or BATCH_FIELDS.get(field) or field


def value_text(field: str, raw: Any) -> str:
    """A stored JSON value as a user reads it: 万元 for money, labels for codes, 是/否."""
    if raw is None or raw == "":
        return EMPTY_TEXT
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
