"""Which office this installation is, its operators and settings."""

from __future__ import annotations

from dataclasses import dataclass

from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.models import Office
from lvqi_desktop.models import Operator
from lvqi_desktop.models.office import CITY_CENTER_NAME
from lvqi_desktop.models.office import CITY_CODE
from lvqi_desktop.models.office import OFFICE_KIND_CITY
from lvqi_desktop.models.office import OFFICE_KIND_COUNTY
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.text import clean_line

FONT_SETTING = "pdf_font_path"  # the office setting naming the font file returns and handover PDFs use


@dataclass(frozen=True)
class OfficeInfo:
    kind: str
    county_code: str | None
    county_name: str
    name: str
    default_preparer: str

    @property
    def is_city(self) -> bool:
        return self.kind == OFFICE_KIND_CITY

    @property
    def office_code(self) -> str:
        return self.county_code or CITY_CODE


def _operator_name(raw: str) -> str:
    name = clean_line(raw)
    if not name or len(name) > 40:
        raise ValidationFailed([Issue("operator", "请填写操作员姓名（不超过40字）")])
    return name


def default_office_name(county_name: str | None) -> str:
    return f"吕梁市{county_name}中小企业服务中心" if county_name else CITY_CENTER_NAME


class OfficeService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def office(self) -> OfficeInfo | None:
        """The office identity, or None before the first-run set-up."""
        with self._db.unit_of_work() as uow:
            office = uow.office.office()
            if office is None:
                return None
            county = uow.reference.county(office.county_code) if office.county_code else None
            return OfficeInfo(office.kind, office.county_code, county.name if county else "吕梁市",
                              office.name, office.default_preparer)

    def set_up(self, kind: str, county_code: str | None, name: str, default_preparer: str) -> OfficeInfo:
        """Record which office this is; refused once records exist for another office."""
        issues: list[Issue] = []
        name, preparer = clean_line(name), clean_line(default_preparer)
        with self._db.unit_of_work() as uow:
            if kind not in (OFFICE_KIND_COUNTY, OFFICE_KIND_CITY):
                issues.append(Issue("kind", "请选择本机是县（市、区）还是市中心"))
            if kind == OFFICE_KIND_COUNTY and self._db.on_server:
                issues.append(Issue("kind", "数据库服务器只供市中心使用；县（市、区）请用本机的数据文件夹"
                                            "（去掉 --database 或环境变量 LVQI_DATABASE）。"))
            elif kind == OFFICE_KIND_COUNTY and (not county_code or uow.reference.county(county_code) is None):
                issues.append(Issue("county_code", "请从列表中选择本单位所在的县（市、区）"))
            if not name or len(name) > 100:
                issues.append(Issue("name", "请填写单位名称（不超过100字）"))
            if not preparer or len(preparer) > 40:
                issues.append(Issue("default_preparer", "请填写默认填报人姓名（不超过40字）"))
            current = uow.office.office()
            new_code = county_code if kind == OFFICE_KIND_COUNTY else None
            if current is not None and (current.kind, current.county_code) != (kind, new_code):
                if uow.enterprises.count_all() > 0:
                    issues.append(Issue("kind", "本机已有企业记录，不能再更改所属单位。"
                                                "如确需更改，请先备份后在新的数据文件夹中重新设置。"))
            if issues:
                raise ValidationFailed(issues)
            office = current or Office()
            office.kind, office.county_code, office.name, office.default_preparer = kind, new_code, name, preparer
            uow.office.save_office(office)
            if uow.office.operator_by_name(preparer) is None:
                uow.office.add_operator(Operator(name=preparer, active=True))
            uow.commit()
        info = self.office()
        assert info is not None
        return info

    def operators(self) -> list[str]:
        with self._db.unit_of_work() as uow:
            return [op.name for op in uow.office.operators()]

    def add_operator(self, name: str) -> str:
        """Add an operator name (or re-activate it); returns the cleaned name."""
        name = _operator_name(name)
        with self._db.unit_of_work() as uow:
            existing = uow.office.operator_by_name(name)
            if existing is None:
                uow.office.add_operator(Operator(name=name, active=True))
            else:
                existing.active = True
            uow.commit()
        return name

    def rename_operator(self, old: str, new: str) -> str:
        """Correct an operator's name; changes already recorded keep the name they were made under."""
        name = _operator_name(new)
        with self._db.unit_of_work() as uow:
            operator = uow.office.operator_by_name(old)
            if operator is None:
                raise ValidationFailed([Issue("operator", f"没有名为“{old}”的操作员")])
            if name != old and uow.office.operator_by_name(name) is not None:
                raise ValidationFailed([Issue("operator", f"已有名为“{name}”的操作员，请换一个名字（如加上科室）")])
            operator.name = name
            office = uow.office.office()
            if office is not None and office.default_preparer == old:
                office.default_preparer = name
            uow.label_action(f"操作员改名：{old} → {name}")
            uow.commit()
        if self._db.operator == old:
            self._db.operator = name
        return name

    def retire_operator(self, name: str) -> None:
        """Take a person off the list of operators (kept in the history; 添加 the same name brings them back)."""
        with self._db.unit_of_work() as uow:
            operator = uow.office.operator_by_name(name)
            if operator is None or not operator.active:
                raise ValidationFailed([Issue("operator", f"没有在用的操作员“{name}”")])
            if name == self._db.operator:
                raise ValidationFailed([Issue("operator", f"“{name}”是当前操作员，不能停用；请先以别人的身份打开程序")])
            operator.active = False
            uow.label_action(f"停用操作员：{name}")
            uow.commit()

    def use_operator(self, name: str) -> None:
        """Changes from now on are recorded under this operator's name."""
        self._db.operator = name

    @property
    def current_operator(self) -> str:
        return self._db.operator

    def has_records(self) -> bool:
        with self._db.unit_of_work() as uow:
            return uow.enterprises.count_all() > 0
