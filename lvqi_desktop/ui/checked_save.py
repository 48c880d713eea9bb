"""保存 of a form checked as the clerk types: the steps the enterprise form and the record dialogs share."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from lvqi_desktop.errors import EditConflict
from lvqi_desktop.errors import Issue
from lvqi_desktop.errors import LvqiError
from lvqi_desktop.errors import ValidationFailed
from lvqi_desktop.ui import messages


class CheckedSave:
    """Mixed into a form dialog that has `save_button`, `_check_timer` (the check as the clerk types), `_show_all`,
    `show_issues` and `_focus_first`; the form writes in `_store` and shows a ValidationFailed in `_show_refusal`."""

    other_refusals_inline = True  # any other refusal shown under the form; False: it reaches the error dialog

    if TYPE_CHECKING:  # what the dialog it is mixed into has
        save_button: Any
        _check_timer: Any
        _show_all: bool

        def show_issues(self, issues: Any) -> None: ...
        def _focus_first(self, issues: Any) -> None: ...
        def accept(self) -> None: ...

    def save(self) -> bool:
        """Save through `_store`; on refusal show why, keep every value, focus the first problem."""
        if not self.save_button.isEnabled():
            return False
        self._check_timer.stop()
        self._show_all = True
        try:
            self._store()
        except ValidationFailed as refused:
            self._show_refusal(refused)
            self._focus_first(refused.issues)
            return False
        except EditConflict as stale:  # another clerk saved the record first: told; the typed values stay
            messages.show_error(self, stale, "记录已被他人修改")
            return False
        except LvqiError as error:
            if not self.other_refusals_inline:
                raise
            self.show_issues([Issue("", str(error))])
            return False
        self.accept()
        return True

    def _store(self) -> None:
        raise NotImplementedError

    def _show_refusal(self, refused: ValidationFailed) -> None:
        self.show_issues(refused.issues)
