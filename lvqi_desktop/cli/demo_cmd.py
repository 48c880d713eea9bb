"""`lvqi demo`: fill the register with realistic synthetic enterprises (one transaction, all or nothing)."""

from __future__ import annotations

import argparse
import sys
import time

from lvqi_desktop import clock
from lvqi_desktop.cli.context import CliContext
from lvqi_desktop.cli.output import coded
from lvqi_desktop.cli.output import print_table
from lvqi_desktop.cli.output import printing_handler
from lvqi_desktop.models import codes
from lvqi_desktop.services.demo.bases import generate_bases
from lvqi_desktop.services.demo.cultivation import generate_cultivation
from lvqi_desktop.services.demo.monitoring import generate_monitoring


class TerminalProgress:
    """Progress on stderr, rewritten in place when stderr is a terminal; Ctrl-C cancels."""

    def __init__(self) -> None:
        self._live = sys.stderr.isatty()
        self._last = 0.0

    def update(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if self._live and (now - self._last > 0.2 or done >= total):
            self._last = now
            sys.stderr.write(f"\r{message} {done}/{total}")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    def raise_if_cancelled(self) -> None:
        pass  # Ctrl-C raises KeyboardInterrupt, which rolls the transaction back


def _size_label(code: str) -> str:
    return "未划型" if code == "none" else codes.label(codes.SIZE_CLASSES, code)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser("demo", help="生成演示数据（虚构但逼真的企业及三年数据）",
                          description="为本单位（市中心版：全市13个县区）生成演示企业；全部写入或全部不写入。")
    demo.add_argument("--enterprises", type=int, required=True, metavar="N", help="生成的企业数量（1–200000）")
    demo.add_argument("--seed", type=int, help="随机种子：同一种子在空库上生成相同的数据（默认随机，并在结果中显示）")
    demo.add_argument("--activity", action="store_true",
                      help="同时生成包联干部、包联关系、入企走访、企业诉求（数量按企业数折算）、"
                           "四个培育库各层级各状态的记录和本县的培育目标")
    printing_handler(demo, run_demo)


def run_demo(ctx: CliContext, args: argparse.Namespace) -> int:
    services = ctx.office_services(write=True)
    started = time.monotonic()
    result = services.demo.generate(args.enterprises, args.seed, TerminalProgress(), activity=args.activity)
    activity = result.activity  # with the register, in one transaction: a kill leaves neither
    cultivation = None
    pool_records, made_bases, reports = result.pool_records, 0, 0
    if args.activity:  # then what the services make record by record, each its own transaction
        n = args.enterprises
        cultivation = generate_cultivation(services.cultivation, services.enterprises.current_ids(),
                                           services.office_county(), clock.today(), result.seed)
        county = services.office_county()
        if county:  # the city's bases come in the counties' packages
            place = next((c.label for c in services.reference.counties() if c.code == county), "")
            made_bases = generate_bases(services.bases, services.enterprises.current_ids(),
                                        place, clock.today(), result.seed)
            monitoring = services.monitoring
            reports = generate_monitoring(monitoring, services.enterprises.list_rows(), clock.today(),
                                          result.seed, size=max(10, min(80, n // 12)))
    seconds = time.monotonic() - started
    counties = {c.code: c.label for c in services.reference.counties()}
    if args.format == "json":
        ctx.print_json({
            "enterprises": result.enterprises, "enterprise_years": result.enterprise_years, "seed": result.seed,
            "above_scale": result.above_scale, "seconds": round(seconds, 1),
            "activity": None if activity is None else {
                "helpers": activity.helpers, "assignments": activity.assignments, "visits": activity.visits,
                "demands": activity.demands,
                "pool_records": pool_records + (cultivation.records if cultivation else 0),
                "targets": cultivation.targets if cultivation else 0, "bases": made_bases, "monitoring_reports": reports},
            "by_county": [{**coded("county_code", code, counties.get(code, "")), "count": n}
                          for code, n in result.by_county.items()],
            "by_size_class": [{"size_class": None if code == "none" else code,
                               "size_class_label": _size_label(code),
                               "count": n} for code, n in result.by_size_class.items()],
        })
        return 0
    print(f"已生成演示企业 {result.enterprises} 家、年度数据 {result.enterprise_years} 条，"
          f"其中规上（四上）{result.above_scale} 家；用时 {seconds:.1f} 秒；随机种子 {result.seed}。")
    if activity is not None:
        print(f"另生成包联干部 {activity.helpers} 人、包联关系 {activity.assignments} 条、"
              f"入企走访 {activity.visits} 次、企业诉求 {activity.demands} 件"
              + (f"、培育库记录 {pool_records + cultivation.records} 条、本县培育目标 {cultivation.targets} 项"
                 if cultivation else "")
              + (f"、双创基地 {made_bases} 个" if made_bases else "")
              + (f"、运行监测月报 {reports} 份（24个月）" if reports else "")
              + "。")
    sizes = [[_size_label(c), str(n)] for c, n in result.by_size_class.items()]
    print_table(["规模", "企业数"], sizes, right=[False, True])
    if len(result.by_county) > 1:
        print_table(["县（市、区）", "企业数"], [[f"{k} {counties.get(k, '')}", str(v)] for k, v in result.by_county.items()],
                    right=[False, True])
    return 0
