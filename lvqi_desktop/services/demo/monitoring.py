"""A demo 运行监测 sample made through MonitoringService: mostly small and micro firms, 24 months of reports
(some late, some missing), a statistician per firm and last year's fees recorded."""

from __future__ import annotations

import random
from datetime import date
from datetime import timedelta

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.services.enterprise_rows import EnterpriseRow
from lvqi_desktop.services.monitoring import MonitoringService
from lvqi_desktop.services.monitoring_rows import ReportDraft

_NAMES = ("王丽", "李娜", "张伟", "刘芳", "陈静", "杨洋", "赵敏", "黄磊", "周婷", "吴强")


def _months_back(today: date, count: int) -> list[date]:
    """The first days of the `count` whole months before this one, oldest first."""
    first = today.replace(day=1)
    out = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        out.append(first)
    return out[::-1]


def generate_monitoring(mon: MonitoringService, firms: list[EnterpriseRow], today: date, seed: int,
                        size: int = 40) -> int:
    """Sample `size` firms (≥ 80 % 小型/微型), report 24 months for them; the number of reports saved."""
    rng = random.Random(seed * 13 + 5)
    small = sorted((f for f in firms if f.size_class in ("3", "4")), key=lambda f: f.id)
    other = sorted((f for f in firms if f.size_class not in ("3", "4")), key=lambda f: f.id)
    chosen = rng.sample(small, min(len(small), size - size // 8)) + rng.sample(other, min(len(other), size // 8))
    months = _months_back(today, 24)
    for n, f in enumerate(chosen):
        mon.add_to_sample(f.id, months[0], "演示数据")
        mon.add_statistician(f.id, _NAMES[n % len(_NAMES)], f"139{rng.randint(0, 99999999):08d}", months[0])
    base = {f.id: rng.uniform(20, 400) for f in chosen}
    ytd = {f.id: 0.0 for f in chosen}
    saved = 0
    for start in months:
        if start.month == 1:
            ytd = dict.fromkeys(ytd, 0.0)
        drafts = []
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        for f in chosen:
            revenue = round(base[f.id] * rng.uniform(0.8, 1.2), 2)
            ytd[f.id] += revenue
            if rng.random() < 0.06:
                continue  # this month never came in
            late = rng.random() < 0.12
            received = min(today, end + timedelta(days=rng.randint(12, 30) if late else rng.randint(1, 8)))
            drafts.append(ReportDraft(f.id, f"{start:%Y-%m}", {
                "revenue": f"{revenue:.2f}", "revenue_ytd": f"{ytd[f.id]:.2f}", "employees": str(rng.randint(8, 90)),
                "domestic_orders": rng.choice(("增加", "持平", "持平", "减少"))}, received))
        if drafts:
            saved += len(mon.save_reports(f"{start:%Y-%m}", drafts, confirmed=True))
    try:
        mon.record_fees(today.year - 1)
    except LvqiError:
        pass  # no fee rate set: the statisticians are listed without fees
    return saved
