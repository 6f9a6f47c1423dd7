"""Built-in plugin ``tray``: a tray icon with the unread total, click to show or hide, a menu of providers."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from desktop.plugins import API_VERSION, LatestOnlyAdapter, Notification, PluginContext, hookimpl


class TrayIcon(QSystemTrayIcon):
    """Portico in the system tray (shown only where there is one).

    Signals:
        toggle_requested(): the user clicked the icon (show the window, or hide it if shown).
        show_requested(): the user chose "Show Portico".
        provider_requested(str): the user chose a provider in the menu (its id).
        quit_requested(): the user chose "Quit".
    """

    toggle_requested = Signal()
    show_requested = Signal()
    provider_requested = Signal(str)
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(icon, parent)
        self.menu = QMenu()
        show = QAction("Show Portico", self.menu)
        show.triggered.connect(self.show_requested)
        self.menu.addAction(show)
        self.providers_menu = self.menu.addMenu("Providers")
        self.menu.addSeparator()
        quit_action = QAction("Quit", self.menu)
        quit_action.triggered.connect(self.quit_requested)
        self.menu.addAction(quit_action)
        self.setContextMenu(self.menu)
        self.activated.connect(self._on_activated)
        self.set_unread(0)

    def set_providers(self, providers: Iterable[tuple[str, str]]) -> None:
        """Fill the Providers submenu with (id, title) pairs."""
        self.providers_menu.clear()
        for provider_id, title in providers:
            action = self.providers_menu.addAction(title)
            action.triggered.connect(lambda _=False, pid=provider_id: self.provider_requested.emit(pid))
        self.providers_menu.menuAction().setVisible(not self.providers_menu.isEmpty())

    @Slot(int)
    def set_unread(self, total: int) -> None:
        self.setToolTip(f"Portico – {total} unread" if total else "Portico")

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.toggle_requested.emit()


class TrayAdapter(LatestOnlyAdapter):
    """``QSystemTrayIcon.showMessage``: where there is a tray but no notification service."""

    name = "tray"

    def __init__(self, tray: QSystemTrayIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray = tray
        tray.messageClicked.connect(self._on_clicked)

    def available(self) -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable() and self._tray.isVisible()

    def show(self, notification_id: int, provider_title: str, notification: Notification) -> bool:
        self._current = notification_id
        self._tray.showMessage(notification.title, notification.body or provider_title)
        return True


class TrayPlugin:
    """A tray icon: unread total, click shows or hides the window, a menu of providers; notification fallback."""

    api_version = API_VERSION

    def __init__(self) -> None:
        self.icon: TrayIcon | None = None

    @hookimpl
    def portico_activate(self, context: PluginContext) -> None:
        # Built even without a tray (offscreen, some Wayland desktops), shown only where there is one.
        icon = TrayIcon(QGuiApplication.windowIcon())
        self.icon = icon
        icon.set_providers(context.titles.items())
        icon.set_unread(context.hub.total_unread())
        context.hub.total_unread_changed.connect(icon.set_unread)
        context.connect(icon.toggle_requested, context.window.toggle, "tray click")
        context.connect(icon.show_requested, context.window.show, "tray Show")
        context.connect(icon.provider_requested, context.window.select, "tray provider menu")
        context.connect(icon.quit_requested, context.window.quit, "tray Quit")
        context.add_notification_adapter(TrayAdapter(icon, icon))
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon.show()

    @hookimpl
    def portico_deactivate(self) -> None:
        if self.icon is not None:
            self.icon.hide()
            self.icon.menu.deleteLater()
            self.icon.deleteLater()
            self.icon = None
