"""Screenshot Rocket.Chat's desktop mode against the default-settings simulator (under Xvfb): `python scripts/screenshot_desktop_mode.py OUT.png`."""

from __future__ import annotations

import pathlib
import sys
import tempfile

from PySide6.QtCore import QTimer

from desktop import app as portico_app
from desktop.config import load_config
from desktop.demo.rocketchat import DEMO_PASSWORD, start_server
from desktop.qtargs import create_application
from desktop.secret import Secret

qapp = create_application(headless=False)
server, sim = start_server(poll_ms=500)
d = pathlib.Path(tempfile.mkdtemp())
cfg = d / "config.toml"
cfg.write_text(f'[[provider]]\nid = "rc"\nkind = "rocketchat"\ntitle = "Chat (default server)"\nserver = "{server.origin}"\nchannel = "general"\nusername = "ada"\n')
shell = portico_app.Shell(load_config(cfg), get_secret=lambda pid, f: Secret(DEMO_PASSWORD))
shell.start(show=True); shell.window.resize(1280, 800)
QTimer.singleShot(6000, lambda: (shell.window.grab().save(sys.argv[1]), print(shell.providers["rc"].about), qapp.quit()))
qapp.exec(); server.stop()
