"""The register-wide checks of an enterprise: county, township, section, duplicate USCC or name.

One place for these rules and their wording. The form (EnterpriseService) asks the database one
record at a time; the Excel import answers from sets it loaded once — both through `RegisterLookup`.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Protocol

from lvqi_desktop.errors import Issue


class RegisterLookup(Protocol):
    def county_name(self, code: str) -> str | None:
        """The county's name, or None when no such county."""

    def township_county(self, code: str) -> str | None:
        """The county code the township belongs to, or None when no such township."""

    def section_exists(self, code: str) -> bool:
        """Whether the industry section (门类) exists."""

    def same_uscc(self, county: str, uscc: str, exclude_id: int | None) -> tuple[int, str, bool] | None:
        """(id, name, archived) of another enterprise of the county with this USCC, archived ones included."""

    def same_name(self, county: str, name_key: str, exclude_id: int | None) -> tuple[int, str, str] | None:
        """(id, name, uscc) of another current enterprise of the county with this folded name."""


def check_references(values: Mapping[str, object], county: str, lookup: RegisterLookup,
                     enterprise_id: int | None, earlier: Iterable[Issue] = ()
                     ) -> tuple[list[Issue], int | None]:
    """Issues of a cleaned record against the register, and the id of the record a duplicate names.

    `values` are CleanEnterprise.values; `enterprise_id` is the record being edited (not a duplicate
    of itself); `earlier` are the issues already found — a USCC refused there is not looked up.
    """
    issues: list[Issue] = []
    existing_id = None
    if not county or lookup.county_name(county) is None:
        issues.append(Issue("county_code", "请选择企业所属县（市、区）"))
    township = values.get("township_code")
    if township and lookup.township_county(str(township)) != county:
        issues.append(Issue("township_code", "所选乡镇（街道）不属于该县（市、区），请重新选择"))
    section = values.get("industry_section")
    if section and not lookup.section_exists(str(section)):
        issues.append(Issue("industry_section", f"行业门类“{section}”不存在，应为 A–T 之一"))
    uscc = str(values.get("uscc") or "")
    if not any(i.field == "uscc" and i.blocking for i in earlier):
        issues += _registered_elsewhere(uscc, county, lookup)
        other = lookup.same_uscc(county, uscc, enterprise_id)
        if other is not None:
            other_id, other_name, archived = other
            where = "（已归档，可在“已归档”中恢复）" if archived else ""
            issues.append(Issue("uscc", f"统一社会信用代码 {uscc} 已登记为“{other_name}”{where}，"
                                        "不能重复登记。可打开该企业查看。"))
            existing_id = other_id
    if values.get("name"):
        same = lookup.same_name(county, str(values.get("name_key") or ""), enterprise_id)
        if same is not None:
            same_id, same_name, same_uscc = same
            issues.append(Issue("name", f"已有同名企业“{same_name}”（信用代码 {same_uscc}），请核对是否重复登记"))
            existing_id = existing_id or same_id
    return issues, existing_id


def _registered_elsewhere(uscc: str, county: str, lookup: RegisterLookup) -> list[Issue]:
    """A warning when the code's region (digits 3–8) is another 吕梁 county than the one the firm is filed under."""
    region = uscc[2:8]
    if len(uscc) != 18 or not county or region == county:
        return []
    there, here = lookup.county_name(region), lookup.county_name(county)
    if there is None or here is None:  # the city itself (141100) or a code outside 吕梁: nothing to compare
        return []
    return [Issue("uscc", f"信用代码第3–8位 {region} 表示在{there}登记，而企业填在{here}。"
                          f"如企业已迁入{here}可保存；否则请核对所属县（市、区）", blocking=False)]
