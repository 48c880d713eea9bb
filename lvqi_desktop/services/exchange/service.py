"""Submission packages (数据报送包) and receipts (回执): the county makes them, the city imports them.

County: `export_package` snapshots every travelling record into a package; local data is never changed
(only the package log and its sequence number are written). City: `dry_run` checks and classifies packages,
`apply` merges the accepted ones in one transaction after a backup, keeping each package as received.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from lvqi_desktop import __version__
from lvqi_desktop import atomic_files
from lvqi_desktop import clock
from lvqi_desktop.errors import ExportError
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ServerTrouble
from lvqi_desktop.exchange.format import MAX_PREVIOUS
from lvqi_desktop.exchange.format import Manifest
from lvqi_desktop.exchange.format import PackageError
from lvqi_desktop.exchange.keys import KeyPair
from lvqi_desktop.exchange.keys import PublicKey
from lvqi_desktop.exchange.keys import fingerprint_digits
from lvqi_desktop.exchange.reader import Package
from lvqi_desktop.exchange.reader import read_package
from lvqi_desktop.exchange.receipt import Receipt
from lvqi_desktop.exchange.receipt import ReceiptTarget
from lvqi_desktop.exchange.receipt import read_receipt
from lvqi_desktop.exchange.receipt import write_receipt
from lvqi_desktop.exchange.sealing import unseal
from lvqi_desktop.exchange.writer import encode_tables
from lvqi_desktop.exchange.writer import write_package
from lvqi_desktop.models.base import new_uuid
from lvqi_desktop.models.exchange import DECISION_LABELS
from lvqi_desktop.models.exchange import DECISION_REJECTED
from lvqi_desktop.models.exchange import RECEIVED_CURRENT
from lvqi_desktop.models.exchange import SENT_DONE
from lvqi_desktop.models.exchange import SENT_FAILED
from lvqi_desktop.models.exchange import SENT_WRITING
from lvqi_desktop.models.exchange import PackageReceived
from lvqi_desktop.models.exchange import PackageSent
from lvqi_desktop.models.history import ACTION_BATCH
from lvqi_desktop.models.targets import ALLOCATED
from lvqi_desktop.paths import DataDir
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.services.exchange import import_marker
from lvqi_desktop.services.exchange.digest import Digest
from lvqi_desktop.services.exchange.digest import DigestPool
from lvqi_desktop.services.exchange.keys import KeyService
from lvqi_desktop.services.exchange.package_import import CityIndex
from lvqi_desktop.services.exchange.package_import import classify
from lvqi_desktop.services.exchange.package_import import cross_county
from lvqi_desktop.services.exchange.package_import import merge
from lvqi_desktop.services.exchange.package_import import precheck
from lvqi_desktop.services.exchange.rows import STATUS_APPLY
from lvqi_desktop.services.exchange.rows import STATUS_REFUSED
from lvqi_desktop.services.exchange.rows import CountyPlan
from lvqi_desktop.services.exchange.rows import CountySubmission
from lvqi_desktop.services.exchange.rows import ExportedPackage
from lvqi_desktop.services.exchange.rows import ImportPlan
from lvqi_desktop.services.exchange.rows import ImportResult
from lvqi_desktop.services.exchange.rows import ReceivedPackage
from lvqi_desktop.services.exchange.rows import SentPackage
from lvqi_desktop.services.exchange.trust import chain_problem
from lvqi_desktop.services.exchange.trust import cover_mismatch
from lvqi_desktop.services.exchange.trust import signer_refusal
from lvqi_desktop.services.exchange.trust import unseal_to
from lvqi_desktop.services.office import OfficeInfo
from lvqi_desktop.services.targets import take_allocations
from lvqi_desktop.storage.enrolled_keys import EnrolledKeys
from lvqi_desktop.storage.key_store import owner_only_dir
from lvqi_desktop.storage.unit_of_work import Database
from lvqi_desktop.validation.period import Period
from lvqi_desktop.validation.period import parse_period
from lvqi_desktop.validation.workdays import next_working_day

if TYPE_CHECKING:  # (only for the types: no import cycle)
    from lvqi_desktop.services.backups import BackupService
    from lvqi_desktop.services.returns.service import ReturnService

DEADLINE_DAYS = 10  # a package received later than the period's end plus this many days is late


def package_deadline(period: Period) -> date:
    """Packages are due by the period's end plus DEADLINE_DAYS, a day off moved to the next working day."""
    return next_working_day(period.end + timedelta(days=DEADLINE_DAYS))
PACKAGES_DIR = "packages"


class ExchangeService:
    def __init__(self, data_dir: DataDir, db: Database, office_info: Callable[[], OfficeInfo | None],
                 returns: ReturnService | None = None, backups: BackupService | None = None,
                 clock: Callable[[], datetime] = clock.now, today: Callable[[], date] = clock.today,
                 program_version: str = __version__, keys: KeyService | None = None) -> None:
        self._data_dir = data_dir
        self._keys = keys or KeyService(data_dir, db, office_info, clock)
        self._db = db
        self._office_info = office_info
        self._returns = returns  # ReturnService: the period's returns go into the package
        self._backups = backups  # BackupService: a backup is taken before every import
        self._clock = clock
        self._today = today
        self._version = program_version

    # ---- who may do what
    def _office(self) -> OfficeInfo:
        office = self._office_info()
        if office is None:
            raise LvqiError("本机还没有设置所属单位。请先在“设置”中设置本单位（或运行 lvqi init）。")
        return office

    def _county_office(self) -> OfficeInfo:
        office = self._office()
        if office.is_city:
            raise LvqiError("本机是市中心，不生成报送包、不导入回执；这是县（市、区）的操作。")
        return office

    def _city_office(self) -> OfficeInfo:
        office = self._office()
        if not office.is_city:
            raise LvqiError(f"本机是{office.county_name}，只有市中心可以导入报送包、出具回执。"
                            "县区请用“生成报送包”把数据交给市中心。")
        return office

    def period(self, text: str) -> Period:
        return parse_period(text, self._today())

    # ---- county: make a package
    def export_package(self, period: str, target_dir: str | Path, preparer: str = "",
                       progress: Progress = NO_PROGRESS, with_returns: bool = True) -> ExportedPackage:
        """Write the county's package for `period` into `target_dir`, read it back and verify it.

        The data members are encoded first, so the returns inside print the package's data fingerprint.
        """
        started = time.perf_counter()
        office = self._county_office()
        p = self.period(period)
        folder = _check_folder(target_dir)
        pair, city = self._keys.own(), self._keys.city_key()  # signed by this office, sealed to the city
        preparer = preparer.strip() or office.default_preparer
        package_uuid, now = new_uuid(), self._clock()
        with self._db.unit_of_work() as uow:  # reserve the sequence number first: never reused
            sequence = uow.exchange_log.last_sequence() + 1
            previous = uow.exchange_log.previous_sent(MAX_PREVIOUS)
            uow.exchange_log.add(PackageSent(package_uuid=package_uuid, sequence=sequence, period=p.code,
                                             status=SENT_WRITING, created_at=now, preparer=preparer))
            uow.commit()
        try:
            return self._write_package(office, p, folder, preparer, package_uuid, sequence, now, progress,
                                       with_returns, started, previous=previous, keys=(pair, city))
        except BaseException:
            with self._db.unit_of_work() as uow:  # never left as "writing" (shown as 未收到)
                row = uow.exchange_log.sent(package_uuid)
                if row is not None:
                    row.status = SENT_FAILED
                    uow.commit()
            raise

    def _write_package(self, office: OfficeInfo, p: Period, folder: Path, preparer: str, package_uuid: str,
                       sequence: int, now: datetime, progress: Progress, with_returns: bool,
                       started: float, *, previous: tuple[tuple[int, str], ...],
                       keys: tuple[KeyPair, PublicKey]) -> ExportedPackage:
        pair, city = keys  # signed by this office, sealed to the city
        progress.update(0, 100, "正在读取本机数据")
        with self._db.unit_of_work() as uow:
            tables = uow.package_records.snapshot(str(office.county_code))
        encoded = encode_tables(tables, progress)
        del tables
        manifest = Manifest(str(office.county_code), office.county_name, p.code, now.isoformat(timespec="seconds"),
                            preparer, package_uuid, sequence, self._version, previous=previous)
        warnings: list[str] = []
        with tempfile.TemporaryDirectory(prefix="lvqi-returns-") as tmp:
            attachments = (self._render_returns(p, Path(tmp), preparer, warnings, encoded.fingerprint, sequence)
                           if with_returns else [])
            written = write_package(folder, manifest, attachments=attachments, progress=progress, encoded=encoded,
                                    signer=pair, recipients=[city])
        manifest = written.manifest
        with self._db.unit_of_work() as uow:
            row = uow.exchange_log.sent(package_uuid)
            assert row is not None
            row.status, row.fingerprint = SENT_DONE, manifest.fingerprint
            row.file_path = str(Path(written.path).resolve())  # where it went, whatever folder was typed
            row.counts = json.dumps(manifest.counts)
            uow.commit()
        progress.update(100, 100, "报送包已生成并校验无误")
        return ExportedPackage(written.path, manifest, tuple(a.name for a in attachments), tuple(warnings),
                               time.perf_counter() - started, written.note)

    def _render_returns(self, p: Period, folder: Path, preparer: str, warnings: list[str],
                        fingerprint: str, sequence: int) -> list[Path]:
        if self._returns is None:
            return []
        ids = [e.return_id for e in self._returns.catalogue() if e.definition.accepts(p.kind)]
        if not ids:
            return []
        for formats in (("xlsx", "pdf"), ("xlsx",)):
            try:
                result = self._returns.export(ids, p, formats, folder, preparer,
                                              package_fingerprint=fingerprint, package_sequence=sequence)
            except ExportError as exc:
                if formats == ("xlsx",):
                    raise
                warnings.append(f"报表 PDF 未能生成（{exc}），报送包只含 Excel 报表。")
                continue
            warnings += list(result.warnings)
            return sorted(result.paths)
        return []

    def sent_packages(self) -> list[SentPackage]:
        with self._db.unit_of_work() as uow:
            rows = uow.exchange_log.all_sent()
            return [SentPackage(r.period, r.sequence, r.status, r.file_path, r.fingerprint,
                                r.created_at.isoformat(timespec="seconds"), DECISION_LABELS.get(r.receipt_decision or ""),
                                r.receipt_remarks) for r in rows]

    # ---- anyone: check a file
    def verify(self, path: str | Path) -> Package:
        """Opened with this office's key (the city, or the county that made it), then every check of the
        strict reader, the signature included; PackageError with the reason otherwise."""
        plain = io.BytesIO()
        cover = unseal(path, self._keys.own(), plain)
        package = read_package(path, source=plain)
        if (problem := cover_mismatch(cover, package)) is not None:
            raise PackageError(f"报送包“{Path(path).name}”不能使用：{problem}。数据库未作任何更改。")
        return package

    # ---- city: dry run and import
    def dry_run(self, paths: Sequence[str | Path], progress: Progress = NO_PROGRESS) -> ImportPlan:
        """Check and classify each package against the merged data; nothing is written.

        Every file is checked in full first (checksums); records are parsed only for packages that are
        neither already imported nor older than what the city holds.
        """
        self._city_office()
        pair = self._keys.own()
        total = 2 * len(paths) + 1
        work = Path(tempfile.mkdtemp(prefix="open-", dir=owner_only_dir(self._data_dir.root / "tmp")))
        opened: dict[Path, Path] = {}  # sealed file → its signed ZIP, decrypted into the private folder
        try:
            with self._db.unit_of_work() as uow:
                index = CityIndex.load(uow)
                plans: list[CountyPlan] = []
                for n, path in enumerate(paths):
                    progress.raise_if_cancelled()
                    progress.update(n, total, f"正在校验 {Path(path).name}")
                    plans.append(self._open_one(Path(path), pair, work, opened, index, uow.enrolled_keys))
                _one_per_county(plans)
                helper = DigestPool([opened[p.file] for p in plans if p.status == STATUS_APPLY], self._today())
                try:
                    for n, plan in enumerate(plans):
                        progress.raise_if_cancelled()
                        progress.update(len(paths) + n, total,
                                        f"正在比对 {plan.county_name or plan.file.name} {plan.period}")
                        if plan.status != STATUS_REFUSED or plan.county_code:  # else the file itself was refused
                            found = helper.get(opened[plan.file])
                            plans[n] = self._check_in_full(plan, index, found, opened[plan.file])
                finally:
                    helper.close()
                conflicts = cross_county(plans, uow.package_records.live_enterprise_keys())
                token = uow.exchange_log.token()
        finally:
            shutil.rmtree(work, ignore_errors=True)
        progress.update(total, total, "比对完成")
        return ImportPlan(plans, conflicts, token)

    def _open_one(self, path: Path, pair: KeyPair, work: Path, opened: dict[Path, Path], index: CityIndex,
                  keys: EnrolledKeys) -> CountyPlan:
        """Decrypt, check the signature and its key, the cover, the sequence and the chain; no records yet."""
        try:
            cover, inner = unseal_to(path, pair, work)
            opened[path] = inner
            with open(inner, "rb") as f:
                head = read_package(path, members=False, source=f)
        except PackageError as exc:
            return CountyPlan(path, STATUS_REFUSED, refusals=[str(exc)])
        refusal = cover_mismatch(cover, head) or signer_refusal(keys, head)
        if refusal is not None:
            return CountyPlan(path, STATUS_REFUSED, refusals=[refusal])
        plan = precheck(head, index, self._today())
        if plan.status == STATUS_APPLY:
            refusal, warning = chain_problem(keys, head)
            if refusal is not None:
                plan.refuse(refusal)
            elif warning is not None:
                plan.warnings.append(warning)
        return plan

    def _check_in_full(self, plan: CountyPlan, index: CityIndex, found: Digest | None, inner: Path) -> CountyPlan:
        """Every member's checksum; the records only when they may be merged (then classified)."""
        try:
            with open(inner, "rb") as f:
                package = read_package(plan.file, with_records=plan.status == STATUS_APPLY,
                                       known_hashes=found.hashes if found else None, source=f)
        except PackageError as exc:
            return CountyPlan(plan.file, STATUS_REFUSED, refusals=[str(exc)])
        if plan.status != STATUS_APPLY:
            return plan
        fresh = classify(package, index, self._today(),
                         found.checked_enterprises(package.manifest) if found else None)
        fresh.warnings[:0] = plan.warnings
        return fresh

    def apply(self, plan: ImportPlan, progress: Progress = NO_PROGRESS) -> ImportResult:
        """Merge the plan's accepted packages in one transaction, after a backup; all or nothing."""
        self._city_office()
        started = time.perf_counter()
        chosen = plan.to_apply
        if not chosen:
            return ImportResult(plan, [], None, time.perf_counter() - started)
        backup = None
        if self._backups is not None:
            progress.update(0, 100, "导入前先备份")
            backup = self._backups.backup("before-import").path
        copied: list[Path] = []
        try:
            stored = {c.package_uuid: self._keep_copy(c, copied) for c in chosen}
            import_marker.begin(self._data_dir.root, self._clock().strftime("%Y-%m-%d %H:%M"),
                                [(c.package_uuid, f"{c.county_name} {c.period}（序号 {c.sequence}）") for c in chosen])
            try:
                applied = self._merge_all(plan, chosen, stored, progress)
            except Exception as exc:  # rolled back; the server gone (or a fault) is told again at the next start
                if isinstance(exc, LvqiError) and not isinstance(exc, ServerTrouble):
                    import_marker.end(self._data_dir.root)  # refused or cancelled: told now, and that is all
                raise
            except BaseException:  # Ctrl-C in the CLI: told now
                import_marker.end(self._data_dir.root)
                raise
            import_marker.end(self._data_dir.root)
        except BaseException:
            for path in copied:
                atomic_files.discard(path)
            raise
        return ImportResult(plan, applied, backup, time.perf_counter() - started)

    def _keep_copy(self, plan: CountyPlan, copied: list[Path]) -> str:
        """The sealed file as received, under a name made of checked fields only, owner-only."""
        relative = Path(PACKAGES_DIR) / plan.county_code / plan.period / f"{plan.sequence:05d}-{plan.package_uuid}.lvqi"
        final = self._data_dir.root / relative
        packages = (self._data_dir.root / PACKAGES_DIR).resolve()
        if packages not in final.resolve().parents or not plan.package_uuid.replace("-", "").isalnum():
            raise LvqiError(f"报送包的存放路径不对（{relative}），未导入。数据库未作任何更改。")
        for folder in (packages, final.parent.parent, final.parent):
            owner_only_dir(folder)
        with atomic_files.replacing(final, temp=final.with_suffix(".part")) as temp:
            copied.append(temp)
            shutil.copyfile(plan.file, temp)
            temp.chmod(0o600)
        copied.append(final)
        return relative.as_posix()

    def _merge_all(self, plan: ImportPlan, chosen: list[CountyPlan], stored: dict[str, str],
                   progress: Progress) -> list[CountyPlan]:
        applied = []
        now = self._clock()
        with self._db.unit_of_work() as uow:
            records = uow.package_records
            records.one_import_at_a_time()  # several clerks on the city's server
            stale = uow.exchange_log.token() != plan.token  # another import since the dry run: classify again
            index = CityIndex.load(uow) if stale else None
            ids: dict[str, dict[str, int]] = {}
            records.widen_cache(True)
            suspended = records.suspend_indexes(_new_rows(chosen))
            for n, old in enumerate(chosen):
                progress.raise_if_cancelled()
                progress.update(n, len(chosen), f"正在导入 {old.county_name} {old.period}")
                assert old.package is not None
                fresh = old
                if index is not None:
                    fresh = classify(old.package, index, self._today())
                    if fresh.status != STATUS_APPLY:
                        old.warnings.append("导入前复核时状态已变：" + fresh.summary)
                        continue
                merge(records, fresh, ids)
                if index is not None:
                    index.merged(fresh)
                uow.exchange_log.supersede(fresh.county_code, fresh.period)
                m = old.package.manifest
                uow.exchange_log.add(PackageReceived(
                    package_uuid=m.package_uuid, county_code=m.county_code, county_name=m.county_name,
                    period=m.period, sequence=m.sequence, status=RECEIVED_CURRENT, fingerprint=m.fingerprint,
                    stored_path=stored[m.package_uuid], original_name=old.file.name, preparer=m.preparer,
                    signer=old.package.signer.fingerprint if old.package.signer else "",
                    created_at=_parse_time(m.created_at, now), received_at=now,
                    summary=json.dumps({"total": fresh.total.to_json(),
                                        "tables": {t: c.to_json() for t, c in fresh.counts.items()}})))
                uow.flush()
                uow.history.append_event(ACTION_BATCH, f"导入报送包：{fresh.summary}"[:300], "enterprise",
                                         {"package_uuid": [None, m.package_uuid], "sequence": [None, m.sequence]})
                old.counts = fresh.counts
                applied.append(old)
            progress.update(len(chosen), len(chosen), "正在整理索引")
            records.restore_indexes(suspended)
            uow.commit()
            records.widen_cache(False)
        progress.update(len(chosen), len(chosen), "导入完成")
        return applied

    def unfinished_import(self) -> str | None:
        """At start: what an import cut short by the program's end (or the server's) left; told once, then forgotten.
        None when the last import ended normally."""
        left = import_marker.read(self._data_dir.root)
        if left is None:
            return None
        with self._db.unit_of_work() as uow:
            missing = [label for uuid, label in left.packages if uow.exchange_log.received(uuid) is None]
        import_marker.end(self._data_dir.root)
        when = f"（{left.started} 开始）" if left.started else ""
        if left.packages and not missing:
            return (f"上次导入报送包{when}时程序在收尾前退出，但导入已经完成："
                    f"{'、'.join(label for _, label in left.packages)}。请在“数据交换”页核对已收到的报送包。")
        names = "、".join(missing) if missing else "报送包"
        return (f"上次导入{names}{when}未完成：程序在导入过程中退出，或数据库服务器中途出了问题（如连接中断）。"
                "这次导入已整体撤销，数据库没有改动，请在“数据交换”页重新导入。")

    # ---- city: what has arrived, and conflicts
    def received(self, period: str | None = None) -> list[ReceivedPackage]:
        """The packages taken in (of one period, or all), as plain rows."""
        with self._db.unit_of_work() as uow:
            return [ReceivedPackage.of(r) for r in uow.exchange_log.all_received(self.period(period).code if period else None)]

    def submission_status(self, period: str) -> list[CountySubmission]:
        """Per county: sent or missing, accepted or rejected, on time or late (deadline: `package_deadline`)."""
        self._city_office()
        p = self.period(period)
        deadline = package_deadline(p)
        with self._db.unit_of_work() as uow:
            counties = list(uow.exchange_log.counties().items())
            rows = sorted(uow.exchange_log.all_received(p.code), key=lambda r: r.sequence)
            newest = {r.county_code: r for r in rows}
            first: dict[str, PackageReceived] = {}
            for received in rows:
                first.setdefault(received.county_code, received)
            out = []
            for code, name in counties:
                r = newest.get(code)
                if r is None:
                    due = self._today() > deadline
                    out.append(CountySubmission(code, name, "missing" if due else "not_due",
                                                "未报送（已逾期）" if due else "未报送", late=due))
                    continue
                late = first[code].received_at.date() > deadline
                status = r.receipt_decision or "received"
                label = DECISION_LABELS.get(status, "已收到，待出具回执") + ("（逾期）" if late else "")
                out.append(CountySubmission(code, name, status, label, r.sequence,
                                            r.received_at.isoformat(timespec="seconds"), late))
            return out

    def cross_county_conflicts(self) -> list[str]:
        """Same USCC or normalised name held by two counties in the merged data."""
        with self._db.unit_of_work() as uow:
            return cross_county([], uow.package_records.live_enterprise_keys())

    # ---- receipts
    def write_receipt(self, package_uuid: str, decision: str, remarks: Sequence[str], target_dir: str | Path,
                      issued_by: str = "") -> Path:
        """City: write the receipt for a received package (accepted / accepted_with_remarks / rejected)."""
        office = self._city_office()
        remarks = [r.strip() for r in remarks if r.strip()]
        if decision not in DECISION_LABELS:
            raise LvqiError("回执结论应为：accepted（接收）、accepted_with_remarks（接收但有意见）或 rejected（退回）。")
        if decision != "accepted" and not remarks:
            raise LvqiError("“接收但有意见”或“退回”的回执必须写明意见或理由。")
        folder = _check_folder(target_dir)
        now = self._clock()
        with self._db.unit_of_work() as uow:
            row, current = uow.exchange_log.received_and_current(package_uuid)
            if row is None:
                raise LvqiError(f"本机没有导入过编号为 {package_uuid} 的报送包。")
            _refuse_superseded(row, current)
            receipt = Receipt(row.package_uuid, row.county_code, row.county_name, row.period, row.sequence,
                              row.fingerprint, decision, now.isoformat(timespec="seconds"),
                              issued_by or self._db.operator, office.name, remarks,
                              county_key=fingerprint_digits(row.signer) if row.signer else "",
                              targets=tuple(ReceiptTarget(t.uuid, t.scope, t.metric, t.year, t.value)
                                            for t in uow.targets.targets([row.county_code]) if t.allocated))
            path = write_receipt(folder, receipt, self._keys.own())
            row.receipt_decision, row.receipt_remarks, row.receipt_issued_at = decision, "\n".join(remarks), now
            uow.commit()
        return path

    def import_receipt(self, path: str | Path) -> str:
        """County: read the city's receipt; an accepted package locks its period, the targets the city allocated
        are taken (in the same transaction). Returns a summary."""
        office = self._county_office()
        receipt = read_receipt(path, self._keys.city_key())
        if receipt.county_code != office.county_code:
            raise PackageError(f"这份回执是给{receipt.county_name}的，不是本县区（{office.county_name}）的。"
                               "本机数据未作任何更改。")
        with self._db.unit_of_work() as uow:
            sent, newest = uow.exchange_log.sent_and_newest(receipt.package_uuid)
            if sent is None or sent.fingerprint != receipt.data_fingerprint:
                raise PackageError("这份回执对应的报送包不是本机生成的（或数据指纹不符）。本机数据未作任何更改。")
            now = self._clock()
            issued = _parse_time(receipt.issued_at, now)
            later = [r.receipt_issued_at for r in uow.exchange_log.all_sent() if r.receipt_issued_at is not None]
            current = not later or max(later) <= issued  # an older receipt imported late never undoes a newer one
            sent.receipt_decision, sent.receipt_remarks = receipt.decision, "\n".join(receipt.remarks)
            sent.receipt_issued_at, sent.receipt_imported_at = issued, now
            if receipt.decision != DECISION_REJECTED and newest <= receipt.sequence:
                uow.period_locks.lock_period(receipt.period, receipt.package_uuid, now)
            taken = (0, 0)
            if current:
                uow.label_action(f"导入回执：{receipt.period} 报送包（序号 {receipt.sequence}）")
                taken = take_allocations(uow, receipt.county_code, receipt.targets,
                                         f"{ALLOCATED}（回执 {issued.date().isoformat()}）",
                                         withdraw=receipt.format_version >= 3)
            uow.commit()
        summary = _receipt_summary(receipt, newest)
        if not current and receipt.targets:
            return summary.rstrip("。") + "。这份回执早于本机已导入的回执，其中的下达目标未采用（以较新的回执为准）。"
        return _allocation_summary(summary, len(receipt.targets), *taken)

    def is_period_locked(self, period: str) -> bool:
        """True when the city has received `period` and it has not been reopened (other services call this)."""
        code = self.period(period).code
        with self._db.unit_of_work() as uow:
            lock = uow.period_locks.lock_row(code)
            return lock is not None and lock.in_force

    def reopen_period(self, period: str, reason: str) -> None:
        """Unlock a received period; the reason is kept and the next package supersedes the received one."""
        code = self.period(period).code
        reason = reason.strip()
        if not reason:
            raise LvqiError("重新打开已被市中心接收的期别，必须填写理由。")
        with self._db.unit_of_work() as uow:
            lock = uow.period_locks.lock_row(code)
            if lock is None or not lock.in_force:
                raise LvqiError(f"{code} 没有被锁定，无需重新打开。")
            uow.period_locks.reopen(lock, self._clock(), reason, self._db.operator)
            uow.commit()


def _new_rows(plans: list[CountyPlan]) -> dict[str, int]:
    """table → how many records the plans add to it."""
    out: dict[str, int] = {}
    for p in plans:
        for table, rows in p.new.items():
            out[table] = out.get(table, 0) + len(rows)
    return out


def _one_per_county(plans: list[CountyPlan]) -> None:
    """Within one batch only each county's newest package is merged."""
    newest: dict[str, CountyPlan] = {}
    for p in plans:
        if p.status == STATUS_APPLY and (p.county_code not in newest or p.sequence > newest[p.county_code].sequence):
            newest[p.county_code] = p
    for p in plans:
        if p.status == STATUS_APPLY and newest[p.county_code] is not p:
            p.refuse(f"同一批中还有{p.county_name}更新的报送包（序号 {newest[p.county_code].sequence}），"
                     "只导入最新的一个")


def _parse_time(text: str, default: datetime) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return default


def _check_folder(target: str | Path) -> Path:
    from lvqi_desktop.services.returns.service import check_target_folder
    return check_target_folder(target)


def _receipt_summary(receipt: Receipt, newest: int) -> str:
    """What the county reads after importing a receipt; an answer to an older package never locks the period."""
    text = f"市中心回执：{receipt.period} 报送包（序号 {receipt.sequence}）{DECISION_LABELS[receipt.decision]}"
    if receipt.remarks:
        text += "。意见：" + "；".join(receipt.remarks)
    if newest > receipt.sequence:
        return text + (f"。本机之后已生成序号 {newest} 的报送包，这份回执答复的是较旧的包，{receipt.period} 不因此锁定；"
                       f"市中心导入序号 {newest} 的报送包后会另出回执。")
    if receipt.decision != DECISION_REJECTED:
        text += f"。{receipt.period} 已锁定：该期的走访、诉求、培育、监测等数据不能再修改，如需修改请先填写理由重新打开。"
    return text


def _allocation_summary(text: str, allocated: int, replaced: int, withdrawn: int) -> str:
    """The receipt's summary, then what the county took of the city's targets."""
    parts = [f"市中心下达目标 {allocated} 项" + (f"（其中 {replaced} 项替换了本县自填的目标）" if replaced else "")
             ] if allocated else []
    parts += [f"市中心撤回了此前下达的目标 {withdrawn} 项"] if withdrawn else []
    if not parts:
        return text
    return text.rstrip("。") + "。" + "；".join(parts) + "，见“梯度培育库 → 目标与进度”。"


def _refuse_superseded(row: PackageReceived, current: PackageReceived | None) -> None:
    """A receipt answers the package the city's data now comes from, never one a newer package replaced."""
    if row.status != RECEIVED_CURRENT and current is not None:
        raise LvqiError(f"这是{row.county_name}{row.period}较旧的报送包（序号 {row.sequence}），已被序号 "
                        f"{current.sequence} 的报送包取代，不能再为它出具回执。请对序号 {current.sequence} "
                        "的报送包出具回执。")
