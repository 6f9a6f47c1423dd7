"""Crash and hang recovery: reload a provider whose renderer died, offer a reload when it stops answering, check after sleep."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript

from desktop.contract import ProviderState
from desktop.shell.provider_view import ProviderView

log = logging.getLogger("portico.recovery")

#: Automatic reloads after a crash, in seconds; after the last one the user gets a Retry button.
RELOAD_DELAYS: Final = (1.0, 5.0, 30.0)
#: How often a ready provider frame is asked whether it still runs, and how long it may take.
PING_INTERVAL_MS: Final = 10_000
PING_TIMEOUT_MS: Final = 10_000
#: A provider that stays up this long has its crash count forgiven.
STABLE_MS: Final = 60_000
_APP_WORLD: Final = QWebEngineScript.ScriptWorldId.ApplicationWorld
_Status = QWebEnginePage.RenderProcessTerminationStatus
_REASONS: Final = {
    _Status.CrashedTerminationStatus: "crashed",
    _Status.KilledTerminationStatus: "was killed",
    _Status.AbnormalTerminationStatus: "ended abnormally",
}


class ViewWatchdog(QObject):
    """Watches one provider view: renderer crashes (the host page's and the provider frame's) and hangs.

    - The host page's renderer ends (``renderProcessTerminated``): the view says what happened
      and reloads by itself after 1 s, 5 s, 30 s; a fourth crash within a minute of uptime leaves
      a Retry button.
    - The provider frame's renderer ends: Qt emits nothing (the frame's URL turns empty and
      scripts in it never answer), so the periodic ping finds it; same reloads.
    - The frame stops answering the ping within ``ping_timeout_ms``: the view offers Reload or
      Keep waiting, and goes back to the page by itself if the frame answers again.

    Signals:
        crashed(str): a renderer of this provider ended (what happened, for people).
        hung(): the provider frame stopped answering.
        recovered(): the provider is back (loaded again, or answering again).
    """

    crashed = Signal(str)
    hung = Signal()
    recovered = Signal()

    def __init__(self, view: ProviderView, delays: tuple[float, ...] = RELOAD_DELAYS,
                 ping_interval_ms: int = PING_INTERVAL_MS, ping_timeout_ms: int = PING_TIMEOUT_MS,
                 stable_ms: int = STABLE_MS, parent: QObject | None = None) -> None:
        super().__init__(parent or view)
        self.view = view
        self.delays = delays
        self.attempts = 0  # automatic reloads since the provider was last stable
        self.reloads = 0  # all automatic reloads (diagnostics, tests)
        self._hung = False
        self._ping_serial = 0
        self._ping_timer = QTimer(self, interval=ping_interval_ms)
        self._ping_timer.timeout.connect(self.check)
        self._ping_timeout = QTimer(self, singleShot=True, interval=ping_timeout_ms)
        self._ping_timeout.timeout.connect(self._on_ping_timeout)
        self._reload_timer = QTimer(self, singleShot=True)
        self._reload_timer.timeout.connect(self._reload)
        self._stable_timer = QTimer(self, singleShot=True, interval=stable_ms)
        self._stable_timer.timeout.connect(self._forgive)
        view.page.renderProcessTerminated.connect(self._on_host_terminated)
        view.frame_ready.connect(self._on_frame_ready)
        view.panel.retry_requested.connect(self._on_retry_pressed)
        view.panel.wait_requested.connect(self._on_keep_waiting)
        self._ping_timer.start()

    @property
    def reload_pending(self) -> bool:
        return self._reload_timer.isActive()

    @property
    def is_hung(self) -> bool:
        return self._hung

    def stop(self) -> None:
        for timer in (self._ping_timer, self._ping_timeout, self._reload_timer, self._stable_timer):
            timer.stop()

    # --- crashes ----------------------------------------------------------------------------

    @Slot(QWebEnginePage.RenderProcessTerminationStatus, int)
    def _on_host_terminated(self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int) -> None:
        if status == _Status.NormalTerminationStatus or self.view.closed:
            return
        self._renderer_gone(f"Its page {_REASONS.get(status, 'ended')} (exit code {code}).")

    def _renderer_gone(self, what: str) -> None:
        self._ping_timeout.stop()
        self._stable_timer.stop()
        self._hung = False
        self.view.provider.set_state(ProviderState.ERROR)
        self.crashed.emit(what)
        title = self.tr("{title} stopped unexpectedly").format(title=self.view.provider.title)
        if self.attempts >= len(self.delays):
            log.warning("provider %s: renderer gone again (%s); leaving it to the user", self.view.provider.id, what)
            self.view.show_status(title, what, self.tr("It kept stopping, so Portico stopped reloading it. "
                                                       "Press Retry to try again."))
            return
        delay = self.delays[self.attempts]
        self.attempts += 1
        log.warning("provider %s: renderer gone (%s); reloading in %g s (attempt %d of %d)",
                    self.view.provider.id, what, delay, self.attempts, len(self.delays))
        self.view.show_status(title, what, self.tr("Reloading in {seconds} s (attempt {attempt} of {attempts})…")
                              .format(seconds=f"{delay:g}", attempt=self.attempts, attempts=len(self.delays)),
                              retry_text=self.tr("Reload now"))
        self._reload_timer.start(int(delay * 1000))

    @Slot()
    def _reload(self) -> None:
        self._reload_timer.stop()
        if self.view.closed:
            return
        self.reloads += 1
        self.view.retry()

    @Slot()
    def _on_retry_pressed(self) -> None:
        # The panel's button (the view reloads): "Reload now" during a countdown, Retry after the
        # last attempt, or Reload of a frame that stopped answering.
        if self._reload_timer.isActive():
            self._reload_timer.stop()
        elif self.attempts >= len(self.delays):
            self.attempts = 0
        self._hung = False
        self._ping_timeout.stop()

    @Slot()
    def _on_frame_ready(self) -> None:
        self._stable_timer.start()
        self._hung = False
        self.view.unresponsive = False
        self.recovered.emit()

    @Slot()
    def _forgive(self) -> None:
        self.attempts = 0

    # --- liveness ---------------------------------------------------------------------------

    @Slot()
    def check(self) -> None:
        """Ping the provider frame (a no-op script in its isolated world); see the class doc."""
        view = self.view
        if (view.closed or self._reload_timer.isActive() or self._ping_timeout.isActive()
                or view.lifecycle_state() != QWebEnginePage.LifecycleState.Active):
            return
        if not self._hung and (view.provider.state is not ProviderState.READY or view.showing_error()):
            return
        frame = view.provider_frame()
        if frame is None or frame.url().isEmpty():
            self._renderer_gone("Its page's renderer process ended.")
            return
        self._ping_serial += 1
        serial = self._ping_serial
        self._ping_timeout.start()
        frame.runJavaScript("1", _APP_WORLD, lambda _result: self._on_pong(serial))

    def _on_pong(self, serial: int) -> None:
        if serial != self._ping_serial:
            return
        self._ping_timeout.stop()
        if self._hung:
            log.info("provider %s answers again", self.view.provider.id)
            self._hung = False
            self.view.unresponsive = False
            self.view.provider.set_state(ProviderState.READY)
            self.view.show_page()
            self.recovered.emit()

    @Slot()
    def _on_ping_timeout(self) -> None:
        self._ping_serial += 1  # a late answer to this ping no longer counts
        if self.view.closed or self._hung:
            return
        frame = self.view.provider_frame()
        if frame is None or frame.url().isEmpty():
            self._renderer_gone("Its page's renderer process ended.")
            return
        self._hung = True
        self.view.unresponsive = True
        seconds = self._ping_timeout.interval() / 1000
        log.warning("provider %s did not answer for %g s", self.view.provider.id, seconds)
        self.view.provider.set_state(ProviderState.ERROR)
        self.hung.emit()
        self.view.show_status(self.tr("{title} is not responding").format(title=self.view.provider.title),
                              self.tr("Its page has not answered for {seconds} seconds.").format(
                                  seconds=f"{seconds:g}"),
                              self.tr("It may be busy. Reload it, or keep waiting: Portico shows it again as soon "
                                      "as it answers."), retry_text=self.tr("Reload"),
                              wait_text=self.tr("Keep waiting"))

    @Slot()
    def _on_keep_waiting(self) -> None:
        self.view.show_page()

    def check_after_sleep(self) -> None:
        """The machine was asleep: retry a provider showing an error, ping the others now."""
        view = self.view
        if view.closed or self._reload_timer.isActive():
            return
        if view.lifecycle_state() != QWebEnginePage.LifecycleState.Active:
            return  # frozen or discarded: checked when it is woken
        if view.showing_error() and not self._hung:
            log.info("provider %s showed an error before the sleep; retrying", view.provider.id)
            view.retry()
            return
        self._ping_timeout.stop()
        self.check()


class SleepWatcher(QObject):
    """Notices that the machine slept: a timer that fires far later than it should have.

    The monotonic clock stops during suspend on Linux and macOS while the wall clock does not,
    so either one running ahead of the timer's interval by ``threshold`` counts.

    Signals:
        woke(float): the machine (or the event loop) was away about this many seconds.
    """

    woke = Signal(float)

    def __init__(self, interval_ms: int = 15_000, threshold_s: float = 60.0,
                 wall: Callable[[], float] = time.time, monotonic: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._wall, self._monotonic = wall, monotonic
        self.threshold_s = threshold_s
        self._last = (wall(), monotonic())
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    @Slot()
    def tick(self) -> None:
        wall, mono = self._wall(), self._monotonic()
        elapsed = max(wall - self._last[0], mono - self._last[1])
        self._last = (wall, mono)
        away = elapsed - self._timer.interval() / 1000
        if away > self.threshold_s:
            log.info("the machine was away for about %.0f s; checking the providers", away)
            self.woke.emit(away)

    def stop(self) -> None:
        self._timer.stop()
