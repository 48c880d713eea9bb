"""The dashboard's visit counts on both engines: per month (首页) and per county of the firm (各县对比)."""

from __future__ import annotations

from datetime import date

from lvqi_desktop.services.enterprises import EnterpriseDraft
from lvqi_desktop.services.helpers import HelperDraft
from lvqi_desktop.validation.period import year_period
from lvqi_desktop.validation.visits import VisitDraft
from tests.conftest import open_services
from tests.conftest import set_up_city
from tests.conftest import uscc_for

D = date
LISHI, XIAOYI, FENYANG = "141102", "141181", "141182"


def test_visits_per_county_and_per_month_count_what_the_visit_list_shows(backend, tmp_path) -> None:
    """离石 3 visits this year (one firm twice), 孝义 1 (and one archived, one last year), 汾阳 none."""
    s = set_up_city(open_services(backend.data_dir(tmp_path / "city")))
    try:
        helper = s.helpers.save_helper(HelperDraft(name="王五", post="副区长", unit="离石区人民政府"))
        firms = {county: [s.enterprises.save(EnterpriseDraft(uscc=uscc_for(n, county), name=f"{county}企业{n}有限公司",
                                                             county_code=county, registered_on="2015-03-01")).id
                          for n in (1, 2)] for county in (LISHI, XIAOYI, FENYANG)}
        visits = [(firms[LISHI][0], D(2026, 3, 5)), (firms[LISHI][0], D(2026, 3, 20)), (firms[LISHI][1], D(2026, 10, 9)),
                  (firms[XIAOYI][0], D(2026, 10, 20)), (firms[XIAOYI][1], D(2026, 11, 2)),
                  (firms[XIAOYI][0], D(2025, 12, 30))]
        logged = [s.visits.log_visit(VisitDraft(firm, day, helper_ids=[helper])).visit_id for firm, day in visits]
        s.visits.archive_visit(logged[4], "重复录入")
        year = year_period(2026)
        with s.db.unit_of_work() as uow:
            by_county = uow.dashboard_counts.visits_by_county(year.start, D(2026, 11, 30))
            by_month = uow.dashboard_counts.visits(year.start, year.end)
        listed = {county: len(s.visits.list_visits("2026", county_code=county)) for county in (LISHI, XIAOYI, FENYANG)}
    finally:
        s.close()
    assert by_county == {LISHI: 3, XIAOYI: 1} == {c: n for c, n in listed.items() if n}
    assert by_month == {3: 2, 10: 2}
