"""The Edit menu's 撤销 (Ctrl+Z) and 重做 (Ctrl+Y): name the action, run it, tell the pages to reload."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtCore import QObject
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtGui import QKeyEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QComboBox
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QPlainTextEdit
from PySide6.QtWidgets import QTextEdit
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.services.undo import UndoResult
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.main_window import MainWindow
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.write_guard import writes

# Recorded table → the data_changed kind the pages listen for (see each page's RELOAD_ON).
TABLE_KINDS = {
    "enterprise": "enterprise", "enterprise_year": "enterprise",
    "cultivation_record": "pool", "cultivation_event": "pool",
    "demand": "demand", "demand_event": "demand",
    "visit": "visit", "visit_participant": "visit",
    "helper": "helper", "helper_assignment": "assignment",
    "service_team": "team", "service_team_member": "team",
    "office": "office", "operator": "office",
}
UNDO_IDLE, REDO_IDLE = "撤销(&U)", "重做(&R)"
MENU_TEXT_MAX = 48


def kinds_of(result: UndoResult) -> list[str]:
    """The page kinds to reload after an undo or redo, in a stable order."""
    return list(dict.fromkeys(TABLE_KINDS.get(table, table) for table in result.changed))


def menu_text(label: str) -> str:
    """The label as a menu shows it: "&" kept literal, a long bulk label shortened (the status tip has it all)."""
    if len(label) > MENU_TEXT_MAX:
        label = label[:MENU_TEXT_MAX - 1] + "…"
    return label.replace("&", "&&")


def _text_editor(widget: QObject | None) -> QLineEdit | QTextEdit | QPlainTextEdit | None:
    """The focused text field (a spin box's or an editable combo box's own line edit included)."""
    if isinstance(widget, QAbstractSpinBox):
        widget = widget.findChild(QLineEdit)
    elif isinstance(widget, QComboBox):
        widget = widget.lineEdit()
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit) and not widget.isReadOnly():
        return widget
    return None


def _can(editor: QLineEdit | QTextEdit | QPlainTextEdit, redo: bool) -> bool:
    if isinstance(editor, QLineEdit):
        return editor.isRedoAvailable() if redo else editor.isUndoAvailable()
    document = editor.document()
    return document.isRedoAvailable() if redo else document.isUndoAvailable()


def text_field_wants(widget: QObject | None, redo: bool) -> QLineEdit | QTextEdit | QPlainTextEdit | None:
    """The focused text field when it has typing of its own to undo (or redo); else None (undo saved data)."""
    editor = _text_editor(widget)
    return editor if editor is not None and _can(editor, redo) else None


class _TypingFirst(QObject):
    """Text fields claim Ctrl+Z even with nothing typed; then let it reach the Edit menu's 撤销."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        undo, redo = event.matches(QKeySequence.StandardKey.Undo), event.matches(QKeySequence.StandardKey.Redo)
        if not (undo or redo) or _text_editor(watched) is None:
            return False
        return text_field_wants(watched, redo) is None  # True: the field does not see it, the shortcut runs


class UndoActions(QObject):
    """Owns the two actions of one main window and keeps their text and state current."""

    changed = Signal(str)  # a kind of data an undo or redo changed (windows beside the pages reload)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.undo_action = writes(QAction(UNDO_IDLE, window))
        self.undo_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Z))
        self.redo_action = writes(QAction(REDO_IDLE, window))
        self.redo_action.setShortcuts([QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Y),
                                       QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_Z)])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)  # never inside the form dialogs
        self.undo_action.triggered.connect(self.undo)
        self.redo_action.triggered.connect(self.redo)
        menu = window.edit_menu
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, self.undo_action)
        menu.insertAction(first, self.redo_action)
        if first is not None:
            menu.insertSeparator(first)
        menu.aboutToShow.connect(self.refresh)
        self._typing_first = _TypingFirst(window)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._typing_first)  # Qt drops it when the window (its parent) goes
        window.for_each_page(self._follow)
        self.refresh()

    def _follow(self, page: Page) -> None:
        page.data_changed.connect(lambda _kind: self.refresh())
        page.status_message.connect(lambda _text: self.refresh())

    def refresh(self) -> None:
        """Read the stacks again (they live in the change history, so they always match the database)."""
        try:
            undo, redo = self._window.services.undo.undo_label(), self._window.services.undo.redo_label()
        except LvqiError:
            undo = redo = None
        for action, label, idle in ((self.undo_action, undo, UNDO_IDLE), (self.redo_action, redo, REDO_IDLE)):
            action.setText(menu_text(label) if label else idle)
            action.setStatusTip(label or "")
            action.setEnabled(label is not None)

    def undo(self) -> None:
        editor = text_field_wants(QApplication.focusWidget(), redo=False)
        if editor is not None:
            editor.undo()
            return
        self._run(self._window.services.undo.undo, "撤销")

    def redo(self) -> None:
        editor = text_field_wants(QApplication.focusWidget(), redo=True)
        if editor is not None:
            editor.redo()
            return
        self._run(self._window.services.undo.redo, "重做")

    def _run(self, step: Callable[[], UndoResult], verb: str) -> None:
        try:
            result = step()
        except ValidationFailed as refused:
            messages.show_error(self._window, refused, f"无法{verb}")
            self.refresh()
            return
        except LvqiError as error:
            messages.show_error(self._window, error, f"无法{verb}")
            self.refresh()
            return
        for kind in kinds_of(result):
            for page in self._window.built_pages():  # one built later reads the data as it is then
                page.on_data_changed(kind)
            self.changed.emit(kind)
        done = "已撤销" if verb == "撤销" else "已重做"
        self._window.show_status(f"{done}：{result.label.split('：', 1)[-1]}")
        self.refresh()
