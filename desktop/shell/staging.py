"""Runs start-up work as a chain of steps, one per pass of the event loop, or all at once."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import QObject, QTimer, Slot


def import_steps(names: Iterable[str]) -> Iterator[None]:
    """Import ``module[:attribute]`` names, one per step (an attribute is read: PySide builds
    some types, such as the ``Qt`` namespace, on first access)."""
    for name in names:
        module, _, attribute = name.partition(":")
        if attribute:
            getattr(importlib.import_module(module), attribute)
        else:
            importlib.import_module(module)
        yield


class Staging(QObject):
    """One chain of steps (a generator made on first need), run step by step or to its end.

    Input, and Chromium's own work for the pages (routing their messages, for one), run between
    two steps: one step per timeout of a zero-interval timer (chained single shots ran steps back
    to back: docs/startup.md).

    Attributes:
        steps: the chain, once made (a test may wrap it).
        in_step: a step is running now.
    """

    def __init__(self, make_steps: Callable[[], Iterator[None]], done: Callable[[], bool],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._make_steps = make_steps
        self._done = done
        self.steps: Iterator[None] | None = None
        self.in_step = False
        self._timer = QTimer(self, interval=0)
        self._timer.timeout.connect(self._next)

    @property
    def begun(self) -> bool:
        return self.steps is not None

    def pending(self) -> Iterator[None]:
        if self.steps is None:
            self.steps = self._make_steps()
        return self.steps

    def run_all(self) -> None:
        """The steps not run yet, all now."""
        for _ in self.pending():
            pass

    @Slot()
    def start(self) -> None:
        """Run the steps one per pass of the event loop from now on."""
        self.pending()
        self._timer.start()

    def start_after(self, delay_ms: int) -> None:
        """Begin the chain (once, however often asked) and run it from ``delay_ms`` on."""
        if self.steps is None:
            self.pending()
            QTimer.singleShot(delay_ms, self, self.start)

    def stop(self) -> None:
        """No more steps: a chain cut short builds no more."""
        self._timer.stop()
        if self.steps is not None:
            self.steps.close()

    @Slot()
    def _next(self) -> None:
        if self._done():
            self._timer.stop()
            return
        steps = self.pending()
        self.in_step = True
        try:
            next(steps)
        except StopIteration:
            self._timer.stop()
        finally:
            self.in_step = False
