"""The app-wide hub: every provider's typed signals re-emitted with the provider id."""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop.bridge.bridge import Bridge
from desktop.contract import UNREAD_DOT
from desktop.providers.base import Provider

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance


class ProviderHub(QObject):
    """One place to subscribe to every provider (plugins, tray, notifications, event log).

    While Portico starts, the Shell has the hub :meth:`hold` its signals: the first provider's
    page loads before the plugins and the sidebar exist, and :meth:`release` then delivers what
    happened meanwhile, in order. Queries (:meth:`unread`) are always current.

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
        #: Signals kept while held (None: emitting as things happen).
        self._held: collections.deque[tuple[SignalInstance, tuple[Any, ...]]] | None = None

    def add(self, provider: Provider, bridge: Bridge) -> None:
        pid, kind = provider.id, provider.kind
        self.providers[pid] = provider
        provider.event_received.connect(lambda event: self._emit(self.event_received, pid, kind, event))
        provider.notification_requested.connect(lambda n: self.notify(pid, n))
        provider.state_changed.connect(lambda state: self._emit(self.state_changed, pid, state))
        provider.error_occurred.connect(lambda error: self._emit(self.error_occurred, pid, error))
        provider.unread_changed.connect(lambda count: self._on_unread(pid, count))
        bridge.message_sent.connect(lambda message: self._emit(self.message_sent, pid, kind, message))
        bridge.message_dropped.connect(lambda reason, n: self._emit(self.message_dropped, pid, kind, reason, n))

    def remove(self, provider_id: str) -> None:
        self.providers.pop(provider_id, None)
        if self._unread.pop(provider_id, None) is not None:
            self._emit(self.total_unread_changed, self.total_unread())

    def notify(self, provider_id: str, notification: Any) -> None:
        """Ask for a desktop notification on behalf of a provider (a web page's own ones too)."""
        self._emit(self.notification_requested, provider_id, notification)

    # --- holding ------------------------------------------------------------------------

    def hold(self) -> None:
        """Keep every signal from now on until :meth:`release`."""
        if self._held is None:
            self._held = collections.deque()

    @property
    def holding(self) -> bool:
        return self._held is not None

    def release(self) -> None:
        """Emit what was kept, in order, then emit as things happen again. What a receiver causes
        meanwhile is queued behind the rest, so the order stays the order things happened in."""
        held = self._held
        if held is None:
            return
        while held:
            signal, args = held.popleft()
            signal.emit(*args)
        self._held = None

    def _emit(self, signal: SignalInstance, *args: Any) -> None:
        if self._held is not None:
            self._held.append((signal, args))
        else:
            signal.emit(*args)

    def unread(self, provider_id: str) -> int:
        return self._unread.get(provider_id, 0)

    def total_unread(self) -> int:
        return sum(c for c in self._unread.values() if c != UNREAD_DOT)

    def _on_unread(self, provider_id: str, count: int) -> None:
        self._unread[provider_id] = count
        self._emit(self.unread_changed, provider_id, count)
        self._emit(self.total_unread_changed, self.total_unread())
