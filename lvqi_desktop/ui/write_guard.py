"""Write actions, marked once where they are made, greyed out with the reason while writing is unavailable."""

from __future__ import annotations

from typing import ClassVar
from typing import TypeVar

from PySide6.QtCore import QEvent
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from PySide6.QtWidgets import QMenu
from PySide6.QtWidgets import QWidget

WRITES = "lvqi_writes"  # dynamic property: this action or button changes data
BLOCKED = "lvqi_blocked"  # dynamic property: why it is greyed out
READ_ONLY_REASON = ("数据文件夹只读：可以查看、导出、打印和备份到其他位置，不能修改。"
                    "如需修改，请把整个数据文件夹复制到本机可写的文件夹后再用程序打开它。")

Item = TypeVar("Item", QAction, QWidget)


def writes(item: Item) -> Item:
    """Mark an action or button as one that changes data (so a guard can grey it out); returns it."""
    item.setProperty(WRITES, True)
    return item


def set_writes(item: QWidget, flag: bool) -> None:
    """For a button whose meaning changes (an empty list's 新增 that becomes 清除筛选): mark or unmark it."""
    item.setProperty(WRITES, flag)
    if not flag and item.property(BLOCKED) is not None:
        item.setProperty(BLOCKED, None)
        item.setEnabled(True)
        item.setToolTip("")
    elif flag and WriteGuard.active is not None and item.isVisible():
        WriteGuard.active.guard(item)


def _hold_disabled(item: QAction | QWidget, reason: str) -> None:
    """Disable `item` with `reason` as its tooltip; it stays so whatever its page sets later (a selection made)."""
    if item.property(BLOCKED) is not None:
        return
    item.setProperty(BLOCKED, reason)
    _keep_blocked(item)
    if item.property("lvqi_held"):
        return
    item.setProperty("lvqi_held", True)
    if isinstance(item, QAction):
        item.changed.connect(lambda a=item: _keep_blocked(a))
    else:
        item.installEventFilter(_StayDisabled(item))


def _keep_blocked(item: QAction | QWidget) -> None:
    reason = item.property(BLOCKED)
    if reason is None:
        return
    if item.isEnabled():
        item.setEnabled(False)
    if item.toolTip() != reason:
        item.setToolTip(reason)


class _StayDisabled(QObject):
    """Turns its widget off again (and its tooltip back to the reason) when the page's own logic changes them."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in (QEvent.Type.EnabledChange, QEvent.Type.ToolTipChange) and isinstance(watched, QWidget):
            _keep_blocked(watched)
        return False


def block_writes(root: QWidget, reason: str) -> None:
    """Grey out every marked action and button in `root` (a page, a dialog, a form), with `reason` as tooltip:
    "write actions here are unavailable because …". Used for a read-only data folder; any other reason fits."""
    for item in [*root.findChildren(QAction), *root.actions(), *root.findChildren(QWidget)]:
        if item.property(WRITES):
            _hold_disabled(item, reason)
    if isinstance(root, QMenu):
        for action in root.actions():
            if action.property(WRITES):
                _hold_disabled(action, reason)


class WriteGuard(QObject):
    """For the life of `window`: it and every dialog, menu and marked button it opens that is shown has its
    write actions greyed out with `reason` (one place, so pages and dialogs only mark what writes)."""

    active: ClassVar[WriteGuard | None] = None  # the running window's guard, for buttons marked later

    def __init__(self, window: QWidget, reason: str) -> None:
        super().__init__(window)
        self._window, self.reason = window, reason
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        WriteGuard.active = self
        self.destroyed.connect(lambda _=None, me=self: WriteGuard._forget(me))

    @staticmethod
    def _forget(guard: WriteGuard) -> None:
        if WriteGuard.active is guard:  # a newer window's guard stays
            WriteGuard.active = None

    def guard(self, item: QWidget) -> None:
        if self._opened_by_window(item):
            _hold_disabled(item, self.reason)

    def _opened_by_window(self, widget: QWidget | None) -> bool:
        while widget is not None:
            if widget is self._window:
                return True
            widget = widget.parentWidget()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and self._opened_by_window(watched):
            if watched.property(WRITES):
                _hold_disabled(watched, self.reason)
            elif watched.isWindow():
                block_writes(watched, self.reason)
        return False
