"""The QWebChannel object one provider view exposes to its relay: messages in, commands out."""

from __future__ import annotations

import collections
import json
import logging
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from desktop.bridge.envelope import check_origin, parse_bounded
from desktop.contract import Drop, FrameEndpoint, OutboundMessage, ProviderError

log = logging.getLogger("portico.bridge")

#: Most outbound messages held while the frame is (re)loading; older ones are dropped first.
MAX_PENDING_OUTBOUND = 256
#: Most messages in one ``from_frame_batch`` call (the relay sends at most 100; see relay.js).
MAX_BATCH = 1000


class Bridge(QObject):
    """Relay endpoint for one provider frame, living in the host page's ApplicationWorld.

    Every inbound message is re-checked here (exact origin, bounded JSON), parsed by the
    provider into a typed event, then handed to ``provider.handle``. Outbound messages are sent
    only once the frame has loaded, and always to the provider's exact origin (the relay posts
    them with it as targetOrigin).

    Signals:
        to_frame(str): JSON text for the relay to post to the frame (JS side connects).
        navigate_frame(str): a URL for the relay to load into the provider frame (JS side connects).
        relay_connected(): the relay's QWebChannel is up.
        frame_load_finished(): the provider frame fired ``load`` (may still be an error page).
        frame_talking(): a valid message from a document not yet confirmed opened the bridge
            (a chat client can talk seconds before its ``load`` event).
        message_dropped(str, int): inbound messages were refused: the reason code and how many
            (the relay reports its refusals in batches).
        message_sent(object): an :class:`OutboundMessage` was handed to the relay.
        flood_stopped(): the relay unloaded a frame that posted faster than Portico handles.
    """

    to_frame = Signal(str)
    navigate_frame = Signal(str)
    relay_connected = Signal()
    frame_load_finished = Signal()
    frame_talking = Signal()
    message_dropped = Signal(str, int)
    message_sent = Signal(object)
    flood_stopped = Signal()

    def __init__(self, provider: FrameEndpoint, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._provider = provider
        self._connected = False
        self._frame_ready = False
        #: navigate() asked the relay for a new document and it has not confirmed yet: what
        #: arrives meanwhile was posted by the old one (its answers would go to the new one).
        self._replacing = False
        self._pending: collections.deque[OutboundMessage] = collections.deque(maxlen=MAX_PENDING_OUTBOUND)
        self._pending_url: str | None = None
        self.dropped: collections.Counter[str] = collections.Counter()
        self.accepted = 0
        provider.outbound.connect(self.send)

    @property
    def provider(self) -> FrameEndpoint:
        return self._provider

    # --- from the relay (JS) -------------------------------------------------------------

    @Slot(str, str)
    def from_frame(self, origin: str, text: str) -> None:
        """A message the relay accepted from the provider frame (source and origin checked)."""
        if self._replacing:
            self._drop("old-document")
            return
        if not check_origin(origin, self._provider.origin):
            self._drop("wrong-origin")
            return
        try:
            value = parse_bounded(text)
            event = self._provider.parse(value)
        except Drop as exc:
            self._drop(exc.reason)
            return
        self.accepted += 1
        if not self._frame_ready:
            # A valid message from the frame (source and exact origin checked by the relay, the
            # origin again above) proves it holds the provider's document: what waits for it, and
            # the answer to this message, go out now instead of after the view's frame check.
            self.set_frame_ready(True)
            self.frame_talking.emit()
        try:
            self._provider.handle(event)
        except Exception:  # noqa: BLE001 - a provider bug must not take the bridge down
            log.exception("provider %s failed handling %s", self._provider.id, event.name)
            self._drop("handler-error")

    @Slot(str, list)
    def from_frame_batch(self, origin: str, texts: list[Any]) -> None:
        """Messages the relay queued while Python was busy with the previous call (flow control:
        the relay sends one call at a time and batches what arrives meanwhile)."""
        if len(texts) > MAX_BATCH:
            self._drop("batch-too-large", len(texts))
            return
        for text in texts:
            self.from_frame(origin, text)

    @Slot(str)
    def relay_dropped(self, counts_json: str) -> None:
        """The relay's batched counts of messages it refused before the channel."""
        try:
            counts = json.loads(counts_json)
        except ValueError:
            return
        if not isinstance(counts, dict):
            return
        for reason, count in counts.items():
            if isinstance(reason, str) and isinstance(count, int) and 0 < count < 10**9 and len(reason) < 40:
                self._drop(reason, count)

    @Slot()
    def relay_flooded(self) -> None:
        """The relay's flood breaker unloaded the frame (see relay.js); tell the user, offer Retry."""
        self._frame_ready = False
        self._pending.clear()
        log.warning("provider %s kept posting messages faster than Portico handles them; its frame "
                    "was stopped (dropped so far: %s)", self._provider.id, dict(self.dropped))
        self.flood_stopped.emit()
        self._provider.fail(ProviderError(
            f"{self._provider.title} sent more messages than Portico can handle, so it was stopped.",
            "This is usually a bug in the page. Press Retry to load it again."))

    @Slot()
    def relay_ready(self) -> None:
        self._connected = True
        self._replacing = False  # a new host document: a replacement asked of the old relay is moot
        self.relay_connected.emit()
        if self._pending_url is not None:
            url, self._pending_url = self._pending_url, None
            self.navigate_frame.emit(url)

    @Slot()
    def frame_replaced(self) -> None:
        """The relay put a new frame in for :meth:`navigate`: later messages are the new document's."""
        self._replacing = False

    @Slot()
    def frame_loaded(self) -> None:
        self.frame_load_finished.emit()

    # --- from Python ---------------------------------------------------------------------

    def navigate(self, url: str) -> None:
        """Load ``url`` into the provider frame; forgets anything queued for the old document."""
        self._frame_ready = False
        self._pending.clear()
        if self._connected:
            self._replacing = True
            self.navigate_frame.emit(url)
        else:
            self._pending_url = url

    def expect_document(self, frame_url: str | None = None) -> None:
        """The page itself loads a new document (not a new frame): what the old one's relay
        sends from now on is the old document's, until the new relay is ready. ``frame_url``:
        the frame address the new host page takes (:meth:`take_pending_url`)."""
        self._frame_ready = False
        self._pending.clear()
        self._pending_url = frame_url
        self._replacing = self._connected
        self._connected = False

    def take_pending_url(self) -> str | None:
        """The frame address waiting for the relay, handed over instead to the host page being
        served (it loads as the iframe's ``src``, in parallel with the relay's start-up)."""
        if self._connected:
            return None
        url, self._pending_url = self._pending_url, None
        return url

    def set_frame_ready(self, ready: bool) -> None:
        """The view confirmed the frame holds the provider's document (not an error page)."""
        self._frame_ready = ready
        while ready and self._pending:
            self._post(self._pending.popleft())

    @Slot(object)
    def send(self, message: OutboundMessage) -> None:
        if self._frame_ready:
            self._post(message)
        else:
            self._pending.append(message)

    def _post(self, message: OutboundMessage) -> None:
        text = json.dumps(message.payload, separators=(",", ":"))
        self.to_frame.emit(json.dumps(text) if message.as_json_string else text)
        self.message_sent.emit(message)

    def _drop(self, reason: str, count: int = 1) -> None:
        self.dropped[reason] += count
        log.debug("provider %s: dropped %d message(s): %s", self._provider.id, count, reason)
        self.message_dropped.emit(reason, count)
