"""A Portico window on a real X server for the trusted-click tests: ``python -m tests.helpers.click_harness URL``.

It shows one SpatialChat provider for ``URL`` and, once the frame is ready and painted, prints
``TARGET <x> <y>`` per line for each ``[data-click]`` element of the page, in screen coordinates;
the test clicks there with xdotool (real X11 input, so Chromium sees a trusted user gesture).
It ends after ``--seconds`` and prints ``RESULT <json>``: the URLs sent to the system browser, the
host page's URL, whether the view showed an error, and the provider frame's location.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWebEngineCore import QWebEngineScript

from desktop import app as portico_app
from desktop.bridge.scripts import FRAME_ID
from desktop.config import parse_config
from desktop.qtargs import create_application

APP_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
RECTS = ("JSON.stringify(Array.from(document.querySelectorAll('[data-click]'), e => {"
         " const r = e.getBoundingClientRect(); return [e.dataset.click, r.x + r.width / 2, r.y + r.height / 2]; }))")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    qapp = create_application(headless=False)
    config = parse_config(f'[[provider]]\nid = "room"\nkind = "spatialchat"\nurl = "{args.url}"\n',
                          os.path.join(os.environ["HOME"], "config.toml"))
    shell = portico_app.Shell(config)
    opened: list[str] = []
    shell.open_external = lambda url: bool(opened.append(url.toString())) or True
    shell.start(show=True)
    shell.window.resize(900, 600)
    shell.window.move(0, 0)
    view = shell.views["room"]
    out: dict[str, Any] = {}

    def targets() -> None:
        frame = view.provider_frame()
        if not view.bridge._frame_ready or frame is None:
            QTimer.singleShot(200, targets)
            return
        view.page.runJavaScript(f"JSON.stringify(document.getElementById({json.dumps(FRAME_ID)})"
                                ".getBoundingClientRect())", APP_WORLD, lambda r: got_frame(json.loads(r)))

    def got_frame(rect: dict[str, float]) -> None:
        frame = view.provider_frame()
        assert frame is not None
        frame.runJavaScript(RECTS, QWebEngineScript.ScriptWorldId.MainWorld,
                            lambda r: print_targets(rect, json.loads(r)))

    def print_targets(rect: dict[str, float], items: list[Any]) -> None:
        zoom = view.page.zoomFactor()
        for name, x, y in items:
            point = view.web_view.mapToGlobal(QPoint(int((rect["x"] + x) * zoom), int((rect["y"] + y) * zoom)))
            print(f"TARGET {name} {point.x()} {point.y()}", flush=True)

    def finish() -> None:
        frame = view.provider_frame()
        out.update(opened=opened, host=view.page.url().toString(), error=view.showing_error(),
                   frame=frame.url().toString() if frame is not None else "")
        print("RESULT " + json.dumps(out), flush=True)
        qapp.quit()

    QTimer.singleShot(1500, targets)  # painted: a click right at load can land on nothing
    QTimer.singleShot(int(args.seconds * 1000), finish)
    qapp.exec()
    shell.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
