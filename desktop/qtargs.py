"""Chromium flags, the QApplication Portico runs in, and its quit signals."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.shell.scheme import register_scheme

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

APP_ID: Final = "io.github.portico.Portico"


def chromium_flags(headless: bool) -> list[str]:
    """Chromium flags Portico always passes (after ``--webEngineArgs``)."""
    # Site isolation: Qt WebEngine turns strict isolation off; without it the provider frame
    # would share a renderer with the host page and its bridge.
    flags = ["--site-per-process"]
    if headless:
        flags.append("--disable-gpu")
    return flags


#: Chromium's switches for Qt WebEngine, from the environment (Qt's documented debugging knob).
CHROMIUM_FLAGS_ENV: Final = "QTWEBENGINE_CHROMIUM_FLAGS"


def merged_chromium_flags(env_flags: str, flags: Sequence[str]) -> str:
    """``env_flags`` (the user's text, kept as it is) with those of ``flags`` it lacks added."""
    words = env_flags.split()
    return " ".join([env_flags.strip(), *[flag for flag in flags if flag not in words]]).strip()


def pass_chromium_flags(flags: Sequence[str], argv0: str | None = None) -> list[str]:
    """Hand Chromium ``flags``; returns the argv to create the QApplication with.

    WORKAROUND (Qt WebEngine 6.10/6.11, measured with 6.11.3): when QTWEBENGINE_CHROMIUM_FLAGS is
    set, even to ``""``, Qt WebEngine takes Chromium's switches from it alone and ignores
    ``--webEngineArgs``, so a user's or a distribution's own flags would silently turn site
    isolation off and put the provider frame in the host page's renderer with the bridge
    (tests/e2e/test_startup.py). Then the flags go into that variable instead (and none on the command
    line, where Qt would warn that the variable overrides them).
    """
    argv = [argv0 or sys.argv[0] or "portico"]
    env_flags = os.environ.get(CHROMIUM_FLAGS_ENV)
    if env_flags is not None:
        os.environ[CHROMIUM_FLAGS_ENV] = merged_chromium_flags(env_flags, flags)
        return argv
    return [*argv, "--webEngineArgs", *flags]


def app_icon() -> QIcon:
    from PySide6.QtGui import QIcon  # noqa: PLC0415 - see the imports
    path = resources.files("desktop.resources").joinpath("icons/portico.svg")
    with resources.as_file(path) as file:
        return QIcon(str(file))


def create_application(headless: bool) -> QApplication:
    """Register the scheme, then create the QApplication with Portico's Chromium flags."""
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    register_scheme()
    app = QApplication(pass_chromium_flags(chromium_flags(headless)))
    app.setApplicationName("Portico")
    app.setOrganizationName("Portico")
    app.setDesktopFileName(APP_ID)  # the desktop shows the entry's icon; the window's own follows
    return app


def quit_on_signals(app: QApplication) -> None:
    """Let SIGINT/SIGTERM end the event loop cleanly (Qt blocks Python's handlers otherwise)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    timer = QTimer(app, interval=250)
    timer.timeout.connect(lambda: None)  # wake the interpreter so the handlers run
    timer.start()
