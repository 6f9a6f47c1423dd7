"""The app-wide hub: every provider's typed signals re-emitted with the provider id."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.bridge.bridge import Bridge
from desktop.providers.base import UNREAD_DOT, Provider


class ProviderHub(QObject):
    """One place to subscribe to every provider (plugins, tray, notifications, event log).

    Signals:
        event_received(str, str, object): provider id, kind, typed ``ProviderEvent``.
        message_sent(str, str, object): provider id, kind, ``OutboundMessage`` posted to the frame.
        message_dropped(str, str, str, int): provider id, kind, reason code, how many.
        unread_changed(str, int): provider id, count (``UNREAD_DOT`` = unread, count unknown).
        total_unread_changed(int): the sum over providers (a dot counts as 0).
        notification_requested(str, object): provider id, ``Notification``.
        state_changed(str, object): provider id, ``ProviderState``.
        error_occurred(str, object): provider id, ``ProviderError``.
    """

    event_received = Signal(str, str, object)
    message_sent = Signal(str, str, object)
    message_dropped = Signal(str, str, str, int)
    unread_changed = Signal(str, int)
    total_unread_changed = Signal(int)
    notification_requested = Signal(str, object)
    state_changed = Signal(str, object)
    error_occurred = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.providers: dict[str, Provider] = {}
        self._unread: dict[str, int] = {}

    def add(self, provider: Provider, bridge: Bridge) -> None:
        pid, kind = provider.id, provider.kind
        self.providers[pid] = provider
        provider.event_received.connect(lambda event: self.event_received.emit(pid, kind, event))
        provider.notification_requested.connect(lambda n: self.notification_requested.emit(pid, n))
        provider.state_changed.connect(lambda state: self.state_changed.emit(pid, state))
        provider.error_occurred.connect(lambda error: self.error_occurred.emit(pid, error))
        provider.unread_changed.connect(lambda count: self._on_unread(pid, count))
        bridge.message_sent.connect(lambda message: self.message_sent.emit(pid, kind, message))
        bridge.message_dropped.connect(lambda reason, n: self.message_dropped.emit(pid, kind, reason, n))

    def remove(self, provider_id: str) -> None:
        self.providers.pop(provider_id, None)
        if self._unread.pop(provider_id, None) is not None:
            self.total_unread_changed.emit(self.total_unread())

    def unread(self, provider_id: str) -> int:
        return self._unread.get(provider_id, 0)

    def total_unread(self) -> int:
        return sum(c for c in self._unread.values() if c != UNREAD_DOT)

    def _on_unread(self, provider_id: str, count: int) -> None:
        self._unread[provider_id] = count
        self.unread_changed.emit(provider_id, count)
        self.total_unread_changed.emit(self.total_unread())
