"""小升规 readiness: a firm's yearly revenue against the 规上/限上 line of its industry."""

from __future__ import annotations

from dataclasses import dataclass

from lvqi_desktop.validation.tier_rules import MET
from lvqi_desktop.validation.tier_rules import NOT_MET
from lvqi_desktop.validation.tier_rules import UNKNOWN

NOT_APPLICABLE = "not_applicable"
READINESS_LABELS = {MET: "已达规上标准", NOT_MET: "未达规上标准", UNKNOWN: "待补数据",
                    NOT_APPLICABLE: "无规上标准"}
FEN_PER_WAN = 1_000_000
MEASURE_LABELS = {"main_revenue": "主营业务收入", "revenue": "营业收入"}


@dataclass(frozen=True)
class AboveScaleLineDef:
    section: str
    prefix: str
    category: str
    measure: str  # main_revenue, revenue, qualification, development
    threshold_wan: int | None
    name: str
    source: str


@dataclass(frozen=True, slots=True)
class Readiness:
    """The verdict, the line used, and the figure (万元) with its year; gap_wan > 0 while below."""

    state: str
    line: AboveScaleLineDef | None
    figure_wan: float | None
    year: int | None
    reason: str = ""  # why there is no verdict (state unknown / not applicable)
    measure: str = ""  # label of the figure compared

    @property
    def state_label(self) -> str:
        return READINESS_LABELS[self.state]

    @property
    def gap_wan(self) -> float | None:
        if self.line is None or self.line.threshold_wan is None or self.figure_wan is None:
            return None
        return max(0.0, self.line.threshold_wan - self.figure_wan)

    @property
    def message(self) -> str:
        """The verdict in a sentence (built on demand: 检查全部 judges tens of thousands of firms)."""
        if self.reason or self.line is None or self.figure_wan is None:
            return self.reason
        figure = f"{self.year}年{self.measure}{self.figure_wan:,.2f}万元"
        if self.state == MET:
            return f"{figure}，达到{self.line.name}"
        return f"{figure}，距{self.line.name}还差{self.gap_wan:,.2f}万元"


class AboveScaleLines:
    """The lines indexed by section; the most specific class prefix wins."""

    def __init__(self, lines: list[AboveScaleLineDef]) -> None:
        self._by_section: dict[str, list[AboveScaleLineDef]] = {}
        for line in sorted(lines, key=lambda ln: -len(ln.prefix)):
            self._by_section.setdefault(line.section, []).append(line)

    def line_for(self, section: str | None, industry_class: str) -> tuple[AboveScaleLineDef | None, bool]:
        """(line, ambiguous): ambiguous when the section's line depends on a class code not given."""
        candidates = self._by_section.get(section or "", [])
        for line in candidates:
            if industry_class.startswith(line.prefix):
                return line, False
        return None, bool(candidates)


def readiness(lines: AboveScaleLines, section: str | None, industry_class: str,
              years: dict[int, tuple[int | None, int | None]]) -> Readiness:
    """Judge from the newest year that has the figure; `years` maps year → (revenue_fen, main_revenue_fen)."""
    if not section:
        return Readiness(UNKNOWN, None, None, None, "未填写行业门类，无法判断规上标准")
    line, ambiguous = lines.line_for(section, industry_class)
    if line is None:
        if ambiguous:
            return Readiness(UNKNOWN, None, None, None, "请填写行业小类代码（4位），以确定适用的规上标准")
        return Readiness(NOT_APPLICABLE, None, None, None, f"行业门类{section}没有规上（限上）标准")
    if line.threshold_wan is None:
        return Readiness(UNKNOWN, line, None, None, f"{line.name}：需人工确认")
    index = 1 if line.measure == "main_revenue" else 0
    label = MEASURE_LABELS.get(line.measure, line.measure)
    for year in sorted(years, reverse=True):
        revenue, main = years[year]
        value = (revenue, main)[index]
        if value is None and index == 1 and revenue is not None and revenue / FEN_PER_WAN < line.threshold_wan:
            # 主营业务收入 never exceeds 营业收入, so a revenue below the line settles it.
            return Readiness(NOT_MET, line, revenue / FEN_PER_WAN, year, measure="营业收入")
        if value is None:
            continue
        wan = value / FEN_PER_WAN
        return Readiness(MET if wan >= line.threshold_wan else NOT_MET, line, wan, year, measure=label)
    return Readiness(UNKNOWN, line, None, None, f"缺少{label}数据，无法判断是否达到{line.name}")
