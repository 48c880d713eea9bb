"""The gap report beside the record editor: each condition met / not met / missing data, with the figures used."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QTextBrowser
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.pool_rows import GapReport
from lvqi_desktop.validation.tier_rules import MET
from lvqi_desktop.validation.tier_rules import NOT_MET
from lvqi_desktop.validation.tier_rules import UNKNOWN
from lvqi_desktop.validation.tier_rules import ConditionResult
from lvqi_desktop.validation.tier_rules import ScoreResult

STATE_WORDS = {MET: ("满足", "#2e7d32"), NOT_MET: ("不满足", "#c62828"), UNKNOWN: ("缺数据", "#9a5b00")}
OVERALL_WORDS = {MET: ("符合全部条件", "#2e7d32"), NOT_MET: ("尚不符合", "#c62828"),
                 UNKNOWN: ("缺少数据，暂无法判断", "#9a5b00"), "not_applicable": ("无规上标准", "#555555")}
ESTIMATE = "本地估算"


def _word(state: str, words: dict[str, tuple[str, str]] = STATE_WORDS) -> str:
    text, colour = words.get(state, (state, "#555555"))
    return f'<span style="color:{colour}; font-weight:bold">{html.escape(text)}</span>'


def _figures(c: ConditionResult) -> str:
    parts = []
    for f in c.figures:
        year = f"（{f.year}年）" if f.year.isdigit() else (f"（{f.year}）" if f.year else "")
        value = "缺" if f.missing else f.value_text
        colour = ' style="color:#9a5b00"' if f.missing else ""
        parts.append(f"{html.escape(f.label)}：<span{colour}>{html.escape(str(value))}</span>{html.escape(year)}")
    return "<br>".join(parts) or "—"


def _score_html(s: ScoreResult) -> str:
    rows = []
    for i in s.indicators:
        if i.low is None:
            points = f'<span style="color:#555">{html.escape(i.note or "未计入")}</span>'
        else:
            points = html.escape(i.points_text)
        rows.append(f"<tr><td>{html.escape(i.block)}</td><td>{html.escape(i.name)}</td>"
                    f'<td align="right">{points}</td><td align="right">{i.max_points}</td></tr>')
    return (f'<p><b>{html.escape(s.name)}</b>　{_word(s.state)}　'
            f'<span style="background:#eef2f7">{html.escape(s.text)}</span></p>'
            '<table border="1" cellspacing="0" cellpadding="3" width="100%" style="border-collapse:collapse">'
            '<tr style="background:#e8edf3"><th>板块</th><th>指标</th><th>得分</th><th>满分</th></tr>'
            + "".join(rows) + "</table>")


def report_html(report: GapReport) -> str:
    """The report as HTML: heading, rule set and its document, one row per condition, then the scores."""
    if report.readiness is not None:
        r = report.readiness
        line = f"<p>对照标准：{html.escape(r.line.name)}（{html.escape(r.line.source)}）</p>" if r.line else ""
        figure = (f"<p>所用数据：{r.year}年{html.escape(r.measure)} {r.figure_wan:,.2f} 万元</p>"
                  if r.figure_wan is not None else "")
        colour = OVERALL_WORDS.get(r.state, ("", "#555555"))[1]
        verdict = f'<span style="color:{colour}; font-weight:bold">{html.escape(r.state_label)}</span>'
        return (f"<h3>小升规：对照规上（限上）标准</h3><p>结果：{verdict}</p>{line}{figure}"
                f"<p>{html.escape(r.message)}</p>")
    a = report.assessment
    head = (f"<h3>对照：{html.escape(report.tier_label)}</h3>"
            f"<p>条件版本：{html.escape(report.rule_set_label)}<br>"
            f'<span style="color:#555">依据：{html.escape(report.rule_set_document)}</span></p>')
    notes = "".join(f'<p style="color:#9a5b00">{html.escape(n)}</p>' for n in report.notes)
    if a is None or a.no_conditions:
        return head + notes
    rows = "".join(
        f'<tr><td align="center">{_word(c.state)}</td><td><b>{html.escape(c.code)}</b> {html.escape(c.text)}'
        f'<br><span style="color:#666">依据：{html.escape(c.source)}</span></td><td>{_figures(c)}</td></tr>'
        for c in a.conditions)
    counts = {s: sum(1 for c in a.conditions if c.state == s) for s in (MET, NOT_MET, UNKNOWN)}
    summary = (f"<p>结果：{_word(a.state, OVERALL_WORDS)}（满足 {counts[MET]} 项，不满足 {counts[NOT_MET]} 项，"
               f"缺数据 {counts[UNKNOWN]} 项；基准年度 {a.base_year} 年）</p>")
    missing = (f'<p style="color:#9a5b00">请补充：{html.escape("、".join(a.missing))}</p>' if a.missing else "")
    table = ('<table border="1" cellspacing="0" cellpadding="3" width="100%" style="border-collapse:collapse">'
             '<tr style="background:#e8edf3"><th width="60">状态</th><th>条件</th><th width="170">所用数据（年度）</th></tr>'
             + rows + "</table>")
    scores = "".join(_score_html(s) for s in a.scores if s.indicators)
    note = ("<p style=\"color:#555\">评价得分为本程序按所录数据估算（本地估算），特色化指标由各省制定，"
            "山西省指标未公布前不计入；2026年起正式得分以国家平台为准。</p>" if scores else "")
    return head + summary + missing + notes + table + scores + note


class GapReportView(QWidget):
    """Shows one GapReport (or a sentence saying why there is none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: GapReport | None = None
        self.title = QLabel("对照条件和标准")
        self.title.setStyleSheet("font-weight: bold;")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.browser, 1)
        self.show_message("选择企业和层级后，这里显示对照条件的结果。")

    def show_report(self, report: GapReport) -> None:
        self.report = report
        self.browser.setHtml(report_html(report))

    def show_message(self, text: str) -> None:
        self.report = None
        self.browser.setHtml(f'<p style="color:#555">{html.escape(text)}</p>')

    def text(self) -> str:
        return self.browser.toPlainText()
