"""Automatic retries of a provider whose server could not be reached, with backoff and a network watch."""

from __future__ import annotations

import logging
from typing import Final

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

from desktop.contract import ProviderError
from desktop.shell.provider_view import ProviderView

log = logging.getLogger("portico.reconnect")

#: Seconds between automatic retries of a frame that failed to load; the last one repeats for ever
#: (a server that is down for maintenance comes back by itself, and so should the provider).
RETRY_DELAYS: Final = (2.0, 5.0, 15.0, 30.0, 60.0)


def _network_information() -> QNetworkInformation | None:
    """The platform's reachability monitor (NetworkManager, glib …), or None where there is none."""
    instance = QNetworkInformation.instance()
    if instance is None and QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
        instance = QNetworkInformation.instance()
    return instance


class Reconnector(QObject):
    """Retries one provider view whose frame could not load (server down or unreachable).

    After each failure the view says when Portico tries again ("Retry now" skips the wait); the delays
    grow as :data:`RETRY_DELAYS` and never stop. When the system reports that the network came back,
    a pending retry happens at once. Failures that need the user (a sign-in form) are left alone.

    Signals:
        retry_scheduled(float): a retry is due in this many seconds.
        recovered(): the frame loaded after one or more failures.
    """

    retry_scheduled = Signal(float)
    recovered = Signal()

    def __init__(self, view: ProviderView, delays: tuple[float, ...] = RETRY_DELAYS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent or view)
        self.view = view
        self.delays = delays
        self.failures = 0  # consecutive load failures since the frame last loaded
        self.retries = 0  # automatic retries done (diagnostics, tests)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._retry)
        view.frame_failed.connect(self._on_failed)
        view.frame_ready.connect(self._on_ready)
        view.panel.retry_requested.connect(self._timer.stop)
        network = _network_information()
        if network is not None:
            network.reachabilityChanged.connect(self._on_reachability)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        self._timer.stop()

    @Slot(object)
    def _on_failed(self, error: ProviderError) -> None:
        if self.view.closed or error.needs_fields or error.certificate is not None:
            return  # the user must act (sign in, or trust the certificate): retrying alone cannot help
        delay = self.delays[min(self.failures, len(self.delays) - 1)]
        self.failures += 1
        log.info("provider %s could not load (failure %d); retrying in %g s", self.view.provider.id,
                 self.failures, delay)
        again = self.tr("Portico tries again in {seconds} s.").format(seconds=f"{delay:g}")
        self.view.show_status(self.tr("{title} is unavailable").format(title=self.view.provider.title), error.message,
                              f"{error.hint} {again}".strip(), retry_text=self.tr("Retry now"))
        self._timer.start(int(delay * 1000))
        self.retry_scheduled.emit(delay)

    @Slot()
    def _on_ready(self) -> None:
        self._timer.stop()
        if self.failures:
            log.info("provider %s loaded again after %d failure(s)", self.view.provider.id, self.failures)
            self.failures = 0
            self.recovered.emit()

    @Slot()
    def _retry(self) -> None:
        if self.view.closed:
            return
        self.retries += 1
        self.view.retry()

    @Slot(QNetworkInformation.Reachability)
    def _on_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        if reachability == QNetworkInformation.Reachability.Online and self._timer.isActive():
            log.info("the network is back: retrying provider %s now", self.view.provider.id)
            self._timer.stop()
            self._retry()
