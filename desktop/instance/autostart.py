"""Starting Portico when the user logs in: an XDG autostart entry (``~/.config/autostart/``), written or removed."""

from __future__ import annotations

import logging
import os
import pathlib
import shlex
import shutil
import sys
from typing import Final

from desktop.config import atomic_write

log = logging.getLogger("portico.autostart")

#: The entry's file name: the installed application's id, so that a desktop shows the same icon
#: and a user (or the package's own entry) cannot end up with two.
ENTRY_NAME: Final = "io.github.portico.Portico.desktop"


def autostart_dir() -> pathlib.Path:
    """``$XDG_CONFIG_HOME/autostart`` (``~/.config/autostart`` by default), as the XDG Autostart spec says."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(pathlib.Path.home() / ".config")
    return pathlib.Path(base) / "autostart"


def entry_path() -> pathlib.Path:
    return autostart_dir() / ENTRY_NAME


def launcher() -> list[str]:
    """How this Portico is started again: the installed ``portico`` command, the frozen bundle's
    executable, or this interpreter with ``-m desktop`` (a checkout's virtualenv)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    found = shutil.which("portico")
    if found and pathlib.Path(found).resolve().parent == pathlib.Path(sys.executable).resolve().parent:
        return [found]
    return [sys.executable, "-m", "desktop"]


def _exec_line(argv: list[str]) -> str:
    # The Desktop Entry spec's quoting: reserved characters need double quotes, and inside them
    # '"', '`', '$' and '\\' are escaped with a backslash.
    def quote(arg: str) -> str:
        if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
            return arg
        return '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return " ".join(quote(a).replace("%", "%%") for a in argv)


def entry_text(argv: list[str]) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Name=Portico",
        "Comment=Your team's web apps in one window (started at login, in the tray)",
        f"Exec={_exec_line(argv)}",
        "Icon=io.github.portico.Portico",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        "",
    ])


def is_enabled() -> bool:
    return entry_path().is_file()


def enable(config: pathlib.Path | None = None) -> pathlib.Path:
    """Write the entry: Portico starts at login, in the tray (``--minimized``), with ``config``
    when it is not the default one. Raises OSError when it cannot be written."""
    argv = [*launcher(), "run", "--minimized"]
    if config is not None:
        argv += ["--config", str(config)]
    path = entry_path()
    atomic_write(path, entry_text(argv))
    log.info("autostart: wrote %s (%s)", path, shlex.join(argv))
    return path


def disable() -> bool:
    """Remove the entry (True if there was one). Raises OSError when it cannot be removed."""
    try:
        entry_path().unlink()
    except FileNotFoundError:
        return False
    log.info("autostart: removed %s", entry_path())
    return True
