"""The tray icon: the unread total in its tooltip, a click shows the window, a menu to show or quit."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon


class TrayIcon(QSystemTrayIcon):
    """Portico in the system tray (only where there is one).

    Signals:
        show_requested(): the user clicked the icon or chose "Show Portico".
        quit_requested(): the user chose "Quit".
    """

    show_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(icon, parent)
        self.menu = QMenu()
        show = QAction("Show Portico", self.menu)
        show.triggered.connect(self.show_requested)
        quit_action = QAction("Quit", self.menu)
        quit_action.triggered.connect(self.quit_requested)
        self.menu.addAction(show)
        self.menu.addSeparator()
        self.menu.addAction(quit_action)
        self.setContextMenu(self.menu)
        self.activated.connect(self._on_activated)
        self.set_unread(0)

    @Slot(int)
    def set_unread(self, total: int) -> None:
        self.setToolTip(f"Portico – {total} unread" if total else "Portico")

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_requested.emit()
