"""Built-in plugin ``tray``: a tray icon with the unread total, click to show or hide, a menu of providers."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.plugins.api import API_VERSION, hookimpl
from desktop.plugins.context import PluginContext
from desktop.shell.notifications import TrayAdapter
from desktop.shell.tray import TrayIcon


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
