"""What the exchange service returns: plans, results, statuses (plain data, JSON-ready)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Any

from lvqi_desktop.exchange.format import Manifest
from lvqi_desktop.exchange.format import short_fingerprint
from lvqi_desktop.exchange.reader import Package

STATUS_APPLY = "apply"  # will be merged
STATUS_SAME = "same"  # already imported: nothing changes
STATUS_REFUSED = "refused"
STATUS_LABELS = {STATUS_APPLY: "可导入", STATUS_SAME: "已导入过（不变）", STATUS_REFUSED: "拒绝"}


@dataclass
class TableCounts:
    new: int = 0
    changed: int = 0
    removed: int = 0  # newly archived in the county
    unchanged: int = 0

    def add(self, other: TableCounts) -> None:
        self.new += other.new
        self.changed += other.changed
        self.removed += other.removed
        self.unchanged += other.unchanged

    def to_json(self) -> dict[str, int]:
        return {"new": self.new, "changed": self.changed, "removed": self.removed, "unchanged": self.unchanged}


@dataclass
class CountyPlan:
    """The dry run of one package file."""

    file: Path
    status: str
    county_code: str = ""
    county_name: str = ""
    period: str = ""
    sequence: int = 0
    package_uuid: str = ""
    fingerprint: str = ""
    preparer: str = ""
    created_at: str = ""
    counts: dict[str, TableCounts] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    package: Package | None = field(default=None, repr=False)
    new: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    changed: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    hashes: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_manifest(cls, file: Path, m: Manifest) -> CountyPlan:
        return cls(file, STATUS_APPLY, m.county_code, m.county_name, m.period, m.sequence, m.package_uuid,
                   m.fingerprint, m.preparer, m.created_at)

    def refuse(self, reason: str) -> None:
        self.status = STATUS_REFUSED
        self.refusals.append(reason)

    @property
    def total(self) -> TableCounts:
        out = TableCounts()
        for c in self.counts.values():
            out.add(c)
        return out

    @property
    def summary(self) -> str:
        who = f"{self.county_name or self.file.name} {self.period}（序号 {self.sequence}）".strip()
        if self.status == STATUS_REFUSED:
            return f"{who}：拒绝导入——{'；'.join(self.refusals)}"
        if self.status == STATUS_SAME:
            return f"{who}：该报送包已导入过，本次不作任何更改。"
        t = self.total
        return f"{who}：新增 {t.new} 条，修改 {t.changed} 条，注销 {t.removed} 条，未变 {t.unchanged} 条。"

    def to_json(self) -> dict[str, Any]:
        return {"file": str(self.file), "status": self.status, "status_label": STATUS_LABELS[self.status],
                "county_code": self.county_code, "county_name": self.county_name, "period": self.period,
                "sequence": self.sequence, "package_uuid": self.package_uuid, "data_fingerprint": self.fingerprint,
                "preparer": self.preparer, "created_at": self.created_at,
                "counts": {t: c.to_json() for t, c in self.counts.items()}, "total": self.total.to_json(),
                "warnings": self.warnings, "refusals": self.refusals, "summary": self.summary}


@dataclass
class ImportPlan:
    counties: list[CountyPlan]
    cross_county: list[str] = field(default_factory=list)  # same USCC / name claimed by two counties
    token: tuple[int, int] = (0, 0)  # the city's import state the plan was made against

    @property
    def to_apply(self) -> list[CountyPlan]:
        return [c for c in self.counties if c.status == STATUS_APPLY]

    @property
    def summary(self) -> str:
        n = len(self.to_apply)
        same = sum(c.status == STATUS_SAME for c in self.counties)
        refused = sum(c.status == STATUS_REFUSED for c in self.counties)
        return f"共 {len(self.counties)} 个报送包：可导入 {n} 个，已导入过 {same} 个，拒绝 {refused} 个。"

    def to_json(self) -> dict[str, Any]:
        return {"packages": [c.to_json() for c in self.counties], "cross_county": self.cross_county,
                "summary": self.summary}


@dataclass
class ImportResult:
    plan: ImportPlan
    applied: list[CountyPlan]
    backup: Path | None
    seconds: float

    @property
    def summary(self) -> str:
        if not self.applied:
            return "没有需要导入的数据，数据库未作任何更改。"
        names = "、".join(f"{c.county_name}{c.period}" for c in self.applied)
        return f"已导入 {len(self.applied)} 个报送包（{names}），用时 {self.seconds:.1f} 秒。"

    def to_json(self) -> dict[str, Any]:
        return {**self.plan.to_json(), "applied": [c.package_uuid for c in self.applied],
                "backup": str(self.backup) if self.backup else None, "seconds": round(self.seconds, 2),
                "result": self.summary}


@dataclass(frozen=True)
class ExportedPackage:
    path: Path
    manifest: Manifest
    returns: tuple[str, ...]
    warnings: tuple[str, ...]
    seconds: float
    note: str = ""  # what happened to a same-named file in the folder (replaced, or kept and renamed around)

    @property
    def fingerprint(self) -> str:
        return self.manifest.fingerprint

    @property
    def summary(self) -> str:
        text = (f"报送包已生成并读回校验无误，可以安全拔出U盘：{self.path}\n"
                f"报送序号 {self.manifest.sequence}，数据指纹 {short_fingerprint(self.fingerprint)}")
        return f"{text}\n{self.note}。" if self.note else text

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "sequence": self.manifest.sequence, "period": self.manifest.period,
                "package_uuid": self.manifest.package_uuid, "data_fingerprint": self.fingerprint,
                "short_fingerprint": short_fingerprint(self.fingerprint), "counts": self.manifest.counts,
                "returns": list(self.returns), "warnings": list(self.warnings), "note": self.note,
                "seconds": round(self.seconds, 2)}


@dataclass(frozen=True)
class CountySubmission:
    """City view: one county's state for one period."""

    county_code: str
    county_name: str
    status: str  # missing | not_due | received | accepted | accepted_with_remarks | rejected
    status_label: str
    sequence: int | None = None
    received_at: str | None = None
    late: bool = False

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "county_label": self.county_name}


@dataclass(frozen=True)
class SentPackage:
    """County view: one package made and what the city said about it."""

    period: str
    sequence: int
    status: str
    file_path: str
    fingerprint: str
    created_at: str
    receipt: str | None
    receipt_remarks: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ReceivedPackage:
    """A package the city took in, as the 数据报送 page lists it: a plain row, never the stored entity."""

    package_uuid: str
    county_code: str
    county_name: str
    period: str
    sequence: int
    status: str  # current / superseded / …
    fingerprint: str
    original_name: str
    preparer: str
    created_at: datetime
    received_at: datetime
    signer: str
    receipt_decision: str | None
    receipt_remarks: str
    receipt_issued_at: datetime | None

    @classmethod
    def of(cls, stored: Any) -> ReceivedPackage:
        """The row of a stored package_received record (read inside the unit of work)."""
        return cls(**{f.name: getattr(stored, f.name) for f in fields(cls)})
