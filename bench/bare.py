"""The baseline app for the startup and memory phases: bare QWebEngineViews, nothing else.

``python bench/bare.py N URL [URL ...]``: a QApplication with Portico's Chromium flags, one
window with a QStackedWidget of N plain QWebEngineViews (the default profile), each loading a URL
directly as a top-level page. No scheme, no host page, no channel, no Portico import: the bench
frame reports ``/answered`` on ``load`` by itself.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QUrl
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication, QStackedWidget

#: The same Chromium flags as ``desktop.qtargs.chromium_flags(headless=True)`` (tests/e2e/test_bench_smoke.py
#: checks they stay the same), written out so that this baseline imports nothing of Portico.
QT_ARGS = ["--webEngineArgs", "--site-per-process", "--disable-gpu"]


def main(argv: list[str]) -> int:
    urls = argv[1:]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication([sys.argv[0], *QT_ARGS])
    stack = QStackedWidget()
    for url in urls:
        view = QWebEngineView(stack)
        stack.addWidget(view)
        view.load(QUrl(url))
    stack.resize(1000, 700)
    stack.show()
    return app.exec()  # ended by the bench with SIGTERM/SIGKILL of the whole process tree


if __name__ == "__main__":
    sys.exit(main(sys.argv))
