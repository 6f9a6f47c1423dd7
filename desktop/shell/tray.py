"""The tray icon: the unread total in its tooltip, a click shows or hides the window, a menu of providers."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon


class TrayIcon(QSystemTrayIcon):
    """Portico in the system tray (shown only where there is one; the ``tray`` plugin owns it).

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
