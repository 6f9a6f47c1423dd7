"""Take a screenshot of `portico demo` in a real window (run under Xvfb): `python scripts/screenshot.py OUT.png`."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer

from desktop import app as portico_app
from desktop.demo.run import demo_config
from desktop.qtargs import create_application


def main() -> int:
    out = sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot-demo.png"
    select = sys.argv[2] if len(sys.argv) > 2 else None
    qapp = create_application(headless=False)
    with demo_config() as demo:
        shell = portico_app.Shell(demo.config, get_secret=demo.get_secret)
        shell.start(show=True)
        shell.window.resize(1280, 800)
        if select:
            shell.window.select(select)

        def grab() -> None:
            # Right at loadFinished a grab is black; the frames have painted well after 2.5 s.
            shell.window.grab().save(out)
            qapp.quit()

        QTimer.singleShot(3500, grab)
        qapp.exec()
        shell.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
