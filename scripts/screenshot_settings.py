"""Screenshot of Settings > Providers over the demo (run under Xvfb): `python scripts/screenshot_settings.py [OUT.png]`."""

from __future__ import annotations

import pathlib
import sys
import tempfile

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QPainter, QPixmap

from desktop import app as portico_app
from desktop.demo.run import demo_config
from desktop.qtargs import create_application


def main() -> int:
    out = sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot-settings.png"
    qapp = create_application(headless=False)
    with tempfile.TemporaryDirectory() as tmp, demo_config(pathlib.Path(tmp)) as demo:
        shell = portico_app.Shell(demo.config, get_secret=demo.get_secret)
        shell.start(show=True)
        shell.window.resize(1100, 680)

        def open_settings() -> None:
            dialog = shell.desktop.show_settings()
            dialog.move(shell.window.x() + 300, shell.window.y() + 60)
            QTimer.singleShot(1200, lambda: compose(dialog))

        def compose(dialog) -> None:
            canvas = QPixmap(shell.window.size())
            painter = QPainter(canvas)
            painter.drawPixmap(0, 0, shell.window.grab())
            painter.drawPixmap(shell.window.mapFromGlobal(dialog.mapToGlobal(QPoint(0, 0))), dialog.grab())
            painter.end()
            canvas.save(out)
            qapp.quit()

        QTimer.singleShot(6000, open_settings)  # the providers have started (their states on the cards)
        QTimer.singleShot(30_000, qapp.quit)
        qapp.exec()
        shell.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
