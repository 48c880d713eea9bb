"""City edition: a record a county sent opens read-only (a banner naming the county, no 保存, 关闭 without asking)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractButton
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QWidget

BANNER_STYLE = "color: #9a5b00;"


def read_only_text(what: str, county: str) -> str:
    """What the banner says: whose data it is and how it gets corrected."""
    return (f"该{what}是{county}报送的数据，市中心只能查看。如需更正，请联系{county}"
            "在本县区修改后重新报送，市中心以新的报送包为准。")


def why_greyed(county: str | None = None) -> str:
    """The tooltip of a list page's write action greyed out for a county's record."""
    whose = f"{county}" if county else "县区"
    return f"这是{whose}报送的数据，市中心只能查看；如需更正，请联系{whose}修改后重新报送。"


def hidden_banner() -> QLabel:
    """The banner, hidden until `show_read_only` fills it."""
    banner = QLabel()
    banner.setWordWrap(True)
    banner.setStyleSheet(BANNER_STYLE)
    banner.setVisible(False)
    return banner


def show_read_only(dialog: QWidget, banner: QLabel | None, what: str, county: str, inputs: Iterable[QWidget],
                   write_buttons: Iterable[QAbstractButton], close_button: QAbstractButton | None) -> None:
    """Turn an open form into a view: inputs disabled, write buttons disabled and hidden (Ctrl+S saves only
    through an enabled 保存), 取消 becomes 关闭, the banner names the county (a tab inside a form that shows
    one passes None); the title's 编辑/修改 becomes 查看."""
    for widget in inputs:
        widget.setEnabled(False)
    for button in write_buttons:
        button.setEnabled(False)
        button.setVisible(False)
    if close_button is not None:
        close_button.setText("关闭")
    if banner is not None:
        banner.setText(read_only_text(what, county))
        banner.setVisible(True)
    title = dialog.windowTitle()
    for verb in ("编辑", "修改"):
        title = title.replace(verb, "查看", 1) if title.startswith(verb) else title
    dialog.setWindowTitle(title)
