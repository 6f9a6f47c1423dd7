"""Runs Portico: one window per user and config, opened where it was, on the provider it showed."""

from __future__ import annotations

import pathlib
import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop import i18n, paths
from desktop.app import Shell
from desktop.config import Config, ConfigError
from desktop.instance.single_instance import Request, send_request, server_name
from desktop.instance.state import default_state_path, load_state
from desktop.qtargs import create_application, quit_on_signals
from desktop.secret import Secret
from desktop.shell.preferences import Preferences


def run(config: Config, headless: bool = False, quit_after: float | None = None,
        event_log: pathlib.Path | None = None,
        get_secret: Callable[[str, str], Secret | None] | None = None, select: str | None = None,
        minimized: bool = False) -> int:
    """Run Portico until the window closes (or ``quit_after`` seconds pass), showing provider
    ``select`` first (else the one shown last time); ``minimized``: in the tray, or minimized
    where there is no tray (the login autostart).

    If a Portico already runs for this user and config, its window comes forward instead (showing
    ``select``).
    """
    instance = server_name(config.path)
    reply = send_request(instance, Request("open", select) if select else Request("activate"), timeout_ms=2000)
    if reply is not None:
        if not reply.get("ok", False):
            print(f"portico: the running Portico says: {reply.get('error', 'no reason given')}", file=sys.stderr)
            return 1
        print("portico: already running; brought its window forward", file=sys.stderr)
        return 0
    # The window opens where it was, on the provider it showed (or ``select``), which is the
    # one built first; the other providers and the sidebar's saved order follow with the chrome.
    state_path = default_state_path()
    state = load_state(state_path)
    ids = [pc.id for pc in config.providers]
    if select is not None and select not in ids:
        print(f"portico: no provider {select!r} in {config.path or 'the config'}; showing the last one",
              file=sys.stderr)
    first = select if select in ids else state.selected
    app = QApplication.instance() or create_application(headless)
    i18n.install(i18n.language_for(Preferences.or_defaults(config).language))  # before any widget
    try:
        shell = Shell(config, event_log=event_log, get_secret=get_secret, plugin_folder=paths.plugins_dir(),
                      complete=False, first=first)
    except ConfigError as exc:
        print(f"portico: config error: {exc}", file=sys.stderr)
        return 2
    shell.window.restore(state)  # the geometry; the provider shown is ``first``, built alone

    shell.listen(instance)
    shell.completed.connect(lambda: shell.desktop.use_state_file(state_path, state))
    shell.window.closing.connect(app.quit)
    quit_on_signals(app)
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    if minimized:
        from PySide6.QtWidgets import QSystemTrayIcon  # noqa: PLC0415 - only for a start in the tray
        in_tray = QSystemTrayIcon.isSystemTrayAvailable()
        shell.start(show=False)
        if not in_tray:
            shell.window.showMinimized()  # no tray to come back from: the task bar keeps it
        print(f"portico: started {'in the tray' if in_tray else 'minimized'}", file=sys.stderr)
    else:
        shell.start(show=True)
    code = app.exec()
    shell.close()
    return code
