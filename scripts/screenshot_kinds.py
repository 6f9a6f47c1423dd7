"""Screenshot the example jitsi kind (its simulator, a locked room) beside a postmessage provider (under Xvfb): `python scripts/screenshot_kinds.py OUT.png`."""

from __future__ import annotations

import pathlib
import sys
import tempfile

from PySide6.QtCore import QTimer

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples" / "portico-jitsi"))
from portico_jitsi import KIND, simulator  # noqa: E402 - the example, as if installed

from desktop import app as portico_app  # noqa: E402
from desktop import kinds  # noqa: E402
from desktop.config import load_config  # noqa: E402
from desktop.demo.server import LoopbackServer, Response  # noqa: E402
from desktop.qtargs import create_application  # noqa: E402
from desktop.secret import Secret  # noqa: E402

qapp = create_application(headless=False)
kinds.load_installed()
kinds.KINDS.setdefault("jitsi", KIND)
meet = LoopbackServer(lambda request: Response.html(simulator.page("demo-room-pw"))).start()
d = pathlib.Path(tempfile.mkdtemp())
cfg = d / "config.toml"
cfg.write_text(f'''[[provider]]
id = "meet"
kind = "jitsi"
title = "Standup (Jitsi)"
server = "{meet.origin}"
room = "PorticoStandup"
display_name = "Ada"
''')
shell = portico_app.Shell(load_config(cfg), get_secret=lambda pid, f: Secret("demo-room-pw"))
shell.start(show=True)
shell.window.resize(1280, 800)
view = shell.views["meet"]


def people() -> None:
    frame = view.provider_frame()
    if frame is not None:
        from PySide6.QtWebEngineCore import QWebEngineScript
        world = QWebEngineScript.ScriptWorldId.MainWorld
        frame.runJavaScript("simulate.participantJoins('Grace'); simulate.participantJoins('Linus');"
                            "simulate.message('Grace', 'Morning! Ready when you are.')", world)
    shell.providers["meet"].run_command("toggle_audio", ())


QTimer.singleShot(2500, people)
QTimer.singleShot(4500, lambda: (shell.window.grab().save(sys.argv[1]), qapp.quit()))
qapp.exec()
meet.stop()
