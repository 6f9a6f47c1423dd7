"""One notification per Rocket.Chat message, whether its event, its web Notification or a replay says so."""

from __future__ import annotations

import collections
import logging
import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject, QTimer, Slot

from desktop.contract import Notification
from desktop.providers.rocketchat.events import ID_RE

log = logging.getLogger("portico.providers.rocketchat")

#: How many notified message ids are remembered (a replay is of the last minutes, not hours).
KEPT: Final = 500
#: How long a web Notification tagged with a message id waits for that message's ``notification``
#: event (the client fires the event first, but the two reach Portico by different ways).
WEB_WAIT_MS: Final = 1_000
#: Most web Notifications waiting at once (a page raising many is shown the newest first).
HELD_MAX: Final = 50


class NotifyOnce(QObject):
    """Decides which notifications of one Rocket.Chat provider are shown, so that each message
    is announced once.

    The client fires a ``notification`` event for each message the server notifies, and then,
    when its own rules say so, raises a web Notification tagged with the message's id
    (``KonchatNotification.showDesktop``); a reconnecting client fires recent ones again. The
    event is what Portico shows (it carries the room, for the click); a web Notification is
    shown only when no event announced its message within :data:`WEB_WAIT_MS` (the client's
    test notification, a call, a lost event).
    """

    def __init__(self, provider_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._id = provider_id
        self._seen: collections.OrderedDict[str, None] = collections.OrderedDict()
        #: Web Notifications waiting for their event: tag -> (deadline, notification, present).
        self._held: dict[str, tuple[float, Notification, Callable[[Notification], None]]] = {}
        # One timer for all of them (at the earliest deadline), a slot of this object: no
        # closure ties a timer to it.
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._release_due)
        #: Web Notifications not shown because an event had announced their message (tests, doctor).
        self.suppressed = 0

    def first(self, message_id: str) -> bool:
        """The event of ``message_id`` arrived: True unless it was announced already. A web
        Notification waiting for it is dropped (the event's notification replaces it)."""
        if not message_id:
            return True
        if self._held.pop(message_id, None) is not None:
            self.suppressed += 1
        if message_id in self._seen:
            log.debug("provider %s: notification for message %s shown already", self._id, message_id)
            return False
        self._remember(message_id)
        return True

    def web(self, notification: Notification, present: Callable[[Notification], None]) -> None:
        """The client raised a web Notification: show it once, unless an event announces (or
        announced) its message."""
        tag = notification.tag
        if not ID_RE.fullmatch(tag or ""):
            present(notification)  # not about a message: nothing else will announce it
            return
        if tag in self._seen or tag in self._held:
            self.suppressed += 1
            return
        while len(self._held) >= HELD_MAX:
            self._release(next(iter(self._held)))
        self._held[tag] = (time.monotonic() + WEB_WAIT_MS / 1000, notification, present)
        self._schedule()

    def _schedule(self) -> None:
        if not self._held:
            self._timer.stop()
            return
        due = min(deadline for deadline, _n, _p in self._held.values())
        self._timer.start(max(0, int((due - time.monotonic()) * 1000) + 1))

    @Slot()
    def _release_due(self) -> None:
        now = time.monotonic()
        for tag in [t for t, (deadline, _n, _p) in self._held.items() if deadline <= now]:
            self._release(tag)
        self._schedule()

    def _release(self, tag: str) -> None:
        """No event came for the held web Notification ``tag``: show it."""
        held = self._held.pop(tag, None)
        if held is None:
            return
        _deadline, notification, present = held
        self._remember(tag)
        present(notification)

    def _remember(self, message_id: str) -> None:
        self._seen[message_id] = None
        while len(self._seen) > KEPT:
            self._seen.popitem(last=False)

    def clear(self) -> None:
        """Forget waiting web Notifications (the provider shuts down)."""
        self._held.clear()
        self._timer.stop()
