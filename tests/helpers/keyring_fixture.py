"""A private D-Bus session with an unlocked gnome-keyring-daemon, so tests use the real Secret Service.

The bus has no service directories (nothing is auto-activated, no unlock prompt can open) and
DISPLAY/WAYLAND_DISPLAY are unset, so a keyring problem is an immediate error, never a hang.
In CI (``CI=true``) a missing daemon, tool or package is a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

BUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class KeyringSession:
    """The running bus + daemon: ``env`` for subprocesses (secret-tool, portico)."""

    def __init__(self, env: dict[str, str], home: pathlib.Path, daemon: subprocess.Popen[bytes]) -> None:
        self.env = env
        self.home = home
        self.daemon = daemon

    def lookup(self, provider_id: str, field: str) -> str | None:
        """What ``secret-tool`` (libsecret, not Python) finds for an entry."""
        out = subprocess.run(["secret-tool", "lookup", "service", "portico", "username", f"{provider_id}/{field}"],
                             capture_output=True, text=True, env=self.env, timeout=20)
        return out.stdout if out.returncode == 0 else None

    @staticmethod
    def settled(qtbot: Any) -> None:
        """Wait until every keyring call Portico queued so far has run: they all run in order on
        one thread, so a no-op queued now finishes after them."""
        from desktop import credentials
        done = credentials.submit(lambda: None)
        qtbot.waitUntil(done.done, timeout=20_000)


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing in CI: the keyring tests must run for real", pytrace=False)
    pytest.skip(f"{what} not installed (apt-get install gnome-keyring dbus libsecret-tools)")


def _wait_for_secrets(daemon: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """Wait until OUR daemon owns org.freedesktop.secrets and its default collection is unlocked,
    without activating anything (the private bus has no service directories)."""
    import secretstorage
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection
    deadline = time.monotonic() + timeout
    with open_dbus_connection(bus="SESSION") as conn:
        while not conn.send_and_get_reply(message_bus.NameHasOwner("org.freedesktop.secrets")).body[0]:
            if daemon.poll() is not None:
                raise RuntimeError(f"gnome-keyring-daemon exited with {daemon.returncode} before it came up")
            if time.monotonic() > deadline:
                raise RuntimeError("gnome-keyring-daemon did not come up")
            time.sleep(0.02)
    conn2 = secretstorage.dbus_init()
    try:
        while True:
            try:
                if not secretstorage.Collection(conn2).is_locked():
                    return
            except secretstorage.exceptions.ItemNotFoundException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gnome-keyring-daemon's collection did not unlock")
            time.sleep(0.02)
    finally:
        conn2.close()


@contextlib.contextmanager
def keyring_session(root: pathlib.Path) -> Iterator[KeyringSession]:
    """Start a private bus + unlocked daemon under ``root`` and point this process's keyring at it."""
    for exe in ("dbus-daemon", "gnome-keyring-daemon", "secret-tool"):
        if not shutil.which(exe):
            _missing(exe)
    for module in ("secretstorage", "jeepney"):
        try:
            __import__(module)
        except ImportError:
            _missing(f"the Python package {module}")
    home = root / "home"
    runtime = root / "runtime"
    home.mkdir(parents=True)
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, HOME=str(home), XDG_RUNTIME_DIR=str(runtime),
               XDG_DATA_HOME=str(home / ".local/share"), XDG_CONFIG_HOME=str(home / ".config"))
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL"):
        env.pop(var, None)  # no display: an unexpected unlock prompt fails fast instead of hanging
    conf = home / "session-bus.conf"
    conf.write_text(BUS_CONF)
    bus = subprocess.Popen(["dbus-daemon", f"--config-file={conf}", "--nofork", "--nopidfile", "--print-address=1"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    daemon = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                              env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert daemon.stdin is not None
    daemon.stdin.write(b"test-password")
    daemon.stdin.close()
    mp = pytest.MonkeyPatch()
    mp.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    mp.delenv("DISPLAY", raising=False)
    mp.delenv("WAYLAND_DISPLAY", raising=False)
    import keyring
    from keyring.backends import SecretService
    previous = keyring.get_keyring()
    try:
        _wait_for_secrets(daemon)
        keyring.set_keyring(SecretService.Keyring())
        yield KeyringSession(env, home, daemon)
    finally:
        keyring.set_keyring(previous)
        mp.undo()
        for proc in (daemon, bus):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def gnome_keyring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeyringSession]:
    with keyring_session(tmp_path_factory.mktemp("keyring")) as session:
        yield session
