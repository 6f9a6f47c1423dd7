"""The main window: sidebar on the left, the selected provider's view on the right, menus and shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QByteArray, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.contract import ProviderState
from desktop.instance.state import WindowState
from desktop.shell.provider_view import ProviderView

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent, QKeySequence

    from desktop.hub import ProviderHub
    from desktop.shell.find_bar import FindBar
    from desktop.shell.notifications import Banner
    from desktop.shell.sidebar import Sidebar
    from desktop.shell.welcome import WelcomePage

#: The width of the sidebar column (its list is fixed to it, see sidebar.py).
SIDEBAR_WIDTH: Final = 220

#: The zoom steps of Ctrl+plus / Ctrl+minus (the config accepts 0.25 to 5.0).
ZOOM_LEVELS: Final = (0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 5.0)


def next_zoom(current: float, step: int) -> float:
    """The zoom level one step up (``step`` > 0) or down from ``current``; 1.0 for ``step`` 0."""
    if step == 0:
        return 1.0
    if step > 0:
        return next((z for z in ZOOM_LEVELS if z > current + 1e-3), ZOOM_LEVELS[-1])
    return next((z for z in reversed(ZOOM_LEVELS) if z < current - 1e-3), ZOOM_LEVELS[0])


class MainWindow(QMainWindow):
    """Sidebar + stacked provider views + notification banner + menus.

    Built in two steps so that the first provider's page starts loading as early as possible:
    the constructor makes the frame (views, the menu bar, the sidebar's column), :meth:`build_chrome`
    adds the provider list, the banners and the menus' actions and shortcuts (the Shell calls it
    after that first page).

    Signals:
        provider_selected(str): the visible provider changed (its id).
        closing(): the window is closing (the app tears down after this).
        zoom_changed(str, float): the user zoomed a provider (its id, the new factor).
        inspector_requested(): the user asked for the event inspector (Ctrl+Shift+I).
        settings_requested(): the user asked for the settings dialog.
        print_requested(): the user asked to print the shown provider's page (Ctrl+P).
        downloads_requested(): the user asked for the shown provider's download folder.
        chrome_needed(): a menu opened before :meth:`build_chrome` (the Shell then completes).
    """

    provider_selected = Signal(str)
    closing = Signal()
    zoom_changed = Signal(str, float)
    inspector_requested = Signal()
    settings_requested = Signal()
    print_requested = Signal()
    downloads_requested = Signal()
    chrome_needed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Portico")
        self.resize(1180, 760)
        #: The provider list, notification banner and app notices: see :meth:`build_chrome`.
        self.sidebar: Sidebar
        self.banner: Banner
        self.notice: Banner
        self.find_bar: FindBar
        self.chrome_built = False
        self.stack = QStackedWidget(self)
        self.views: dict[str, ProviderView] = {}
        self.welcome: WelcomePage | None = None  # the first run's page, while no provider is configured
        right = QWidget(self)
        self._right_layout = QVBoxLayout(right)
        self._right_layout.setContentsMargins(0, 0, 0, 0)
        self._right_layout.setSpacing(0)
        self._right_layout.addWidget(self.stack, 1)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._sidebar_panel())
        layout.addWidget(right, 1)
        self.setCentralWidget(central)
        # The menu bar is there from the start (the page below it must not move); its actions
        # and shortcuts come with build_chrome. Opening a menu earlier asks for them at once.
        self._app_menu = self.menuBar().addMenu("&Portico")
        self.provider_menu: QMenu = self.menuBar().addMenu(self.tr("P&rovider"))
        self._view_menu = self.menuBar().addMenu(self.tr("&View"))
        self._app_menu.aboutToShow.connect(self._menu_opening)
        self._view_menu.aboutToShow.connect(self._menu_opening)
        self.provider_menu.aboutToShow.connect(self._fill_provider_menu)
        self._provider_actions: dict[str, Callable[[], list[tuple[str, Callable[[], None]]]]] = {}

    def build_chrome(self) -> None:
        """Add the provider list (an entry per view, the shown one selected) and the banners."""
        if self.chrome_built:
            return
        # Imported here: the first page does not wait for the list and its painting (docs/startup.md).
        from desktop.shell.notifications import Banner  # noqa: PLC0415
        from desktop.shell.sidebar import Sidebar  # noqa: PLC0415
        self.chrome_built = True
        self.sidebar = Sidebar(self._sidebar_slot.parentWidget())
        self._sidebar_column.replaceWidget(self._sidebar_slot, self.sidebar)
        self._sidebar_slot.deleteLater()
        self.banner = Banner(self)
        #: Notices from the app itself (downloads …); the banner above is for provider notifications.
        self.notice = Banner(self, action_text=self.tr("Open folder"))
        self.notice.setObjectName("notice")
        self._right_layout.insertWidget(0, self.banner)
        self._right_layout.insertWidget(1, self.notice)
        from desktop.shell.find_bar import FindBar  # noqa: PLC0415 - see above
        self.find_bar = FindBar(self)
        self._right_layout.insertWidget(2, self.find_bar)
        self._build_actions()
        for view in self.views.values():
            self._add_entry(view)
        current = self.current_id()
        if current is not None:
            self.sidebar.select(current)
        self.sidebar.provider_selected.connect(self._show_provider)

    def restore(self, state: WindowState) -> None:
        """The saved geometry and selected provider (the order is the sidebar's: ``Sidebar.set_order``)."""
        if state.geometry:
            self.restoreGeometry(QByteArray(state.geometry))
        if state.selected in self.views:
            self.select(state.selected)

    def _sidebar_panel(self) -> QWidget:
        """The left column: a heading, the provider list, and a settings button at the bottom."""
        # A QFrame paints its stylesheet background itself. (A QWidget would need the
        # WA_StyledBackground attribute, from the Qt namespace the first page's path avoids.)
        panel = QFrame(self)
        panel.setObjectName("sidebar-panel")
        heading = QLabel("Portico", panel)
        heading.setObjectName("sidebar-heading")
        self.settings_button = QPushButton(self.tr("⚙  Settings"), panel)
        self.settings_button.setObjectName("sidebar-settings")
        self.settings_button.setFlat(True)
        self.settings_button.setToolTip(self.tr("Providers, theme and hibernation (Ctrl+,)"))
        self.settings_button.clicked.connect(self.settings_requested)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 8)
        column.setSpacing(0)
        column.addWidget(heading)
        # The list takes this place in build_chrome; until then the column keeps its width.
        self._sidebar_slot = QWidget(panel)
        self._sidebar_slot.setFixedWidth(SIDEBAR_WIDTH)
        self._sidebar_column = column
        column.addWidget(self._sidebar_slot, 1)
        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.settings_button)
        footer.addStretch(1)
        column.addLayout(footer)
        return panel

    def _action(self, text: str, *keys: str | QKeySequence.StandardKey) -> QAction:
        """An action of this window with these shortcuts (a standard key brings all of the
        platform's bindings for it).

        WORKAROUND (PySide6 6.11): ``QAction.setShortcut()`` (and the ``shortcut=`` keyword) loads
        PySide's whole ``Qt`` namespace while resolving its overloads (docs/startup.md has its
        cost); ``setShortcuts()`` with a list of QKeySequence does not.
        """
        from PySide6.QtGui import QAction, QKeySequence  # noqa: PLC0415 - with the chrome (docs/startup.md)
        action = QAction(text, self)
        shortcuts: list[QKeySequence] = []
        for key in keys:
            shortcuts.extend(QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey)
                             else [QKeySequence(key)])
        action.setShortcuts(shortcuts)
        return action

    def _build_actions(self) -> None:
        from PySide6.QtGui import QKeySequence  # noqa: PLC0415 - see _action
        app_menu = self._app_menu
        settings_action = self._action(self.tr("&Settings…"), "Ctrl+,")
        settings_action.triggered.connect(self.settings_requested)
        app_menu.addAction(settings_action)
        app_menu.addSeparator()
        quit_action = self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        app_menu.addAction(quit_action)
        reload_action = self._action(self.tr("&Reload"), "Ctrl+R")
        reload_action.triggered.connect(self.reload_current)
        self.addAction(reload_action)
        self._reload_action = reload_action
        for n in range(1, 10):
            action = self._action("", f"Ctrl+{n}")
            action.triggered.connect(lambda _=False, row=n - 1: self._select_row(row))
            self.addAction(action)
        view_menu = self._view_menu
        zooms: tuple[tuple[str, tuple[str | QKeySequence.StandardKey, ...], int], ...] = (
            (self.tr("Zoom &In"), (QKeySequence.StandardKey.ZoomIn, "Ctrl+="), 1),
            (self.tr("Zoom &Out"), (QKeySequence.StandardKey.ZoomOut,), -1),
            (self.tr("&Actual Size"), ("Ctrl+0",), 0))
        for label, keys, step in zooms:
            action = self._action(label, *keys)
            action.triggered.connect(lambda _=False, st=step: self.zoom(st))
            view_menu.addAction(action)
            self.addAction(action)
        view_menu.addSeparator()
        finds: tuple[tuple[str, QKeySequence.StandardKey, Callable[[], None]], ...] = (
            (self.tr("&Find in Page…"), QKeySequence.StandardKey.Find, self.find_in_page),
            (self.tr("Find &Next"), QKeySequence.StandardKey.FindNext, self.find_bar.find_next),
            (self.tr("Find &Previous"), QKeySequence.StandardKey.FindPrevious, self.find_bar.find_previous))
        for label, key, slot in finds:
            action = self._action(label, key)
            action.triggered.connect(slot)
            view_menu.addAction(action)
            self.addAction(action)
        print_action = self._action(self.tr("&Print…"), QKeySequence.StandardKey.Print)
        print_action.triggered.connect(self.print_requested)
        view_menu.addAction(print_action)
        self.addAction(print_action)
        downloads_action = self._action(self.tr("Open &Downloads Folder"), "Ctrl+Shift+Y")
        downloads_action.triggered.connect(self.downloads_requested)
        view_menu.addAction(downloads_action)
        self.addAction(downloads_action)
        view_menu.addSeparator()
        inspector_action = self._action(self.tr("Event &Inspector"), "Ctrl+Shift+I")
        inspector_action.triggered.connect(self.inspector_requested)
        view_menu.addAction(inspector_action)
        self.addAction(inspector_action)

    def add_view(self, view: ProviderView,
                 actions: Callable[[], list[tuple[str, Callable[[], None]]]] | None = None) -> None:
        """Add a provider's view (and its sidebar entry, with the kind's or configured icon);
        ``actions`` fills its part of the Provider menu. The first view added is shown."""
        pid = view.provider.id
        self.views[pid] = view
        self.stack.addWidget(view)
        if actions is not None:
            self._provider_actions[pid] = actions
        if self.chrome_built:
            self._add_entry(view)
        if self.welcome is not None:
            self.stack.removeWidget(self.welcome)
            self.welcome.deleteLater()
            self.welcome = None
        if len(self.views) == 1:
            self.select(pid)

    def order_views(self, ids: list[str]) -> None:
        """Put the views in this order (the sidebar's, when it is built next). Before the chrome only."""
        assert not self.chrome_built, "the sidebar has its own order (Sidebar.set_order)"
        self.views = {pid: self.views[pid] for pid in ids if pid in self.views} | self.views

    def _add_entry(self, view: ProviderView) -> None:
        """The view's sidebar entry, with the kind's or configured icon."""
        from desktop.shell.sidebar import kind_icon  # noqa: PLC0415 - loaded with the sidebar
        config = view.provider.config
        self.sidebar.add_provider(view.provider.id, view.provider.title,
                                  kind_icon(config.kind, config.option("icon", ""), view.provider.title))

    def current_id(self) -> str | None:
        view = self.stack.currentWidget()
        return view.provider.id if isinstance(view, ProviderView) else None

    def show_welcome(self) -> WelcomePage:
        """Show the first run's page (no provider is configured); gone with the first view added."""
        if self.welcome is None:
            from desktop.shell.welcome import WelcomePage  # noqa: PLC0415 - only on a first run
            self.welcome = WelcomePage(self.stack)
            self.stack.addWidget(self.welcome)
        self.stack.setCurrentWidget(self.welcome)
        self.setWindowTitle(self.tr("Welcome – Portico"))
        return self.welcome

    def showing(self, provider_id: str) -> bool:
        """Whether the provider's page is on screen: shown in this window, which is visible and not minimized."""
        return self.isVisible() and not self.isMinimized() and self.current_id() == provider_id

    def select(self, provider_id: str) -> None:
        if self.chrome_built:
            self.sidebar.select(provider_id)
        else:
            self._show_provider(provider_id)

    def ids(self) -> list[str]:
        """The provider ids in the order the sidebar shows them."""
        return self.sidebar.ids() if self.chrome_built else list(self.views)

    def _select_row(self, row: int) -> None:
        ids = self.ids()
        if 0 <= row < len(ids):
            self.select(ids[row])

    @Slot(str)
    def _show_provider(self, provider_id: str) -> None:
        view = self.views.get(provider_id)
        if view is not None:
            if self.chrome_built and self.find_bar.isVisible():
                self.find_bar.close_bar()  # a search belongs to the page it ran in
            self.stack.setCurrentWidget(view)
            self.setWindowTitle(self.tr("{title} – Portico").format(title=view.provider.title))
            self.provider_selected.emit(provider_id)

    def zoom(self, step: int) -> None:
        """Zoom the visible provider one step in (1), out (-1) or back to 100 % (0)."""
        pid = self.current_id()
        if pid is None:
            return
        page = self.views[pid].page
        factor = next_zoom(page.zoomFactor(), step)
        if abs(factor - page.zoomFactor()) > 1e-3:
            page.setZoomFactor(factor)
            self.zoom_changed.emit(pid, factor)

    @Slot()
    def find_in_page(self) -> None:
        """Open the find bar on the shown provider's page (Ctrl+F)."""
        pid = self.current_id()
        if pid is not None and self.chrome_built:
            self.find_bar.open(self.views[pid].page)

    @Slot()
    def reload_current(self) -> None:
        pid = self.current_id()
        if pid is not None:
            self.views[pid].reload()

    @Slot()
    def _menu_opening(self) -> None:
        if not self.chrome_built:
            self.chrome_needed.emit()

    @Slot()
    def _fill_provider_menu(self) -> None:
        self._menu_opening()
        self.provider_menu.clear()
        if self.chrome_built:
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

    def follow(self, hub: ProviderHub, badge: Callable[[str, int], int]) -> None:
        """Show the hub's news: each provider's badge (``badge`` lets plugins change the count),
        its error mark, and the total in the title and the desktop's badge."""
        # Bound slots, not lambdas: Qt drops them with the window, so a hub that outlives it
        # (while the Shell tears down) never reaches a deleted sidebar.
        self._badge = badge
        hub.unread_changed.connect(self._on_unread)
        hub.total_unread_changed.connect(self._on_total_unread)
        hub.error_occurred.connect(self._on_error)
        hub.state_changed.connect(self._on_state)

    @Slot(str, int)
    def _on_unread(self, provider_id: str, count: int) -> None:
        self.sidebar.set_unread(provider_id, self._badge(provider_id, count))

    @Slot(str, object)
    def _on_error(self, provider_id: str, _error: object) -> None:
        self.sidebar.set_error(provider_id, True)

    @Slot(str, object)
    def _on_state(self, provider_id: str, state: object) -> None:
        if state in (ProviderState.READY, ProviderState.LOADING):
            self.sidebar.set_error(provider_id, False)

    @Slot(int)
    def _on_total_unread(self, total: int) -> None:
        from PySide6.QtGui import QGuiApplication  # noqa: PLC0415 - loaded by then; keeps start-up lean
        # setBadgeNumber is a member in PySide6 6.11, not a static method.
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.setBadgeNumber(total)
        self.setWindowTitle(f"({total}) Portico" if total else "Portico")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.closing.emit()
        super().closeEvent(event)



