"""Quitting: the server sessions Portico opened are revoked, waiting for the servers a bounded time."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QWidget

from desktop.providers.base import Provider


def end_sessions(providers: Iterable[Provider], window: QWidget, wait_ms: int) -> None:
    """Ask each provider to revoke its server session, and wait for the answers at most
    ``wait_ms`` with the window already hidden (a server that does not answer delays quitting
    that long; its token then expires on the server's schedule)."""
    pending = [r for r in (p.end_session() for p in providers) if r is not None]
    if not pending:
        return
    window.hide()
    loop = QEventLoop()
    left = [len(pending)]

    def one_done() -> None:
        left[0] -= 1
        if left[0] == 0:
            loop.quit()
    for request in pending:
        request.finished.connect(one_done)
    QTimer.singleShot(wait_ms, loop, loop.quit)
    loop.exec()
