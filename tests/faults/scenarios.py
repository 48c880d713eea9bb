"""Kill-test scenarios: bulk writes whose every transaction must be all there or all absent after SIGKILL.

A scenario is one class: `prepare` (once, in the test process), `before` (facts taken before each
run), `write` (in the writer process, until it is done or killed) and `check` (after the kill:
raise AssertionError when a transaction is torn, else say in a few words what was found). A later
bulk operation (import, merge, …) joins the kill test by adding one class to SCENARIOS.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from lvqi_desktop.models import Enterprise
from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.pools import RecordDraft
from lvqi_desktop.services.startup import open_services

COUNTY = "141102"


def query(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def has_table(db: Path, name: str) -> bool:
    return bool(query(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", name))


def set_up(data_dir: DataDir, demo: int = 0, seed: int = 1) -> None:
    """A county office (离石区), optionally with `demo` generated enterprises."""
    services = open_services(data_dir, "压测员")
    try:
        if services.office_info() is None:
            services.office.set_up("county", COUNTY, "吕梁市离石区中小企业服务中心", "压测员")
            services.forget_office()
        if demo:
            services.demo.generate(demo, seed)
    finally:
        services.db.dispose()


class Scenario:
    name = ""
    max_delay = 1.0  # the kill lands this many seconds at most after the writer is ready

    def prepare(self, data_dir: DataDir) -> dict[str, Any]:
        set_up(data_dir)
        return {}

    def before(self, data_dir: DataDir, state: dict[str, Any]) -> dict[str, Any]:
        return {}

    def write(self, services: Services, state: dict[str, Any], run: int) -> None:
        raise NotImplementedError

    def check(self, data_dir: DataDir, state: dict[str, Any], before: dict[str, Any], run: int) -> str:
        raise NotImplementedError


class InsertBatches(Scenario):
    """Many enterprises per transaction through the unit of work (with their history rows)."""

    name = "insert_batches"
    batch, batches = 200, 40

    def write(self, services: Services, state: dict[str, Any], run: int) -> None:
        for b in range(self.batches):
            with services.db.unit_of_work() as uow:
                for i in range(self.batch):
                    name = f"压测企业{run}-{b}-{i}有限公司"
                    uow.enterprises.add(Enterprise(uscc=f"K{run:05d}{b:04d}{i:04d}", county_code=COUNTY, name=name,
                                                   name_key=name, remarks=f"kill:{run}:{b}"))
                uow.commit()

    def check(self, data_dir: DataDir, state: dict[str, Any], before: dict[str, Any], run: int) -> str:
        db = data_dir.database
        groups = query(db, "SELECT remarks, count(*) FROM enterprise WHERE remarks LIKE 'kill:%' GROUP BY remarks")
        torn = [(tag, n) for tag, n in groups if n != self.batch]
        assert not torn, f"torn insert transactions (tag, rows): {torn[:5]}"
        if has_table(db, "change_record"):
            unrecorded = query(db, "SELECT count(*) FROM enterprise e WHERE remarks LIKE 'kill:%' AND NOT EXISTS "
                                   "(SELECT 1 FROM change_record c WHERE c.table_name='enterprise' "
                                   "AND c.record_id=e.id AND c.action='insert')")[0][0]
            orphans = query(db, "SELECT count(*) FROM change_record c WHERE c.table_name='enterprise' "
                                "AND c.action='insert' AND NOT EXISTS (SELECT 1 FROM enterprise e WHERE e.id=c.record_id)"
                                )[0][0]
            assert unrecorded == 0 and orphans == 0, f"history out of step: {unrecorded} unrecorded, {orphans} orphans"
        done = sum(1 for tag, _n in groups if tag.startswith(f"kill:{run}:"))
        return f"{done} of {self.batches} batches"


class DemoGeneration(Scenario):
    """`lvqi demo`: thousands of enterprises and their yearly figures in one transaction."""

    name = "demo"
    count = 1500

    def before(self, data_dir: DataDir, state: dict[str, Any]) -> dict[str, Any]:
        e, y = query(data_dir.database, "SELECT (SELECT count(*) FROM enterprise), "
                                        "(SELECT count(*) FROM enterprise_year)")[0]
        return {"enterprises": e, "years": y}

    def write(self, services: Services, state: dict[str, Any], run: int) -> None:
        services.demo.generate(self.count, seed=run)

    def check(self, data_dir: DataDir, state: dict[str, Any], before: dict[str, Any], run: int) -> str:
        e, y = self.before(data_dir, state).values()
        if (e, y) == (before["enterprises"], before["years"]):
            return "absent"
        assert e == before["enterprises"] + self.count and y > before["years"], \
            f"torn demo: enterprises {before['enterprises']} -> {e}, years {before['years']} -> {y}"
        return "complete"


class DemoWithActivity(Scenario):
    """`lvqi demo --activity`: enterprises, helpers, visits and demands all in one transaction (issue 19)."""

    name = "demo_activity"
    count = 1300

    def before(self, data_dir: DataDir, state: dict[str, Any]) -> dict[str, Any]:
        e, v, d = query(data_dir.database, "SELECT (SELECT count(*) FROM enterprise), (SELECT count(*) FROM visit), "
                                           "(SELECT count(*) FROM demand)")[0]
        return {"enterprises": e, "visits": v, "demands": d}

    def write(self, services: Services, state: dict[str, Any], run: int) -> None:
        services.demo.generate(self.count, seed=run, activity=True)

    def check(self, data_dir: DataDir, state: dict[str, Any], before: dict[str, Any], run: int) -> str:
        now = self.before(data_dir, state)
        if now == before:
            return "absent"
        assert now["enterprises"] == before["enterprises"] + self.count and now["visits"] > before["visits"] \
            and now["demands"] > before["demands"], f"torn demo --activity: {before} -> {now}"
        return "complete"


class BulkStatus(Scenario):
    """批量修改经营状态 of 1,000 enterprises, again and again, each one transaction with its history."""

    name = "bulk_status"
    size, rounds = 1000, 40

    def prepare(self, data_dir: DataDir) -> dict[str, Any]:
        set_up(data_dir, demo=self.size)
        ids = [r[0] for r in query(data_dir.database, "SELECT id FROM enterprise ORDER BY id LIMIT ?", self.size)]
        services = open_services(data_dir, "压测员")
        try:
            services.bulk.set_business_status(ids, "active", "压测准备")  # from now on every round changes all
        finally:
            services.db.dispose()
        return {"ids": ids, "history": self._history(data_dir.database)}

    @staticmethod
    def _history(db: Path) -> tuple[int, int]:
        """(bulk status batch rows, enterprise update rows touching business_status)."""
        if not has_table(db, "change_record"):
            return 0, 0
        batches = query(db, "SELECT count(*) FROM change_record WHERE action='batch' "
                            "AND summary LIKE '批量修改经营状态%'")[0][0]
        rows = query(db, "SELECT count(*) FROM change_record WHERE action='update' AND table_name='enterprise' "
                         "AND changes LIKE '%business_status%'")[0][0]
        return batches, rows

    def write(self, services: Services, state: dict[str, Any], run: int) -> None:
        ids = state["ids"]
        status = services.enterprises.draft(ids[0]).business_status
        for _ in range(self.rounds):
            status = "deregistered" if status == "active" else "active"
            services.bulk.set_business_status(ids, status, f"压测第{run}轮")

    def check(self, data_dir: DataDir, state: dict[str, Any], before: dict[str, Any], run: int) -> str:
        db = data_dir.database
        marks = ",".join("?" * len(state["ids"]))
        groups = query(db, f"SELECT business_status, count(*) FROM enterprise WHERE id IN ({marks}) "
                           "GROUP BY business_status", *state["ids"])
        assert len(groups) == 1, f"torn bulk status change: {groups}"
        (base_batches, base_rows), (batches, rows) = state["history"], self._history(db)
        assert rows - base_rows == (batches - base_batches) * self.size, \
            f"history out of step: {batches - base_batches} batches, {rows - base_rows} rows"
        return groups[0][0]


class PoolBulkStatus(Scenario):
    """培育库批量变更状态 of 300 records (培育中 ⇄ 达规待入统), each one transaction with its timeline rows."""

    name = "pool_bulk_status"
    size, rounds = 300, 40
    max_delay = 2.5  # one round takes about a second: let some kills land after a commit
    statuses = ("cultivating", "qualified")

    def prepare(self, data_dir: DataDir) -> dict[str, Any]:
        set_up(data_dir, demo=self.size)
        firms = [r[0] for r in query(data_dir.database, "SELECT id FROM enterprise ORDER BY id LIMIT ?", self.size)]
        services = open_services(data_dir, "压测员")
        try:
            pools = services.cultivation.pools
            ids = [pools.add_to_pool(f, RecordDraft(pool="scale_up")) for f in firms]
            pools.bulk_change_status(ids, self.statuses[0], "压测准备")  # from now on every round changes all
        finally:
            services.db.dispose()
        return {"ids": ids, "counts": self._counts(data_dir.database, ids)}

    @staticmethod
    def _counts(db: Path, ids: list[int]) -> tuple[int, int]:
        """(status events of the records, recorded cultivation_record updates touching status)."""
        marks = ",".join("?" * len(ids))
        events = query(db, f"SELECT count(*) FROM cultivation_event WHERE kind='status' AND record_id IN ({marks})",
                       *ids)[0][0]
        rows = query(db, "SELECT count(*) FROM change_record WHERE action='update' "
                         "AND table_name='cultivation_record' AND changes LIKE '%status%'")[0][0]
        return events, rows

    def write(self, services: Services, state: dict[str, Any], run: int) -> None:
        pools, ids = services.cultivation.pools, state["ids"]
        status = pools.record(ids[0]).row.status
        for _ in range(self.rounds):
            status = self.statuses[1] if status == self.statuses[0] else self.statuses[0]
            pools.bulk_change_status(ids, status, f"压测第{run}轮")

    def check(self, data_dir: DataDir, state: dict[str, Any], before: dict[str, Any], run: int) -> str:
        db, ids = data_dir.database, state["ids"]
        marks = ",".join("?" * len(ids))
        groups = query(db, f"SELECT status, count(*) FROM cultivation_record WHERE id IN ({marks}) GROUP BY status",
                       *ids)
        assert len(groups) == 1 and groups[0][1] == self.size, f"torn pool bulk status change: {groups}"
        (base_events, base_rows), (events, rows) = state["counts"], self._counts(db, ids)
        assert (events - base_events) % self.size == 0, f"torn timeline: {events - base_events} new events"
        assert rows - base_rows == events - base_events, \
            f"history out of step: {events - base_events} events, {rows - base_rows} recorded changes"
        return groups[0][0]


class RestoreBackups(Scenario):
    """Restoring backups back and forth (each restore first backs up the current state)."""

    name = "restore"
    small, large, rounds = 300, 500, 20

    def prepare(self, data_dir: DataDir) -> dict[str, Any]:
        set_up(data_dir, demo=self.small)
        services = open_services(data_dir, "压测员")
        try:
            a = services.backups.backup("manual").path
            services.demo.generate(self.large - self.small, 2)
            b = services.backups.backup("manual").path
        finally:
            services.db.dispose()
        stick = data_dir.root.parent / "restore-sources"  # like files on a USB stick: rotation never sees them
        stick.mkdir(exist_ok=True)
        files = [stick / a.name, stick / b.name]
        for source, copy in zip((a, b), files, strict=True):
            copy.write_bytes(source.read_bytes())
        return {"files": [str(f) for f in files]}

    def write(self, services: Services, state: dict[str, Any], run: int) -> None:
        backups = services.backups  # it switches itself to each restored database
        for k in range(self.rounds):
            backups.restore(Path(state["files"][k % 2]), confirmed=True)

    def check(self, data_dir: DataDir, state: dict[str, Any], before: dict[str, Any], run: int) -> str:
        n = query(data_dir.database, "SELECT count(*) FROM enterprise")[0][0]
        assert n in (self.small, self.large), f"restore left {n} enterprises, not {self.small} or {self.large}"
        return f"{n} enterprises"


SCENARIOS: dict[str, Scenario] = {s.name: s for s in (InsertBatches(), DemoGeneration(), DemoWithActivity(), BulkStatus(),
                                                       PoolBulkStatus(), RestoreBackups())}
