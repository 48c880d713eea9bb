"""Coded values and their Chinese labels (plain Python, safe to import from every layer)."""

from __future__ import annotations

SIZE_CLASSES = {"1": "大型", "2": "中型", "3": "小型", "4": "微型"}

BUSINESS_STATUSES = {
    "active": "在营",
    "deregistered": "注销",
    "revoked": "吊销",
    "moved_out": "迁出",
    "merged": "已合并",
}

OWNERSHIP_TYPES = {
    "private": "民营",
    "state": "国有及国有控股",
    "collective": "集体",
    "foreign": "外商及港澳台投资",
    "other": "其他",
}

FOUR_ABOVE_CATEGORIES = {
    "industry": "规上工业",
    "construction": "资质建筑业",
    "wholesale": "限上批发",
    "retail": "限上零售",
    "hospitality": "限上住宿餐饮",
    "real_estate": "房地产开发经营",
    "services": "规上服务业",
}

# 300号 industry groups (keys of size_class_rule.group_code), in the order of the standard.
SIZE_GROUPS = {
    "agriculture": "农、林、牧、渔业",
    "industry": "工业",
    "construction": "建筑业",
    "wholesale": "批发业",
    "retail": "零售业",
    "transport": "交通运输业",
    "warehousing": "仓储业",
    "postal": "邮政业",
    "lodging": "住宿业",
    "catering": "餐饮业",
    "telecom": "信息传输业",
    "software": "软件和信息技术服务业",
    "real_estate_dev": "房地产开发经营",
    "property_mgmt": "物业管理",
    "leasing": "租赁和商务服务业",
    "other": "其他未列明行业",
}


def label(table: dict[str, str], code: str | None) -> str:
    """The Chinese label of a code, or an empty string for no value."""
    if not code:
        return ""
    return table.get(code, code)
