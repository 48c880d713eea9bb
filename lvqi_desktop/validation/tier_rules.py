"""Tier conditions as data: parsing a rule set and judging a firm against a tier (met / not met / unknown)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from lvqi_desktop.errors import Issue
from lvqi_desktop.validation.tier_metrics import METRICS
from lvqi_desktop.validation.tier_metrics import Figure
from lvqi_desktop.validation.tier_metrics import FirmFacts
from lvqi_desktop.validation.tier_metrics import format_value
from lvqi_desktop.validation.tier_metrics import metric_label

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
STATE_LABELS = {MET: "符合", NOT_MET: "不符合", UNKNOWN: "待补数据"}
OPS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "=", "in": "属于", "present": "有",
       "rank_within": "前"}
ESTIMATE_LABEL = "本地估算"


@dataclass(frozen=True)
class ConditionDef:
    code: str
    text: str
    test: dict[str, Any]
    source: str
    entered_locally: bool = False


@dataclass(frozen=True)
class RuleSetDef:
    """A rule set as plain data: its conditions per tier and its scoring tables."""

    code: str
    name: str
    document: str
    applies_from: date
    scores: dict[str, dict[str, Any]]
    conditions: dict[str, list[ConditionDef]]


def parse_rule_set(code: str, name: str, document: str, applies_from: str, scores_json: str,
                   conditions: dict[str, list[ConditionDef]]) -> RuleSetDef:
    scores = {s["id"]: s for s in json.loads(scores_json or "[]")}
    return RuleSetDef(code, name, document, date.fromisoformat(applies_from), scores, conditions)


def default_rule_set(rule_sets: list[RuleSetDef], today: date, recognized_on: date | None = None) -> str | None:
    """The rule set a record is assessed under: by the recognition date for titles already granted
    (reviews of earlier titles stay on the old rules), otherwise by today (new applications)."""
    when = recognized_on or today
    usable = [r for r in rule_sets if r.applies_from <= when]
    chosen = max(usable, key=lambda r: r.applies_from, default=None)
    return chosen.code if chosen else (min(rule_sets, key=lambda r: r.applies_from).code if rule_sets else None)


@dataclass(frozen=True, slots=True)
class FigureUse:
    """One figure a condition looked at: what, its value (shown as text, or 缺), and the year."""

    metric: str
    label: str
    value: object
    year: str
    missing: bool

    @property
    def value_text(self) -> str:
        if self.missing:
            return "缺"
        return self.value if self.metric.startswith("score:") else format_value(self.metric, self.value)  # type: ignore[return-value]


@dataclass(frozen=True)
class ConditionResult:
    code: str
    text: str
    source: str
    state: str
    figures: list[FigureUse]

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def missing(self) -> list[str]:
        return [f.label for f in self.figures if f.missing]


@dataclass(frozen=True)
class IndicatorResult:
    block: str
    name: str
    max_points: int
    low: int | None  # None: not known at all
    high: int | None
    note: str = ""

    @property
    def points_text(self) -> str:
        if self.low is None:
            return self.note or "待补数据"
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


@dataclass(frozen=True)
class ScoreResult:
    """An estimated score (本地估算): points known for sure, what the unknown items could add."""

    id: str
    name: str
    pass_mark: int
    known: int
    upside: int
    state: str
    indicators: list[IndicatorResult]
    label: str = ESTIMATE_LABEL

    @property
    def text(self) -> str:
        shown = str(self.known) if not self.upside else f"{self.known}（最高可能{self.known + self.upside}）"
        return f"{shown}分，{ESTIMATE_LABEL}，达标线{self.pass_mark}分"


@dataclass
class TierAssessment:
    """A gap report: each condition of one tier under one rule set, the scores, and the overall state."""

    tier: str
    rule_set: str
    base_year: int
    conditions: list[ConditionResult]
    scores: list[ScoreResult]
    state: str

    @property
    def no_conditions(self) -> bool:
        return not self.conditions

    @property
    def missing(self) -> list[str]:
        seen: dict[str, None] = {}
        for c in self.conditions:
            for label in c.missing:
                seen.setdefault(label)
        return list(seen)


def _all(states: list[str]) -> str:
    if any(s == NOT_MET for s in states):
        return NOT_MET
    return UNKNOWN if any(s == UNKNOWN for s in states) else MET


def _any(states: list[str]) -> str:
    if any(s == MET for s in states):
        return MET
    return UNKNOWN if any(s == UNKNOWN for s in states) else NOT_MET


def _compare(op: str, value: object, wanted: object) -> bool:
    if op == "eq":
        return value == wanted
    if op == "in":
        return value in wanted  # type: ignore[operator]
    if op == "present":
        return bool(value) and float(value) >= 1  # type: ignore[arg-type]
    if op == "rank_within":
        return 1 <= float(value) <= float(wanted)  # type: ignore[arg-type]
    if isinstance(value, bool) or isinstance(value, str):
        return False
    # Ratios are computed in floating point: 8820/8000 → 5% CAGR must not come out as 4.9999999%.
    v, w = round(float(value), 6), float(wanted)  # type: ignore[arg-type]
    return {"ge": v >= w, "gt": v > w, "le": v <= w, "lt": v < w}[op]


@dataclass
class Evaluator:
    """Judges one firm; caches each metric and score so a tree may name them many times."""

    facts: FirmFacts
    rule_set: RuleSetDef
    _metrics: dict[str, Figure | None] = field(default_factory=dict)
    _scores: dict[str, ScoreResult] = field(default_factory=dict)

    def figure(self, name: str) -> Figure | None:
        if name not in self._metrics:
            entry = METRICS.get(name)
            self._metrics[name] = entry[2](self.facts) if entry else None
        return self._metrics[name]

    def test(self, node: dict[str, Any], uses: list[FigureUse] | None) -> str:
        """met / not_met / unknown; each figure looked at is added to `uses` (None: not collected)."""
        if "metric" in node:
            name = node["metric"]
            fig = self.figure(name)
            if fig is None:
                if uses is not None:
                    uses.append(FigureUse(name, metric_label(name), None, "", True))
                return UNKNOWN
            if uses is not None:
                uses.append(FigureUse(name, metric_label(name), fig.value, fig.year, False))
            return MET if _compare(node["op"], fig.value, node.get("value")) else NOT_MET
        if "all" in node:
            return _all([self.test(n, uses) for n in node["all"]])
        if "any" in node:
            return _any([self.test(n, uses) for n in node["any"]])
        if "score" in node:
            score = self.score(node["score"])
            if uses is not None:
                uses.append(FigureUse("score:" + score.id, score.name, score.text, ESTIMATE_LABEL, False))
            return score.state
        raise ValueError(f"unknown condition node: {node}")

    def _band_state(self, band: dict[str, Any]) -> str:
        return self.test(band, None)

    def _indicator(self, spec: dict[str, Any]) -> IndicatorResult:
        top = int(spec["max"])
        if "points_from" in spec:
            fig = self.figure(spec["points_from"])
            if fig is None:
                return IndicatorResult(spec["block"], spec["name"], top, None, None, spec.get("not_counted_text", ""))
            pts = max(0, min(top, int(fig.value)))  # type: ignore[call-overload]
            return IndicatorResult(spec["block"], spec["name"], top, pts, pts)
        ceiling = 0
        for band in spec["bands"]:
            state = self._band_state(band)
            if state == MET:
                pts = int(band["points"])
                return IndicatorResult(spec["block"], spec["name"], top, pts, max(pts, ceiling))
            if state == UNKNOWN:
                ceiling = max(ceiling, int(band["points"]))
        if ceiling:
            return IndicatorResult(spec["block"], spec["name"], top, 0, ceiling, "待补数据")
        return IndicatorResult(spec["block"], spec["name"], top, 0, 0)

    def score(self, score_id: str) -> ScoreResult:
        if score_id in self._scores:
            return self._scores[score_id]
        spec = self.rule_set.scores.get(score_id)
        if spec is None:
            result = ScoreResult(score_id, score_id, 0, 0, 0, UNKNOWN, [])
        else:
            items = [self._indicator(i) for i in spec["indicators"]]
            known = sum(i.low or 0 for i in items)
            upside = sum((i.high if i.high is not None else i.max_points) - (i.low or 0) for i in items)
            pass_mark = int(spec["pass"])
            blocks_ok, blocks_possible = True, True
            for block, minimum in spec.get("block_min", {}).items():
                low = sum(i.low or 0 for i in items if i.block == block)
                high = sum(i.high if i.high is not None else i.max_points for i in items if i.block == block)
                blocks_ok &= low >= minimum
                blocks_possible &= high >= minimum
            if known >= pass_mark and blocks_ok:
                state = MET
            elif known + upside < pass_mark or not blocks_possible:
                state = NOT_MET
            else:
                state = UNKNOWN
            result = ScoreResult(score_id, spec["name"], pass_mark, known, upside, state, items)
        self._scores[score_id] = result
        return result

    def condition(self, c: ConditionDef) -> ConditionResult:
        uses: list[FigureUse] = []
        state = self.test(c.test, uses)
        return ConditionResult(c.code, c.text, c.source, state, uses)


def assess(facts: FirmFacts, rule_set: RuleSetDef, tier: str, with_scores: bool = True) -> TierAssessment:
    """The gap report of one firm for one tier under one rule set; no conditions → state unknown."""
    ev = Evaluator(facts, rule_set)
    results = [ev.condition(c) for c in rule_set.conditions.get(tier, [])]
    state = _all([r.state for r in results]) if results else UNKNOWN
    scores = [ev.score(sid) for sid in rule_set.scores] if with_scores else list(ev._scores.values())
    return TierAssessment(tier, rule_set.code, facts.base_year, results, scores, state)


def check_condition_draft(metric: str, op: str, value: str, text: str) -> tuple[dict[str, Any], list[Issue]]:
    """A locally entered condition (e.g. 省级小巨人): one metric, one comparison, one threshold."""
    issues: list[Issue] = []
    if metric not in METRICS:
        issues.append(Issue("metric", "请从列表中选择指标"))
    if op not in ("ge", "gt", "le", "lt", "eq", "rank_within"):
        issues.append(Issue("op", "请选择比较方式（≥、>、≤、<、=、前N名）"))
    unit = METRICS[metric][1] if metric in METRICS else ""
    parsed: object = None
    raw = value.strip()
    if unit == "bool":
        if raw not in ("是", "否"):
            issues.append(Issue("value", "此指标的条件值应为“是”或“否”"))
        parsed = raw == "是"
    elif unit == "code":
        parsed = raw
    else:
        try:
            parsed = float(raw)
        except ValueError:
            issues.append(Issue("value", f"条件值应为数字，“{raw[:20]}”不是数字"))
    if not text.strip():
        issues.append(Issue("text", "请填写条件的文字说明"))
    return {"metric": metric, "op": op, "value": parsed}, issues
