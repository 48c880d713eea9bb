"""The main window: navigation, page stack, menus, toolbar and status bar. It only assembles pages."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from PySide6.QtCore import QSettings
from PySide6.QtCore import QSize
from PySide6.QtCore import Qt
from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtGui import QCloseEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame
from PySide6.QtWidgets import QLabel
from PySide6.QtWidgets import QListWidget
from PySide6.QtWidgets import QListWidgetItem
from PySide6.QtWidgets import QMainWindow
from PySide6.QtWidgets import QScrollArea
from PySide6.QtWidgets import QSplitter
from PySide6.QtWidgets import QStackedWidget
from PySide6.QtWidgets import QToolBar

from lvqi_desktop import APP_NAME
from lvqi_desktop import __version__
from lvqi_desktop.services.bundle import Services
from lvqi_desktop.services.startup import READ_ONLY_NOTICE
from lvqi_desktop.ui import messages
from lvqi_desktop.ui.help_dialog import FAQ
from lvqi_desktop.ui.help_dialog import open_help
from lvqi_desktop.ui.page import Page
from lvqi_desktop.ui.screen_fit import fit_to_screen
from lvqi_desktop.ui.write_guard import READ_ONLY_REASON
from lvqi_desktop.ui.write_guard import WriteGuard
from lvqi_desktop.ui.write_guard import block_writes

PAGE_KEYS = [f"Alt+{n}" for n in "1234567890"] + ["Alt+-"]  # 1…9, 0, then the key beside 0 (设置)


@dataclass(frozen=True)
class PageSlot:
    """A navigation entry: the page's title, and how to build the page (the first time it is needed)."""

    title: str
    build: Callable[[], Page]


class LazyPages(Sequence[Page]):
    """`window.pages`: every page in navigation order; taking one builds it if it is not built yet."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def __len__(self) -> int:
        return len(self._window.slots)

    @overload
    def __getitem__(self, index: int) -> Page: ...

    @overload
    def __getitem__(self, index: slice) -> list[Page]: ...

    def __getitem__(self, index: int | slice) -> Page | list[Page]:
        if isinstance(index, slice):
            return [self._window.page_at(i) for i in range(len(self))[index]]
        return self._window.page_at(range(len(self))[index])


class MainWindow(QMainWindow):
    page_built = Signal(object)  # a Page just built (the first time it was shown or asked for)

    def __init__(self, services: Services, slots: list[PageSlot]) -> None:
        super().__init__()
        self.services = services
        self.slots = slots
        self._built: dict[int, Page] = {}
        self.write_guard: WriteGuard | None = None
        self.setWindowTitle(self._title())
        fit_to_screen(self, QSize(1280, 800))
        self._nav = QListWidget()
        self._nav.setObjectName("navigation")
        self._nav.setFixedWidth(132)
        self._nav.setStyleSheet("QListWidget#navigation::item { padding: 6px 10px; }")
        self._stack = QStackedWidget()
        self._toolbar = QToolBar("页面操作")
        self._toolbar.setObjectName("page_toolbar")
        self._toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self._toolbar)
        splitter = QSplitter()
        splitter.addWidget(self._nav)
        splitter.addWidget(self._stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([132, 1148])  # the fixed-width navigation gets no more than its width
        self.setCentralWidget(splitter)
        self._build_status_bar()
        self._build_menus()
        for index, slot in enumerate(slots):
            self._add_slot(index, slot)
        self._nav.currentRowChanged.connect(self._show_page)
        self._nav.setCurrentRow(0)
        self._restore_geometry()

    def _title(self) -> str:
        info = self.services.office_info()
        office = info.name if info else ""
        return f"{APP_NAME} {__version__} — {office}" + ("（只读）" if self.services.read_only else "")

    def _build_status_bar(self) -> None:
        info = self.services.office_info()
        self._office_label = QLabel(info.name if info else "")
        self._operator_label = QLabel()
        self._backup_label = QLabel()
        self._backup_label.setObjectName("backup_age")
        bar = self.statusBar()
        self._status_separator = QFrame()  # where the last action's message ends and the office label begins
        self._status_separator.setFrameShape(QFrame.Shape.VLine)
        self._status_separator.setFrameShadow(QFrame.Shadow.Sunken)
        bar.addPermanentWidget(self._status_separator)
        bar.addPermanentWidget(self._office_label)
        bar.addPermanentWidget(self._operator_label)
        bar.addPermanentWidget(self._backup_label)
        if self.services.read_only:  # on every page: nothing here can be changed
            self.read_only_label = QLabel(READ_ONLY_NOTICE)
            self.read_only_label.setObjectName("read_only_notice")
            self.read_only_label.setStyleSheet("color: #a40000; font-weight: bold;")
            bar.insertPermanentWidget(0, self.read_only_label)
            self.write_guard = WriteGuard(self, READ_ONLY_REASON)  # every write action greyed, saying why
        self.refresh_operator()

    def refresh_operator(self) -> None:
        self._operator_label.setText(f"操作员：{self.services.office.current_operator}")

    def set_backup_age(self, text: str) -> None:
        self._backup_label.setText(text)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("文件(&F)")
        self.edit_menu = bar.addMenu("编辑(&E)")
        self.view_menu = bar.addMenu("视图(&V)")
        self.tools_menu = bar.addMenu("工具(&T)")
        self.help_menu = bar.addMenu("帮助(&H)")
        refresh = QAction("刷新(&R)", self, shortcut=QKeySequence(Qt.Key.Key_F5))
        refresh.triggered.connect(lambda: self.current_page().refresh())
        self.view_menu.addAction(refresh)
        quit_action = QAction("退出(&X)", self, shortcut=QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        self.file_menu.addAction(quit_action)
        manual = QAction("使用说明(&M)", self, shortcut=QKeySequence(Qt.Key.Key_F1))
        manual.triggered.connect(lambda: open_help(self, self.current_page().title))
        faq = QAction("常见问题(&Q)", self)
        faq.triggered.connect(lambda: open_help(self, FAQ))
        self.help_menu.addActions([manual, faq])
        self.help_menu.addSeparator()
        about = QAction("关于吕企台账(&A)", self)
        about.triggered.connect(self._about)
        self.help_menu.addAction(about)

    def _about(self) -> None:
        messages.inform(self, f"{APP_NAME} {__version__}\n吕梁市中小企业服务机构企业培育台账与报表程序。\n"
                              f"数据文件夹：{self.services.data_dir.root}", "关于")

    def _add_slot(self, index: int, slot: PageSlot) -> None:
        item = QListWidgetItem(slot.title)
        item.setSizeHint(item.sizeHint().expandedTo(self._nav.sizeHintForIndex(self._nav.currentIndex())))
        self._nav.addItem(item)
        scroll = QScrollArea()  # a page taller or wider than the window scrolls; the window never grows for it
        scroll.setObjectName("page_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._stack.addWidget(scroll)  # empty until the page is first shown (a shorter start-up)
        if index < len(PAGE_KEYS):
            jump = QAction(slot.title, self, shortcut=QKeySequence(PAGE_KEYS[index]))
            jump.triggered.connect(lambda _=False, i=index: self._nav.setCurrentRow(i))
            self.view_menu.addAction(jump)
            item.setToolTip(f"{slot.title}（{PAGE_KEYS[index]}）")

    @property
    def pages(self) -> LazyPages:
        """All pages; one taken from here is built if it was not (use `built_pages` to leave the others be)."""
        return LazyPages(self)

    def built_pages(self) -> list[Page]:
        """The pages built so far, in navigation order (a page built later reads the data as it is then)."""
        return [self._built[i] for i in sorted(self._built)]

    def for_each_page(self, callback: Callable[[Page], object]) -> None:
        """Call `callback` for every page built so far and for each page when it is built later."""
        for page in self.built_pages():
            callback(page)
        self.page_built.connect(callback)

    def page_at(self, index: int) -> Page:
        """The page at `index` in the navigation, built (and wired to the window) the first time it is asked for."""
        page = self._built.get(index)
        if page is not None:
            return page
        slot = self.slots[index]
        page = slot.build()
        if page.title != slot.title:
            raise ValueError(f"navigation entry {slot.title!r} built a page titled {page.title!r}")
        self._built[index] = page
        scroll = self._stack.widget(index)
        assert isinstance(scroll, QScrollArea)
        scroll.setWidget(page)
        page.status_message.connect(self.show_status)
        page.data_changed.connect(self._broadcast_change)
        page.open_page_requested.connect(self.show_page)
        if self.write_guard is not None:  # its actions never see the window's first show
            block_writes(page, self.write_guard.reason)
        self.page_built.emit(page)
        return page

    def _broadcast_change(self, kind: str) -> None:
        sender = self.sender()
        if kind == "office":
            self.services.forget_office()
            self.setWindowTitle(self._title())
            info = self.services.office_info()
            self._office_label.setText(info.name if info else "")
        for page in self.built_pages():
            if page is not sender:
                page.on_data_changed(kind)

    def _show_page(self, index: int) -> None:
        if index < 0:
            return
        page = self.page_at(index)
        self._stack.setCurrentIndex(index)
        self._toolbar.clear()
        actions = page.page_actions()
        for action in actions:
            self._toolbar.addAction(action)
        self._toolbar.setVisible(bool(actions))  # no empty strip on pages without actions
        page.on_shown()

    def current_page(self) -> Page:
        return self.page_at(self._stack.currentIndex())

    def show_page(self, title: str) -> Page:
        for index, slot in enumerate(self.slots):
            if slot.title == title:
                self._nav.setCurrentRow(index)
                return self.page_at(index)
        raise KeyError(title)

    def show_status(self, text: str) -> None:
        """The result of the last action, cut with "…" before the office label (the full text as tooltip)."""
        bar = self.statusBar()
        room = self._status_separator.x() - 12 if self._status_separator.x() > 0 else bar.width() // 2
        bar.setToolTip(text)
        bar.showMessage(bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(room, 80)), 15000)

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def remember_geometry(self) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.remember_geometry()
        super().closeEvent(event)
