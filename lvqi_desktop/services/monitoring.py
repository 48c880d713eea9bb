"""运行监测: the monitored sample, monthly reports per firm and per month's grid, completeness, statisticians.

Every public method is one transaction; ValidationFailed carries Chinese issues and changes nothing.
A second report for a firm and month is an update of the first (storage/history.py keeps the old values).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Sequence
from datetime import date
from typing import Any

from lvqi_desktop import clock
from lvqi_desktop.errors import EditConflict
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import NotFound
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.errors import refuse_blocking
from lvqi_desktop.models.monitoring import MonitoredFirm
from lvqi_desktop.models.monitoring import MonitoringReport
from lvqi_desktop.models.monitoring import Statistician
from lvqi_desktop.models.monitoring import StatisticianFee
from lvqi_desktop.services.edit_conflict import claim_for_save
from lvqi_desktop.services.monitoring_rows import SETTINGS_KEY
from lvqi_desktop.services.monitoring_rows import SMALL_MICRO
from lvqi_desktop.services.monitoring_rows import AssessmentRow
from lvqi_desktop.services.monitoring_rows import Completeness
from lvqi_desktop.services.monitoring_rows import CompletenessRow
from lvqi_desktop.services.monitoring_rows import FirmMonth
from lvqi_desktop.services.monitoring_rows import GridRow
from lvqi_desktop.services.monitoring_rows import ImportOutcome
from lvqi_desktop.services.monitoring_rows import MonitoringSettings
from lvqi_desktop.services.monitoring_rows import NeedsConfirmation
from lvqi_desktop.services.monitoring_rows import ReportDraft
from lvqi_desktop.services.monitoring_rows import SampleCheck
from lvqi_desktop.services.monitoring_rows import SampleRow
from lvqi_desktop.services.monitoring_rows import SavedReport
from lvqi_desktop.services.monitoring_rows import StatisticianRow
from lvqi_desktop.services.monitoring_rows import due_date
from lvqi_desktop.services.monitoring_rows import expected_in
from lvqi_desktop.services.monitoring_rows import month_code
from lvqi_desktop.services.monitoring_rows import month_of_code
from lvqi_desktop.services.monitoring_rows import shift_month
from lvqi_desktop.storage.repositories.monitoring import MonitoringRepository
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.monitoring_form import FormDefinition
from lvqi_desktop.validation.monitoring_form import clean_value
from lvqi_desktop.validation.monitoring_form import default_form
from lvqi_desktop.validation.monitoring_form import display_value
from lvqi_desktop.validation.numbers import fen_to_wan_text
from lvqi_desktop.validation.numbers import implausible_money
from lvqi_desktop.validation.period import Period
from lvqi_desktop.validation.period import parse_period
from lvqi_desktop.validation.text import clean_line

RECENT_MONTHS = 3  # the firm's own recent months a value is compared with
RANGE = 0.5  # ±50 %


def _loads(text: str | None) -> dict[str, Any]:
    return json.loads(text) if text else {}


History = dict[tuple[int, str], dict[str, Any]]  # (enterprise id, month) → the month report's values (JSON)


def growth(current: float | None, previous: float | None) -> float | None:
    """(current − previous) / |previous|; None without both or when previous is 0."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous)


def _shown(kind: str, value: object) -> str:
    return fen_to_wan_text(value) + " 万元" if kind == "money" else f"{value:,}"  # type: ignore[arg-type]


class MonitoringService:
    def __init__(self, db: Database, office_county: Callable[[], str | None],
                 today: Callable[[], date] = clock.today, form: FormDefinition | None = None) -> None:
        self._db = db
        self._office_county = office_county
        self._today = today
        self.form = form or default_form()

    def today(self) -> date:
        """The day the service works on (the program's clock; a test's fixed day)."""
        return self._today()

    def _county(self, county_code: str | None = None) -> str:
        """The office's county in a county edition; in the city edition the county chosen ("" for all)."""
        return self._office_county() or county_code or ""

    # ---- settings
    def settings(self) -> MonitoringSettings:
        with self._db.unit_of_work() as uow:
            return MonitoringSettings.from_text(uow.office.setting(SETTINGS_KEY))

    def set_settings(self, settings: MonitoringSettings) -> MonitoringSettings:
        issues = []
        if not 1 <= settings.due_day <= 28:
            issues.append(Issue("due_day", "报送截止日应在每月 1–28 日之间"))
        if not 0 < settings.pass_on_time_rate <= 1:
            issues.append(Issue("pass_on_time_rate", "考核合格的及时率应在 0–100% 之间"))
        if settings.pass_max_corrections < 0:
            issues.append(Issue("pass_max_corrections", "允许的更正次数不能为负数"))
        if settings.fee_fen < 0:
            issues.append(Issue("fee_fen", "信息采集费不能为负数"))
        if issues:
            raise ValidationFailed(issues)
        with self._db.unit_of_work() as uow:
            uow.office.set_setting(SETTINGS_KEY, settings.to_text())
            uow.commit()
        return settings

    # ---- periods
    def month(self, text: str) -> Period:
        """A month such as 2026-10; ValidationFailed for other periods or a month that has not begun."""
        period = parse_period(text, self._today())
        if period.kind != "month":
            raise ValidationFailed([Issue("period", f"运行监测按月填报，请写成 2026-10 这样的月份（收到“{text}”）")])
        return period

    def current_due_month(self) -> str:
        """The month whose report is being collected now: last month."""
        today = self._today()
        return shift_month(month_code(today.year, today.month), -1)

    # ---- sample
    def sample(self, *, county_code: str | None = None) -> list[SampleRow]:
        """The monitored firms (`county_code`: the city edition's choice of one county)."""
        with self._db.unit_of_work() as uow:
            return [SampleRow(r.enterprise_id, r.uscc, r.name, r.size_class, r.monitored_from, r.monitored_to, r.note,
                              r.county_code)
                    for r in uow.monitoring.sample_rows(self._county(county_code))]

    def sample_check(self, on: date | None = None, *, county_code: str | None = None) -> SampleCheck:
        """The sample on a day (default today): total and small+micro, with MIIT's 80 % rule."""
        on = on or self._today()
        rows = [r for r in self.sample(county_code=county_code) if r.monitored_from <= on and (r.monitored_to is None or r.monitored_to >= on)]
        return SampleCheck(len(rows), sum(r.size_class in SMALL_MICRO for r in rows))

    def add_to_sample(self, enterprise_id: int, monitored_from: date, note: str = "") -> SampleRow:
        """Put a firm in the sample from a date (or move its start, or bring it back after it left)."""
        with self._db.unit_of_work() as uow:
            enterprise = uow.enterprises.get(enterprise_id)
            if enterprise is None or enterprise.is_archived:
                raise NotFound(f"找不到编号为 {enterprise_id} 的在册企业")
            county = self._county()
            if county and enterprise.county_code != county:
                raise ValidationFailed([Issue("enterprise", f"“{enterprise.name}”不属于本县（市、区），不能加入本地监测样本")])
            if monitored_from > self._today():
                raise ValidationFailed([Issue("monitored_from", "纳入监测日期不能晚于今天")])
            repo = uow.monitoring
            firm = repo.firm(enterprise_id)
            if firm is None:
                firm = MonitoredFirm(enterprise_id=enterprise_id, monitored_from=monitored_from, note=clean_line(note))
                repo.add(firm)
                uow.label_action(f"纳入运行监测样本：{enterprise.name}")
            else:
                firm.monitored_from, firm.monitored_to, firm.archived_at = monitored_from, None, None
                if note:
                    firm.note = clean_line(note)
                uow.label_action(f"修改运行监测样本：{enterprise.name}")
            uow.commit()
            return SampleRow(enterprise_id, enterprise.uscc, enterprise.name, enterprise.size_class,
                             firm.monitored_from, firm.monitored_to, firm.note)

    def leave_sample(self, enterprise_id: int, monitored_to: date) -> None:
        """The firm leaves the sample after this day (its reports stay)."""
        with self._db.unit_of_work() as uow:
            firm = uow.monitoring.firm(enterprise_id)
            if firm is None:
                raise NotFound("该企业不在运行监测样本中")
            if monitored_to < firm.monitored_from:
                raise ValidationFailed([Issue("monitored_to", "退出监测日期不能早于纳入监测日期")])
            firm.monitored_to = monitored_to
            uow.commit()

    # ---- entry
    def save_report(self, draft: ReportDraft, confirmed: bool = False) -> SavedReport:
        """Save one firm's month; NeedsConfirmation (nothing saved) for unconfirmed ±50 % warnings."""
        return self.save_reports(draft.period, [draft], confirmed)[0]

    def save_reports(self, period: str, drafts: Sequence[ReportDraft], confirmed: bool = False) -> list[SavedReport]:
        """Save a month's reports together (the grid's bulk save): all or nothing."""
        month = self.month(period)
        code = month.code
        today = self._today()
        issues: list[Issue] = []
        if month.end > today:
            issues.append(Issue("period", f"{month.label}尚未结束，不能填报（今天是 {today.isoformat()}）"))
            raise ValidationFailed(issues)
        if not drafts:
            raise ValidationFailed([Issue("reports", "没有要保存的月报")])
        with self._db.unit_of_work() as uow:
            repo = uow.monitoring
            firms = {r.enterprise_id: r for r in repo.sample_rows(self._county())}
            ids = [d.enterprise_id for d in drafts]
            context = self._history_of(repo, code, ids)
            current = repo.reports_in(code)
            cleaned: list[tuple[ReportDraft, dict[str, object], list[str]]] = []
            warnings: list[Issue] = []
            for d in drafts:
                firm = firms.get(d.enterprise_id)
                if firm is None:
                    issues.append(Issue("enterprise", f"编号为 {d.enterprise_id} 的企业不在运行监测样本中，请先加入样本"))
                    continue
                start = len(issues)
                values, row_warnings = self._check(d, firm, month, context, issues, len(drafts) > 1)
                # fields name the row and the cell: "<enterprise id>.<field key>" (the grid colours that cell)
                issues[start:] = [Issue(f"{d.enterprise_id}.{i.field}", i.message, i.blocking) for i in issues[start:]]
                row_warnings = [Issue(f"{d.enterprise_id}.{i.field}", i.message, False) for i in row_warnings]
                warnings.extend(row_warnings)
                cleaned.append((d, values, [w.message for w in row_warnings]))
            refuse_blocking(issues)
            if warnings and not confirmed:
                raise NeedsConfirmation(warnings)
            for d, _values, _warnings in cleaned:
                self._claim(uow, current.get(d.enterprise_id), d, firms[d.enterprise_id].name, month)
            if len(drafts) > 1:
                uow.begin_batch(f"填报运行监测月报（{month.label}）", "monitoring_report", {"period": code})
            saved = [self._write(uow, repo, current.get(d.enterprise_id), d, values, row_warnings, firms, month,
                                 confirmed) for d, values, row_warnings in cleaned]
            uow.commit()
            return [SavedReport(r.id, r.enterprise_id, code, updated, tuple(w))
                    for (r, updated), (_, _, w) in zip(saved, cleaned, strict=True)]

    def import_reports(self, months: Sequence[tuple[str, Sequence[ReportDraft]]], *, write: bool = False,
                       confirm_warnings: bool = False, all_or_nothing: bool = False,
                       label: str = "") -> tuple[list[list[ImportOutcome]], bool]:
        """An import's months (earliest first) checked by the same rules as save_reports, in one transaction.

        Each month's valid rows are written (flushed) before the next month is checked, so a file's own
        earlier month counts as "last month". Rows with ±50 % warnings are written only with
        `confirm_warnings`. Committed only with `write` (and, under `all_or_nothing`, no errors);
        otherwise rolled back, so a dry run answers exactly what the import would do.
        Returns the outcomes per month and draft, and whether anything was committed.
        """
        today = self._today()
        order = sorted(range(len(months)), key=lambda i: months[i][0])
        out: list[list[ImportOutcome]] = [[] for _ in months]
        written = False
        with self._db.unit_of_work() as uow:
            repo = uow.monitoring
            firms = {r.enterprise_id: r for r in repo.sample_rows(self._county())}
            if write:
                uow.begin_batch(label or "从Excel导入运行监测月报", "monitoring_report", {})
            for i in order:
                period, drafts = months[i]
                try:
                    month = self.month(period)
                except ValidationFailed as e:
                    out[i] = [ImportOutcome("error", list(e.issues)) for _ in drafts]
                    continue
                if month.end > today:
                    issue = Issue("period", f"{month.label}尚未结束，不能填报（今天是 {today.isoformat()}）")
                    out[i] = [ImportOutcome("error", [issue]) for _ in drafts]
                    continue
                ids = [d.enterprise_id for d in drafts if d.enterprise_id in firms]
                context = self._history_of(repo, month.code, ids) if ids else {}
                current = repo.reports_in(month.code)
                for d in drafts:
                    out[i].append(self._import_one(uow, repo, d, firms, month, context, current, confirm_warnings))
                    written = written or out[i][-1].status in ("new", "update")
                uow.flush()
            failed = any(o.status == "error" for row in out for o in row)
            if write and written and not (all_or_nothing and failed):
                uow.commit()
                return out, True
        return out, False

    def _import_one(self, uow: UnitOfWork, repo: MonitoringRepository, d: ReportDraft, firms: dict[int, AnyRow],
                    month: Period, context: History, current: dict[int, MonitoringReport], confirm_warnings: bool) -> ImportOutcome:
        firm = firms.get(d.enterprise_id)
        if firm is None:
            return ImportOutcome("error", [Issue("enterprise", "该企业不在本地运行监测样本中，请先加入样本")])
        issues: list[Issue] = []
        values, warnings = self._check(d, firm, month, context, issues, False)
        if any(i.blocking for i in issues):
            return ImportOutcome("error", issues, warnings)
        if warnings and not confirm_warnings:
            return ImportOutcome("confirm", [], warnings)
        report = current.get(d.enterprise_id)
        old = _loads(report.values) if report is not None else {}
        if report is not None and old == json.loads(json.dumps(values)):
            return ImportOutcome("unchanged", [], warnings)
        by_key = self.form.by_key
        changes = [(k, display_value(by_key[k], old.get(k)), display_value(by_key[k], values.get(k)))
                   for k in by_key if old.get(k) != values.get(k)] if report is not None else []
        self._write(uow, repo, report, d, values, [w.message for w in warnings], firms, month, confirm_warnings)
        return ImportOutcome("update" if report is not None else "new", [], warnings, changes)

    def _history_of(self, repo: MonitoringRepository, code: str, ids: Sequence[int]) -> History:
        months = [shift_month(code, -k) for k in range(1, RECENT_MONTHS + 1)]
        rows = repo.report_rows(months) if len(ids) > 1 else repo.report_rows(months, ids[0])
        return {(r.enterprise_id, r.period): _loads(r.values) for r in rows}

    def _check(self, d: ReportDraft, firm: AnyRow, month: Period, context: History, issues: list[Issue],
               named: bool) -> tuple[dict[str, object], list[Issue]]:
        who = firm.name if named else ""
        prefix = f"{who}：" if who else ""
        start = firm.monitored_from
        if month.end < start:
            issues.append(Issue("period", f"{prefix}该企业 {start.isoformat()} 才纳入监测样本，不能填报此前的{month.label}"))
        left = firm.monitored_to
        if left is not None and month.start > left:
            issues.append(Issue("period", f"{prefix}该企业已于 {left.isoformat()} 退出监测样本，不能填报{month.label}"))
        received = d.received_on or self._today()
        if received > self._today() or received < month.start:
            issues.append(Issue("received_on", f"{prefix}报送日期应在 {month.start.isoformat()} 至今天之间"))
        unknown = [k for k in d.values if k not in self.form.by_key]
        if unknown:
            issues.append(Issue("values", f"{prefix}表中没有“{'、'.join(unknown)}”这一项（表式版本 {self.form.version}）"))
        values: dict[str, object] = {}
        found = len(issues)
        for f in self.form.fields:
            value = clean_value(f, d.values.get(f.key), issues, who)
            if value is not None:
                values[f.key] = value
        code = month.code
        if not values and len(issues) == found:
            issues.append(Issue("values", f"{prefix}月报中没有填写任何数值"))
        previous = context.get((d.enterprise_id, shift_month(code, -1)), {}) if month.number > 1 else {}
        for f in self.form.fields:
            if f.non_decreasing and f.key in values and previous.get(f.key) is not None:
                if values[f.key] < previous[f.key]:
                    issues.append(Issue(f.key, f"{prefix}{f.label} {_shown(f.kind, values[f.key])}低于上月累计"
                                               f" {_shown(f.kind, previous[f.key])}，本年累计数不应减少，请核对"))
        issues += self.form.month_above_year_to_date(values, prefix)
        warnings = [w for f in self.form.fields if f.kind == "money"
                    if (w := implausible_money(values.get(f.key), f.key, prefix + f.label)) is not None]  # type: ignore[arg-type]
        for f in self.form.fields:
            if not f.range_check or f.key not in values:
                continue
            recent: list[Any] = [context[(d.enterprise_id, shift_month(code, -k))].get(f.key)
                      for k in range(1, RECENT_MONTHS + 1) if (d.enterprise_id, shift_month(code, -k)) in context]
            recent = [v for v in recent if v is not None]
            if not recent:
                continue
            mean = sum(recent) / len(recent)
            value = values[f.key]
            if mean > 0 and abs(value - mean) > RANGE * mean:
                warnings.append(Issue(f.key, f"{prefix}{f.label} {_shown(f.kind, value)}与近{len(recent)}个月平均"
                                             f" {_shown(f.kind, round(mean))}相差超过50%", blocking=False))
        return values, warnings

    @staticmethod
    def _claim(uow: UnitOfWork, report: MonitoringReport | None, d: ReportDraft, name: str, month: Period) -> None:
        """Refuse the save (EditConflict naming the firm) if the report changed since the grid or form read it."""
        if d.version is None or (report is None and d.version == 0):
            return
        if report is None:  # it was there when read: reports are never deleted, but a refusal beats a guess
            raise EditConflict(f"{name} {month.label}的月报已被他人修改，您的修改没有保存。请刷新后重新录入。")
        try:
            claim_for_save(uow, report, d.version)
        except EditConflict as stale:
            raise EditConflict(f"{name} {month.label}：{stale}") from None

    def _write(self, uow: UnitOfWork, repo: MonitoringRepository, report: MonitoringReport | None, d: ReportDraft,
               values: dict[str, object], warnings: list[str], firms: dict[int, AnyRow], month: Period,
               confirmed: bool) -> tuple[MonitoringReport, bool]:
        text = json.dumps(values, ensure_ascii=False, sort_keys=True)
        name = firms[d.enterprise_id].name
        if report is None:
            report = MonitoringReport(enterprise_id=d.enterprise_id, period=month.code, form_version=self.form.version,
                                      values=text, received_on=d.received_on or self._today(), corrections=0,
                                      confirmed=bool(warnings) and confirmed, warnings="；".join(warnings))
            repo.add(report)
            uow.flush()
            uow.label_action(f"填报运行监测月报：{name} {month.label}")
            return report, False
        if report.values != text:
            report.corrections += 1
            report.values = text
        report.form_version = self.form.version
        report.confirmed = bool(warnings) and confirmed
        report.warnings = "；".join(warnings)
        uow.label_action(f"更正运行监测月报：{name} {month.label}")
        uow.flush()
        return report, True

    def report_values(self, enterprise_id: int, period: str) -> dict[str, object] | None:
        """The stored values of one firm's month (money in 分), or None when not reported."""
        with self._db.unit_of_work() as uow:
            report = uow.monitoring.report(enterprise_id, self.month(period).code)
            return None if report is None else _loads(report.values)

    def firm_month(self, enterprise_id: int, period: str) -> FirmMonth:
        """One monitored firm's month for the per-firm form, with last month and last year's same month."""
        code = self.month(period).code
        by_key = self.form.by_key
        with self._db.unit_of_work() as uow:
            repo = uow.monitoring
            firm = next(iter(repo.sample_rows(enterprise_id=enterprise_id)), None)
            if firm is None:
                raise NotFound("该企业不在运行监测样本中")
            report = repo.report(enterprise_id, code)
            report_id, stored = (report.id, _loads(report.values)) if report else (None, {})
            version = report.version if report else 0
            older = {r.period: _loads(r.values)
                     for r in repo.report_rows([shift_month(code, -1), shift_month(code, -12)], enterprise_id)}
        previous = older.get(shift_month(code, -1), {})
        if int(code[5:7]) == 1:  # December's year-to-date belongs to another year: not shown for January
            previous = {k: v for k, v in previous.items() if k in by_key and not by_key[k].cumulative}
        last_year = older.get(shift_month(code, -12), {})

        def text(values: dict[str, object]) -> dict[str, str]:
            return {k: display_value(by_key[k], v) for k, v in values.items() if k in by_key}

        yoy = {k: growth(v, last_year.get(k)) for k, v in stored.items() if k in by_key and by_key[k].numeric}
        return FirmMonth(enterprise_id, firm.uscc, firm.name, code, report_id, text(stored), text(previous),
                         text(last_year), yoy, version)

    # ---- the month grid
    def month_grid(self, period: str, *, county_code: str | None = None) -> list[GridRow]:
        """One month across every firm expected to report it, as plain rows (values as editable text);
        `county_code` is the city edition's choice of one county."""
        code = self.month(period).code
        settings = self.settings()
        due, today = due_date(code, settings.due_day), self._today()
        last_year = shift_month(code, -12)
        by_key = self.form.by_key
        numeric = {f.key for f in self.form.fields if f.numeric}
        with self._db.unit_of_work() as uow:
            repo = uow.monitoring
            firms = [f for f in repo.sample_rows(self._county(county_code))
                     if expected_in(f.monitored_from, f.monitored_to, code)]
            reports = {r.enterprise_id: r for r in repo.report_rows([code])}
            before = {r.enterprise_id: r.values for r in repo.report_rows([last_year])}
        rows = []
        for f in firms:
            r = reports.get(f.enterprise_id)
            values = _loads(r.values) if r else {}
            old = _loads(before.get(f.enterprise_id)) if f.enterprise_id in before else {}
            rows.append(GridRow(
                f.enterprise_id, f.uscc, f.name, f.size_class,
                {k: display_value(by_key[k], v) for k, v in values.items() if k in by_key},
                r.id if r else None, r.received_on if r else None, _status(r.received_on if r else None, due, today),
                bool(r.confirmed) if r else False, r.warnings if r else "",
                {k: growth(v, old.get(k)) for k, v in values.items() if k in numeric}, f.county_code,
                r.version if r else 0))
        return rows

    def stored_month(self, period: str) -> dict[int, dict[str, object]]:
        """Every report of a month as stored values (money in 分), by enterprise id."""
        code = self.month(period).code
        with self._db.unit_of_work() as uow:
            return {r.enterprise_id: _loads(r.values) for r in uow.monitoring.report_rows([code])}

    # ---- completeness and timeliness
    def completeness(self, period: str, *, county_code: str | None = None) -> Completeness:
        code = self.month(period).code
        due = due_date(code, self.settings().due_day)
        today = self._today()
        with self._db.unit_of_work() as uow:
            repo = uow.monitoring
            firms = [f for f in repo.sample_rows(self._county(county_code))
                     if expected_in(f.monitored_from, f.monitored_to, code)]
            received = {r.enterprise_id: r.received_on for r in repo.report_rows([code])}
        rows = tuple(CompletenessRow(f.enterprise_id, f.uscc, f.name, received.get(f.enterprise_id),
                                     _status(received.get(f.enterprise_id), due, today), f.county_code) for f in firms)
        return Completeness(code, due, rows)

    def missing_now(self) -> Completeness:
        """For the start page: last month's completeness (who still owes the report collected now)."""
        return self.completeness(self.current_due_month())

    # ---- statisticians
    def statisticians(self, enterprise_id: int | None = None, *, county_code: str | None = None) -> list[StatisticianRow]:
        with self._db.unit_of_work() as uow:
            return [_statistician(r) for r in uow.monitoring.statisticians(self._county(county_code), enterprise_id)]

    def add_statistician(self, enterprise_id: int, name: str, phone: str, since: date) -> StatisticianRow:
        name, phone = clean_line(name), clean_line(phone)
        issues = []
        if not name or len(name) > 40:
            issues.append(Issue("name", "请填写统计人员姓名（不超过40字）"))
        if len(phone) > 40:
            issues.append(Issue("phone", "联系电话不超过40字"))
        if since > self._today():
            issues.append(Issue("since", "任职日期不能晚于今天"))
        with self._db.unit_of_work() as uow:
            repo = uow.monitoring
            if repo.firm(enterprise_id) is None:
                issues.append(Issue("enterprise", "该企业不在运行监测样本中，请先加入样本再登记统计人员"))
            if issues:
                raise ValidationFailed(issues)
            person = Statistician(enterprise_id=enterprise_id, name=name, phone=phone, since=since)
            repo.add(person)
            uow.label_action(f"登记统计人员：{name}")
            uow.flush()
            row = next(_statistician(r) for r in repo.statisticians(enterprise_id=enterprise_id) if r.id == person.id)
            uow.commit()
            return row

    def end_statistician(self, statistician_id: int, until: date) -> None:
        with self._db.unit_of_work() as uow:
            person = uow.monitoring.statistician(statistician_id)
            if person is None or person.is_archived:
                raise NotFound(f"找不到编号为 {statistician_id} 的统计人员")
            if until < person.since:
                raise ValidationFailed([Issue("until", "离任日期不能早于任职日期")])
            person.until = until
            uow.commit()

    def assessment(self, year: int, through: date | None = None, *,
                   county_code: str | None = None) -> list[AssessmentRow]:
        """Each statistician's year: months owed while in post (due by today, and up to `through`), on time,
        corrections, and the result by the settings' threshold."""
        settings = self.settings()
        today = self._today()
        months = [month_code(year, m) for m in range(1, 13)]
        with self._db.unit_of_work() as uow:
            repo = uow.monitoring
            firms = {f.enterprise_id: f for f in repo.sample_rows(self._county(county_code))}
            people = [_statistician(r) for r in repo.statisticians(self._county(county_code))]
            reports = {(r.enterprise_id, r.period): r for r in repo.report_rows(months)}
            fees = {k: (f.id, f.amount_fen, f.paid, f.paid_on) for k, f in repo.fees(year).items()}
        rows = []
        for p in people:
            firm = firms.get(p.enterprise_id)
            expected = on_time = corrections = 0
            for code in months:
                m = month_of_code(code)
                due = due_date(code, settings.due_day)
                if through is not None and m.end > through:
                    continue
                if firm is None or due > today or not expected_in(firm.monitored_from, firm.monitored_to, code):
                    continue
                if p.since > m.end or (p.until is not None and p.until < m.start):
                    continue
                expected += 1
                r = reports.get((p.enterprise_id, code))
                if r is not None:
                    on_time += r.received_on <= due
                    corrections += r.corrections
            qualified = qualifies(expected, on_time, corrections, settings)
            fee = fees.get(p.id)
            fee_id, amount, paid, paid_on = fee if fee else (None, settings.fee_fen if qualified else None, False, None)
            rows.append(AssessmentRow(p, year, expected, on_time, corrections, qualified, fee_id, amount, paid,
                                      paid_on))
        return rows

    def record_fees(self, year: int) -> int:
        """Put every qualified statistician of the year in the fee ledger (unpaid); returns how many were added."""
        rows = [r for r in self.assessment(year) if r.qualified and r.fee_id is None]
        amount = self.settings().fee_fen
        with self._db.unit_of_work() as uow:
            repo = uow.monitoring
            uow.begin_batch(f"登记{year}年度信息采集费", "statistician_fee", {"year": year})
            for r in rows:
                repo.add(StatisticianFee(statistician_id=r.statistician.id, year=year, amount_fen=amount, paid=False))
            uow.commit()
        return len(rows)

    def mark_fee_paid(self, statistician_id: int, year: int, paid_on: date | None = None) -> None:
        with self._db.unit_of_work() as uow:
            fee = uow.monitoring.fees(year).get(statistician_id)
            if fee is None:
                raise NotFound(f"{year}年信息采集费台账中没有该统计人员，请先登记本年度采集费")
            fee.paid, fee.paid_on = True, paid_on or self._today()
            uow.commit()


def qualifies(expected: int, on_time: int, corrections: int, settings: MonitoringSettings) -> bool:
    """考核合格: owed at least one month, on-time rate ≥ the threshold, corrections ≤ the allowance."""
    return expected > 0 and on_time >= settings.pass_on_time_rate * expected - 1e-9 and \
        corrections <= settings.pass_max_corrections


def _status(received_on: date | None, due: date, today: date) -> str:
    if received_on is not None:
        return "on_time" if received_on <= due else "late"
    return "overdue" if today > due else "open"


def _statistician(r: AnyRow) -> StatisticianRow:
    return StatisticianRow(r.id, r.enterprise_id, r.enterprise_name, r.uscc, r.name, r.phone,
                           r.since, r.until, r.county_code or "")


__all__ = ["FirmMonth", "MonitoringService", "MonitoringSettings", "NeedsConfirmation", "ReportDraft"]
