"""What a notification adapter is: one way of showing a notification (D-Bus, tray, banner …)."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QObject, Signal, Slot

from desktop.contract import Notification


class NotificationAdapter(QObject):
    """One way of showing a notification to the user.

    Signals:
        clicked(int): the user clicked the notification with this id (from :meth:`show`).
        closed(int): the notification with this id went away.
    """

    name: ClassVar[str] = ""

    clicked = Signal(int)
    closed = Signal(int)

    def available(self) -> bool:
        """Whether this adapter can show notifications here (asked once, lazily)."""
        return True

    def show(self, notification_id: int, provider_title: str, notification: Notification) -> bool:
        """Show it; False if that failed (the presenter then falls back to the next adapter)."""
        raise NotImplementedError

    def withdraw(self, notification_id: int) -> None:
        """Take a shown notification back (its messages were read in Portico)."""

    def provider_opened(self, notification_id: int) -> None:
        """The user opened the notification's provider in the window: an offer to open it is moot.
        (The desktop's own notifications stay until the messages are read: they are its record.)"""


class LatestOnlyAdapter(NotificationAdapter):
    """An adapter that shows one notification at a time: a click means the latest one."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current = 0

    @Slot()
    def _on_clicked(self) -> None:
        if self._current:
            self.clicked.emit(self._current)
