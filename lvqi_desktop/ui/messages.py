"""The only place that builds message boxes: errors, confirmations, information, unexpected failures."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from PySide6.QtWidgets import QWidget

from lvqi_desktop.errors import LvqiError


def show_error(parent: QWidget | None, error: LvqiError | str, title: str = "无法完成") -> None:
    QMessageBox.warning(parent, title, str(error))


def inform(parent: QWidget | None, text: str, title: str = "完成") -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, text: str, title: str = "请确认", default_yes: bool = False) -> bool:
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    default = QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No
    return QMessageBox.question(parent, title, text, buttons, default) == QMessageBox.StandardButton.Yes


def show_unexpected(parent: QWidget | None, summary: str, detail: str, log_path: str) -> None:
    """An unexpected failure: what happened, where the log is, and copyable details."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("程序遇到意外错误")
    box.setText(f"{summary}\n\n已保存的数据不受影响。请把下面的详细信息复制给技术支持。\n日志文件：{log_path}")
    box.setDetailedText(detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def inform_with_action(parent: QWidget | None, text: str, action_text: str, title: str = "完成") -> bool:
    """An outcome with one follow-up button ("打开所在文件夹"); True when the user chose it."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, parent)
    action = box.addButton(action_text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(action)
    box.exec()
    return box.clickedButton() is action


def choose(parent: QWidget | None, text: str, options: list[str], title: str = "请选择") -> int | None:
    """One question with a button per option (the first is the default) and 取消; the chosen index or None."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    buttons = [box.addButton(option, QMessageBox.ButtonRole.AcceptRole) for option in options]
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(buttons[0])
    box.exec()
    clicked = box.clickedButton()
    return next((i for i, button in enumerate(buttons) if button is clicked), None)
