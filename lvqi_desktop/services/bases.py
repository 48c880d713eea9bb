"""小微企业双创基地: the bases ledger, level changes with their timeline, tenants from the register, yearly figures.

Every public method is one transaction; ValidationFailed carries Chinese issues and changes nothing.
The 规上 / 专精特新 tenant counts are derived from the register and the pools (never typed), by
`year_figures`, which the page, the CLI and the 双创基地情况表 return all use.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import NotFound
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.errors import refuse_blocking
from lvqi_desktop.errors import require
from lvqi_desktop.models.bases import BaseLevelEvent
from lvqi_desktop.models.bases import BaseTenant
from lvqi_desktop.models.bases import BaseYear
from lvqi_desktop.models.bases import IncubationBase
from lvqi_desktop.services.edit_conflict import claim_for_save
from lvqi_desktop.storage.base_seed import base_reference
from lvqi_desktop.storage.repositories.bases import BaseRepository
from lvqi_desktop.storage.repositories.rows import AnyRow
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.bases import APPLICATION_FIELDS
from lvqi_desktop.validation.bases import DATE_FIELDS
from lvqi_desktop.validation.bases import RECOGNITION_FIELDS
from lvqi_desktop.validation.bases import BaseDraft
from lvqi_desktop.validation.bases import CleanBase
from lvqi_desktop.validation.bases import LevelDef
from lvqi_desktop.validation.bases import LevelRules
from lvqi_desktop.validation.bases import YearDraft
from lvqi_desktop.validation.bases import check_level_change
from lvqi_desktop.validation.bases import check_recognition
from lvqi_desktop.validation.bases import clean_base
from lvqi_desktop.validation.bases import clean_year
from lvqi_desktop.validation.numbers import parse_date
from lvqi_desktop.validation.text import clean_line

__all__ = ["BaseDraft", "BaseFilter", "BaseService", "YearDraft", "year_figures"]


@dataclass(frozen=True)
class BaseFilter:
    search: str = ""
    kind: str = ""
    level: str = ""
    archived: bool | None = False  # None: both
    county_code: str = ""  # the city's choice; a county office always sees its own


@dataclass(frozen=True)
class BaseRow:
    """One line of the bases ledger."""

    id: int
    uuid: str
    county_code: str
    name: str
    kind: str
    kind_label: str
    operator_name: str
    operator_type: str
    address: str
    township_code: str | None
    township_name: str
    floor_area_m2: float | None
    opened_on: date | None
    level: str
    level_label: str
    level_on: date | None
    recognized_on: date | None  # of the current (or last held) recognition
    document_no: str
    city_recognized_on: date | None
    city_document_no: str
    provincial_recognized_on: date | None
    provincial_document_no: str
    services_offered: str
    shared_facilities: str
    contact_person: str
    contact_phone: str
    current_tenants: int
    archived: bool


@dataclass(frozen=True)
class LevelEventRow:
    id: int
    happened_at: datetime
    effective_on: date | None
    operator: str
    from_level: str | None
    from_label: str
    to_level: str
    to_label: str
    document_no: str
    note: str


@dataclass(frozen=True)
class TenantRow:
    id: int
    uuid: str
    base_id: int
    enterprise_id: int
    name: str
    uscc: str
    moved_in_on: date
    moved_out_on: date | None
    move_out_reason: str
    notes: str
    above_scale: bool
    enterprise_archived: bool

    @property
    def current(self) -> bool:
        return self.moved_out_on is None


@dataclass(frozen=True)
class YearFigures:
    """A base's figures for one year: typed (None = not typed) and derived from the register and pools."""

    base_id: int
    year: int
    tenants: int | None
    new_tenants: int | None
    jobs: int | None
    notes: str
    linked_tenants: int  # tenants linked to the register during the year (derived)
    linked_new: int  # of which moved in during the year (derived)
    above_scale: int  # linked tenants in 规上 statistics by December (derived)
    srdi: int  # linked tenants holding a 专精特新 tier title by December (derived)

    @property
    def typed(self) -> bool:
        return any(v is not None for v in (self.tenants, self.new_tenants, self.jobs))


def level_rules(repo: BaseRepository) -> LevelRules:
    return LevelRules({lv.code: LevelDef(lv.code, lv.seq, lv.name, lv.recognized, lv.applied, lv.needs_reason)
                       for lv in repo.levels()}, frozenset(repo.transitions()))


def operator_types() -> list[str]:
    return list(base_reference()["operator_types"])


def year_figures(repo: BaseRepository, base_ids: Sequence[int], year: int) -> dict[int, YearFigures]:
    """Typed and derived figures of `year` for each base (one query per kind, whatever the number of bases)."""
    ids = list(base_ids)
    typed = repo.years_of(ids, year)
    tenants = repo.tenants_in_year(ids, year)
    firms = sorted({t.enterprise_id for t in tenants})
    above, srdi = repo.above_scale_ids(firms, year), repo.srdi_ids(firms, year)
    out: dict[int, YearFigures] = {}
    for base_id in ids:
        mine = {t.enterprise_id: t for t in tenants if t.base_id == base_id}
        y = typed.get(base_id)
        out[base_id] = YearFigures(
            base_id, year, y.tenants if y else None, y.new_tenants if y else None, y.jobs if y else None,
            y.notes if y else "", len(mine), sum(1 for t in mine.values() if t.moved_in_on.year == year),
            sum(1 for e in mine if e in above), sum(1 for e in mine if e in srdi))
    return out


def base_row(r: AnyRow, kinds: dict[str, str], rules: LevelRules) -> BaseRow:
    b: IncubationBase = r.IncubationBase
    if b.provincial_recognized_on is not None and b.level in ("provincial", "provincial_applied", "revoked"):
        recognized, doc = b.provincial_recognized_on, b.provincial_document_no
    elif b.city_recognized_on is not None:
        recognized, doc = b.city_recognized_on, b.city_document_no
    else:
        recognized, doc = None, ""
    return BaseRow(
        b.id, b.uuid, b.county_code, b.name, b.kind, kinds.get(b.kind, b.kind), b.operator_name, b.operator_type,
        b.address, b.township_code, r.township_name or "", b.floor_area_m2, b.opened_on,
        b.level, rules.label(b.level), b.level_on, recognized, doc, b.city_recognized_on, b.city_document_no,
        b.provincial_recognized_on, b.provincial_document_no, b.services_offered, b.shared_facilities,
        b.contact_person, b.contact_phone, int(r.current_tenants or 0), b.archived_at is not None)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def base_to_draft(b: IncubationBase) -> BaseDraft:
    d = BaseDraft(name=b.name, kind=b.kind, operator_name=b.operator_name, operator_type=b.operator_type,
                  address=b.address, township_code=b.township_code or "", floor_area=_text(b.floor_area_m2),
                  level=b.level, city_document_no=b.city_document_no, provincial_document_no=b.provincial_document_no,
                  services_offered=b.services_offered, shared_facilities=b.shared_facilities,
                  contact_person=b.contact_person, contact_phone=b.contact_phone, notes=b.notes, version=b.version)
    for name in DATE_FIELDS:
        setattr(d, name, _text(getattr(b, name)))
    return d


def _level_date(level: str, v: dict[str, object]) -> date | None:
    if level in RECOGNITION_FIELDS:
        return v.get(RECOGNITION_FIELDS[level][0])  # type: ignore[return-value]
    if level in APPLICATION_FIELDS:
        return v.get(APPLICATION_FIELDS[level])  # type: ignore[return-value]
    return None


def register_base(uow: UnitOfWork, repo: BaseRepository, county: str, values: dict[str, object],
                  note: str) -> IncubationBase:
    """A new base from `clean_base` values, with the first event of its level timeline (the form and 导入Excel)."""
    v = dict(values)
    level = str(v.pop("level"))
    level_on = v.pop("level_on") or _level_date(level, v) or v.get("opened_on")
    b = IncubationBase(county_code=county, level=level, level_on=level_on, **v)
    repo.add(b)
    uow.flush()
    document = str(v.get(RECOGNITION_FIELDS[level][1]) or "") if level in RECOGNITION_FIELDS else ""
    repo.add(BaseLevelEvent(base_id=b.id, from_level=None, to_level=level, effective_on=level_on,
                            document_no=document, operator=uow.operator,
                            happened_at=clock.now(), note=note))
    return b


class BaseService:
    def __init__(self, db: Database, office_county: Callable[[], str | None],
                 today: Callable[[], date] = clock.today) -> None:
        self._db = db
        self._office_county = office_county
        self._today = today

    def today(self) -> date:
        return self._today()

    # ---- reference
    def kind_choices(self) -> list[tuple[str, str]]:
        with self._db.unit_of_work() as uow:
            return [(k.code, k.name) for k in uow.bases.kinds()]

    def level_rules(self) -> LevelRules:
        with self._db.unit_of_work() as uow:
            return level_rules(uow.bases)

    def level_choices(self) -> list[tuple[str, str]]:
        return [(lv.code, lv.name) for lv in sorted(self.level_rules().levels.values(), key=lambda x: x.seq)]

    @staticmethod
    def operator_types() -> list[str]:
        return operator_types()

    # ---- bases
    def list_bases(self, f: BaseFilter | None = None) -> list[BaseRow]:
        """The ledger's rows (this county's for a county office), filtered by kind, level and search words."""
        f = f or BaseFilter()
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            kinds = {k.code: k.name for k in repo.kinds()}
            rules = level_rules(repo)
            rows = [base_row(r, kinds, rules) for r in repo.base_rows(self._office_county() or f.county_code, f.archived)]
        words = f.search.lower().split()
        return [r for r in rows
                if (not f.kind or r.kind == f.kind) and (not f.level or r.level == f.level)
                and all(w in f"{r.name} {r.operator_name} {r.address} {r.township_name} {r.kind_label}".lower()
                        for w in words)]

    def base(self, base_id: int) -> tuple[BaseRow, BaseDraft]:
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            b = self._get(repo, base_id)
            rows = repo.base_rows("", None, base_id)
            return (base_row(rows[0], {k.code: k.name for k in repo.kinds()}, level_rules(repo)),
                    base_to_draft(b))

    def check_base(self, draft: BaseDraft, base_id: int | None = None) -> list[Issue]:
        """What saving would say, without saving (for the form's messages as the user types)."""
        with self._db.unit_of_work() as uow:
            return self._clean(uow.bases, draft, base_id).issues

    def _clean(self, repo: BaseRepository, draft: BaseDraft, base_id: int | None) -> CleanBase:
        kinds = {k.code: k.name for k in repo.kinds()}
        rules = level_rules(repo)
        out = clean_base(draft, kinds, rules, operator_types(), self._today(), new=base_id is None)
        if base_id is not None:
            b = self._get(repo, base_id)
            out.issues.extend(check_recognition(b.level, out.values, rules))
            held = [lv for lv, fields in RECOGNITION_FIELDS.items()
                    if b.level == "provincial" and lv == "city" and getattr(b, fields[0]) is not None]
            for lv in held:  # a 省级 base keeps its 市级 recognition once recorded
                out.issues.extend(check_recognition(lv, out.values, rules))
        county = self._county_for(repo, base_id)
        if out.values.get("name") and county and repo.same_name(county, str(out.values["name"]), base_id):
            out.issues.append(Issue("name", f"本县（市、区）已有名为“{out.values['name']}”的双创基地"))
        return out

    def _county_for(self, repo: BaseRepository, base_id: int | None) -> str:
        if base_id is not None:
            b = repo.get(base_id)
            return b.county_code if b else ""
        return self._office_county() or ""

    def save_base(self, draft: BaseDraft, base_id: int | None = None, note: str = "") -> int:
        """Register a base (its level with dates and documents) or edit one; the level itself changes via change_level."""
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            county = self._county_for(repo, base_id)
            if base_id is None and not county:
                raise ValidationFailed([Issue("", "双创基地由所在县（市、区）登记；市中心请在接收的报送包中查看。")])
            out = self._clean(repo, draft, base_id)
            if out.blocking:
                raise ValidationFailed(out.issues)
            v = dict(out.values)
            if base_id is None:
                b = register_base(uow, repo, county, v, clean_line(note) or "登记")
                uow.label_action(f"新增双创基地 {b.name}")
            else:
                b = self._get(repo, base_id)
                claim_for_save(uow, b, draft.version)
                if b.archived_at is not None:
                    raise ValidationFailed([Issue("", f"“{b.name}”已归档，请先恢复再修改。")])
                v.pop("level_on", None)
                for key, value in v.items():
                    if getattr(b, key) != value:
                        setattr(b, key, value)
                uow.label_action(f"修改双创基地 {b.name}")
            uow.commit()
            return b.id

    def archive_base(self, base_id: int, reason: str = "") -> None:
        with self._db.unit_of_work() as uow:
            b = self._get(uow.bases, base_id)
            if b.archived_at is not None:
                raise ValidationFailed([Issue("", f"“{b.name}”已经归档。")])
            b.archive(clean_line(reason))
            uow.label_action(f"归档双创基地 {b.name}")
            uow.commit()

    def restore_base(self, base_id: int) -> None:
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            b = self._get(repo, base_id)
            if b.archived_at is None:
                return
            if repo.same_name(b.county_code, b.name, b.id):
                raise ValidationFailed([Issue("name", f"已有同名的双创基地“{b.name}”，不能恢复；请先修改其中一个的名称。")])
            b.archived_at, b.archive_reason = None, None
            uow.label_action(f"恢复双创基地 {b.name}")
            uow.commit()

    # ---- level
    def change_level(self, base_id: int, to_level: str, effective_on: date | str | None, document_no: str = "",
                     reason: str = "") -> None:
        """Move a base along 培育 → 申报市级 → 市级 → 申报省级 → 省级 (or 撤销); recorded on its timeline."""
        issues: list[Issue] = []
        if isinstance(effective_on, str):
            effective_on = parse_date(effective_on, "effective_on", "日期", issues)
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            b = self._get(repo, base_id)
            rules = level_rules(repo)
            to_level = {lv.name: lv.code for lv in rules.levels.values()}.get(to_level.strip(), to_level.strip())
            if b.archived_at is not None:
                issues.append(Issue("", f"“{b.name}”已归档，不能变更层级。"))
            if not issues:
                issues = check_level_change(rules, b.level, to_level, effective_on, document_no, reason, b.level_on,
                                            self._today())
            refuse_blocking(issues)
            assert effective_on is not None
            doc, from_level = clean_line(document_no), b.level
            if to_level in RECOGNITION_FIELDS and doc:
                on_field, doc_field = RECOGNITION_FIELDS[to_level]
                setattr(b, on_field, effective_on)
                setattr(b, doc_field, doc)
            elif to_level in APPLICATION_FIELDS:
                setattr(b, APPLICATION_FIELDS[to_level], effective_on)
            elif rules.levels[to_level].needs_reason:
                b.revoked_on, b.revoke_reason = effective_on, clean_line(reason)[:200]
            b.level, b.level_on = to_level, effective_on
            repo.add(BaseLevelEvent(base_id=b.id, from_level=from_level, to_level=to_level, effective_on=effective_on,
                                    document_no=doc, operator=uow.operator, happened_at=clock.now(),
                                    note=reason.strip()))
            uow.label_action(f"双创基地 {b.name}：{rules.label(from_level)} → {rules.label(to_level)}")
            uow.commit()

    def check_level(self, base_id: int, to_level: str, effective_on: date | None, document_no: str = "",
                    reason: str = "") -> list[Issue]:
        """What change_level would say, without changing anything (the form's messages as the user types)."""
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            b = self._get(repo, base_id)
            if not to_level:
                return [Issue("level", "请选择新的层级")]
            return check_level_change(level_rules(repo), b.level, to_level, effective_on, document_no, reason,
                                      b.level_on, self._today())

    def timeline(self, base_id: int) -> list[LevelEventRow]:
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            self._get(repo, base_id)
            rules = level_rules(repo)
            return [LevelEventRow(e.id, e.happened_at, e.effective_on, e.operator, e.from_level,
                                  rules.label(e.from_level) if e.from_level else "", e.to_level, rules.label(e.to_level),
                                  e.document_no, e.note) for e in repo.events(base_id)]

    def next_levels(self, base_id: int) -> list[tuple[str, str]]:
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            rules = level_rules(repo)
            return [(c, rules.label(c)) for c in rules.next_levels(self._get(repo, base_id).level)]

    # ---- tenants
    def tenants(self, base_id: int, include_moved_out: bool = True) -> list[TenantRow]:
        with self._db.unit_of_work() as uow:
            rows = uow.bases.tenant_rows(base_id)
        out = [TenantRow(r.id, r.uuid, r.base_id, r.enterprise_id, r.name, r.uscc, r.moved_in_on, r.moved_out_on,
                         r.move_out_reason, r.notes, bool(r.above_scale), r.enterprise_archived_at is not None)
               for r in rows]
        return [t for t in out if include_moved_out or t.current]

    def add_tenant(self, base_id: int, enterprise_id: int, moved_in_on: date | str | None,
                   moved_out_on: date | str | None = None, notes: str = "") -> int:
        """Link an enterprise of the register to a base from `moved_in_on` (optionally already moved out)."""
        issues: list[Issue] = []
        if isinstance(moved_in_on, str):
            moved_in_on = parse_date(moved_in_on, "moved_in_on", "入驻日期", issues)
        if isinstance(moved_out_on, str):
            moved_out_on = parse_date(moved_out_on, "moved_out_on", "迁出日期", issues)
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            b = self._get(repo, base_id)
            e = uow.enterprises.get(enterprise_id)
            if b.archived_at is not None:
                issues.append(Issue("", f"“{b.name}”已归档，不能登记入驻企业。"))
            if e is None:
                issues.append(Issue("enterprise_id", "请选择入驻企业（须为企业库中的企业）"))
            elif e.archived_at is not None:
                issues.append(Issue("enterprise_id", f"“{e.name}”已在企业库中归档，不能登记为入驻企业；"
                                                     "如该企业仍在经营，请先在企业库中恢复。"))
            elif repo.current_tenant(base_id, enterprise_id) is not None:
                issues.append(Issue("enterprise_id", f"“{e.name}”已入驻本基地，无需重复登记。"))
            issues.extend(self._dates(moved_in_on, moved_out_on, required_in=True))
            refuse_blocking(issues)
            assert e is not None and isinstance(moved_in_on, date)
            t = BaseTenant(base_id=b.id, enterprise_id=e.id, moved_in_on=moved_in_on, moved_out_on=moved_out_on,
                           notes=notes.strip())
            t.enterprise = e
            repo.add(t)
            uow.label_action(f"{b.name} 新增入驻企业 {e.name}")
            uow.commit()
            return t.id

    def _dates(self, moved_in_on: date | None, moved_out_on: date | None, required_in: bool) -> list[Issue]:
        issues: list[Issue] = []
        today = self._today()
        if moved_in_on is None and required_in:
            issues.append(Issue("moved_in_on", "请填写入驻日期"))
        if moved_in_on is not None and moved_in_on > today:
            issues.append(Issue("moved_in_on", f"入驻日期不能晚于今天（{today.isoformat()}）"))
        if moved_out_on is not None:
            if moved_out_on > today:
                issues.append(Issue("moved_out_on", f"迁出日期不能晚于今天（{today.isoformat()}）"))
            if moved_in_on is not None and moved_out_on < moved_in_on:
                issues.append(Issue("moved_out_on", f"迁出日期（{moved_out_on.isoformat()}）早于入驻日期"
                                                    f"（{moved_in_on.isoformat()}），请核对"))
        return issues

    def move_out_tenant(self, tenant_id: int, moved_out_on: date | str | None, reason: str = "") -> None:
        issues: list[Issue] = []
        if isinstance(moved_out_on, str):
            moved_out_on = parse_date(moved_out_on, "moved_out_on", "迁出日期", issues)
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            t = repo.tenant(tenant_id)
            if t is None or t.archived_at is not None:
                raise NotFound("没有找到这条入驻记录，可能已被删除或撤回。")
            if t.moved_out_on is not None:
                issues.append(Issue("moved_out_on", f"“{t.enterprise.name}”已于 {t.moved_out_on.isoformat()} 迁出。"))
            if moved_out_on is None and not issues:
                issues.append(Issue("moved_out_on", "请填写迁出日期"))
            issues.extend(self._dates(t.moved_in_on, moved_out_on, required_in=False))
            refuse_blocking(issues)
            t.moved_out_on, t.move_out_reason = moved_out_on, clean_line(reason)[:200]
            uow.label_action(f"{t.base.name} 迁出企业 {t.enterprise.name}")
            uow.commit()

    def withdraw_tenant(self, tenant_id: int) -> None:
        """Take back a tenant registered by mistake (archived, not deleted)."""
        with self._db.unit_of_work() as uow:
            t = uow.bases.tenant(tenant_id)
            if t is None or t.archived_at is not None:
                raise NotFound("没有找到这条入驻记录，可能已被撤回。")
            t.archived_at, t.archive_reason = clock.now(), "误登记"
            uow.label_action(f"{t.base.name} 撤回入驻登记 {t.enterprise.name}")
            uow.commit()

    # ---- yearly figures
    def years(self, base_id: int) -> list[YearFigures]:
        """Every year with typed figures or tenants, newest first, with the derived counts."""
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            self._get(repo, base_id)
            years = {y.year for y in repo.years(base_id)}
            for t in repo.tenant_rows(base_id):
                last = (t.moved_out_on or self._today()).year
                years.update(range(t.moved_in_on.year, last + 1))
            return [year_figures(repo, [base_id], y)[base_id] for y in sorted(years, reverse=True)]

    def figures(self, year: int, base_ids: Sequence[int] | None = None) -> dict[int, YearFigures]:
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            ids = list(base_ids) if base_ids is not None else [r.id for r in self.list_bases()]
            return year_figures(repo, ids, year)

    def save_year(self, base_id: int, draft: YearDraft) -> None:
        """Type (or correct) one year's 入驻企业数, 当年新入驻, 带动就业."""
        values, issues = clean_year(draft, self._today())
        refuse_blocking(issues)
        with self._db.unit_of_work() as uow:
            repo = uow.bases
            b = self._get(repo, base_id)
            year = int(values.pop("year"))  # type: ignore[call-overload]
            y = repo.year(base_id, year)
            if y is None:
                y = BaseYear(base_id=base_id, year=year)
                repo.add(y)
            elif y.archived_at is not None:
                y.archived_at, y.archive_reason = None, None
            for key, value in values.items():
                setattr(y, key, value)
            uow.label_action(f"双创基地 {b.name} {year}年数据")
            uow.commit()

    # ---- helpers
    @staticmethod
    def _get(repo: BaseRepository, base_id: int) -> IncubationBase:
        return require(repo.get(base_id), f"没有编号为 {base_id} 的双创基地。")
