"""Shows provider notifications: in the window always, and in the system tray when there is one."""

from __future__ import annotations

import collections
import dataclasses
import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSystemTrayIcon, QWidget

from desktop.providers.base import Notification

log = logging.getLogger("portico.notifications")


@dataclasses.dataclass(frozen=True)
class Shown:
    """A notification as it was presented (kept for the history and for tests)."""

    provider_id: str
    notification: Notification


class Banner(QWidget):
    """An in-window strip showing the latest notification; clicking it activates it.

    Signals:
        clicked(): the user pressed "Open".
    """

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel(self)
        self.label.setTextFormat(self.label.textFormat().PlainText)
        self.open_button = QPushButton("Open", self)
        self.close_button = QPushButton("✕", self)
        self.close_button.setFlat(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.close_button)
        self.open_button.clicked.connect(self.clicked)
        self.open_button.clicked.connect(self.hide)
        self.close_button.clicked.connect(self.hide)
        self._timer = QTimer(self, singleShot=True, interval=8000)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def present(self, text: str) -> None:
        self.label.setText(text)
        self.show()
        self._timer.start()


class NotificationPresenter(QObject):
    """Routes notifications to the in-window banner and, when available, the tray.

    Signals:
        shown(str, object): provider id and the ``Notification`` presented.
        activated(str, object): the user clicked a notification: provider id and its action data.
    """

    shown = Signal(str, object)
    activated = Signal(str, object)

    def __init__(self, banner: Banner, tray: QSystemTrayIcon | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._banner = banner
        self._tray = tray
        self._last: Shown | None = None
        self.history: collections.deque[Shown] = collections.deque(maxlen=100)
        banner.clicked.connect(self._on_banner_clicked)
        if tray is not None:
            tray.messageClicked.connect(self._on_banner_clicked)

    @Slot(str, object)
    def present(self, provider_id: str, notification: Notification) -> None:
        shown = Shown(provider_id, notification)
        self._last = shown
        self.history.append(shown)
        text = notification.title + (f": {notification.body}" if notification.body else "")
        self._banner.present(text)
        if self._tray is not None and self._tray.isVisible():
            self._tray.showMessage(notification.title, notification.body)
        self.shown.emit(provider_id, notification)

    def activate(self, shown: Shown) -> None:
        self.activated.emit(shown.provider_id, shown.notification.action)

    @Slot()
    def _on_banner_clicked(self) -> None:
        if self._last is not None:
            self.activate(self._last)

    def last(self) -> Any:
        return self._last
