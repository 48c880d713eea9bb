"""`lvqi kpi --period 2026Q4`: service KPIs (enterprises served, demands, on-time, resolution, satisfaction)."""

from __future__ import annotations

import argparse

from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.output import iso
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.services.kpi import KpiFigures


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kpi = sub.add_parser("kpi", help="服务指标：服务企业数、诉求受理/办结/按期办结、化解率、满意率",
                         description="按期别统计服务指标。")
    kpi.add_argument("--period", required=True, help="期别：2026-11（月）、2026Q4（季度）或 2026（年度）")
    kpi.add_argument("--target", type=int, help="年度服务企业目标（默认读取培育目标中的“服务企业数”）")
    printing_handler(kpi, run_kpi)


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _ratio(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def kpi_json(k: KpiFigures) -> dict[str, object]:
    return {"period": k.period_code, "period_label": k.period_label, "start": iso(k.start), "end": iso(k.end),
            "enterprises_served": k.enterprises_served, "enterprises_served_ytd": k.enterprises_served_ytd,
            "served_target": k.served_target, "served_progress": _ratio(k.served_progress),
            "demands_received": k.received, "demands_closed": k.closed, "demands_resolved": k.resolved,
            "demands_explained": k.explained, "demands_closed_on_time": k.closed_on_time,
            "demands_closed_after_reopen": k.closed_after_reopen, "followed_up": k.followed_up,
            "satisfied": k.satisfied, "unsatisfied": k.unsatisfied, "on_time_rate": _ratio(k.on_time_rate),
            "resolution_rate": _ratio(k.resolution_rate), "satisfaction_rate": _ratio(k.satisfaction_rate)}


def run_kpi(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=False)
    k = services.kpi.kpis(args.period, args.target)  # a bad or future period exits 1 with the reason
    if args.format == "json":
        ctx.print_json(kpi_json(k))
        return 0
    target = f" / 年度目标 {k.served_target}（完成 {_pct(k.served_progress)}）" if k.served_target else ""
    print(f"{k.period_label}（{iso(k.start)} 至 {iso(k.end)}）")
    print_table(["指标", "数值"], [
        ["服务企业数", str(k.enterprises_served)],
        ["本年累计服务企业数", f"{k.enterprises_served_ytd}{target}"],
        ["受理诉求", str(k.received)],
        ["办结诉求（含解释）", f"{k.closed}（办结 {k.resolved}，解释 {k.explained}，其中重办后办结 {k.closed_after_reopen}）"],
        ["按期办结", f"{k.closed_on_time}（按期办结率 {_pct(k.on_time_rate)}）"],
        ["化解率", _pct(k.resolution_rate)],
        ["回访", f"{k.followed_up}（满意及基本满意 {k.satisfied}，不满意 {k.unsatisfied}）"],
        ["满意率", _pct(k.satisfaction_rate)],
    ])
    return 0
