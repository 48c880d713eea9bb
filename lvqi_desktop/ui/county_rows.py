"""City edition: a list page's write actions greyed out while a selected row is a county's, with the reason as
tooltip, and its 编辑 shown as 查看 (the form opens read-only); a county edition is left as it is."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton

from lvqi_desktop.services.bundle import Services
from lvqi_desktop.ui.county_filter import is_city_edition
from lvqi_desktop.ui.read_only import why_greyed

Action = QAction | QAbstractButton  # a toolbar action or a button on the page


class CountyRows:
    """Call `guard` at the end of the page's own action update, with the ids of the selected rows."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._page_says: dict[tuple[int, str], str] = {}  # (action, "text"/"tip") → what the page last set
        self._we_say: dict[tuple[int, str], str] = {}

    def guard(self, kind: str, record_ids: Iterable[int | None], writes: Iterable[Action],
              view: Action | None = None) -> str | None:
        """Grey out `writes` and turn `view` into 查看 when a selected record of `kind` came from a county;
        put back what the page said otherwise. Returns the county's name, or None."""
        ids = [i for i in record_ids if i is not None]
        county = self._services.ownership.sent_any(kind, ids) if ids and is_city_edition(self._services) else None
        self.show(county, writes, view)
        return county

    def show(self, county: str | None, writes: Iterable[Action], view: Action | None = None) -> None:
        """`guard` once the county is known (None: as the page set them)."""
        for action in writes:
            self._say(action, "tip", why_greyed(county) if county else None)
            if county:
                action.setEnabled(False)
        if view is not None:
            self._say(view, "text", "查看" if county else None)
            self._say(view, "tip", f"查看选中的记录（{why_greyed(county)}）" if county else None)

    def _say(self, action: Action, what: str, ours: str | None) -> None:
        get, put = (action.text, action.setText) if what == "text" else (action.toolTip, action.setToolTip)
        key = (id(action), what)
        if get() != self._we_say.get(key):  # the page set its own since (or we never changed it)
            self._page_says[key] = get()
        if ours is None:
            self._we_say.pop(key, None)
            put(self._page_says[key])
        else:
            self._we_say[key] = ours
            put(ours)
