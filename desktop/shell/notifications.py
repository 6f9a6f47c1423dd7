"""Shows provider notifications through the best adapter here: the desktop's D-Bus service, the tray, or the window."""

from __future__ import annotations

import collections
import dataclasses
import html
import itertools
import logging
from collections.abc import Callable
from typing import Any, ClassVar, Final

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, SLOT, QMetaObject, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.contract import Notification
from desktop.plugins import LatestOnlyAdapter, NotificationAdapter

log = logging.getLogger("portico.notifications")


@dataclasses.dataclass(frozen=True)
class Shown:
    """A notification as it was presented (kept for the history and for tests)."""

    provider_id: str
    notification: Notification


class Banner(QWidget):
    """An in-window strip showing one line of text; its button activates it.

    Signals:
        clicked(): the user pressed the action button ("Open").
    """

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None, action_text: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = QLabel(self)
        self.label.setObjectName("banner-text")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QPushButton(action_text or self.tr("Open"), self)
        self.open_button.setObjectName("banner-action")
        self.close_button = QPushButton("✕", self)
        self.close_button.setObjectName("banner-close")
        self.close_button.setFlat(True)
        self.close_button.setToolTip(self.tr("Dismiss"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.close_button)
        self.open_button.clicked.connect(self.clicked)
        self.open_button.clicked.connect(self.hide)
        self.close_button.clicked.connect(self.hide)
        self._timer = QTimer(self, singleShot=True, interval=8000)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def present(self, text: str, with_action: bool = True, sticky: bool = False) -> None:
        """Show ``text``; it hides after 8 s unless ``sticky`` (a lasting problem: the user closes it)."""
        self.label.setText(text)
        self.open_button.setVisible(with_action)
        self.show()
        if sticky:
            self._timer.stop()
        else:
            self._timer.start()


# --- adapters ---------------------------------------------------------------------------


class BannerAdapter(LatestOnlyAdapter):
    """The in-window banner: always available, the last resort."""

    name = "banner"

    def __init__(self, banner: Banner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._banner = banner
        banner.clicked.connect(self._on_clicked)

    def show(self, notification_id: int, provider_title: str, notification: Notification) -> bool:
        self._current = notification_id
        text = notification.title + (f": {notification.body}" if notification.body else "")
        self._banner.present(text)
        return True

    def withdraw(self, notification_id: int) -> None:
        if notification_id == self._current and not self._banner.isHidden():
            self._banner.hide()
            self.closed.emit(notification_id)

    def provider_opened(self, notification_id: int) -> None:
        self.withdraw(notification_id)  # the banner's only offer is "Open" that provider


NOTIFICATIONS_SERVICE: Final = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH: Final = "/org/freedesktop/Notifications"
#: How long a call to the notification service may block the UI thread before it counts as failed.
DBUS_TIMEOUT_MS: Final = 1500


class DBusAdapter(NotificationAdapter):
    """The desktop's notification service (``org.freedesktop.Notifications``) over QtDBus.

    Clicks come back as ``ActionInvoked`` (the ``default`` action); ``tag`` maps to
    ``replaces_id`` so a provider's update replaces its earlier bubble.
    """

    name = "dbus"

    def __init__(self, connection: Any = None, app_name: str = "Portico", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connection = connection
        self._app_name = app_name
        self._iface: Any = None
        self._markup = False
        self._server_ids: dict[int, int] = {}  # our id -> the server's id
        self._ours: dict[int, int] = {}  # the server's id -> our id
        self._tags: dict[int, str] = {}  # our id -> the notification's tag

    def _bus(self) -> Any:
        from PySide6.QtDBus import QDBusConnection  # noqa: PLC0415 - QtDBus only where it is used
        return self._connection if self._connection is not None else QDBusConnection.sessionBus()

    def available(self) -> bool:
        try:
            from PySide6.QtDBus import QDBusInterface  # noqa: PLC0415
        except ImportError:
            return False
        bus = self._bus()
        if not bus.isConnected():
            return False
        if not bus.interface().isServiceRegistered(NOTIFICATIONS_SERVICE).value():
            return False
        # Introspected: the call below is then marshalled with the service's own types
        # ("u" for replaces_id), which a Python int alone cannot express in PySide6.
        iface = QDBusInterface(NOTIFICATIONS_SERVICE, NOTIFICATIONS_PATH, NOTIFICATIONS_SERVICE, bus, self)
        iface.setTimeout(DBUS_TIMEOUT_MS)
        if not iface.isValid():
            log.info("notification service unusable: %s", iface.lastError().message())
            return False
        self._iface = iface
        capabilities = iface.call("GetCapabilities").arguments()
        self._markup = bool(capabilities) and "body-markup" in (capabilities[0] or [])
        for signal, slot in (("ActionInvoked", "_on_action(uint,QString)"),
                             ("NotificationClosed", "_on_closed(uint,uint)")):
            bus.connect(NOTIFICATIONS_SERVICE, NOTIFICATIONS_PATH, NOTIFICATIONS_SERVICE, signal, self, SLOT(slot))
        return True

    def show(self, notification_id: int, provider_title: str, notification: Notification) -> bool:
        if self._iface is None:
            return False
        body = notification.body
        if self._markup:  # the server renders a subset of HTML: provider text is text, never markup
            body = html.escape(body, quote=False)
        replaces = next((self._server_ids[i] for i in self._tagged(notification) if i in self._server_ids), 0)
        hints = {"desktop-entry": QGuiApplication.desktopFileName() or "portico", "category": "im.received"}
        # WORKAROUND (PySide6 6.11; no upstream report found): QDBusMessage.setArguments marshals a
        # Python int as "i" and PySide6 has no typed QDBusArgument, so a plain call is sent as
        # "sisssasa{sv}i", which GLib and Qt servers refuse. Invoking the introspected interface's
        # method with typed Q_ARGs makes QtDBus marshal "susssasa{sv}i" (tests/e2e/test_desktop_notifications.py checks it).
        server_id = QMetaObject.invokeMethod(
            self._iface, "Notify", Qt.ConnectionType.DirectConnection, Q_RETURN_ARG("uint"),
            Q_ARG(str, self._app_name), Q_ARG("uint", replaces), Q_ARG(str, ""),
            Q_ARG(str, notification.title), Q_ARG(str, body), Q_ARG("QStringList", ["default", "Open"]),
            Q_ARG("QVariantMap", hints), Q_ARG(int, -1))
        error = self._iface.lastError()
        if not server_id or error.isValid():
            log.warning("the notification service refused a notification: %s", error.message())
            return False
        self._forget_server_id(int(server_id))
        self._server_ids[notification_id] = int(server_id)
        self._ours[int(server_id)] = notification_id
        self._tags[notification_id] = notification.tag
        return True

    def _tagged(self, notification: Notification) -> list[int]:
        if not notification.tag:
            return []
        return [i for i, tag in self._tags.items() if tag == notification.tag]

    def _forget_server_id(self, server_id: int) -> None:
        ours = self._ours.pop(server_id, None)
        if ours is not None:
            self._server_ids.pop(ours, None)
            self._tags.pop(ours, None)

    def withdraw(self, notification_id: int) -> None:
        server_id = self._server_ids.get(notification_id)
        if server_id is not None and self._iface is not None:
            QMetaObject.invokeMethod(self._iface, "CloseNotification", Qt.ConnectionType.DirectConnection,
                                     Q_ARG("uint", server_id))

    @Slot("uint", str)
    def _on_action(self, server_id: int, action: str) -> None:
        ours = self._ours.get(int(server_id))
        if ours is not None and action == "default":
            self.clicked.emit(ours)

    @Slot("uint", "uint")
    def _on_closed(self, server_id: int, _reason: int) -> None:
        ours = self._ours.get(int(server_id))
        if ours is not None:
            self._forget_server_id(int(server_id))
            self.closed.emit(ours)


# --- presenter --------------------------------------------------------------------------


class NotificationPresenter(QObject):
    """Routes notifications to the first adapter that works here: D-Bus, then plugins' (the tray), then the banner.

    The chain is built on the first notification (no D-Bus traffic at start-up). An adapter
    that fails is skipped from then on.

    Signals:
        shown(str, object): provider id and the ``Notification`` presented.
        activated(str, object): the user clicked a notification: provider id and its action data.
    """

    shown = Signal(str, object)
    activated = Signal(str, object)

    #: Notifications remembered for clicks and withdrawal (older ones are forgotten).
    MAX_LIVE: ClassVar[int] = 200

    def __init__(self, banner: Banner, parent: QObject | None = None,
                 adapters: list[NotificationAdapter] | None = None) -> None:
        super().__init__(parent)
        self._banner = banner
        self._adapters = adapters
        self._adapter: NotificationAdapter | None = None
        self._connected: list[NotificationAdapter] = []
        self._ids = itertools.count(1)
        self._live: collections.OrderedDict[int, Shown] = collections.OrderedDict()
        self._last: Shown | None = None
        self.history: collections.deque[Shown] = collections.deque(maxlen=100)
        #: Provider id -> title, for adapters that show where a notification comes from.
        self.titles: dict[str, str] = {}
        #: Whether a provider's page is on screen now (set by the Shell): the in-window banner
        #: then says nothing, the page itself shows the message.
        self.on_screen: Callable[[str], bool] = lambda _provider_id: False

    def add_adapter(self, adapter: NotificationAdapter) -> None:
        """Try ``adapter`` after those already chained and before the banner (the last resort)."""
        chain = self._chain()
        chain.insert(len(chain) - 1, adapter)
        if self._adapter is chain[-1]:  # on the fallback: the newcomer may do better
            self._adapter = None

    def remove_adapter(self, adapter: NotificationAdapter) -> None:
        chain = self._chain()
        if adapter in chain and adapter is not chain[-1]:
            chain.remove(adapter)
            if self._adapter is adapter:
                self._adapter = None

    @property
    def adapter(self) -> NotificationAdapter | None:
        """The adapter in use (None until the first notification)."""
        return self._adapter

    def _chain(self) -> list[NotificationAdapter]:
        if self._adapters is None:
            self._adapters = [DBusAdapter(parent=self), BannerAdapter(self._banner, self)]
        return self._adapters

    def _next_adapter(self, after: NotificationAdapter | None) -> NotificationAdapter:
        chain = self._chain()
        start = chain.index(after) + 1 if after in chain else 0
        for adapter in chain[start:]:
            try:
                ok = adapter.available()
            except Exception:  # noqa: BLE001 - a broken desktop service must not break notifications
                log.exception("notification adapter %s failed its check", adapter.name)
                ok = False
            if ok:
                if adapter not in self._connected:  # an adapter may be chosen again after add_adapter
                    self._connected.append(adapter)
                    adapter.clicked.connect(self._on_clicked)
                    adapter.closed.connect(self._on_closed)
                log.info("notifications go to the %s adapter", adapter.name)
                return adapter
        return chain[-1]

    @Slot(str, object)
    def present(self, provider_id: str, notification: Notification) -> None:
        shown = Shown(provider_id, notification)
        self._last = shown
        self.history.append(shown)
        notification_id = next(self._ids)
        self._live[notification_id] = shown
        while len(self._live) > self.MAX_LIVE:
            self._live.popitem(last=False)
        if self._adapter is None:
            self._adapter = self._next_adapter(None)
        if isinstance(self._adapter, BannerAdapter) and self.on_screen(provider_id):
            log.debug("no banner: provider %s is on screen", provider_id)
            self.shown.emit(provider_id, notification)
            return
        title = self.titles.get(provider_id, provider_id)
        while not self._adapter.show(notification_id, title, notification):
            if self._adapter is self._chain()[-1]:
                break
            self._adapter = self._next_adapter(self._adapter)
        self.shown.emit(provider_id, notification)

    @Slot(str)
    def withdraw(self, provider_id: str) -> None:
        """Take back the provider's shown notifications (the user read them in Portico)."""
        for notification_id, shown in list(self._live.items()):
            if shown.provider_id == provider_id:
                del self._live[notification_id]
                if self._adapter is not None:
                    self._adapter.withdraw(notification_id)

    @Slot(str)
    def provider_opened(self, provider_id: str) -> None:
        """The window shows this provider now: tell the adapters, for its notifications still out."""
        for notification_id, shown in list(self._live.items()):
            if shown.provider_id == provider_id:
                for adapter in self._connected:
                    adapter.provider_opened(notification_id)

    def activate(self, shown: Shown) -> None:
        self.activated.emit(shown.provider_id, shown.notification.action)

    @Slot(int)
    def _on_clicked(self, notification_id: int) -> None:
        shown = self._live.get(notification_id)
        if shown is not None:
            self.activate(shown)

    @Slot(int)
    def _on_closed(self, notification_id: int) -> None:
        self._live.pop(notification_id, None)

    def last(self) -> Any:
        return self._last
