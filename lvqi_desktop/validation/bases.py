"""Rules for incubation bases: the form's fields, level changes, tenants' move-in / move-out, yearly figures.

Every check returns Chinese issues; the service refuses the whole change when any is blocking.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date

from lvqi_desktop.errors import Issue
from lvqi_desktop.validation.numbers import parse_count
from lvqi_desktop.validation.numbers import parse_date
from lvqi_desktop.validation.text import clean_line

MAX_AREA_M2 = 10_000_000


@dataclass(frozen=True)
class LevelDef:
    code: str
    seq: int
    name: str
    recognized: bool  # 市级 / 省级: a recognition date and a document number are required
    applied: bool
    needs_reason: bool


@dataclass(frozen=True)
class LevelRules:
    """Levels in order and the allowed changes between them (from base_level / base_level_transition)."""

    levels: dict[str, LevelDef]
    transitions: frozenset[tuple[str, str]] = frozenset()

    def label(self, code: str | None) -> str:
        level = self.levels.get(code or "")
        return level.name if level else (code or "")

    def next_levels(self, code: str) -> list[str]:
        found = [b for (a, b) in self.transitions if a == code]
        return sorted(found, key=lambda c: self.levels[c].seq)

    def first(self) -> str:
        return min(self.levels.values(), key=lambda lv: lv.seq).code


# Which base fields hold the recognition (date, document) or the application date of a level.
RECOGNITION_FIELDS = {"city": ("city_recognized_on", "city_document_no"),
                      "provincial": ("provincial_recognized_on", "provincial_document_no")}
APPLICATION_FIELDS = {"city_applied": "city_applied_on", "provincial_applied": "provincial_applied_on"}
FIELD_LABELS = {
    "city_applied_on": "申报市级日期", "city_recognized_on": "市级认定日期", "city_document_no": "市级认定文号",
    "provincial_applied_on": "申报省级日期", "provincial_recognized_on": "省级认定日期",
    "provincial_document_no": "省级认定文号", "opened_on": "投入运营日期", "level_on": "层级生效日期",
}
DATE_FIELDS = ("opened_on", "level_on", "city_applied_on", "city_recognized_on", "provincial_applied_on",
               "provincial_recognized_on")


@dataclass
class BaseDraft:
    """A base as typed in the form or on the command line (text; cleaned by `clean_base`)."""

    name: str = ""
    kind: str = ""
    operator_name: str = ""
    operator_type: str = ""
    address: str = ""
    township_code: str = ""
    floor_area: str = ""  # m²
    opened_on: str = ""
    level: str = ""  # only when registering: an existing base may already be 市级 or 省级
    level_on: str = ""
    city_applied_on: str = ""
    city_recognized_on: str = ""
    city_document_no: str = ""
    provincial_applied_on: str = ""
    provincial_recognized_on: str = ""
    provincial_document_no: str = ""
    services_offered: str = ""
    shared_facilities: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    notes: str = ""
    version: int | None = None  # the stored base's version when the form read it; None: not checked


@dataclass
class CleanBase:
    values: dict[str, object] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return any(i.blocking for i in self.issues)


def parse_area(text: str, issues: list[Issue]) -> float | None:
    plain = (text or "").strip().replace(",", "").replace("，", "")
    if not plain:
        return None
    try:
        value = round(float(plain), 2)
    except ValueError:
        issues.append(Issue("floor_area", f"建筑面积应为数字（平方米），“{text.strip()[:20]}”不是数字"))
        return None
    if value <= 0:
        issues.append(Issue("floor_area", "建筑面积应大于 0 平方米"))
        return None
    if value > MAX_AREA_M2:
        issues.append(Issue("floor_area", "建筑面积超过 1,000 万平方米，请核对单位是否为平方米"))
        return None
    return value


def check_recognition(level: str, values: dict[str, object], rules: LevelRules) -> list[Issue]:
    """A base at 市级 / 省级 needs the recognition date and document of that level (and 市级 for 申报省级 is kept)."""
    issues: list[Issue] = []
    fields = RECOGNITION_FIELDS.get(level)
    if fields is None:
        return issues
    on, doc = fields
    name = rules.label(level)
    if values.get(on) is None:
        issues.append(Issue(on, f"认定为{name}双创基地须填写{FIELD_LABELS[on]}"))
    if not values.get(doc):
        issues.append(Issue(doc, f"认定为{name}双创基地须填写{FIELD_LABELS[doc]}（如 吕中小企发〔2026〕12号）"))
    return issues


def clean_base(draft: BaseDraft, kinds: dict[str, str], rules: LevelRules, operator_types: list[str],
               today: date, new: bool) -> CleanBase:
    """Cleaned values and issues; `level` is checked only when `new` (later changes go through change_level)."""
    out = CleanBase()
    issues = out.issues
    v = out.values
    v["name"] = clean_line(draft.name)
    if not v["name"]:
        issues.append(Issue("name", "请填写基地名称"))
    elif len(str(v["name"])) > 100:
        issues.append(Issue("name", "基地名称不能超过 100 个字"))
    kind = draft.kind.strip()
    if not kind:
        issues.append(Issue("kind", "请选择基地类型"))
    elif kind not in kinds:
        by_name = {n: c for c, n in kinds.items()}
        if kind in by_name:
            kind = by_name[kind]
        else:
            issues.append(Issue("kind", f"基地类型“{kind}”不在可选范围内，可选：{'、'.join(kinds.values())}"))
    v["kind"] = kind
    v["operator_name"] = clean_line(draft.operator_name)
    v["operator_type"] = clean_line(draft.operator_type)
    if v["operator_type"] and v["operator_type"] not in operator_types:
        issues.append(Issue("operator_type", f"运营主体性质应为：{'、'.join(operator_types)}"))
    v["address"] = clean_line(draft.address)
    v["township_code"] = draft.township_code.strip() or None
    v["floor_area_m2"] = parse_area(draft.floor_area, issues)
    for name in DATE_FIELDS:
        v[name] = parse_date(getattr(draft, name), name, FIELD_LABELS[name], issues)
        if v[name] is not None and v[name] > today:  # type: ignore[operator]
            issues.append(Issue(name, f"{FIELD_LABELS[name]}不能晚于今天（{today.isoformat()}）"))
    v["city_document_no"] = clean_line(draft.city_document_no)
    v["provincial_document_no"] = clean_line(draft.provincial_document_no)
    for applied, recognized in (("city_applied_on", "city_recognized_on"),
                                ("provincial_applied_on", "provincial_recognized_on")):
        a, r = v.get(applied), v.get(recognized)
        if a is not None and r is not None and r < a:  # type: ignore[operator]
            issues.append(Issue(recognized, f"{FIELD_LABELS[recognized]}早于{FIELD_LABELS[applied]}，请核对"))
    c, p = v.get("city_recognized_on"), v.get("provincial_recognized_on")
    if c is not None and p is not None and p < c:  # type: ignore[operator]
        issues.append(Issue("provincial_recognized_on", "省级认定日期早于市级认定日期，请核对"))
    for name in ("services_offered", "shared_facilities", "notes"):
        v[name] = (getattr(draft, name) or "").strip()
    v["contact_person"] = clean_line(draft.contact_person)
    v["contact_phone"] = clean_line(draft.contact_phone)
    if new:
        level = draft.level.strip() or rules.first()
        by_name = {lv.name: lv.code for lv in rules.levels.values()}
        level = by_name.get(level, level)
        if level not in rules.levels:
            issues.append(Issue("level", f"认定层级“{level}”不在可选范围内，可选："
                                         f"{'、'.join(lv.name for lv in rules.levels.values())}"))
        elif rules.levels[level].needs_reason:
            issues.append(Issue("level", "新登记的基地不能直接为“撤销”"))
        else:
            issues.extend(check_recognition(level, v, rules))
            applied_on = APPLICATION_FIELDS.get(level)
            if applied_on and v.get(applied_on) is None:
                issues.append(Issue(applied_on, f"处于“{rules.label(level)}”的基地须填写{FIELD_LABELS[applied_on]}"))
        v["level"] = level
    return out


def check_level_change(rules: LevelRules, from_level: str, to_level: str, effective_on: date | None,
                       document_no: str, reason: str, level_on: date | None, today: date) -> list[Issue]:
    """Whether a base at `from_level` may move to `to_level` on `effective_on` with this document and reason."""
    issues: list[Issue] = []
    if to_level not in rules.levels:
        return [Issue("level", f"认定层级“{to_level}”不存在，可选：{'、'.join(lv.name for lv in rules.levels.values())}")]
    if (from_level, to_level) not in rules.transitions:
        options = "、".join(rules.label(c) for c in rules.next_levels(from_level)) or "无"
        return [Issue("level", f"不能从“{rules.label(from_level)}”直接变为“{rules.label(to_level)}”。"
                               f"当前可变为：{options}")]
    target = rules.levels[to_level]
    if effective_on is None:
        issues.append(Issue("effective_on", f"请填写变为“{target.name}”的日期"))
    elif effective_on > today:
        issues.append(Issue("effective_on", f"日期不能晚于今天（{today.isoformat()}）"))
    elif level_on is not None and effective_on < level_on:
        issues.append(Issue("effective_on", f"日期早于当前层级的生效日期（{level_on.isoformat()}），请核对"))
    falling_back = rules.levels[from_level].applied and target.seq < rules.levels[from_level].seq
    if target.recognized and not falling_back and not document_no.strip():
        issues.append(Issue("document_no", f"认定为{target.name}双创基地须填写认定文号"))
    if len(document_no.strip()) > 60:
        issues.append(Issue("document_no", "文号不能超过 60 个字"))
    if target.needs_reason and not reason.strip():
        issues.append(Issue("note", f"变为“{target.name}”须填写原因"))
    return issues


@dataclass
class YearDraft:
    year: str = ""
    tenants: str = ""
    new_tenants: str = ""
    jobs: str = ""
    notes: str = ""


def clean_year(draft: YearDraft, today: date) -> tuple[dict[str, object], list[Issue]]:
    issues: list[Issue] = []
    values: dict[str, object] = {}
    text = draft.year.strip()
    if not text.isdigit() or not 2000 <= int(text) <= today.year:
        issues.append(Issue("year", f"年度应为 2000–{today.year} 之间的年份"))
        values["year"] = None
    else:
        values["year"] = int(text)
    values["tenants"] = parse_count(draft.tenants, "tenants", "入驻企业数", issues)
    values["new_tenants"] = parse_count(draft.new_tenants, "new_tenants", "当年新入驻企业数", issues)
    values["jobs"] = parse_count(draft.jobs, "jobs", "带动就业人数", issues)
    t, n = values["tenants"], values["new_tenants"]
    if t is not None and n is not None and n > t:  # type: ignore[operator]
        issues.append(Issue("new_tenants", f"当年新入驻企业数（{n}）不能多于入驻企业数（{t}）"))
    values["notes"] = draft.notes.strip()
    return values, issues
