"""Builds the one ApplicationWorld script: qwebchannel.js followed by Portico's relay."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib import resources

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtWebChannel import QWebChannel  # noqa: F401 - importing registers :/qtwebchannel
from PySide6.QtWebEngineCore import QWebEngineScript

from desktop.bridge.envelope import MAX_MESSAGE_BYTES

#: The id of the provider iframe in the host page, and the channel object's name.
FRAME_ID = "provider"
CHANNEL_OBJECT = "portico_bridge"


@functools.cache
def _qwebchannel_js() -> str:
    f = QFile(":/qtwebchannel/qwebchannel.js")
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("qwebchannel.js is missing from Qt's resources")
    try:
        return bytes(f.readAll().data()).decode("utf-8")
    finally:
        f.close()


@functools.cache
def _relay_js() -> str:
    return resources.files("desktop.bridge").joinpath("relay.js").read_text(encoding="utf-8")


def relay_source(origin: str, events: Sequence[str] = ()) -> str:
    """The relay's full source for one provider origin; ``events``: the window CustomEvents it
    relays when the provider's own document is the page's top-level one (desktop mode)."""
    config = json.dumps({"origin": origin, "frameId": FRAME_ID, "maxBytes": MAX_MESSAGE_BYTES,
                         "events": list(events)})
    return f"{_qwebchannel_js()}\nconst PORTICO_CONFIG = {config};\n{_relay_js()}"


def relay_script(origin: str, events: Sequence[str] = ()) -> QWebEngineScript:
    """A QWebEngineScript injecting the relay into the top frame's ApplicationWorld."""
    script = QWebEngineScript()
    script.setName("portico-relay")
    script.setSourceCode(relay_source(origin, events))
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
    script.setWorldId(QWebEngineScript.ScriptWorldId.ApplicationWorld)
    script.setRunsOnSubFrames(False)
    return script
