"""One provider's view: host page, bridge and frame lifecycle, with an error state instead of a blank page."""

from __future__ import annotations

import json
import logging
from typing import Any, Final

from PySide6.QtCore import QTimer, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEngineFrame, QWebEngineProfile, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QStackedLayout, QWidget

from desktop.bridge.bridge import Bridge
from desktop.bridge.scripts import CHANNEL_OBJECT, FRAME_ID, relay_script
from desktop.providers.base import Provider, ProviderError
from desktop.providers.kinds import KINDS
from desktop.redact import redact_url
from desktop.shell.page import ProviderPage
from desktop.shell.scheme import host_url
from desktop.shell.status_panel import StatusPanel

log = logging.getLogger("portico.view")

#: How long a provider frame may take to load before the view says it is not answering.
FRAME_LOAD_TIMEOUT_MS: Final = 30_000
_APP_WORLD: Final = QWebEngineScript.ScriptWorldId.ApplicationWorld


class ProviderView(QWidget):
    """Hosts one provider: its page, channel, bridge and status panel.

    Signals:
        frame_ready(): the provider's document loaded in its frame and the bridge is open.
        frame_failed(object): the frame could not load (a :class:`ProviderError`).
        external_url_requested(QUrl): the provider asked to open a link in the system browser.
    """

    frame_ready = Signal()
    frame_failed = Signal(object)
    external_url_requested = Signal(QUrl)

    def __init__(self, provider: Provider, profile: QWebEngineProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.provider = provider
        self.profile = profile
        self.web_view = QWebEngineView(self)
        self.page = ProviderPage(profile, provider.origin, KINDS[provider.config.kind].permissions, self.web_view)
        self.page.scripts().insert(relay_script(provider.origin))
        self.bridge = Bridge(provider, self)
        self.channel = QWebChannel(self.page)
        self.channel.registerObject(CHANNEL_OBJECT, self.bridge)
        self.page.setWebChannel(self.channel, _APP_WORLD)
        self.web_view.setPage(self.page)
        self.page.setZoomFactor(float(provider.config.option("zoom", 1.0)))
        self.panel = StatusPanel(self)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.web_view)
        self._stack.addWidget(self.panel)
        self._load_timer = QTimer(self, singleShot=True, interval=FRAME_LOAD_TIMEOUT_MS)
        self._load_timer.timeout.connect(self._on_load_timeout)
        self._frame_url = ""
        self._check_serial = 0
        self._closed = False

        self.page.loadFinished.connect(self._on_host_loaded)
        self.page.external_url_requested.connect(self.external_url_requested)
        self.page.certificate_refused.connect(self._on_certificate_refused)
        self.bridge.frame_load_finished.connect(self._check_frame)
        self.panel.retry_requested.connect(self.retry)
        provider.frame_requested.connect(self._navigate)
        provider.error_occurred.connect(self._show_error)

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Load the host page and let the provider prepare its frame."""
        self.page.load(host_url(self.provider.id))
        self.provider.start()

    @Slot()
    def retry(self) -> None:
        self._stack.setCurrentWidget(self.web_view)
        self.provider.start()

    def reload(self) -> None:
        """Reload the provider (fresh sign-in/token where the provider needs one)."""
        self.retry()

    def showing_error(self) -> bool:
        return self._stack.currentWidget() is self.panel

    @Slot(str)
    def _navigate(self, url: str) -> None:
        self._frame_url = url
        self._check_serial += 1
        self._load_timer.start()
        self.bridge.navigate(url)

    @Slot(bool)
    def _on_host_loaded(self, ok: bool) -> None:
        if not ok:
            self._show_error(ProviderError("Portico could not open its own page for this provider.",
                                           "Reload the provider; if it keeps failing, restart Portico."))

    @Slot()
    def _check_frame(self, attempt: int = 0) -> None:
        """The frame fired ``load``: tell a real document from Chromium's error page."""
        if self._closed:
            return
        frame = self._provider_frame()
        if frame is None:
            return
        serial = self._check_serial
        frame.runJavaScript("JSON.stringify([location.protocol, location.origin])", _APP_WORLD,
                            lambda result: self._on_frame_checked(serial, attempt, result))

    def _provider_frame(self) -> QWebEngineFrame | None:
        for frame in self.page.mainFrame().children():
            if frame.htmlName() == FRAME_ID:
                return frame
        return None

    def _on_frame_checked(self, serial: int, attempt: int, result: Any) -> None:
        if self._closed or serial != self._check_serial:
            return  # the frame navigated again meanwhile
        try:
            protocol, origin = json.loads(result) if isinstance(result, str) else ("", "")
        except ValueError:
            protocol, origin = "", ""
        if not protocol and attempt < 5:
            # No answer: the frame was replacing its document while the check ran. Ask again.
            QTimer.singleShot(100, self, lambda: self._check_frame(attempt + 1))
            return
        if protocol == "chrome-error:" or not protocol:
            self._load_timer.stop()
            error = self._diagnose()
            self.bridge.set_frame_ready(False)
            self.provider.fail(error)
            self.frame_failed.emit(error)
            return
        if origin != self.provider.origin:
            # The frame is showing another site (a redirect): the bridge ignores it entirely.
            log.info("provider %s frame is at another origin; the bridge stays closed", self.provider.id)
            return
        self._load_timer.stop()
        self.bridge.set_frame_ready(True)
        self.provider.on_frame_loaded()
        self._stack.setCurrentWidget(self.web_view)
        self.frame_ready.emit()

    def _diagnose(self) -> ProviderError:
        diagnose = getattr(self.provider, "diagnose_frame_failure", None)
        if callable(diagnose):
            error = diagnose()
            if error is not None:
                return error
        return ProviderError(
            f"{self.provider.title} could not be loaded from {self.provider.origin}.",
            "Check your network connection and that the server is running, then press Retry.")

    @Slot()
    def _on_load_timeout(self) -> None:
        self.provider.fail(ProviderError(f"{self.provider.title} is not answering.",
                                         "It did not finish loading in 30 seconds. Press Retry to reload it."))

    @Slot(str)
    def _on_certificate_refused(self, text: str) -> None:
        self.provider.fail(ProviderError(f"The secure connection failed: {text}.",
                                         "Portico does not accept invalid certificates. If the server uses "
                                         "a private certificate authority, install it in the system store."))

    @Slot(object)
    def _show_error(self, error: ProviderError) -> None:
        self._load_timer.stop()
        title = "Sign-in needed" if error.needs_fields else f"{self.provider.title} is unavailable"
        self.panel.show_error(title, error.message, error.hint)
        self._stack.setCurrentWidget(self.panel)
        log.info("provider %s shows an error: %s (frame %s)", self.provider.id, error.message,
                 redact_url(self._frame_url))

    def shutdown(self) -> None:
        """Tear down in Qt's required order: view -> page -> (the caller then deletes the profile)."""
        self._closed = True
        self._load_timer.stop()
        self.provider.shutdown()
        self.web_view.setPage(None)  # type: ignore[arg-type]
        self.page.deleteLater()
        self.web_view.deleteLater()

