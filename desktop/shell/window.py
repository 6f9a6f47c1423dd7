"""The main window: sidebar on the left, the selected provider's view on the right."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QMenu, QStackedWidget, QVBoxLayout, QWidget

from desktop.shell.notifications import Banner
from desktop.shell.provider_view import ProviderView
from desktop.shell.sidebar import Sidebar


class MainWindow(QMainWindow):
    """Sidebar + stacked provider views + notification banner + menus.

    Signals:
        provider_selected(str): the visible provider changed (its id).
        closing(): the window is closing (the app tears down after this).
    """

    provider_selected = Signal(str)
    closing = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Portico")
        self.resize(1180, 760)
        self.sidebar = Sidebar(self)
        self.stack = QStackedWidget(self)
        self.banner = Banner(self)
        self.views: dict[str, ProviderView] = {}
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.stack, 1)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)
        self.sidebar.provider_selected.connect(self._show_provider)
        self._build_menus()

    def _build_menus(self) -> None:
        app_menu = self.menuBar().addMenu("&Portico")
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        app_menu.addAction(quit_action)
        self.provider_menu: QMenu = self.menuBar().addMenu("P&rovider")
        self.provider_menu.aboutToShow.connect(self._fill_provider_menu)
        self._provider_actions: dict[str, Callable[[], list[tuple[str, Callable[[], None]]]]] = {}
        reload_action = QAction("&Reload", self, shortcut=QKeySequence("Ctrl+R"))
        reload_action.triggered.connect(self.reload_current)
        self.addAction(reload_action)
        self._reload_action = reload_action
        for n in range(1, 10):
            action = QAction(self, shortcut=QKeySequence(f"Ctrl+{n}"))
            action.triggered.connect(lambda _=False, row=n - 1: self._select_row(row))
            self.addAction(action)

    def add_view(self, view: ProviderView, icon: QIcon,
                 actions: Callable[[], list[tuple[str, Callable[[], None]]]] | None = None) -> None:
        """Add a provider's view and sidebar entry; ``actions`` fills its part of the Provider menu."""
        pid = view.provider.id
        self.views[pid] = view
        self.stack.addWidget(view)
        self.sidebar.add_provider(pid, view.provider.title, icon)
        if actions is not None:
            self._provider_actions[pid] = actions
        if len(self.views) == 1:
            self.sidebar.select(pid)

    def current_id(self) -> str | None:
        view = self.stack.currentWidget()
        return view.provider.id if isinstance(view, ProviderView) else None

    def select(self, provider_id: str) -> None:
        self.sidebar.select(provider_id)

    def _select_row(self, row: int) -> None:
        ids = self.sidebar.ids()
        if 0 <= row < len(ids):
            self.select(ids[row])

    @Slot(str)
    def _show_provider(self, provider_id: str) -> None:
        view = self.views.get(provider_id)
        if view is not None:
            self.stack.setCurrentWidget(view)
            self.setWindowTitle(f"{view.provider.title} – Portico")
            self.provider_selected.emit(provider_id)

    @Slot()
    def reload_current(self) -> None:
        pid = self.current_id()
        if pid is not None:
            self.views[pid].reload()

    @Slot()
    def _fill_provider_menu(self) -> None:
        self.provider_menu.clear()
        self.provider_menu.addAction(self._reload_action)
        pid = self.current_id()
        if pid is None:
            return
        extra = self._provider_actions.get(pid)
        if extra is not None:
            self.provider_menu.addSeparator()
            for label, callback in extra():
                action = self.provider_menu.addAction(label)
                action.triggered.connect(lambda _=False, cb=callback: cb())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.closing.emit()
        super().closeEvent(event)



