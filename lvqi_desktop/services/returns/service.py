"""Exports returns (报表) for a period to Excel and PDF: build from the catalogue, write to temporary files, then rename."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from lvqi_desktop import atomic_files
from lvqi_desktop import clock
from lvqi_desktop.errors import Cancelled
from lvqi_desktop.errors import ExportError
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.exchange.format import short_fingerprint
from lvqi_desktop.exporters.pdf_fonts import CjkFont
from lvqi_desktop.exporters.pdf_fonts import forget_fonts
from lvqi_desktop.exporters.pdf_fonts import resolve_cjk_font
from lvqi_desktop.exporters.return_model import GlyphReport
from lvqi_desktop.exporters.return_model import ReturnDefinition
from lvqi_desktop.exporters.return_model import ReturnDocument
from lvqi_desktop.exporters.return_model import fingerprint
from lvqi_desktop.progress import NO_PROGRESS
from lvqi_desktop.progress import Progress
from lvqi_desktop.services.office import FONT_SETTING
from lvqi_desktop.services.office import OfficeInfo
from lvqi_desktop.services.returns import settings as return_settings
from lvqi_desktop.services.returns.by_county import build_by_county
from lvqi_desktop.services.returns.catalogue import BY_ID
from lvqi_desktop.services.returns.catalogue import CATALOGUE
from lvqi_desktop.services.returns.catalogue import PERIOD_KIND_LABELS
from lvqi_desktop.services.returns.catalogue import CatalogueEntry
from lvqi_desktop.services.returns.context import BuiltReturn
from lvqi_desktop.services.returns.context import ReturnContext
from lvqi_desktop.services.returns.context import ReturnSources
from lvqi_desktop.services.returns.settings import ReturnFormSettings
from lvqi_desktop.services.returns.sources import county_sources
from lvqi_desktop.validation.period import Period
from lvqi_desktop.validation.period import parse_period
from lvqi_desktop.validation.period import quarter_of

FORMATS = ("xlsx", "pdf")
MIN_FREE_BYTES = 5 * 1024 * 1024
_BAD_NAME_CHARS = '\\/:*?"<>|'


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote (complete files only) and what the user should check."""

    paths: tuple[Path, ...]
    warnings: tuple[str, ...]
    period_label: str
    return_titles: tuple[str, ...]

    @property
    def summary(self) -> str:
        """One sentence for the end of the export."""
        files = "、".join(p.name for p in self.paths[:3]) + (f" 等 {len(self.paths)} 个文件" if len(self.paths) > 3 else "")
        return f"已导出{self.period_label}报表 {len(self.return_titles)} 张：{files}。"


class _Share:
    """A slice [first, first + width) of an overall progress scale of 1000."""

    def __init__(self, outer: Progress, first: int, width: int) -> None:
        self._outer, self._first, self._width = outer, first, width

    def update(self, done: int, total: int, message: str = "") -> None:
        part = min(done, total) / total if total else 0
        self._outer.update(self._first + int(part * self._width), 1000, message)

    def raise_if_cancelled(self) -> None:
        self._outer.raise_if_cancelled()


def safe_file_name(text: str) -> str:
    return "".join("_" if ch in _BAD_NAME_CHARS or ord(ch) < 32 else ch for ch in text).strip(" .") or "报表"


def _write_error(folder: Path, exc: OSError) -> ExportError:
    return ExportError.writing(exc, folder, folder, "报表没有导出", retry="如果U盘已被拔出，请重新插入后再导出。",
                               denied=f"没有权限在“{folder}”中写入文件（可能是只读U盘，或文件正被Excel/WPS打开），"
                                      "报表没有导出。请关闭已打开的报表或换一个文件夹。")


def check_target_folder(folder: str | Path) -> Path:
    """The folder, if it exists, is writable and has room; ExportError in Chinese otherwise."""
    path = Path(folder).expanduser()
    if not str(folder).strip():
        raise ExportError("请选择保存报表的文件夹。")
    if not path.is_dir():
        raise ExportError(f"文件夹“{path}”不存在（U盘是否已拔出？），请重新选择保存位置。")
    try:
        handle, probe = tempfile.mkstemp(prefix=".lvqi-probe-", dir=path)
        os.close(handle)
        atomic_files.remove(probe)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    try:
        free = shutil.disk_usage(path).free
    except OSError:
        free = MIN_FREE_BYTES
    if free < MIN_FREE_BYTES:
        raise ExportError(f"“{path}”所在磁盘（或U盘）剩余空间不足 5 MB，报表没有导出。请清理空间或换一个文件夹。")
    return path


def unfinished_note(period: Period, today: date) -> str:
    """What a return's heading adds for a period that has not ended: （期别未结束，数据截至 YYYY-MM-DD）."""
    return f"（期别未结束，数据截至 {today.isoformat()}）" if today <= period.end else ""


def unfinished_warning(period: Period, today: date) -> tuple[str, ...]:
    """The warning shown before and after exporting a period that has not ended."""
    if today > period.end:
        return ()
    return (f"{period.label}尚未结束（至 {period.end.isoformat()}），报表数字为截至 {today.isoformat()} 的数据，"
            "标题已注明“期别未结束”；期末后请重新导出正式报表。",)


def last_finished_quarter(today: date) -> Period:
    """The quarter the 报表 page opens on: the last one that has ended by `today`."""
    return quarter_of(quarter_of(today).start - timedelta(days=1))


class ReturnService:
    """Builds returns from the catalogue and writes them; ValidationFailed/ExportError/Cancelled leave no file."""

    def __init__(self, sources: ReturnSources, office_info: Callable[[], OfficeInfo | None],
                 today: Callable[[], date] = clock.today, now: Callable[[], datetime] = clock.now) -> None:
        self._sources = sources
        self._office_info = office_info
        self._today = today
        self._now = now

    # ---- reading
    @staticmethod
    def catalogue() -> list[CatalogueEntry]:
        return list(CATALOGUE)

    def period(self, text: str) -> Period:
        """Parse 2026-11 / 2026Q4 / 2026; ValidationFailed in Chinese for a wrong form or a future period."""
        return parse_period(text, self._today())

    def by_county(self) -> bool:
        """True for the city center: every return comes by county (a row or group per county and 全市合计)."""
        office = self._office_info()
        return office is not None and office.is_city

    def default_preparer(self) -> str:
        office = self._office_info()
        return office.default_preparer if office else ""

    def font_path(self) -> str:
        with self._sources.db.unit_of_work() as uow:
            return uow.office.setting(FONT_SETTING) or ""

    def set_font_path(self, path: str) -> str:
        """Use this TrueType font for PDF returns ('' goes back to finding one); refused if it cannot be embedded."""
        path = path.strip()
        if path:
            font = resolve_cjk_font(path)
            if font.path != path:
                raise ValidationFailed([Issue("font", "；".join(font.notes) or "该字体无法用于PDF报表")])
        with self._sources.db.unit_of_work() as uow:
            uow.office.set_setting(FONT_SETTING, path)
            uow.commit()
        forget_fonts()
        return path

    def form_settings(self) -> ReturnFormSettings:
        """The 表号 block and the foot's names and phone every return prints (设置 › 报表表头与签署)."""
        with self._sources.db.unit_of_work() as uow:
            return return_settings.load(uow)

    def set_form_settings(self, settings: ReturnFormSettings) -> ReturnFormSettings:
        """Store them (tidied); ValidationFailed naming a field too long or a phone number with letters."""
        settings = return_settings.cleaned(settings, set(BY_ID))
        with self._sources.db.unit_of_work() as uow:
            return_settings.save(uow, settings)
            uow.commit()
        return settings

    def resolve_font(self) -> CjkFont:
        """The PDF font (ExportError naming what to install when there is none)."""
        return resolve_cjk_font(self.font_path() or None)

    # ---- building
    def _entries(self, return_ids: Sequence[str], period: Period) -> list[CatalogueEntry]:
        if not return_ids:
            raise ValidationFailed([Issue("returns", "请至少选择一张报表。")])
        unknown = [r for r in return_ids if r not in BY_ID]
        if unknown:
            raise ValidationFailed([Issue("returns", f"没有编号为“{'、'.join(unknown)}”的报表。"
                                                     "可用 lvqi report list 查看全部报表编号。")])
        entries = [BY_ID[r] for r in dict.fromkeys(return_ids)]
        refused = [e for e in entries if not e.definition.accepts(period.kind)]
        if refused:
            issues = [Issue("period", f"《{e.title}》按{e.periods_label}填报，不能按"
                                      f"{PERIOD_KIND_LABELS[period.kind]}导出（{period.label}）。") for e in refused]
            raise ValidationFailed(issues)
        return entries

    def build(self, return_ids: Sequence[str], period: str | Period, preparer: str = "", reviewer: str = "",
              progress: Progress = NO_PROGRESS, *, package_fingerprint: str = "",
              package_sequence: int | None = None) -> list[ReturnDocument]:
        """The filled returns, in catalogue order of the request; nothing is written.

        The city center gets each return by county (one row or group per county and the city total), with a
        note naming the package (number and fingerprint) each county's figures come from. `package_fingerprint`
        and `package_sequence` (of the submission package the returns travel in) are printed on every return.
        """
        period = self.period(period) if isinstance(period, str) else period
        entries = self._entries(return_ids, period)
        office = self._office_info()
        if office is None:
            raise LvqiError("本机还没有设置所属单位，不能导出报表。请先在“设置”中设置本单位。")
        ctx = ReturnContext(self._sources, period, office, self._today())
        period_label = period.label + unfinished_note(period, ctx.today)
        taken = self._now()
        with self._sources.db.unit_of_work() as uow:
            form = return_settings.load(uow)
            sources = county_sources(uow, period) if office.is_city else None
        documents = []
        for n, entry in enumerate(entries):
            progress.raise_if_cancelled()
            progress.update(n, len(entries), f"正在汇总：{entry.title}")
            definition, built = _fill(entry, ctx, progress)
            if sources is not None:
                built = sources.mark(definition, built)
                built = replace(built, footnotes=built.footnotes + sources.notes)
            documents.append(ReturnDocument(
                definition, office.name, period_label, preparer.strip() or office.default_preparer,
                reviewer.strip() or form.statistician, self._today(), built.lines, built.totals,
                built.footnotes,
                fingerprint((*built.lines, *([built.totals] if built.totals else [])), taken),
                short_fingerprint(package_fingerprint) if package_fingerprint else "",
                form.identity(entry.return_id), form.unit_head, form.phone, package_sequence))
        progress.update(len(entries), len(entries), "汇总完成")
        return documents

    # ---- writing
    def export(self, return_ids: Sequence[str], period: str | Period, formats: Sequence[str],
               target_folder: str | Path, preparer: str = "", reviewer: str = "",
               progress: Progress = NO_PROGRESS, *, package_fingerprint: str = "",
               package_sequence: int | None = None) -> ExportResult:
        """Write the returns for `period` into `target_folder`: one workbook (a sheet per return) and/or a PDF each.

        Files are written under temporary names in the target folder and renamed only when every file is
        complete, so a cancel, an error or a pulled USB stick leaves no partial file. Raises
        ValidationFailed (period, returns, formats), ExportError (folder, disk, font) or Cancelled.
        """
        period = self.period(period) if isinstance(period, str) else period
        formats = [f for f in FORMATS if f in {f.lower().lstrip(".") for f in formats}]
        if not formats:
            raise ValidationFailed([Issue("formats", "请至少选择一种格式：Excel（xlsx）或 PDF。")])
        self._entries(return_ids, period)
        folder = check_target_folder(target_folder)
        font = self.resolve_font() if "pdf" in formats else None
        try:
            documents = self.build(return_ids, period, preparer, reviewer, _Share(progress, 0, 300),
                                   package_fingerprint=package_fingerprint, package_sequence=package_sequence)
        except Cancelled:
            raise Cancelled("已取消导出，没有留下任何文件。") from None
        plan = self._plan(documents, formats, folder, period)
        temps: dict[Path, Path] = {}
        reports: list[tuple[str, GlyphReport]] = []
        try:
            self._render(documents, plan, font, temps, reports, progress)
            progress.raise_if_cancelled()
            for final, temp in temps.items():
                atomic_files.replace(temp, final)
        except Cancelled:
            _remove(temps.values())
            raise Cancelled("已取消导出，没有留下任何文件。") from None
        except OSError as exc:
            _remove(temps.values())
            raise _write_error(folder, exc) from exc
        except BaseException:
            _remove(temps.values())
            raise
        progress.update(1000, 1000, "导出完成")
        warnings = [*unfinished_warning(period, self._today()), *(font.notes if font else ()),
                    *_missing_glyph_lines(reports)]
        return ExportResult(tuple(plan), tuple(warnings), period.label, tuple(d.title for d in documents))

    def _plan(self, documents: list[ReturnDocument], formats: list[str], folder: Path,
              period: Period) -> dict[Path, tuple[str, list[ReturnDocument]]]:
        """Final path → (format, documents it holds)."""
        plan: dict[Path, tuple[str, list[ReturnDocument]]] = {}
        if "xlsx" in formats:
            name = documents[0].title if len(documents) == 1 else f"{documents[0].reporting_unit}报表"
            plan[folder / f"{safe_file_name(name)}（{period.label}）.xlsx"] = ("xlsx", documents)
        if "pdf" in formats:
            for d in documents:
                plan[folder / f"{safe_file_name(d.title)}（{period.label}）.pdf"] = ("pdf", [d])
        return plan

    @staticmethod
    def _render(documents: list[ReturnDocument], plan: dict[Path, tuple[str, list[ReturnDocument]]],
                font: CjkFont | None, temps: dict[Path, Path], reports: list[tuple[str, GlyphReport]],
                progress: Progress) -> None:
        width = 700 // max(len(plan), 1)
        for n, (final, (fmt, docs)) in enumerate(plan.items()):
            name = str(atomic_files.temp_beside(final, prefix=f".{final.stem[:40]}."))
            temps[final] = Path(name)
            share = _Share(progress, 300 + n * width, width)
            share.update(0, 1, f"正在生成 {final.name}")
            if fmt == "xlsx":
                from lvqi_desktop.exporters.return_xlsx import write_returns_xlsx  # openpyxl: not at start-up

                write_returns_xlsx(docs, name, share)
            else:
                assert font is not None
                from lvqi_desktop.exporters.return_pdf import write_return_pdf  # reportlab: not at start-up

                reports.append((docs[0].title, write_return_pdf(docs[0], name, font, share)))


def _fill(entry: CatalogueEntry, ctx: ReturnContext, progress: Progress) -> tuple[ReturnDefinition, BuiltReturn]:
    """A county office's return as its builder makes it; the city's by county."""
    if ctx.office.is_city:
        return build_by_county(entry.definition, entry.build, entry.by_county, ctx, progress.raise_if_cancelled)
    return entry.definition, entry.build(ctx)


def _remove(paths: object) -> None:
    for path in list(paths):  # type: ignore[call-overload]
        atomic_files.discard(path)


def _missing_glyph_lines(reports: list[tuple[str, GlyphReport]]) -> list[str]:
    """return_pdf's wording, imported when a PDF was written (reportlab stays out of the program's start-up)."""
    from lvqi_desktop.exporters.return_pdf import missing_glyph_lines

    return missing_glyph_lines(reports)
