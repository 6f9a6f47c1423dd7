"""Screenshot of the SSO sign-in pop-up over Portico's window (run under Xvfb): `python scripts/screenshot_sso.py OUT.png`.

A simulated Rocket.Chat with a custom OAuth service ``corp`` and an identity provider on a second
loopback origin; Portico signs in with ``sign_in = "oauth:corp"`` and the shot is taken once the
identity provider's form is in the pop-up.
"""

from __future__ import annotations

import pathlib
import sys
import tempfile

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPainter, QPixmap

from desktop import app as portico_app
from desktop.config import load_config
from desktop.demo.idp import IdentityProvider
from desktop.demo.rocketchat import INTEGRATION_SETTINGS, start_server
from desktop.qtargs import create_application


def main() -> int:
    out = sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot-sso.png"
    qapp = create_application(headless=False)
    server, sim = start_server(settings=INTEGRATION_SETTINGS)
    idp = IdentityProvider()
    idp.start()
    idp.users["ada"] = "not-a-real-password"
    sim.add_oauth_service("corp", idp, server.origin)
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "config.toml"
        path.write_text(f'[[provider]]\nid = "team"\nkind = "rocketchat"\ntitle = "Rocket.Chat (team)"\n'
                        f'server = "{server.origin}"\nchannel = "general"\nsign_in = "oauth:corp"\n')
        shell = portico_app.Shell(load_config(path))
        shell.start(show=True)
        shell.window.resize(1100, 720)
        view = shell.views["team"]

        def grab() -> None:
            if not view.popups or not view.popups[0].page.url().toString().startswith(idp.origin):
                QTimer.singleShot(300, grab)
                return
            popup = view.popups[0]
            popup.move(shell.window.x() + 560, shell.window.y() + 40)
            QTimer.singleShot(1500, lambda: compose(popup))

        def compose(popup) -> None:
            # One picture: the window, and the pop-up where it sits over it.
            canvas = QPixmap(shell.window.size())
            painter = QPainter(canvas)
            painter.drawPixmap(0, 0, shell.window.grab())
            painter.drawPixmap(popup.x() - shell.window.x(), popup.y() - shell.window.y(), popup.grab())
            painter.end()
            canvas.save(out)
            qapp.quit()

        QTimer.singleShot(1000, grab)
        QTimer.singleShot(30_000, qapp.quit)
        qapp.exec()
        shell.close()
    server.stop()
    idp.server.stop()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
