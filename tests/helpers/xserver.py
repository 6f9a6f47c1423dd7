"""A private X server (Xvfb) for tests that need a real display, and the environment of a child Portico on it."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest


def missing(what: str) -> None:
    """Skip (or, in CI, fail: the packages are in scripts/apt-packages.txt) for want of ``what``."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing in CI: the tests on a real display must run", pytrace=False)
    pytest.skip(f"{what} not installed (apt-get install xvfb xdotool)")


@pytest.fixture(scope="module")
def xvfb() -> Iterator[str]:
    if not shutil.which("Xvfb"):
        missing("Xvfb")
    n = next(n for n in range(91, 400) if not os.path.exists(f"/tmp/.X11-unix/X{n}")
             and not os.path.exists(f"/tmp/.X{n}-lock"))
    server = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while not os.path.exists(f"/tmp/.X11-unix/X{n}"):
        if server.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"Xvfb :{n} did not start", pytrace=False)
        time.sleep(0.05)
    yield f":{n}"
    server.terminate()
    server.wait(10)


def x_env(display: str, home: pathlib.Path) -> dict[str, str]:
    """The environment of a child process on ``display`` with its own HOME and XDG dirs."""
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(home), QTWEBENGINE_DISABLE_SANDBOX="1",
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"))
    return env
