"""Builds one synthetic enterprise as plain table rows: USCC, name, people, place, trade, three years of figures."""

from __future__ import annotations

import math
import random
import uuid
from bisect import bisect
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from itertools import accumulate
from typing import Generic
from typing import TypeVar

from lvqi_desktop import clock
from lvqi_desktop.models.size_class import SizeBounds
from lvqi_desktop.models.size_class import derive_size_group
from lvqi_desktop.services.demo import catalogue as cat
from lvqi_desktop.services.enterprise_derived import Derived
from lvqi_desktop.services.enterprise_derived import derive
from lvqi_desktop.validation.numbers import FEN_PER_WAN
from lvqi_desktop.validation.text import name_key
from lvqi_desktop.validation.uscc import CHARSET
from lvqi_desktop.validation.uscc import check_character

FEN_PER_CENT_WAN = FEN_PER_WAN // 100  # figures are whole 0.01 万元 (100 元)
USCC_BODY_CHARS = CHARSET  # no I, O, S, V, Z
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code check
TIER_WEIGHTS = (("4", 63.5), ("3", 30.0), ("2", 6.0), ("1", 0.5))
# Fallback bands (persons, 万元) for a measure a 300号 group does not use: micro, small, medium, large.
GENERIC = {"e": (1, 10, 100, 300, 1500), "r": (20, 300, 2000, 15000, 60000)}
OWNERSHIP_DRAW = ("private",) * 30 + ("collective", "foreign", "other")
RD_SHARE = {"C": 0.35, "I": 0.6, "M": 0.7, "D": 0.2, "B": 0.15}
FOUR_ABOVE_SERVICES = {"G": 2000, "I": 2000, "N": 2000, "L": 1000, "M": 1000, "P": 1000, "K": 1000,
                       "O": 500, "R": 500, "Q": 500}


@dataclass(slots=True)
class Year:
    """One year of figures, shaped like an enterprise_year row for the shared derivation."""

    year: int
    revenue_fen: int
    main_revenue_fen: int
    net_profit_fen: int
    total_assets_fen: int
    total_liabilities_fen: int
    employees: int
    rd_expense_fen: int
    rd_staff: int
    ip_class1: int
    ip_class2: int


_T = TypeVar("_T")


class Weighted(Generic[_T]):
    """A fixed weighted choice, drawn with one random() and a bisect."""

    def __init__(self, items: list[_T], weights: list[float]) -> None:
        self.items = items
        self.cum = list(accumulate(weights))

    def pick(self, rng: random.Random) -> _T:
        return self.items[bisect(self.cum, rng.random() * self.cum[-1])]


@dataclass(frozen=True)
class CountyPlan:
    """What the generator draws from for one county."""

    code: str
    name: str
    townships: Weighted[tuple[str, str]]  # (code, name)
    trades: Weighted[cat.Trade]


def county_plan(code: str, name: str, townships: list[tuple[str, str]]) -> CountyPlan:
    def township_weight(tname: str) -> float:
        return 3.0 if tname.endswith("街道") else 1.0 if tname.endswith("乡") else 2.0

    trades = list(cat.TRADES) + cat.COUNTY_TRADES.get(code, [])
    per_section: dict[str, float] = {}
    for t in cat.TRADES:
        per_section[t.section] = per_section.get(t.section, 0.0) + t.weight
    weights = [cat.SECTION_WEIGHTS[t.section] * t.weight / per_section[t.section] for t in trades]
    return CountyPlan(code, name, Weighted(townships, [township_weight(n) for _, n in townships]),
                      Weighted(trades, weights))


def short_county(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "区县市" else name


def _org_code(rng: random.Random, new_style: bool) -> str:
    """A 9-character organisation code (GB 11714) with its check character."""
    if new_style:  # codes given since the 2015 reform start with MA
        body = "MA" + "".join(rng.choice(USCC_BODY_CHARS) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _band(rng: random.Random, tier: str, upper: int | None, medium: int | None, small: int | None,
          generic: tuple[int, int, int, int, int]) -> float:
    low: float
    high: float
    if upper is None or medium is None or small is None:
        g0, g1, g2, g3, g4 = generic
        low, high = {"4": (g0, g1), "3": (g1, g2), "2": (g2, g3), "1": (g3, g4)}[tier]
    else:
        low, high = {"4": (max(small / 8, 1), small), "3": (small, medium), "2": (medium, upper),
                     "1": (upper, upper * 3)}[tier]
    return _log_uniform(rng, low, high * 0.999)


def _fen(wan: float) -> int:
    return int(round(wan * 100)) * FEN_PER_CENT_WAN


class RowMaker:
    """Makes enterprise and enterprise_year rows; ids, USCCs and names stay unique per county."""

    def __init__(self, rng: random.Random, today: date, bounds: dict[str, SizeBounds],
                 taken: dict[str, tuple[set[str], set[str]]], first_ids: tuple[int, int],
                 all_counties: list[str]) -> None:
        self.rng = rng
        self.today = today
        self.bounds = bounds
        self.taken = taken
        self.next_enterprise_id, self.next_year_id = first_ids
        self.all_counties = all_counties
        self.now = clock.now().replace(microsecond=0)
        self.last_year = today.year - 1
        self.surnames = Weighted([s for s, _ in cat.SURNAMES], [w for _, w in cat.SURNAMES])
        self.tiers = Weighted([t for t, _ in TIER_WEIGHTS], [w for _, w in TIER_WEIGHTS])
        self.company_suffix = Weighted([s for s, _ in cat.COMPANY_SUFFIXES], [w for _, w in cat.COMPANY_SUFFIXES])
        self.coop_suffix = Weighted([s for s, _ in cat.COOPERATIVE_SUFFIXES],
                                    [w for _, w in cat.COOPERATIVE_SUFFIXES])

    # ---- people and places
    def person(self) -> str:
        rng = self.rng
        given = "".join(rng.choice(cat.GIVEN_CHARS) for _ in range(1 if rng.random() < 0.3 else 2))
        return self.surnames.pick(rng) + given

    def phone(self) -> str:
        rng = self.rng
        if rng.random() < 0.12:
            return f"{cat.LANDLINE_AREA}-{rng.randint(2, 8)}{rng.randint(0, 999999):06d}"
        return rng.choice(cat.MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"

    def address(self, plan: CountyPlan, township: str) -> str:
        rng = self.rng
        if township.endswith("街道") or "园区" in township or "开发区" in township:
            return f"{plan.name}{township}{rng.choice(cat.STREET_NAMES)}{rng.randint(1, 399)}号"
        ending = rng.choice(cat.VILLAGE_ENDINGS)
        return f"{plan.name}{township}{self.surnames.pick(rng)}家{ending}{'' if ending == '村' else '村'}"

    def registered_on(self) -> date:
        rng = self.rng
        age = rng.uniform(0, 3) if rng.random() < 0.15 else 3 + min(rng.expovariate(1 / 8), 35)
        day = self.today - timedelta(days=int(age * 365.25))
        return max(day, date(1985, 1, 1))

    # ---- identity
    def uscc(self, county: str, cooperative: bool, new_style: bool) -> str:
        usccs = self.taken[county][0]
        while True:
            first17 = ("93" if cooperative else "91") + county + _org_code(self.rng, new_style)
            code = first17 + check_character(first17)
            if code not in usccs:
                usccs.add(code)
                return code

    def name_parts(self, plan: CountyPlan, trade: cat.Trade, cooperative: bool, large: bool) -> list[str]:
        rng = self.rng
        names = self.taken[plan.code][1]
        for attempt in range(200):
            if cooperative:
                prefix = plan.name
            else:
                prefix = rng.choice(("山西", "山西", "吕梁", "吕梁市", plan.name, plan.name, short_county(plan.name)))
            brand = rng.choice(cat.BRAND_CHARS) + rng.choice(cat.BRAND_CHARS)
            if attempt > 20:
                brand += rng.choice(cat.BRAND_CHARS)
            if cooperative:
                suffix = self.coop_suffix.pick(rng)
            elif large and rng.random() < 0.4:
                suffix = "集团有限公司"
            else:
                suffix = self.company_suffix.pick(rng)
            parts = [prefix, *brand, trade.word, suffix]  # 字号 characters apart: their pinyin is cached singly
            key = name_key("".join(parts))
            if key not in names:
                names.add(key)
                return parts
        raise RuntimeError("cannot find a free enterprise name")  # 148² 字号 × 7 prefixes: not reached

    # ---- figures
    def years(self, section: str, group: str | None, tier: str, first_year: int) -> list[Year]:
        rng = self.rng
        b = self.bounds.get(group or "other") or self.bounds["other"]
        employees = _band(rng, tier, b.e_upper, b.e_medium, b.e_small, GENERIC["e"])
        revenue = _band(rng, tier, b.r_upper, b.r_medium, b.r_small, GENERIC["r"])
        if b.a_upper is not None and b.a_medium is not None and b.a_small is not None:
            assets = _band(rng, tier, b.a_upper, b.a_medium, b.a_small, GENERIC["r"])
        else:
            assets = revenue * rng.uniform(0.5, 2.2)
        has_rd = rng.random() < RD_SHARE.get(section, 0.03)
        rd_rate = rng.uniform(0.003, 0.08) if has_rd else 0.0
        rd_staff_rate = rng.uniform(0.03, 0.25) if has_rd else 0.0
        ip1 = rng.choice((0, 0, 1, 1, 2, 3, 5)) if has_rd else 0
        ip2 = rng.choice((0, 1, 2, 3, 5, 8, 12)) if has_rd else 0
        main_share = 1.0 if rng.random() < 0.15 else rng.uniform(0.7, 1.0)
        debt_ratio = rng.uniform(1.0, 1.3) if rng.random() < 0.03 else rng.uniform(0.15, 0.9)
        margin = rng.gauss(0.04, 0.07)
        out: list[Year] = []
        for year in range(self.last_year, first_year - 1, -1):
            e = max(1, round(employees))
            out.append(Year(
                year=year, revenue_fen=_fen(revenue), main_revenue_fen=_fen(revenue * main_share),
                net_profit_fen=_fen(revenue * min(max(margin, -0.5), 0.35)), total_assets_fen=_fen(assets),
                total_liabilities_fen=_fen(assets * debt_ratio), employees=e, rd_expense_fen=_fen(revenue * rd_rate),
                rd_staff=round(e * rd_staff_rate), ip_class1=ip1, ip_class2=ip2))
            growth = min(max(rng.gauss(0.06, 0.12), -0.35), 0.6)  # this year's growth over the one before
            revenue /= 1 + growth
            assets /= 1 + growth * 0.5
            employees /= 1 + growth * 0.4
            margin += rng.gauss(0, 0.02)
            if ip1 and rng.random() < 0.3:
                ip1 -= 1
        out.reverse()
        return out

    def four_above(self, trade: cat.Trade, tier: str, years: list[Year]) -> str | None:
        """The 四上 category the newest figures qualify for (construction: a 资质, drawn at random)."""
        if not years:
            return None
        main_wan = years[-1].main_revenue_fen / FEN_PER_WAN
        revenue_wan = years[-1].revenue_fen / FEN_PER_WAN
        s, cls = trade.section, trade.industry_class
        if s in "BCD":
            return "industry" if main_wan >= 2000 else None
        if s == "E":
            return "construction" if tier != "4" and self.rng.random() < 0.35 else None
        if s == "F":
            return ("wholesale" if main_wan >= 2000 else None) if cls.startswith("51") else (
                "retail" if main_wan >= 500 else None)
        if s == "H":
            return "hospitality" if main_wan >= 200 else None
        if cls == "7010":
            return "real_estate"
        threshold = FOUR_ABOVE_SERVICES.get(s)
        return "services" if threshold is not None and revenue_wan >= threshold else None

    def above_scale_since(self, registered: date) -> str:
        """The month it entered the statistics: half a year or more after registration, not in the future."""
        latest = max(self.today - timedelta(days=31), registered)
        earliest = min(max(registered + timedelta(days=180), date(2011, 1, 1)), latest)
        day = earliest + timedelta(days=self.rng.randint(0, (latest - earliest).days))
        return f"{day.year}-{day.month:02d}"

    # ---- one enterprise
    def make(self, plan: CountyPlan) -> tuple[dict[str, object], list[dict[str, object]], Derived]:
        rng = self.rng
        trade: cat.Trade = plan.trades.pick(rng)
        township_code, township_name = plan.townships.pick(rng)
        cooperative = trade.section == "A" and rng.random() < 0.5
        tier = self.tiers.pick(rng)
        if cooperative and tier in "12":
            tier = "3"
        registered = self.registered_on()
        group = derive_size_group(trade.section, trade.industry_class)
        years = self.years(trade.section, group, tier, max(self.last_year - 2, registered.year))
        parts = self.name_parts(plan, trade, cooperative, tier == "1")
        name = "".join(parts)
        uscc = self.uscc(plan.code, cooperative, registered >= date(2015, 10, 1))
        legal = self.person()
        category = self.four_above(trade, tier, years) if rng.random() < 0.85 else None
        since = self.above_scale_since(registered) if category is not None else None
        high_tech_no, high_tech_until = "", None
        if trade.section in "CIM" and years and years[-1].rd_expense_fen and rng.random() < 0.2:
            issued = date(self.today.year - rng.randint(0, 2), rng.randint(10, 12), rng.randint(1, 28))
            if issued <= self.today:
                high_tech_no = f"GR{issued.year}14{rng.randint(0, 999999):06d}"
                high_tech_until = issued.replace(year=issued.year + 3) - timedelta(days=1)
        status, moved_to = "active", None
        roll = rng.random()
        if roll < 0.02:
            status = "deregistered"
        elif roll < 0.035:
            status = "revoked"
        elif roll < 0.042:
            status = "moved_out"
            moved_to = rng.choice([c for c in self.all_counties if c != plan.code])
        ownership = ("other" if cooperative else
                     "state" if rng.random() < (0.25 if trade.section == "D" else 0.03) else
                     rng.choice(OWNERSHIP_DRAW))
        derived = derive(name=name, uscc=uscc, former_names="", industry_section=trade.section,
                         industry_class=trade.industry_class, size_group=None, size_class_override=None,
                         years=years, bounds_for=self.bounds.get, name_parts=parts)
        enterprise_id = self.next_enterprise_id
        self.next_enterprise_id += 1
        row: dict[str, object] = {
            "id": enterprise_id, "uuid": str(uuid.uuid4()), "uscc": uscc, "county_code": plan.code,
            "name": name, "name_key": name_key(name), "former_names": "", "township_code": township_code,
            "address": self.address(plan, township_name), "legal_representative": legal,
            "contact_person": legal if rng.random() < 0.5 else self.person(), "contact_phone": self.phone(),
            "registered_on": registered, "ownership_type": ownership, "industry_section": trade.section,
            "industry_class": trade.industry_class, "size_group": None, "size_class_override": None,
            "size_class_override_reason": "", "main_products": trade.products,
            "above_scale": category is not None, "above_scale_since": since, "four_above_category": category,
            "high_tech_cert_no": high_tech_no, "high_tech_valid_until": high_tech_until,
            "business_status": status, "moved_to_county": moved_to, "merged_into_uuid": None, "remarks": "",
            "created_at": self.now, "updated_at": self.now, "archived_at": None, "archive_reason": None,
            **derived.columns,
        }
        year_rows: list[dict[str, object]] = []
        for y in years:
            year_rows.append({
                "id": self.next_year_id, "uuid": str(uuid.uuid4()), "enterprise_id": enterprise_id, "year": y.year,
                "revenue_fen": y.revenue_fen, "main_revenue_fen": y.main_revenue_fen,
                "net_profit_fen": y.net_profit_fen, "total_assets_fen": y.total_assets_fen,
                "total_liabilities_fen": y.total_liabilities_fen, "employees": y.employees,
                "rd_expense_fen": y.rd_expense_fen, "rd_staff": y.rd_staff, "ip_class1": y.ip_class1,
                "ip_class2": y.ip_class2, "created_at": self.now, "updated_at": self.now,
                "archived_at": None, "archive_reason": None,
            })
            self.next_year_id += 1
        return row, year_rows, derived
