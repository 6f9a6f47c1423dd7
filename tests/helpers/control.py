"""A client of a running Portico's control socket, inside the test's own event loop."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtNetwork import QLocalSocket


def ask(qtbot: Any, name: str, line: bytes, timeout: int = 5000) -> dict[str, Any]:
    """Send one request line and return the first answer line (asynchronous: the server answers
    from this event loop)."""
    sock = QLocalSocket()
    data = bytearray()
    sock.connected.connect(lambda: sock.write(line))
    sock.readyRead.connect(lambda: data.extend(bytes(sock.readAll().data())))
    sock.connectToServer(name)
    qtbot.waitUntil(lambda: b"\n" in data, timeout=timeout)
    sock.abort()
    return json.loads(bytes(data).split(b"\n", 1)[0])
