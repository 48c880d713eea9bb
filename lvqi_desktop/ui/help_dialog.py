"""使用说明 and 常见问题: the bundled offline manual in a searchable window; F1 opens the current page's part."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtGui import QShortcut
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog
from PySide6.QtWidgets import QHBoxLayout
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QLineEdit
from PySide6.QtWidgets import QTextBrowser
from PySide6.QtWidgets import QVBoxLayout
from PySide6.QtWidgets import QWidget

from lvqi_desktop.paths import resource

MANUAL = "help/manual.html"
FAQ = "常见问题"


class HelpDialog(QDialog):
    """The manual, opened at `anchor` (a page title or 常见问题); the search box finds text in it."""

    def __init__(self, anchor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("吕企台账 使用说明")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setSource(QUrl.fromLocalFile(str(resource(MANUAL))))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("在说明中查找（回车找下一处）")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self.find_next)
        self.search_result = QLabel()
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search_edit.setFocus)
        row = QHBoxLayout()
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.search_result)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.browser, 1)
        self.resize(760, 540)
        self.show_part(anchor)

    def show_part(self, anchor: str) -> None:
        """Scroll to a page's part of the manual (the start when there is none)."""
        if anchor and anchor in self.browser.toHtml():
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)

    def find_next(self) -> bool:
        """Select the next place the search text occurs, starting again at the top after the last."""
        text = self.search_edit.text().strip()
        if not text:
            return False
        found = self.browser.find(text)
        if not found:
            cursor = self.browser.textCursor()
            cursor.setPosition(0)
            self.browser.setTextCursor(cursor)
            found = self.browser.find(text, QTextDocument.FindFlag(0))
        self.search_result.setText("" if found else f"没有找到“{text}”")
        self.search_result.setStyleSheet("" if found else "color: #b00;")
        return found


def open_help(parent: QWidget, anchor: str = "") -> HelpDialog:
    """Show the manual beside the window (not modal: the clerk reads it while working)."""
    dialog = HelpDialog(anchor, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
