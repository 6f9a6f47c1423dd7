"""Screenshot of the first run's welcome page (run under Xvfb): `python scripts/screenshot_welcome.py [OUT.png]`."""

from __future__ import annotations

import pathlib
import sys
import tempfile

from PySide6.QtCore import QTimer

from desktop import app as portico_app
from desktop.config import Config
from desktop.qtargs import create_application


def main() -> int:
    out = sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot-welcome.png"
    qapp = create_application(headless=False)
    with tempfile.TemporaryDirectory() as tmp:
        shell = portico_app.Shell(Config(path=pathlib.Path(tmp) / "config.toml", providers=()))
        shell.start(show=True)
        shell.window.resize(1100, 680)
        QTimer.singleShot(1500, lambda: (shell.window.grab().save(out), qapp.quit()))
        QTimer.singleShot(20_000, qapp.quit)
        qapp.exec()
        shell.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
