"""City side: classify a checked package against the merged data (dry run), then merge it (apply)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from datetime import date
from typing import Any

from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.exchange.reader import Package
from lvqi_desktop.models.office import CITY_CODE
from lvqi_desktop.models.targets import metric_label
from lvqi_desktop.services.enterprise_derived import computed_size_class
from lvqi_desktop.services.enterprise_derived import size_bounds
from lvqi_desktop.services.exchange.rows import STATUS_APPLY
from lvqi_desktop.services.exchange.rows import STATUS_SAME
from lvqi_desktop.services.exchange.rows import CountyPlan
from lvqi_desktop.services.exchange.rows import TableCounts
from lvqi_desktop.storage.repositories.package_records import PackageRecords
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.enterprise import EnterpriseDraft
from lvqi_desktop.validation.enterprise import check_year_figures
from lvqi_desktop.validation.enterprise import clean_enterprise
from lvqi_desktop.validation.period import parse_period
from lvqi_desktop.validation.record_shape import shape_problems
from lvqi_desktop.validation.text import invisible_count
from lvqi_desktop.validation.text import name_key
from lvqi_desktop.validation.text import without_invisible

MAX_LISTED = 20  # refusals listed one by one per package; the rest are counted
_DRAFT_FIELDS = tuple(f.name for f in fields(EnterpriseDraft) if f.name not in ("years", "above_scale", "version"))


@dataclass
class CityIndex:
    """What the city holds now, read lazily once per dry run or import and kept current while merging."""

    records: PackageRecords  # the unit of work's
    counties: dict[str, str]
    received: dict[str, tuple[str, str, int, str]]  # package uuid → (county, period, sequence, received at)
    max_sequence: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (county, signing key)
    # → (sequence, period): sequences are the installation's, so a re-enrolled key (new laptop) starts anew
    _origins: dict[str, dict[str, tuple[str, bool]]] = field(default_factory=dict)  # county → uuid → (hash, arch.)
    _all_uuids: set[str] | None = None
    _bounds: dict[str, Any] | None = None

    def bounds_for(self, group: str) -> Any:
        """The 300号 size bounds of one group (read once)."""
        if self._bounds is None:
            self._bounds = {g: size_bounds(r) for g, r in self.records.size_rules().items()}
        return self._bounds.get(group)

    @classmethod
    def load(cls, uow: UnitOfWork) -> CityIndex:
        """The index over a unit of work: the counties and every package received."""
        rows = uow.exchange_log.received_summary()
        index = cls(uow.package_records, uow.exchange_log.counties(), {r[0]: (r[1], r[2], r[3], str(r[4])[:16]) for r in rows})
        for r in rows:
            if r[3] > index.max_sequence.get((r[1], r[5]), (0, ""))[0]:
                index.max_sequence[(r[1], r[5])] = (r[3], r[2])
        return index

    def origins(self, county: str) -> dict[str, tuple[str, bool]]:
        if county not in self._origins:
            self._origins[county] = self.records.origins_of(county)
        return self._origins[county]

    def taken(self, uuids: list[str]) -> set[str]:
        """Those of `uuids` already used by any record of the city (merged or its own)."""
        if self._all_uuids is None and len(uuids) > 20000:
            self._all_uuids = self.records.all_uuids()
        if self._all_uuids is not None:
            return {u for u in uuids if u in self._all_uuids}
        return self.records.existing_uuids(uuids)

    def merged(self, plan: CountyPlan) -> None:
        """Keep the index current after `plan` was written."""
        mine = self.origins(plan.county_code)
        for rows in (*plan.new.values(), *plan.changed.values()):
            for r in rows:
                mine[r["uuid"]] = (plan.hashes[r["uuid"]], r.get("archived_at") is not None)
                if self._all_uuids is not None:
                    self._all_uuids.add(r["uuid"])
        if plan.package is not None and plan.package.signer is not None:
            self.max_sequence[(plan.county_code, plan.package.signer.fingerprint)] = (plan.sequence, plan.period)
        self.received[plan.package_uuid] = (plan.county_code, plan.period, plan.sequence, "本次")


def _listed(plan: CountyPlan, problems: list[str]) -> None:
    for p in problems[:MAX_LISTED]:
        plan.refuse(p)
    if len(problems) > MAX_LISTED:
        plan.refuse(f"另有 {len(problems) - MAX_LISTED} 条同类问题未逐条列出")


LATER_CHECKS = {"industry_class"}  # fields whose checks got stricter after counties had saved records


def _draft(record: dict[str, Any]) -> EnterpriseDraft:
    values: dict[str, Any] = {k: "" if record.get(k) is None else str(record[k]) for k in _DRAFT_FIELDS}
    return EnterpriseDraft(**values, above_scale=bool(record.get("above_scale")))


def check_enterprise(record: dict[str, Any], county: str, today: date) -> list[str]:
    """Why one package record may not enter the register (empty when it may)."""
    where = f"企业“{record.get('name', '')}”（{record.get('uscc', '')}）"
    problems = []
    if record.get("county_code") != county:
        problems.append(f"{where}属于县区代码 {record.get('county_code')}，与报送包的县区 {county} 不符")
    try:
        _clean, issues = clean_enterprise(_draft(record), today)
    except (ValidationFailed, ValueError, TypeError) as exc:
        return [*problems, f"{where}未通过企业库校验：{exc}"]
    # a 行业小类 saved before its section was checked (issue 16) must not hold up a whole county's package
    blocking = [i.message for i in issues if i.blocking and i.field not in LATER_CHECKS]
    if blocking:
        problems.append(f"{where}未通过企业库校验：{'；'.join(blocking)}")
    return problems


def _check_header(plan: CountyPlan, pkg: Package, index: CityIndex, today: date) -> None:
    m = pkg.manifest
    if m.county_code == CITY_CODE:
        plan.refuse("这是市中心本机生成的报送包，市中心只导入各县区的报送包")
    elif m.county_code not in index.counties:
        plan.refuse(f"县区代码 {m.county_code} 不是吕梁市的县（市、区）")
    elif index.counties[m.county_code] != m.county_name:
        plan.refuse(f"清单中的县区名称“{m.county_name}”与县区代码 {m.county_code}"
                    f"（{index.counties[m.county_code]}）不符")
    try:
        parse_period(m.period, today)
    except ValidationFailed as exc:
        plan.refuse(f"期别“{m.period}”不对：{exc}")
    unknown = [t for t in m.counts if PackageRecords.spec_of(t) is None]
    if unknown:
        plan.refuse(f"包含本程序不认识的数据表：{'、'.join(unknown)}（可能由更新版本生成，请先升级本程序）")


def _check_references(pkg: Package) -> list[str]:
    present: dict[str, set[str]] = {}
    problems = []
    for table, rows in pkg.tables.items():
        spec = PackageRecords.spec_of(table)
        if spec is None:
            continue
        for key, (_col, target) in spec.refs.items():
            if target not in present:
                present[target] = set(pkg.uuids.get(target, ()))
            targets = present[target]
            try:
                values = {r.get(key) for r in rows}
                values.discard(None)
                if values <= targets:
                    continue  # the usual case, checked as one set; otherwise each dangling reference is named
            except TypeError:  # a reference that is a list or an object
                pass
            for r in rows:
                value = r.get(key)
                if value is not None and (type(value) is not str or value not in targets):
                    problems.append(f"{table} 记录 {r['uuid']} 引用的 {target} 记录 {value} 不在报送包中")
    return problems


TABLE_LABELS = {"enterprise": "企业", "enterprise_year": "企业年度数据", "visit": "入企走访", "demand": "企业诉求",
                "helper": "助企专员", "cultivation_record": "培育记录", "monitoring_report": "运行监测月报"}


def check_shapes(plan: CountyPlan, today: date) -> list[str]:
    """Every new or changed record against its columns (types, ranges, dates, lengths, clean text), then the
    yearly figures against the rules of the county's form."""
    problems: list[str] = []
    for table in {*plan.new, *plan.changed}:
        spec = PackageRecords.spec_of(table)
        rows = [*plan.new.get(table, []), *plan.changed.get(table, [])]
        if spec is not None and rows:
            problems += shape_problems(TABLE_LABELS.get(table, table), rows, spec.shapes)
    if problems:
        return problems
    for r in (*plan.new.get("enterprise_year", []), *plan.changed.get("enterprise_year", [])):
        blocking = [i.message for i in check_year_figures(r["year"], r, today) if i.blocking]
        if blocking:
            problems.append(f"企业年度数据记录 {r['uuid']}：{'；'.join(blocking)}")
    return problems


def recompute_enterprises(pkg: Package, plan: CountyPlan, bounds_for: Any) -> int:
    """Set the derived columns of each new or changed enterprise as the city computes them (size class,
    latest figures, folded name); returns how many differed from the file."""
    years: dict[str, list[Any]] = defaultdict(list)
    for y in pkg.tables.get("enterprise_year", []):
        if y.get("archived_at") is None:
            years[y["enterprise_uuid"]].append(_Year(y["year"], y.get("revenue_fen"), y.get("total_assets_fen"),
                                                     y.get("employees")))
    differ = 0
    for e in (*plan.new.get("enterprise", []), *plan.changed.get("enterprise", [])):
        mine = years.get(e["uuid"], [])
        newest = max(mine, key=lambda y: y.year, default=None)
        computed = computed_size_class(e.get("industry_section"), e.get("industry_class") or "", e.get("size_group"),
                                       mine, bounds_for)
        derived = {"size_class": e.get("size_class_override") or computed, "name_key": name_key(e["name"]),
                   "latest_year": newest.year if newest else None,
                   "latest_revenue_fen": newest.revenue_fen if newest else None,
                   "latest_employees": newest.employees if newest else None}
        if any(e.get(k) != v for k, v in derived.items()):
            differ += 1
            e.update(derived)
    return differ


@dataclass(frozen=True, slots=True)
class _Year:
    year: int
    revenue_fen: int | None
    total_assets_fen: int | None
    employees: int | None


def _clean_texts(plan: CountyPlan) -> int:
    """The one text rule (validation/text.py) on every record to be written; returns how many texts changed."""
    changed = 0
    for rows in (*plan.new.values(), *plan.changed.values()):
        for record in rows:
            for key, value in record.items():
                if type(value) is str and not value.isprintable() and invisible_count(value):  # isprintable: fast
                    record[key] = without_invisible(value)
                    changed += 1
    return changed


def precheck(pkg: Package, index: CityIndex, today: date) -> CountyPlan:
    """What the manifest alone decides: whose package, already imported, older than the city's data."""
    m = pkg.manifest
    plan = CountyPlan.from_manifest(pkg.path, m)
    _check_header(plan, pkg, index, today)
    if plan.refusals:
        return plan
    if m.package_uuid in index.received:
        plan.status = STATUS_SAME
        plan.warnings.append(f"该报送包已于 {index.received[m.package_uuid][3]} 导入过")
        return plan
    newest = index.max_sequence.get((m.county_code, pkg.signer.fingerprint if pkg.signer else ""))
    if newest and m.sequence <= newest[0]:
        plan.refuse(f"这是较旧的报送包（序号 {m.sequence}），本机已导入该县区序号 {newest[0]} 的报送包"
                    f"（{newest[1]}），较旧的数据不能覆盖较新的数据")
    return plan


def _compare(plan: CountyPlan, table: str, rows: list[dict[str, Any]], uuids: list[str], hashes: list[str],
             mine: dict[str, tuple[str, bool]]) -> None:
    """Sort one table's records into new, changed (or removed) and unchanged by their line hashes."""
    counts = plan.counts.setdefault(table, TableCounts())
    new, changed = plan.new.setdefault(table, []), plan.changed.setdefault(table, [])
    if not mine:  # nothing from this county yet (the first import): every record is new
        new += rows
        plan.hashes.update(zip(uuids, hashes, strict=True))
    else:
        for record, uuid, h in zip(rows, uuids, hashes, strict=True):
            origin = mine.get(uuid)
            if origin is None:
                new.append(record)
                plan.hashes[uuid] = h
            elif origin[0] != h:
                if record.get("archived_at") is not None and not origin[1]:
                    counts.removed += 1
                else:
                    counts.changed += 1
                changed.append(record)
                plan.hashes[uuid] = h
    counts.new = len(new)
    counts.unchanged = len(rows) - counts.new - counts.changed - counts.removed


def classify(pkg: Package, index: CityIndex, today: date,
             enterprise_problems: Mapping[str, list[str]] | None = None) -> CountyPlan:
    """Dry run of one checked package: status, counts per table, warnings and refusals; nothing is written.
    `enterprise_problems` (uuid → `check_enterprise` of every enterprise record whose result is not empty)
    spares checking them again."""
    m = pkg.manifest
    plan = precheck(pkg, index, today)
    plan.package = pkg
    if plan.status != STATUS_APPLY:
        return plan
    problems = _check_references(pkg)
    mine = index.origins(m.county_code)
    for table, rows in pkg.tables.items():
        _compare(plan, table, rows, pkg.uuids[table], pkg.line_hashes[table], mine)
    cleaned = _clean_texts(plan)  # the one text rule first: what it removes is not a reason to refuse
    if cleaned:
        plan.warnings.append(f"报送包中有 {cleaned} 处文字含看不见的字符（控制符、零宽字符或文字方向符），导入时已去除")
    shapes = check_shapes(plan, today)
    if shapes:  # values of the wrong kind: nothing further is read from them
        _listed(plan, problems + shapes)
        return plan
    taken = index.taken([r["uuid"] for rows in plan.new.values() for r in rows])
    for table, rows in plan.new.items():
        for r in rows:
            if r["uuid"] in taken:
                problems.append(f"{table} 记录编号 {r['uuid']} 已是本机其他县区或市中心的记录，"
                                f"不能由{m.county_name}改写")
    for record in (*plan.new.get("enterprise", []), *plan.changed.get("enterprise", [])):
        if enterprise_problems is None:
            problems += check_enterprise(record, m.county_code, today)
        else:
            problems += enterprise_problems.get(record["uuid"], [])
    for record in (*plan.new.get("target", []), *plan.changed.get("target", [])):
        if record.get("scope") != m.county_code:
            problems.append(f"目标 {record.get('metric')} {record.get('year')} 的范围 {record.get('scope')} "
                            f"不是报送包的县区 {m.county_code}")
    _behind_allocations(plan, index)
    for record in (*plan.new.get("demand", []), *plan.changed.get("demand", [])):
        if record.get("office_code") not in (None, m.county_code):
            problems.append(f"诉求 {record.get('number', record['uuid'])} 属于 {record.get('office_code')}，"
                            f"与报送包的县区 {m.county_code} 不符")
    _listed(plan, problems)
    if not plan.refusals and (differ := recompute_enterprises(pkg, plan, index.bounds_for)):
        plan.warnings.append(f"{differ} 家企业的规模、最新年度数据或检索用名称与本机按规则计算的不同，"
                             "已按本机计算结果保存（派生数据不以报送包为准）")
    missing = len(set(mine).difference(*pkg.uuids.values())) if mine else 0
    if missing:  # the city's allocations the county has not taken yet are not missing: they come in receipts
        allocated = index.records.allocated_target_uuids(m.county_code)
        missing = len(set(mine).difference(*pkg.uuids.values(), allocated))
    if missing:
        plan.warnings.append(f"本机有该县区 {missing} 条记录不在这次报送包中（报送包应含全部记录，请与县区核实）；"
                             "这些记录保持不变")
    return plan


def _behind_allocations(plan: CountyPlan, index: CityIndex) -> None:
    """A target the county typed for a metric and year the city has since allocated under its own record is
    left out (the city's figure holds; the county takes it with the next receipt), never a clash in the merge."""
    new = plan.new.get("target", [])
    held = index.records.target_keys(plan.county_code) if new else {}
    late = [r for r in new if held.get((str(r.get("metric")), int(r.get("year") or 0)), r["uuid"]) != r["uuid"]]
    if not late:
        return
    plan.new["target"] = [r for r in new if r not in late]
    plan.counts["target"].new -= len(late)
    plan.counts["target"].unchanged += len(late)
    plan.warnings.append(f"{plan.county_name}自填的 {len(late)} 项目标（"
                         + "、".join(f"{r.get('year')}年{metric_label(str(r.get('metric')))}" for r in late[:5])
                         + "）市中心已另行下达，以市中心下达的为准，未导入；请出具回执，县区导入回执后即一致")


def cross_county(plans: list[CountyPlan], city_keys: list[tuple[str, str, str, str, str]]) -> list[str]:
    """Same USCC or the same folded name claimed by two counties, after the plans would be applied; a pair of
    records already named for their USCC is not named again for their name."""
    replaced = {p.county_code for p in plans if p.status != "refused" and p.package is not None}
    claims: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    names: dict[str, str] = {}
    for county, uscc, key, name, county_name in city_keys:
        names[county] = county_name
        if county not in replaced:
            claims[("uscc", uscc)][county] = name
            claims[("name", key)][county] = name
    for p in plans:
        if p.package is None or p.status == "refused":
            continue
        names[p.county_code] = p.county_name
        for r in p.package.tables.get("enterprise", []):
            if r.get("archived_at") is None:
                claims[("uscc", r.get("uscc", ""))][p.county_code] = r.get("name", "")
                claims[("name", r.get("name_key", ""))][p.county_code] = r.get("name", "")
    out, named = [], set()
    for (kind, key), by_county in sorted(claims.items(), key=lambda kv: kv[0][0] != "uscc"):
        pairs = frozenset(by_county.items())
        if not key or len(by_county) < 2 or pairs in named:
            continue
        named.add(pairs)
        who = "、".join(f"{names.get(c, c)}（{n}）" for c, n in sorted(by_county.items()))
        what = f"统一社会信用代码 {key} " if kind == "uscc" else f"企业名称“{next(iter(by_county.values()))}”"
        out.append(f"{what}同时出现在 {len(by_county)} 个县区：{who}。请与有关县区核实企业归属，"
                   "由不应填报的县区归档后重新报送；在此之前全市报表的合计按统一社会信用代码只计一次。")
    return out


def merge(records: PackageRecords, plan: CountyPlan, ids: dict[str, dict[str, int]]) -> None:
    """Write one classified package's new and changed records (inside the caller's transaction);
    `ids` (table → uuid → city id) is shared by the packages of one import and kept current."""
    records.merge(plan.county_code, plan.new, plan.changed, plan.hashes, ids)
