"""Targets of the cultivation plan (培育目标) and progress against them, per scope, metric and year."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lvqi_desktop import clock
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import NotFound
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.exchange.receipt import ReceiptTarget
from lvqi_desktop.models.office import CITY_CODE
from lvqi_desktop.models.pools import PoolCatalog
from lvqi_desktop.models.targets import ALLOCATED
from lvqi_desktop.models.targets import METRICS
from lvqi_desktop.models.targets import YEARS
from lvqi_desktop.models.targets import Target
from lvqi_desktop.models.targets import metric_label
from lvqi_desktop.models.targets import metric_unit
from lvqi_desktop.models.targets import value_problem
from lvqi_desktop.services.edit_conflict import claim_for_save
from lvqi_desktop.services.pool_rows import ProgressRow
from lvqi_desktop.services.pool_rows import TargetRow
from lvqi_desktop.storage.repositories.targets import TargetRepository
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.storage.unit_of_work import UnitOfWork
from lvqi_desktop.validation.numbers import parse_count
from lvqi_desktop.validation.target_progress import ListingFact
from lvqi_desktop.validation.target_progress import TitleFact
from lvqi_desktop.validation.target_progress import holders
from lvqi_desktop.validation.target_progress import holders_by_tier
from lvqi_desktop.validation.target_progress import measured_on
from lvqi_desktop.validation.target_progress import share_percent
from lvqi_desktop.validation.target_progress import shown_or_listed
from lvqi_desktop.validation.text import clean_line

COUNTING_NOTES = {
    "srdi_display_share": "分母为持有省级专精特新及以上称号的企业，分子为其中已在山西股权交易中心挂牌展示或已挂牌上市的企业",
    "little_giant_listed": "持有“小巨人”称号且已在新三板挂牌或上市的企业",
    "enterprises_served": "当年有入企服务记录的企业数",
    "scale_up_entered": "入统年月在当年的企业数",
}


_ALLOCATED_FIXED = "这项目标由市中心下达，县（市、区）版不能修改或删除；如需调整请与市中心联系"
TIER_METRICS = tuple(m for m in METRICS if m.startswith("tier:"))
CITY_REFERENCE = "全市目标（参考）"  # how a county edition labels the city plan's targets


@dataclass(frozen=True)
class TierStanding:
    """Holders of an SRDI tier (or higher) in a scope, counted as progress() counts them, and its target if set."""

    metric: str
    label: str
    achieved: int
    target: int | None


class TargetService:
    def __init__(self, db: Database, office_county: Callable[[], str | None],
                 today: Callable[[], date] = clock.today) -> None:
        self._db = db
        self._office_county = office_county
        self._today = today

    def metric_choices(self) -> list[tuple[str, str]]:
        return [(code, f"{label}（{unit}）") for code, (label, unit) in METRICS.items()]

    def _scopes(self) -> list[str]:
        county = self._office_county()
        return [CITY_CODE, county] if county else []

    def list_targets(self, scope: str | None = None, year: int | None = None) -> list[TargetRow]:
        """Targets of a scope (the city 141100 or a county code); a county office sees its own and the city's."""
        with self._db.unit_of_work() as uow:
            labels = self._scope_labels(uow)
            scopes = [scope] if scope else (self._scopes() or None)
            return [TargetRow(t.id, t.scope, labels.get(t.scope, t.scope), t.metric, metric_label(t.metric),
                              metric_unit(t.metric), t.year, t.value, t.source)
                    for t in uow.targets.targets(scopes, year)]

    def save_target(self, scope: str, metric: str, year: int, value: str, source: str = "",
                    version: int | None = None) -> int:
        """Set a target (insert, or change the value of the same scope, metric and year). `version`: the one the
        修改目标 form read; another clerk's save since then refuses this one (EditConflict). None: not checked."""
        issues: list[Issue] = []
        number = parse_count(value, "value", "目标值", issues)
        if number is None and not issues:
            issues.append(Issue("value", "请填写目标值"))
        if metric not in METRICS:
            issues.append(Issue("metric", "请从列表中选择目标指标"))
        if number is not None and (problem := value_problem(metric, number)) is not None:
            issues.append(Issue("value", problem))
        if year not in YEARS:
            issues.append(Issue("year", "目标年份应为四位年份，如 2030"))
        with self._db.unit_of_work() as uow:
            if scope != CITY_CODE and uow.reference.county(scope) is None:
                issues.append(Issue("scope", "目标范围应为全市或一个县（市、区）"))
            county = self._office_county()
            if county and scope not in (county,):
                issues.append(Issue("scope", "县（市、区）版只能设置本县的目标；全市目标由市中心设置"))
            repo = uow.targets
            target = repo.find(scope, metric, year)
            if county and target is not None and target.allocated and target.archived_at is None:
                issues.append(Issue("value", _ALLOCATED_FIXED))
            if issues:
                raise ValidationFailed(issues)
            if not county and scope != CITY_CODE:  # the city allocates a county's target: it goes out in receipts
                source = ALLOCATED + (f"：{clean_line(source)}" if source.strip() else "")
            if target is None:
                target = Target(scope=scope, metric=metric, year=year, value=number, source=clean_line(source))
                repo.add(target)
                if not county and scope != CITY_CODE:  # the county's copy of it comes back in its packages
                    uow.flush()
                    uow.package_records.save_origins(scope, [(target.uuid, "", "0")])
            else:
                claim_for_save(uow, target, version)
                if source.strip() or (county and target.allocated):  # one the city withdrew: now the county's
                    target.source = clean_line(source)
                target.value, target.archived_at, target.archive_reason = number, None, None  # type: ignore[assignment]
            uow.commit()
            return target.id

    def remove_target(self, target_id: int, reason: str = "") -> None:
        """Archive a target (kept, so the city sees it was withdrawn)."""
        with self._db.unit_of_work() as uow:
            target = uow.targets.get(target_id)
            if target is None:
                raise NotFound("该目标不存在。")
            if self._office_county() and target.allocated:
                raise ValidationFailed([Issue("value", _ALLOCATED_FIXED)])
            target.archived_at, target.archive_reason = clock.now(), clean_line(reason)[:200] or "删除"
            uow.commit()

    def progress(self, scope: str | None = None, year: int | None = None) -> list[ProgressRow]:
        """Target, achieved, gap and percentage for every target of the scope (and year, if given)."""
        today = self._today()
        office_county = self._office_county()
        with self._db.unit_of_work() as uow:
            repo = uow.targets
            catalog = uow.pools.catalog()
            labels = self._scope_labels(uow)
            scopes = [scope] if scope else (self._scopes() or None)
            rows = []
            cache: dict[str, tuple[list[TitleFact], list[ListingFact]]] = {}
            for t in repo.targets(scopes, year):
                county = "" if t.scope == CITY_CODE else t.scope
                at = measured_on(t.year, today)
                if office_county and t.scope == CITY_CODE:  # one county's data says nothing of the city's plan
                    rows.append(ProgressRow(t.id, t.scope, CITY_REFERENCE, t.metric, metric_label(t.metric),
                                            metric_unit(t.metric), t.year, t.value, None, at,
                                            "全市的目标，县区版只作参考，不按本县数据计算完成情况", reference=True,
                                            source=t.source, version=t.version))
                    continue
                if county not in cache:
                    cache[county] = ([TitleFact(*r) for r in repo.srdi_titles(county)],
                                     [ListingFact(*r) for r in repo.listings(county)])
                achieved = _achieved(repo, catalog, t.metric, t.year, county, at, *cache[county])
                rows.append(ProgressRow(t.id, t.scope, labels.get(t.scope, t.scope), t.metric,
                                        metric_label(t.metric), metric_unit(t.metric), t.year, t.value, achieved, at,
                                        COUNTING_NOTES.get(t.metric, "持有该层级或更高层级称号的企业数"
                                                           if t.metric.startswith("tier:") else ""),
                                        source=t.source, version=t.version))
            return rows

    def tier_standing(self, scopes: Sequence[str], year: int) -> dict[str, list[TierStanding]]:
        """Per scope (county code, or 141100 for the city): every tier metric, achieved and target (None: none set)."""
        at = measured_on(year, self._today())
        with self._db.unit_of_work() as uow:
            repo = uow.targets
            catalog = uow.pools.catalog()
            set_ = {(t.scope, t.metric): t.value for t in repo.targets(list(scopes), year)}
            by_county: dict[str, list[TitleFact]] = {}  # one read split by county, not one per county
            for county_code, *fact in repo.srdi_titles_by_county():
                by_county.setdefault(county_code, []).append(TitleFact(*fact))
        tiers = [m.removeprefix("tier:") for m in TIER_METRICS]  # _achieved's count: len(holders(…))
        held = {county: holders_by_tier(catalog, titles, tiers, at) for county, titles in by_county.items()}
        city = {tier: set().union(*(h[tier] for h in held.values())) for tier in tiers}  # a firm is in one county
        out = {}
        for scope in scopes:
            found = city if scope == CITY_CODE else held.get(scope, {})
            out[scope] = [TierStanding(m, metric_label(m), len(found.get(tier, ())), set_.get((scope, m)))
                          for m, tier in zip(TIER_METRICS, tiers, strict=True)]
        return out

    @staticmethod
    def _scope_labels(uow: UnitOfWork) -> dict[str, str]:
        labels = {c.code: c.name for c in uow.reference.counties()}
        labels[CITY_CODE] = "全市"
        return labels


def take_allocations(uow: UnitOfWork, scope: str, allocations: Sequence[ReceiptTarget], source: str,
                     withdraw: bool) -> tuple[int, int]:
    """A county takes the city's targets (inside the caller's transaction, history as for a clerk's change):
    each is set, with `source`, under the city's record number; with `withdraw` (the receipt lists every one),
    an allocation no longer listed is archived. Returns how many replaced the county's own, and withdrawn."""
    repo, replaced = uow.targets, 0
    listed = {a.uuid for a in allocations}
    withdrawn = [t for t in repo.targets([scope]) if withdraw and t.allocated and t.uuid not in listed]
    for t in withdrawn:
        t.archived_at, t.archive_reason = clock.now(), source.replace("下达", "撤回")[:200]
    for a in allocations:
        target = repo.find(a.scope, a.metric, a.year)
        holder = repo.by_uuid(a.uuid)
        if holder is not None and holder is not target:
            raise LvqiError(f"回执中下达的目标（{a.year}年{metric_label(a.metric)}）与本机另一项目标编号相同，"
                            "未导入。本机数据未作任何更改。请把回执交给技术支持。")
        if target is None:
            repo.add(Target(uuid=a.uuid, scope=a.scope, metric=a.metric, year=a.year, value=a.value, source=source))
            continue
        replaced += not target.allocated and target.archived_at is None
        target.uuid = a.uuid  # one record with the city's: its package copy updates the city's, never doubles it
        target.value, target.source, target.archived_at, target.archive_reason = a.value, source, None, None
    return replaced, len(withdrawn)


def _achieved(repo: TargetRepository, catalog: PoolCatalog, metric: str, year: int, county: str, at: date,
              titles: list[TitleFact], listings: list[ListingFact]) -> float | None:
    if metric.startswith("tier:"):
        return float(len(holders(catalog, titles, metric.removeprefix("tier:"), at)))
    if metric == "srdi_display_share":
        return share_percent(shown_or_listed(catalog, listings, at, listed_only=False),
                             holders(catalog, titles, "srdi_provincial", at))
    if metric == "little_giant_listed":
        giants = holders(catalog, titles, "little_giant_provincial", at)  # national ones rank above it
        return float(len(giants & shown_or_listed(catalog, listings, at, listed_only=True)))
    if metric == "scale_up_entered":
        return float(repo.entered_statistics(year, county))
    if metric == "share_reform_completed":
        return float(repo.share_reforms_completed(year, county))
    if metric == "enterprises_served":
        return float(repo.enterprises_served(year, county))
    return None
