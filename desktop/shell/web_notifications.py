"""A page's own notifications (the web Notification API), passed on only from the provider's origin."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from desktop.bridge.envelope import is_origin
from desktop.contract import Notification, PageNotificationClick

if TYPE_CHECKING:
    from PySide6.QtWebEngineCore import QWebEngineNotification

    from desktop.providers.base import Provider

#: Notifications kept alive: Qt closes one whose Python object is collected.
KEPT: Final = 20


class WebNotifications:
    """Hands each profile a presenter that turns its pages' notifications into Portico's own
    (the provider decides whether and when: :meth:`Provider.present_web_notification`)."""

    def __init__(self, notify: Callable[[str, Notification], None]) -> None:
        self._notify = notify
        self._kept: list[QWebEngineNotification] = []

    def presenter(self, provider: Provider) -> Callable[[QWebEngineNotification], None]:
        return lambda notification: self._present(provider, notification)

    def _present(self, provider: Provider, notification: QWebEngineNotification) -> None:
        if not is_origin(notification.origin().toString(), provider.origin):
            return  # a frame of another origin inside the provider's page
        notification.show()  # for the page: its onshow runs, as when a browser shows it
        self._kept = [*self._kept[-KEPT:], notification]
        provider.present_web_notification(
            Notification(title=notification.title(), body=notification.message(), tag=notification.tag(),
                         action=PageNotificationClick(notification.click)),
            lambda shown: self._notify(provider.id, shown))
