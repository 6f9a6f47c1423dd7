"""Hibernation: providers not shown for a while are frozen, later discarded, and woken when selected."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Final

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWebEngineCore import QWebEnginePage

from desktop.shell.provider_view import ProviderView

log = logging.getLogger("portico.lifecycle")

LifecycleState = QWebEnginePage.LifecycleState
#: How often the idle times are looked at.
TICK_MS: Final = 30_000
_DEPTH: Final = {LifecycleState.Active: 0, LifecycleState.Frozen: 1, LifecycleState.Discarded: 2}


class Hibernator(QObject):
    """Moves hidden provider pages down the lifecycle: Active → Frozen → Discarded.

    A page is frozen after ``freeze_after`` seconds out of sight and discarded after
    ``discard_after`` (0 = never). It never goes deeper than Chromium's ``recommendedState``
    allows (a page playing audio or in a call stays Active), and the visible page is always
    Active. Frozen pages run no script, so they send no badges and no notifications; a
    discarded page reloads, and signs in again through ``provider.start()``, when selected.

    Signals:
        state_changed(str, object): a provider's page changed lifecycle state (id, LifecycleState).
    """

    state_changed = Signal(str, object)

    def __init__(self, views: Mapping[str, ProviderView], current: Callable[[], str | None],
                 freeze_after: float = 0, discard_after: float = 0, tick_ms: int = TICK_MS,
                 clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views = views
        self._current = current
        self.freeze_after = freeze_after
        self.discard_after = discard_after
        self._clock = clock
        self._hidden_since: dict[str, float] = {}
        self._timer = QTimer(self, interval=tick_ms)
        self._timer.timeout.connect(self.tick)
        for pid, view in views.items():
            view.lifecycle_changed.connect(lambda state, p=pid: self.state_changed.emit(p, state))
            view.page.recommendedStateChanged.connect(lambda state, p=pid: self._on_recommended(p, state))
        self.configure(freeze_after, discard_after)

    def configure(self, freeze_after: float, discard_after: float) -> None:
        """Change the delays (seconds; 0 = never); the timer runs only when one is set."""
        self.freeze_after, self.discard_after = freeze_after, discard_after
        if freeze_after or discard_after:
            now = self._clock()
            for pid in self._views:
                self._hidden_since.setdefault(pid, now)
            self._timer.start()
        else:
            self._timer.stop()

    @property
    def enabled(self) -> bool:
        return self._timer.isActive()

    @Slot(str)
    def on_selected(self, provider_id: str) -> None:
        """The user showed this provider: wake it (Chromium reloads a discarded one), restart the others' clocks."""
        now = self._clock()
        self._hidden_since.pop(provider_id, None)
        for pid in self._views:
            if pid != provider_id:
                self._hidden_since.setdefault(pid, now)
        view = self._views.get(provider_id)
        if view is not None and view.lifecycle_state() != LifecycleState.Active:
            log.info("waking provider %s (%s)", provider_id, view.lifecycle_state().name)
            view.set_lifecycle_state(LifecycleState.Active)

    def _on_recommended(self, provider_id: str, state: QWebEnginePage.LifecycleState) -> None:
        """Chromium changed its advice: a frozen page it wants running again is woken at once."""
        view = self._views[provider_id]
        if state == LifecycleState.Active and view.lifecycle_state() == LifecycleState.Frozen:
            log.info("waking provider %s: Chromium recommends it active", provider_id)
            view.set_lifecycle_state(LifecycleState.Active)

    @Slot()
    def tick(self) -> None:
        now = self._clock()
        current = self._current()
        for pid, view in self._views.items():
            if pid == current:
                continue
            target = self.target_state(now - self._hidden_since.setdefault(pid, now))
            recommended = view.page.recommendedState()
            if _DEPTH[target] > _DEPTH[recommended]:
                target = recommended  # e.g. audio or a call: Chromium wants it kept running
            if _DEPTH[target] > _DEPTH[view.lifecycle_state()]:
                if view.set_lifecycle_state(target):
                    log.info("provider %s is now %s", pid, target.name)

    def target_state(self, hidden_for: float) -> QWebEnginePage.LifecycleState:
        if self.discard_after and hidden_for >= self.discard_after:
            return LifecycleState.Discarded
        if self.freeze_after and hidden_for >= self.freeze_after:
            return LifecycleState.Frozen
        return LifecycleState.Active

    def stop(self) -> None:
        self._timer.stop()
