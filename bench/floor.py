"""The start-up floor of Portico's architecture, with none of Portico's code (a second baseline).

``python bench/floor.py STORAGE URL``: what any app must do that shows a provider the way
docs/architecture.md describes: a custom-scheme host page (its own origin, so its own renderer process under
site isolation) holding the provider in an iframe, a disk-backed profile, and a QWebChannel relay
in the ApplicationWorld that hands the frame's message to Python and posts Python's answer back
to the frame's exact origin. No config, hub, window chrome or validation. Portico's start-up
over this floor is what Portico's own code costs; the floor over the bare view is what the
architecture costs. Like bare.py it imports nothing of Portico.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse

from PySide6.QtCore import QBuffer, QByteArray, QFile, QIODevice, QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (QWebEnginePage, QWebEngineProfile, QWebEngineScript, QWebEngineUrlRequestJob,
                                     QWebEngineUrlScheme, QWebEngineUrlSchemeHandler)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication

#: The same Chromium flags as bare.py and Portico's (tests/e2e/test_bench_smoke.py checks them).
QT_ARGS = ["--webEngineArgs", "--site-per-process", "--disable-gpu"]

#: The relay: the frame's messages to Python, Python's answers to the frame (exact origin only).
RELAY = """
(function start() {
  if (typeof qt === "undefined") { setTimeout(start, 20); return; }
  new QWebChannel(qt.webChannelTransport, function (channel) {
    const host = channel.objects.host;
    const frame = () => document.getElementById("provider");
    host.answer.connect(function (json) { frame().contentWindow.postMessage(JSON.parse(json), ORIGIN); });
    window.addEventListener("message", function (ev) {
      if (ev.source === frame().contentWindow && ev.origin === ORIGIN) host.message(JSON.stringify(ev.data));
    });
  });
})();
"""


class Host(QObject):
    """Answers every request with its requestId.

    Signals:
        answer(str): JSON for the relay to post to the frame.
    """

    answer = Signal(str)

    @Slot(str)
    def message(self, text: str) -> None:
        request = json.loads(text)
        self.answer.emit(json.dumps({"name": "space_ids", "requestId": request.get("requestId")}))


class Pages(QWebEngineUrlSchemeHandler):
    """Serves the host page: the provider frame, nothing else."""

    def __init__(self, url: str, parent: QObject) -> None:
        super().__init__(parent)
        self._html = (f'<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">'
                      f'<iframe id="provider" src="{url}" style="border:0;width:100vw;height:100vh"></iframe>'
                      '</body></html>').encode()

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 - Qt's name
        buffer = QBuffer(job)
        buffer.setData(QByteArray(self._html))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(QByteArray(b"text/html"), buffer)


def main(argv: list[str]) -> int:
    storage, url = argv[1], argv[2]
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(url))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scheme = QWebEngineUrlScheme(b"floor")
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.CorsEnabled)
    QWebEngineUrlScheme.registerScheme(scheme)
    app = QApplication([sys.argv[0], *QT_ARGS])
    profile = QWebEngineProfile("floor", app)
    profile.setPersistentStoragePath(os.path.join(storage, "storage"))
    profile.setCachePath(os.path.join(storage, "cache"))
    profile.installUrlSchemeHandler(b"floor", Pages(url, app))
    page = QWebEnginePage(profile, app)
    qwebchannel = QFile(":/qtwebchannel/qwebchannel.js")
    qwebchannel.open(QIODevice.OpenModeFlag.ReadOnly)
    script = QWebEngineScript()
    script.setSourceCode(bytes(qwebchannel.readAll().data()).decode() + f"\nconst ORIGIN = {json.dumps(origin)};"
                         + RELAY)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
    script.setWorldId(QWebEngineScript.ScriptWorldId.ApplicationWorld)
    script.setRunsOnSubFrames(False)
    page.scripts().insert(script)
    channel = QWebChannel(page)
    host = Host(page)
    channel.registerObject("host", host)
    page.setWebChannel(channel, QWebEngineScript.ScriptWorldId.ApplicationWorld)
    view = QWebEngineView()
    view.setPage(page)
    page.load(QUrl("floor://app/"))
    view.resize(1000, 700)
    view.show()
    return app.exec()  # ended by the bench with SIGTERM/SIGKILL of the whole process tree


if __name__ == "__main__":
    sys.exit(main(sys.argv))
