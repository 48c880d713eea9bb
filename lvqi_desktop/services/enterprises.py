"""The enterprise register: list, open, check, save, archive and restore enterprises."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import NotFound
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models import Enterprise
from lvqi_desktop.models import EnterpriseYear
from lvqi_desktop.models import codes
from lvqi_desktop.services.edit_conflict import claim_for_save
from lvqi_desktop.services.enterprise_derived import BoundsLookup
from lvqi_desktop.services.enterprise_derived import computed_size_class
from lvqi_desktop.services.enterprise_derived import derive
from lvqi_desktop.services.enterprise_derived import size_bounds
from lvqi_desktop.services.enterprise_rows import EnterpriseRow
from lvqi_desktop.services.enterprise_rows import SavedEnterprise
from lvqi_desktop.services.enterprise_rows import row_from_db
from lvqi_desktop.storage.repositories.enterprises import EnterpriseFilter
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.enterprise import COUNT_FIELDS
from lvqi_desktop.validation.enterprise import MONEY_FIELDS
from lvqi_desktop.validation.enterprise import CleanEnterprise
from lvqi_desktop.validation.enterprise import EnterpriseDraft
from lvqi_desktop.validation.enterprise import YearDraft
from lvqi_desktop.validation.enterprise import clean_enterprise
from lvqi_desktop.validation.enterprise_refs import check_references
from lvqi_desktop.validation.numbers import fen_to_wan_input

__all__ = ["EnterpriseDraft", "EnterpriseFilter", "EnterpriseRow", "EnterpriseService", "YearDraft", "apply_clean",
           "refresh_derived", "to_draft"]


_EVERY_ENTERPRISE = EnterpriseFilter()  # frozen: safe as a shared default


def _bounds_lookup(uow: UnitOfWork) -> BoundsLookup:
    return lambda group: size_bounds(uow.reference.size_rule(group))


def _live_years(e: Enterprise) -> list[EnterpriseYear]:
    """Years not archived (an undone insert of a year archives it)."""
    return [y for y in e.years if y.archived_at is None]


def _size_of(uow: UnitOfWork, e: Enterprise) -> str | None:
    """The size class the 300号 rules give from the newest year with figures, or None."""
    return computed_size_class(e.industry_section, e.industry_class, e.size_group, _live_years(e),
                               _bounds_lookup(uow))


def refresh_derived(uow: UnitOfWork, e: Enterprise) -> str | None:
    """Set the derived columns (search keys, size class, latest figures); returns the computed size class."""
    derived = derive(name=e.name, uscc=e.uscc, former_names=e.former_names, industry_section=e.industry_section,
                     industry_class=e.industry_class, size_group=e.size_group,
                     size_class_override=e.size_class_override, years=_live_years(e),
                     bounds_for=_bounds_lookup(uow))
    for key, value in derived.columns.items():
        setattr(e, key, value)
    return derived.size_class_computed


class _RegisterLookup:
    """check_references' questions answered by the database, one record at a time (the form's checks)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def county_name(self, code: str) -> str | None:
        county = self._uow.reference.county(code)
        return county.name if county is not None else None

    def township_county(self, code: str) -> str | None:
        township = self._uow.reference.township(code)
        return township.county_code if township is not None else None

    def section_exists(self, code: str) -> bool:
        return self._uow.reference.section(code) is not None

    def same_uscc(self, county: str, uscc: str, exclude_id: int | None) -> tuple[int, str, bool] | None:
        other = self._uow.enterprises.by_uscc(county, uscc, exclude_id=exclude_id)
        return (other.id, other.name, other.is_archived) if other is not None else None

    def same_name(self, county: str, name_key: str, exclude_id: int | None) -> tuple[int, str, str] | None:
        other = self._uow.enterprises.by_name_key(county, name_key, exclude_id)
        return (other.id, other.name, other.uscc) if other is not None else None


class EnterpriseService:
    def __init__(self, db: Database, office_county: Callable[[], str | None],
                 today: Callable[[], date] = clock.today) -> None:
        self._db = db
        self._office_county = office_county  # None for the city edition
        self._today = today

    # ---- reading
    def list_rows(self, f: EnterpriseFilter = _EVERY_ENTERPRISE) -> list[EnterpriseRow]:
        with self._db.unit_of_work() as uow:
            return [row_from_db(r) for r in uow.enterprises.list_rows(f)]

    def matching_ids(self, f: EnterpriseFilter) -> list[int]:
        """Ids of the records the filter selects (the register re-filters its cached rows by these)."""
        with self._db.unit_of_work() as uow:
            return uow.enterprises.matching_ids(f)

    def current_ids(self) -> list[int]:
        """Every current firm's id in id order (what the demo generators draw from)."""
        with self._db.unit_of_work() as uow:
            return uow.enterprises.current_ids()

    def rows_by_ids(self, ids: list[int]) -> list[EnterpriseRow]:
        with self._db.unit_of_work() as uow:
            return [row_from_db(r) for r in uow.enterprises.list_rows(EnterpriseFilter(), ids=ids)]

    def id_by_uscc(self, uscc: str) -> int:
        """The firm in this office's register with this USCC (a current one before an archived one): how the CLI
        names a firm. Refused (ValidationFailed) when there is none; whether an archived firm may take a record
        is the rule of the service that writes it."""
        given = uscc.strip().upper()
        with self._db.unit_of_work() as uow:
            e = uow.enterprises.find_by_uscc(given, self._office_county()) if given else None
            if e is None:
                raise ValidationFailed([Issue("uscc", f"企业库中没有统一社会信用代码为“{given}”的企业，"
                                                      "请先在企业库中登记（或检查代码是否抄错）。")])
            return e.id

    def counts(self) -> tuple[int, int]:
        """(current, archived) enterprise counts."""
        with self._db.unit_of_work() as uow:
            return uow.enterprises.count(False), uow.enterprises.count(True)

    def draft(self, enterprise_id: int) -> EnterpriseDraft:
        """The stored enterprise as an editable draft (money back in 万元 text)."""
        with self._db.unit_of_work() as uow:
            e = uow.enterprises.get(enterprise_id)
            if e is None:
                raise NotFound(f"找不到编号为 {enterprise_id} 的企业，可能已被删除或不属于本单位。")
            return to_draft(e)

    def computed_size_class(self, enterprise_id: int) -> str | None:
        with self._db.unit_of_work() as uow:
            e = uow.enterprises.get(enterprise_id)
            return _size_of(uow, e) if e else None

    # ---- checking and saving
    def _county_for(self, draft: EnterpriseDraft) -> str:
        return self._office_county() or draft.county_code.strip()

    def _issues(self, uow: UnitOfWork, draft: EnterpriseDraft, enterprise_id: int | None
                ) -> tuple[CleanEnterprise, list[Issue], int | None]:
        clean, issues = clean_enterprise(draft, self._today())
        county = self._county_for(draft)
        clean.values["county_code"] = county
        found, existing_id = check_references(clean.values, county, _RegisterLookup(uow), enterprise_id, issues)
        issues.extend(found)
        return clean, issues, existing_id

    def check(self, draft: EnterpriseDraft, enterprise_id: int | None = None) -> list[Issue]:
        """Every issue a save would report, without saving (forms call this as the user types)."""
        with self._db.unit_of_work() as uow:
            return self._issues(uow, draft, enterprise_id)[1]

    def check_with_existing(self, draft: EnterpriseDraft, enterprise_id: int | None = None
                            ) -> tuple[list[Issue], int | None]:
        """Like check(), plus the id of the existing record a duplicate issue names (the form offers to open it)."""
        with self._db.unit_of_work() as uow:
            _, issues, existing_id = self._issues(uow, draft, enterprise_id)
            return issues, existing_id

    def size_preview(self, draft: EnterpriseDraft) -> str | None:
        """The size class the 300号 rules give for a draft as typed (the form shows it live); saves nothing."""
        clean, _ = clean_enterprise(draft, self._today())
        v = clean.values
        years = [SimpleNamespace(year=cy.year, **cy.values) for cy in clean.years]
        with self._db.unit_of_work() as uow:
            return computed_size_class(v["industry_section"], str(v["industry_class"]), v["size_group"],  # type: ignore[arg-type]
                                       years, _bounds_lookup(uow))

    def save(self, draft: EnterpriseDraft, enterprise_id: int | None = None) -> SavedEnterprise:
        """Insert (id None) or update; raises ValidationFailed with every blocking issue."""
        with self._db.unit_of_work() as uow:
            clean, issues, existing_id = self._issues(uow, draft, enterprise_id)
            if any(i.blocking for i in issues):
                raise ValidationFailed(issues, existing_id)
            if enterprise_id is None:
                e = Enterprise()
                uow.enterprises.add(e)
            else:
                found = uow.enterprises.get(enterprise_id)
                if found is None:
                    raise NotFound("该企业已不存在，无法保存修改。")
                claim_for_save(uow, found, draft.version)
                e = found
                e.settle_marks(clean.values)
            apply_clean(e, clean)
            computed = refresh_derived(uow, e)
            uow.commit()
            return SavedEnterprise(e.id, e.name, [i.message for i in issues], e.size_class, computed)

    def archive(self, enterprise_id: int, reason: str = "") -> str:
        """Move an enterprise to the archive (never deleted); returns its name."""
        with self._db.unit_of_work() as uow:
            e = uow.enterprises.get(enterprise_id)
            if e is None:
                raise NotFound("该企业已不存在。")
            if e.archived_at is None:
                e.archived_at = clock.now()
                e.archive_reason = reason.strip()[:200] or None
                uow.commit()
            return e.name

    def restore(self, enterprise_id: int) -> str:
        """Bring an archived enterprise back; refused if its USCC has been registered again meanwhile."""
        with self._db.unit_of_work() as uow:
            e = uow.enterprises.get(enterprise_id)
            if e is None:
                raise NotFound("该企业已不存在。")
            clash = uow.enterprises.by_name_key(e.county_code, e.name_key, exclude_id=e.id)
            if clash is not None:
                raise ValidationFailed([Issue("name", f"已有同名企业“{clash.name}”在册，不能恢复。"
                                                      "请先核对两条记录。")], clash.id)
            e.archived_at = None
            e.archive_reason = None
            uow.commit()
            return e.name


def apply_clean(e: Enterprise, clean: CleanEnterprise) -> None:
    """Write a checked record onto the enterprise and its years (a year archived by an undo comes back)."""
    for key, value in clean.values.items():
        setattr(e, key, value)
    by_year = {y.year: y for y in e.years}
    for cy in clean.years:
        year = by_year.get(cy.year)
        if year is None:
            year = EnterpriseYear(year=cy.year)
            e.years.append(year)
        elif year.archived_at is not None:  # entered again after an undo archived it
            year.archived_at = year.archive_reason = None
        for key, value in cy.values.items():
            if getattr(year, key) != value:
                setattr(year, key, value)


def to_draft(e: Enterprise) -> EnterpriseDraft:
    """The stored record as an editable draft (money back in 万元 text); any object with its attributes will do."""
    def text(value: object) -> str:
        return "" if value is None else str(value)

    years = []
    for y in _live_years(e):
        yd = YearDraft(year=y.year)
        for key in MONEY_FIELDS:
            setattr(yd, key, fen_to_wan_input(getattr(y, f"{key}_fen")))
        for key in COUNT_FIELDS:
            setattr(yd, key, text(getattr(y, key)))
        years.append(yd)
    return EnterpriseDraft(
        uscc=e.uscc, name=e.name, former_names=e.former_names, county_code=e.county_code,
        township_code=e.township_code or "", address=e.address, legal_representative=e.legal_representative,
        contact_person=e.contact_person, contact_phone=e.contact_phone, registered_on=text(e.registered_on),
        ownership_type=e.ownership_type or "", industry_section=e.industry_section or "",
        industry_class=e.industry_class, size_group=e.size_group or "",
        size_class_override=e.size_class_override or "", size_class_override_reason=e.size_class_override_reason,
        main_products=e.main_products, four_above_category=e.four_above_category or "",
        above_scale=e.above_scale, above_scale_since=e.above_scale_since or "",
        high_tech_cert_no=e.high_tech_cert_no, high_tech_valid_until=text(e.high_tech_valid_until),
        business_status=e.business_status, moved_to_county=e.moved_to_county or "", remarks=e.remarks,
        years=years, version=e.version)


def size_class_label(code: str | None) -> str:
    return codes.label(codes.SIZE_CLASSES, code)
