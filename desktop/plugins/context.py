"""What a plugin receives on activation: guarded hub signals, providers, notifications, badges, menu actions, a logger."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtGui import QAction

from desktop.contract import Notification
from desktop.plugins.adapter import NotificationAdapter
from desktop.providers.base import Provider

#: The hub signals a plugin may subscribe to (see ``desktop/hub.py`` for their arguments).
HUB_SIGNALS = ("event_received", "message_sent", "message_dropped", "unread_changed", "total_unread_changed",
               "notification_requested", "state_changed", "error_occurred")


@dataclasses.dataclass
class PluginRecord:
    """One activated plugin and everything it registered (undone on disable)."""

    name: str
    source: Any
    obj: Any
    settings: Any = None
    active: bool = True
    stopping: bool = False
    failures: int = 0
    slow_calls: int = 0
    connections: list[tuple[SignalInstance, Callable[..., Any]]] = dataclasses.field(default_factory=list)
    actions: list[tuple[str | None, QAction]] = dataclasses.field(default_factory=list)
    badges: set[str] = dataclasses.field(default_factory=set)
    adapters: list[Any] = dataclasses.field(default_factory=list)


class PluginHost(Protocol):
    """What a :class:`PluginContext` asks of the plugin manager that made it."""

    hub: Any
    providers: Mapping[str, Provider]
    window: Any
    presenter: Any

    def call(self, record: PluginRecord, what: str, function: Callable[..., Any], *args: Any) -> Any: ...

    def notify(self, source: str, provider_id: str, notification: Notification) -> bool: ...

    def set_badge(self, record: PluginRecord, provider_id: str, count: int | None) -> None: ...

    def add_menu_action(self, record: PluginRecord, text: str, callback: Callable[[], Any],
                        provider_id: str | None) -> QAction: ...


class GuardedSignal:
    """One hub signal as a plugin sees it: ``connect(slot)`` runs ``slot`` inside the plugin's guard
    (exceptions caught and counted, slow calls reported) and is undone when the plugin is disabled."""

    def __init__(self, context: PluginContext, signal: SignalInstance, name: str) -> None:
        self._context = context
        self._signal = signal
        self._name = name

    def connect(self, slot: Callable[..., Any]) -> None:
        self._context.connect(self._signal, slot, self._name)


class HubSignals:
    """The hub, for one plugin: each attribute of :data:`HUB_SIGNALS` is a :class:`GuardedSignal`.

    Attributes:
        event_received(provider_id, kind, event), message_sent(provider_id, kind, message),
        message_dropped(provider_id, kind, reason, count), unread_changed(provider_id, count),
        total_unread_changed(total), notification_requested(provider_id, notification),
        state_changed(provider_id, state), error_occurred(provider_id, error).
    """

    def __init__(self, context: PluginContext, hub: Any) -> None:
        self._hub = hub
        for name in HUB_SIGNALS:
            setattr(self, name, GuardedSignal(context, getattr(hub, name), name))

    def unread(self, provider_id: str) -> int:
        return int(self._hub.unread(provider_id))

    def total_unread(self) -> int:
        return int(self._hub.total_unread())


class WindowControl:
    """The main window as plugins may drive it."""

    def __init__(self, window: Any) -> None:
        self._window = window

    def visible(self) -> bool:
        return bool(self._window.isVisible() and not self._window.isMinimized())

    def show(self) -> None:
        if self._window.isMinimized():
            self._window.showNormal()
        self._window.show()
        self._window.raise_()
        self._window.activateWindow()

    def hide(self) -> None:
        self._window.hide()

    def toggle(self) -> None:
        """Hide the window if it is shown, else show it."""
        if self.visible():
            self.hide()
        else:
            self.show()

    def select(self, provider_id: str) -> None:
        """Show this provider (and the window)."""
        self._window.select(provider_id)
        self.show()

    def current(self) -> str | None:
        return self._window.current_id()

    def quit(self) -> None:
        self._window.close()


class PluginContext:
    """Everything a plugin may use, handed to ``portico_activate``. All of it is undone on disable.

    Attributes:
        name: the plugin's name. settings: its validated ``Settings`` instance (None if it has none).
        log: a logger named ``portico.plugin.<name>``.
        hub: :class:`HubSignals`, the guarded hub signals.
        providers: provider id -> :class:`Provider` (call their typed commands, e.g. ``go``).
        titles: provider id -> the title the user gave it.
        window: :class:`WindowControl`.
    """

    def __init__(self, manager: PluginHost, record: PluginRecord, settings: Any) -> None:
        self._manager = manager
        self._record = record
        self.name = record.name
        self.settings = settings
        self.log = logging.getLogger(f"portico.plugin.{record.name}")
        self.hub = HubSignals(self, manager.hub)
        self.providers: Mapping[str, Provider] = MappingProxyType(manager.providers)
        self.titles: Mapping[str, str] = MappingProxyType({pid: p.title for pid, p in manager.providers.items()})
        self.window = WindowControl(manager.window)

    def kind(self, provider_id: str) -> str:
        provider = self.providers.get(provider_id)
        return provider.kind if provider is not None else ""

    def connect(self, signal: SignalInstance, slot: Callable[..., Any], what: str = "") -> None:
        """Connect any Qt signal (yours or Portico's) to ``slot`` inside this plugin's guard."""
        record, manager = self._record, self._manager
        label = f"slot {getattr(slot, '__qualname__', 'slot')} on {what or 'a signal'}"

        def guarded(*args: Any) -> None:
            manager.call(record, label, slot, *args)

        signal.connect(guarded)
        record.connections.append((signal, guarded))

    def notify(self, title: str, body: str = "", *, provider_id: str = "", tag: str = "",
               action: Any = None) -> bool:
        """Raise a desktop notification (through every plugin's notification hook); False if suppressed."""
        return self.show_notification(provider_id, Notification(title=title, body=body, tag=tag, action=action))

    def show_notification(self, provider_id: str, notification: Notification) -> bool:
        """Show a provider's :class:`Notification` (after the notification hooks); False if suppressed."""
        return self._manager.notify(self.name, provider_id, notification)

    def withdraw_notifications(self, provider_id: str) -> None:
        """Take back the provider's notifications still on screen (the user read them in Portico)."""
        self._manager.presenter.withdraw(provider_id)

    def set_badge(self, provider_id: str, count: int | None) -> None:
        """Show ``count`` on the provider's sidebar entry (``UNREAD_DOT`` = a dot); None gives it back
        to the provider's own unread count."""
        self._manager.set_badge(self._record, provider_id, count)

    def add_menu_action(self, text: str, callback: Callable[[], Any], provider_id: str | None = None) -> QAction:
        """Add an action to the Plugins menu, or with ``provider_id`` to that provider's menu."""
        return self._manager.add_menu_action(self._record, text, callback, provider_id)

    def add_notification_adapter(self, adapter: NotificationAdapter) -> None:
        """Offer another way to show notifications, tried after the desktop's service, before the banner."""
        self._manager.presenter.add_adapter(adapter)
        self._record.adapters.append(adapter)
