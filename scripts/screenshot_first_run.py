"""Screenshots of the first run's welcome page and of Settings > Providers over the demo (run under Xvfb).

`python scripts/screenshot_first_run.py [DIR]` writes DIR/screenshot-welcome.png and
DIR/screenshot-settings.png (DIR defaults to ``docs``).
"""

from __future__ import annotations

import pathlib
import sys
import tempfile
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QPainter, QPixmap

from desktop import app as portico_app
from desktop.config import Config
from desktop.demo.run import demo_config
from desktop.qtargs import create_application


def shoot(qapp: Any, shell: Any, after_ms: int, take: Callable[[], None]) -> None:
    """Show ``shell``'s window, run ``take`` after ``after_ms``, then close it."""
    shell.start(show=True)
    shell.window.resize(1100, 680)
    QTimer.singleShot(after_ms, take)
    QTimer.singleShot(30_000, qapp.quit)
    qapp.exec()
    shell.close()


def main() -> int:
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    qapp = create_application(headless=False)
    with tempfile.TemporaryDirectory() as tmp:
        welcome = portico_app.Shell(Config(path=pathlib.Path(tmp) / "config.toml", providers=()))
        shoot(qapp, welcome, 1500, lambda: (welcome.window.grab().save(str(out / "screenshot-welcome.png")),
                                            qapp.quit()))
    with tempfile.TemporaryDirectory() as tmp, demo_config(pathlib.Path(tmp)) as demo:
        shell = portico_app.Shell(demo.config, get_secret=demo.get_secret)

        def open_settings() -> None:
            dialog = shell.desktop.show_settings()
            dialog.move(shell.window.x() + 300, shell.window.y() + 60)
            QTimer.singleShot(1200, lambda: compose(dialog))

        def compose(dialog: Any) -> None:
            canvas = QPixmap(shell.window.size())
            painter = QPainter(canvas)
            painter.drawPixmap(0, 0, shell.window.grab())
            painter.drawPixmap(shell.window.mapFromGlobal(dialog.mapToGlobal(QPoint(0, 0))), dialog.grab())
            painter.end()
            canvas.save(str(out / "screenshot-settings.png"))
            qapp.quit()

        shoot(qapp, shell, 6000, open_settings)  # the providers have started: their states on the cards
    print(out / "screenshot-welcome.png", out / "screenshot-settings.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
