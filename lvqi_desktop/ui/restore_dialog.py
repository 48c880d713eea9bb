"""从备份恢复…: the backups with date, kind, size and record counts; choose one and confirm."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtCore import QStandardPaths
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QFileDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QPushButton
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.services.backup_rows import TABLE_LABELS
from lvqi_desktop.services.backup_rows import BackupInfo
from lvqi_desktop.services.backup_rows import size_text
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.background import run_in_background
from lvqi_desktop.ui.list_table import ListTable
from lvqi_desktop.ui.table_models.row_table import RIGHT
from lvqi_desktop.ui.table_models.row_table import Column
from lvqi_desktop.ui.table_models.row_table import RowTableModel
from lvqi_desktop.ui.write_guard import writes

EMPTY_TEXT = "备份文件夹里还没有备份。可用“文件 → 立即备份”做一份，或点“选择其他备份文件…”从U盘恢复。"
INTRO = ("选择一份备份，用它替换当前的全部数据。恢复前会先自动备份当前数据，"
         "所以恢复本身也可以撤销（从那份“恢复前”的备份再恢复一次）。")
_LAST_FILE_FOLDER = "restore/last_folder"
UNUSABLE = QColor("#b00020")


# The tables a user recognises, beyond the enterprises (reference tables such as 规上标准 are left out).
SHOWN_TABLES = {**{t: label for t, label in TABLE_LABELS.items() if t not in ("enterprise", "change_record")},
                "cultivation_record": "培育记录", "helper_assignment": "包联"}


def counts_text(info: BackupInfo) -> str:
    """"企业年度数据 120，帮扶干部 12，走访记录 40" — the records besides the enterprises."""
    return "，".join(f"{label} {info.counts[t]:,}" for t, label in SHOWN_TABLES.items() if info.counts.get(t))


def _enterprises(info: BackupInfo) -> int | None:
    return info.enterprises


COLUMNS: tuple[Column[BackupInfo], ...] = (
    Column("备份时间", lambda b: (b.created_at, b.file_name), lambda v: f"{v[0]:%Y-%m-%d %H:%M}",
           export=lambda v: v[0], width=10),
    Column("类型", lambda b: b.reason_label, str, width=8),
    Column("大小", lambda b: b.size_bytes, size_text, align=RIGHT, width=6),
    Column("在册企业（家）", _enterprises, lambda v: "未知" if v is None else f"{v:,}", align=RIGHT, width=6),
    Column("已归档", lambda b: b.archived_enterprises, lambda v: "" if v is None else f"{v:,}", align=RIGHT,
           width=4),
    Column("其他记录", counts_text, str, width=18),
    Column("状态", lambda b: b.problem or "可以恢复", str, width=14),
    Column("文件名", lambda b: b.file_name, str, width=20),
)


class BackupModel(RowTableModel[BackupInfo]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, key=lambda b: str(b.path))

    def row_foreground(self, row: BackupInfo) -> QColor | None:
        return None if row.usable else UNUSABLE


def ask_backup_file(parent: QWidget | None) -> Path | None:
    """A backup file from anywhere (a USB stick); tests replace this."""
    folder = QSettings().value(_LAST_FILE_FOLDER) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getOpenFileName(parent, "选择备份文件", str(folder),
                                            "吕企台账备份 (*.sqlite3.gz *.sqlite3 *.lvqi-locked);;所有文件 (*)")
    if not chosen:
        return None
    QSettings().setValue(_LAST_FILE_FOLDER, str(Path(chosen).parent))
    return Path(chosen)


class RestoreDialog(QDialog):
    """After accept(), `chosen` is the backup file the user confirmed; the caller restores it."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.chosen: Path | None = None
        self.loaded = False
        self._load_started = False
        self.setWindowTitle("从备份恢复")
        self.model = BackupModel()
        self.list = ListTable(self.model, "restore_dialog/header")
        self.list.set_empty_text("正在读取备份…")
        self.list.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.count_label = QLabel()
        self.restore_button = writes(QPushButton("恢复…"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        other = QPushButton("选择其他备份文件…")
        other.clicked.connect(self.restore_other_file)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(other)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.list.selection_changed.connect(self._update_buttons)
        self.list.row_activated.connect(lambda _row: self.restore_selected())
        self.resize(1000, 480)

    def load(self) -> None:
        """Read the backups in the background (the first look at an old backup unpacks it)."""
        run_in_background(self, self._services.backups.list_backups, title="正在读取备份…",
                          on_success=self._show_backups, on_failure=self._load_failed)

    def _show_backups(self, rows: list[BackupInfo]) -> None:
        self.model.set_rows(rows)
        self.list.set_empty_text(EMPTY_TEXT)
        self.list.update_empty()
        usable = sum(1 for r in rows if r.usable)
        self.count_label.setText(f"共 {len(rows):,} 份备份，{usable:,} 份可以恢复" if rows else "")
        first = next((r for r in rows if r.usable), None)
        if first is not None:
            self.list.select_key(str(first.path))
        self.loaded = True
        self._update_buttons()

    def _load_failed(self, error: BaseException) -> None:
        self.list.set_empty_text(f"无法读取备份文件夹：{error}")
        self.list.update_empty()
        self.loaded = True

    def _update_buttons(self) -> None:
        row = self.list.current_row()
        self.restore_button.setEnabled(row is not None and row.usable)

    def restore_selected(self) -> None:
        row: BackupInfo | None = self.list.current_row()
        if row is None:
            return
        if not row.usable:
            messages.show_error(self, f"这份备份不能用来恢复：{row.problem}。请选择另一份。", "无法恢复")
            return
        self._confirm(row.path, row.summary())

    def restore_other_file(self) -> None:
        path = ask_backup_file(self)
        if path is not None:
            self._confirm(path, f"文件“{path}”")

    def _confirm(self, path: Path, what: str) -> None:
        text = (f"将用这份备份替换当前的全部数据：\n{what}\n\n"
                "这份备份之后录入或修改的内容将不在恢复后的数据中。恢复前程序会先备份当前数据，"
                "如需撤销这次恢复，可再从那份“恢复前”的备份恢复。\n\n确定要恢复吗？")
        if messages.confirm(self, text, "确认恢复"):
            self.chosen = path
            self.accept()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._load_started:
            self._load_started = True
            self.load()
