"""The monthly monitoring form as data: a versioned definition (resources/reference/monitoring_form_*.json),
and the cleaning of typed values against it (money to integer 分, counts, answers from their lists)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field
from functools import cache
from typing import Any

from lvqi_desktop.errors import Issue
from lvqi_desktop.paths import resource
from lvqi_desktop.validation.numbers import fen_to_wan_input
from lvqi_desktop.validation.numbers import fen_to_wan_text
from lvqi_desktop.validation.numbers import parse_count
from lvqi_desktop.validation.numbers import parse_wan_to_fen
from lvqi_desktop.validation.text import clean_line

FIELD_KINDS = ("money", "count", "choice", "multi", "text")
NUMERIC_KINDS = ("money", "count")
DEFAULT_FORM = "reference/monitoring_form_v1.json"
MULTI_SEPARATORS = ("、", ",", "，", ";", "；", "/")


@dataclass(frozen=True)
class FormField:
    """One field of the form: numeric (money in 万元 stored as 分, count), a choice, a multi-choice or text."""

    key: str
    label: str
    kind: str
    unit: str = ""
    choices: tuple[str, ...] = ()
    cumulative: bool = False  # 本年累计
    non_decreasing: bool = False  # a year-to-date that may not fall below last month's
    negative: bool = False  # may be negative (profit)
    range_check: bool = False  # compared with the firm's own recent months (±50 %)
    yoy: bool = False  # summed with a year-on-year figure in the summary return
    growth: bool = False  # the summary counts firms whose figure grew

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    @property
    def header(self) -> str:
        """Column header with its unit: 营业收入（本月）（万元）."""
        return f"{self.label}（{self.unit}）" if self.unit else self.label

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "label": self.label, "kind": self.kind}
        if self.unit:
            out["unit"] = self.unit
        if self.choices:
            out["choices"] = list(self.choices)
        for flag in ("cumulative", "non_decreasing", "negative", "range_check", "yoy", "growth"):
            if getattr(self, flag):
                out[flag] = True
        return out


@dataclass(frozen=True)
class FormDefinition:
    version: str
    title: str
    fields: tuple[FormField, ...]
    note: str = ""
    by_key: dict[str, FormField] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_key.update({f.key: f for f in self.fields})

    def field(self, key: str) -> FormField:
        return self.by_key[key]

    @property
    def numeric_fields(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if f.numeric)

    @property
    def question_fields(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if f.kind in ("choice", "multi"))

    def month_above_year_to_date(self, values: dict[str, object], prefix: str = "") -> list[Issue]:
        """Refusals where a month's figure (key X) exceeds its own year-to-date (key X_ytd), which includes it."""
        issues = []
        for f in self.fields:
            ytd = self.by_key.get(f"{f.key}_ytd")
            month, total = values.get(f.key), values.get(f"{f.key}_ytd")
            if ytd is None or not f.numeric or month is None or total is None:
                continue
            if month > total >= 0:  # type: ignore[operator]
                issues.append(Issue(f.key, f"{prefix}{f.label} {_figure(f, month)}大于{ytd.label} {_figure(ytd, total)}，"
                                           "本年累计已含本月，请核对"))
        return issues

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": self.version, "title": self.title}
        if self.note:
            out["note"] = self.note
        out["fields"] = [f.to_json() for f in self.fields]
        return out


def parse_form(data: dict[str, Any]) -> FormDefinition:
    """A definition from its JSON object; ValueError names what is wrong (a programming or packaging error)."""
    fields = []
    seen: set[str] = set()
    for raw in data.get("fields", []):
        kind = raw.get("kind")
        if kind not in FIELD_KINDS:
            raise ValueError(f"monitoring form field {raw.get('key')!r}: unknown kind {kind!r}")
        if raw["key"] in seen:
            raise ValueError(f"monitoring form field {raw['key']!r} appears twice")
        seen.add(raw["key"])
        if kind in ("choice", "multi") and not raw.get("choices"):
            raise ValueError(f"monitoring form field {raw['key']!r} needs choices")
        fields.append(FormField(raw["key"], raw["label"], kind, raw.get("unit", ""), tuple(raw.get("choices", ())),
                                bool(raw.get("cumulative")), bool(raw.get("non_decreasing")),
                                bool(raw.get("negative")), bool(raw.get("range_check")), bool(raw.get("yoy")),
                                bool(raw.get("growth"))))
    if not data.get("version") or not fields:
        raise ValueError("monitoring form needs a version and fields")
    return FormDefinition(str(data["version"]), data.get("title", ""), tuple(fields), data.get("note", ""))


@cache
def default_form() -> FormDefinition:
    with open(resource(DEFAULT_FORM), encoding="utf-8") as fh:
        return parse_form(json.load(fh))


def clean_value(f: FormField, raw: object, issues: list[Issue], who: str = "") -> object:
    """A typed value (text, or already a number/list) → the stored value; a problem → an Issue, None."""
    prefix = f"{who}：" if who else ""
    if raw is None:
        return None
    if f.kind == "money":
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = fen_to_wan_input(raw)
        sub: list[Issue] = []
        value = parse_wan_to_fen(str(raw), f.key, f.label, allow_negative=f.negative, issues=sub)
        issues.extend(Issue(i.field, prefix + i.message) for i in sub)
        return value
    if f.kind == "count":
        sub = []
        value = parse_count(str(raw), f.key, f.label, sub)
        issues.extend(Issue(i.field, prefix + i.message) for i in sub)
        return value
    if f.kind == "choice":
        text = clean_line(str(raw))
        if not text:
            return None
        if text not in f.choices:
            issues.append(Issue(f.key, f"{prefix}{f.label}只能填“{'/'.join(f.choices)}”之一，“{text[:20]}”不在其中"))
            return None
        return text
    if f.kind == "multi":
        items = list(raw) if isinstance(raw, list | tuple) else _split(str(raw))
        picked = [clean_line(str(i)) for i in items if clean_line(str(i))]
        wrong = [p for p in picked if p not in f.choices]
        if wrong:
            issues.append(Issue(f.key, f"{prefix}{f.label}中“{'、'.join(wrong)[:30]}”不在可选项内，"
                                       f"可选：{'、'.join(f.choices)}"))
            return None
        return [c for c in f.choices if c in picked] or None
    text = str(raw).strip()
    if len(text) > 500:
        issues.append(Issue(f.key, f"{prefix}{f.label}不超过500字"))
        return None
    return text or None


def _split(text: str) -> list[str]:
    for sep in MULTI_SEPARATORS[1:]:
        text = text.replace(sep, MULTI_SEPARATORS[0])
    return text.split(MULTI_SEPARATORS[0])


def _figure(f: FormField, value: object) -> str:
    return f"{fen_to_wan_text(value)} 万元" if f.kind == "money" else f"{value:,}{f.unit}"  # type: ignore[arg-type]


def display_value(f: FormField, value: object) -> str:
    """A stored value as grid text: money as an editable 万元 string, lists joined with 、."""
    if value is None:
        return ""
    if f.kind == "money":
        return fen_text(int(value))  # type: ignore[call-overload]
    if f.kind == "multi":
        return "、".join(value)  # type: ignore[arg-type]
    return str(value)


def fen_text(fen: int) -> str:
    """分 → the exact editable 万元 text (same as numbers.fen_to_wan_input, without Decimal: grids show thousands)."""
    whole, part = divmod(abs(fen), 1_000_000)
    sign = "-" if fen < 0 else ""
    return f"{sign}{whole}" if not part else f"{sign}{whole}.{part:06d}".rstrip("0")
