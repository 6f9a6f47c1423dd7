"""A Portico window on a real X server whose page asks to share the screen: ``python -m tests.helpers.screen_harness URL``.

It shows one SpatialChat provider for ``URL`` (a page that calls getDisplayMedia when it loads),
waits for Portico's screen picker, prints ``PICKER <json list of its sources>``, then presses
Share (``--answer share``) or Cancel (``--answer cancel``) as a user would, and finally prints
``RESULT <json>``: the page's outcome (``window.shared``) and what the picker reported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWebEngineCore import QWebEngineScript

from desktop import app as portico_app
from desktop.config import parse_config
from desktop.qtargs import create_application


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--answer", choices=("share", "cancel"), default="share")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    qapp = create_application(headless=False)
    config = parse_config(f'[[provider]]\nid = "room"\nkind = "spatialchat"\nurl = "{args.url}"\n',
                          os.path.join(os.environ["HOME"], "config.toml"))
    shell = portico_app.Shell(config)
    shell.start(show=True)
    view = shell.views["room"]
    out: dict[str, Any] = {"chosen": []}

    def picker() -> None:
        dialog = view.screen_picker
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(100, picker)
            return
        print("PICKER " + json.dumps(dialog.names()), flush=True)
        dialog.chosen.connect(out["chosen"].append)
        button = dialog.share_button if args.answer == "share" else \
            dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
        QTimer.singleShot(300, button.click)
        QTimer.singleShot(500, outcome)

    def outcome() -> None:
        frame = view.provider_frame()
        if frame is None:
            QTimer.singleShot(200, outcome)
            return
        frame.runJavaScript("JSON.stringify(window.shared || null)", QWebEngineScript.ScriptWorldId.MainWorld,
                            got)

    def got(text: Any) -> None:
        shared = json.loads(text) if isinstance(text, str) and text else None
        if shared is None:
            QTimer.singleShot(200, outcome)
            return
        out["shared"] = shared
        finish()

    def finish() -> None:
        print("RESULT " + json.dumps(out), flush=True)
        qapp.quit()

    QTimer.singleShot(200, picker)
    QTimer.singleShot(int(args.seconds * 1000), finish)
    qapp.exec()
    shell.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
