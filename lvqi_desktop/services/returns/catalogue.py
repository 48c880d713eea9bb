"""The catalogue of returns: each return's definition and the function that fills it, in the order the city lists them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.services.returns import monitoring as return_monitoring
from lvqi_desktop.services.returns.activity import HELPER_LEDGER
from lvqi_desktop.services.returns.activity import VISIT_SUMMARY
from lvqi_desktop.services.returns.activity import VISIT_SUMMARY_BY_COUNTY
from lvqi_desktop.services.returns.activity import build_helper_ledger
from lvqi_desktop.services.returns.activity import build_visit_summary
from lvqi_desktop.services.returns.bases import BASES_RETURN
from lvqi_desktop.services.returns.bases import build_bases_return
from lvqi_desktop.services.returns.by_county import LEDGER
from lvqi_desktop.services.returns.by_county import Layout
from lvqi_desktop.services.returns.context import BuiltReturn
from lvqi_desktop.services.returns.context import ReturnContext
from lvqi_desktop.services.returns.demands import DEMAND_LEDGER
from lvqi_desktop.services.returns.demands import DEMAND_SUMMARY
from lvqi_desktop.services.returns.demands import DEMAND_SUMMARY_BY_COUNTY
from lvqi_desktop.services.returns.demands import build_demand_ledger
from lvqi_desktop.services.returns.demands import build_demand_summary
from lvqi_desktop.services.returns.pool_ledgers import LISTING_LEDGER
from lvqi_desktop.services.returns.pool_ledgers import SCALE_UP_LEDGER
from lvqi_desktop.services.returns.pool_ledgers import SHARE_REFORM_LEDGER
from lvqi_desktop.services.returns.pool_ledgers import SRDI_LEDGER
from lvqi_desktop.services.returns.pool_ledgers import build_listing_ledger
from lvqi_desktop.services.returns.pool_ledgers import build_scale_up_ledger
from lvqi_desktop.services.returns.pool_ledgers import build_share_reform_ledger
from lvqi_desktop.services.returns.pool_ledgers import build_srdi_ledger
from lvqi_desktop.services.returns.pool_summary import POOL_SUMMARY
from lvqi_desktop.services.returns.pool_summary import POOL_SUMMARY_BY_COUNTY
from lvqi_desktop.services.returns.pool_summary import build_pool_summary
from lvqi_desktop.services.returns.register import ABOVE_SCALE_REGISTER
from lvqi_desktop.services.returns.register import build_above_scale_register

PERIOD_KIND_LABELS = {"month": "月", "quarter": "季", "year": "年"}


@dataclass(frozen=True)
class CatalogueEntry:
    """One return the office can export: its definition, its builder, and how the city assembles it by county."""

    definition: ReturnDefinition
    build: Callable[[ReturnContext], BuiltReturn]
    by_county: Layout = LEDGER

    @property
    def return_id(self) -> str:
        return self.definition.return_id

    @property
    def title(self) -> str:
        return self.definition.title

    @property
    def periods_label(self) -> str:
        """月/季/年 the return accepts, e.g. "季、年"."""
        return "、".join(PERIOD_KIND_LABELS[k] for k in self.definition.period_kinds)


CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry(POOL_SUMMARY, build_pool_summary, POOL_SUMMARY_BY_COUNTY),
    CatalogueEntry(SRDI_LEDGER, build_srdi_ledger),
    CatalogueEntry(SCALE_UP_LEDGER, build_scale_up_ledger),
    CatalogueEntry(SHARE_REFORM_LEDGER, build_share_reform_ledger),
    CatalogueEntry(LISTING_LEDGER, build_listing_ledger),
    CatalogueEntry(HELPER_LEDGER, build_helper_ledger),
    CatalogueEntry(DEMAND_LEDGER, build_demand_ledger),
    CatalogueEntry(DEMAND_SUMMARY, build_demand_summary, DEMAND_SUMMARY_BY_COUNTY),
    CatalogueEntry(VISIT_SUMMARY, build_visit_summary, VISIT_SUMMARY_BY_COUNTY),
    CatalogueEntry(ABOVE_SCALE_REGISTER, build_above_scale_register),
    CatalogueEntry(BASES_RETURN, build_bases_return),
    *(CatalogueEntry(definition, build, layout) for definition, build, layout in return_monitoring.RETURNS),
)
BY_ID = {entry.return_id: entry for entry in CATALOGUE}
