"""The staged start-up: the shown provider's page first, then the rest of the window (Shell.complete)."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import textwrap

from tests.fixtures import spatialchat_toml, wait_ready, write_config
from tests.sites import probe_url

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_the_first_page_loads_before_the_qt_namespace(tmp_path: pathlib.Path) -> None:
    """PySide builds the ~90 enums of its ``Qt`` namespace in Python (~20 ms) the first time any
    module touches it. The shown provider's page loads, in a fresh process as `portico run`
    starts, without it; the completed window (sidebar, theme following the desktop) then has it.
    The check a regression would trip: anything on the first page's path that imports ``Qt``."""
    script = textwrap.dedent(f"""
        import json, sys
        from desktop import pyside
        pyside.skip_feature_scan()
        import PySide6.QtCore as QtCore
        from PySide6.QtCore import QEventLoop, QTimer
        from desktop.app import Shell, create_application
        from desktop.config import parse_config
        from tests.fixtures import spatialchat_toml
        from tests.sites import probe_url, start_probe_server

        server = start_probe_server()
        app = create_application(headless=True)
        shell = Shell(parse_config(spatialchat_toml(probe_url(server))), complete=False,
                      profile_root=__import__("pathlib").Path({str(tmp_path)!r}))
        seen = {{"before_start": "Qt" in vars(QtCore)}}
        loop = QEventLoop()
        shell.views["room"].frame_ready.connect(lambda: seen.setdefault("at_frame_ready", "Qt" in vars(QtCore)))
        shell.completed.connect(lambda: (seen.setdefault("completed", "Qt" in vars(QtCore)), loop.quit()))
        QTimer.singleShot(30_000, loop.quit)
        shell.start()
        loop.exec()
        seen["sidebar"] = shell.window.sidebar.ids()
        print(json.dumps(seen))
        shell.close()
        server.stop()
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=90,
                          check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    assert lines, done.stderr[-3000:]
    assert json.loads(lines[-1]) == {"before_start": False, "at_frame_ready": False, "completed": True,
                                     "sidebar": ["room"]}
