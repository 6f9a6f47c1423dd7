"""Fixtures that run real Portico shells against real loopback servers."""

from __future__ import annotations

import json
import os
import pathlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWebEngineCore import QWebEngineFrame, QWebEngineScript

from desktop.app import Shell
from desktop.config import Config, parse_config
from desktop.demo.server import LoopbackServer
from desktop.shell.provider_view import ProviderView
from tests.helpers.sites import start_probe_server

MAIN_WORLD = QWebEngineScript.ScriptWorldId.MainWorld


@pytest.fixture(scope="session")
def probe_server() -> Iterator[LoopbackServer]:
    server = start_probe_server("127.0.0.1")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def other_server() -> Iterator[LoopbackServer]:
    """A second site (another origin: 127.0.0.2) for look-alike and nested-frame tests."""
    server = start_probe_server("127.0.0.2")
    yield server
    server.stop()


def write_config(tmp_path: pathlib.Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return parse_config(text, path)


def spatialchat_toml(url: str, pid: str = "room", user_name: str = "Ada", remember_session: bool = False) -> str:
    return f'''
[[provider]]
id = "{pid}"
kind = "spatialchat"
title = "Room {pid}"
url = "{url}"
remember_session = {str(remember_session).lower()}
space_id = "Sp4ce0000000000000001"
room_id = "R00m00000000000000001"
space_slug = "the-space"
[provider.user]
id = "u1"
name = "{user_name}"
about = "about me"
pronoun = "she/her"
avatar_url = "https://example.org/a.png"
'''


def renderer_pids(me: int | None = None) -> set[int]:
    """Chromium renderers of process ``me`` (this one by default). They are forked from a zygote without exec, so their
    command line says ``--type=zygote`` (measured), not ``--type=renderer``: a renderer is a
    QtWebEngineProcess whose parent is another QtWebEngineProcess (a zygote)."""
    me = os.getpid() if me is None else me
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    zygotes = {pid for pid, parent in parents.items() if parent == me and _is_webengine(pid)}
    return {pid for pid, parent in parents.items() if parent in zygotes}


def _is_webengine(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return b"QtWebEngineProcess" in fh.read().split(b"\0", 1)[0]
    except OSError:
        return False


class ShellRunner:
    """Builds real shells for a test and tears them down in Qt's order."""

    def __init__(self, qtbot: Any, tmp_path: pathlib.Path) -> None:
        self.qtbot = qtbot
        self.tmp_path = tmp_path
        self.shells: list[Shell] = []

    def __call__(self, config: Config, event_log: bool = True, start: bool = True) -> Shell:
        n = len(self.shells)
        shell = Shell(config, event_log=self.tmp_path / f"events{n}.jsonl" if event_log else None,
                      profile_root=self.tmp_path / f"profiles{n}", permissions_path=self.tmp_path / "permissions.json")
        shell.open_external = lambda url: True  # never launch a real browser from tests
        self.shells.append(shell)
        if start:
            shell.start(show=True)
        return shell

    def close(self) -> None:
        for shell in self.shells:
            shell.close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def run_shell(qtbot: Any, tmp_path: pathlib.Path) -> Iterator[ShellRunner]:
    runner = ShellRunner(qtbot, tmp_path)
    yield runner
    runner.close()


def provider_frame(view: ProviderView, nested: bool = False) -> QWebEngineFrame:
    frame = view._provider_frame()
    assert frame is not None, "the host page has no provider frame"
    if nested:
        children = frame.children()
        assert children, "the provider frame has no nested frame"
        frame = children[0]
    return frame


def frame_eval(qtbot: Any, view: ProviderView, js: str, nested: bool = False, timeout: int = 10_000) -> Any:
    """Run ``js`` in the provider frame's main world (as the provider's own page would) and
    return its JSON-decoded value (the script must produce a JSON string or a scalar)."""
    return run_in_frame(qtbot, provider_frame(view, nested), js, timeout)


def run_in_frame(qtbot: Any, frame: QWebEngineFrame, js: str, timeout: int = 10_000) -> Any:
    """Run ``js`` in ``frame``'s main world; its JSON-decoded value (see :func:`frame_eval`)."""
    box: list[Any] = []
    frame.runJavaScript(js, MAIN_WORLD, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    value = box[0]
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def frame_poll(qtbot: Any, view: ProviderView, js: str, expected: Any, nested: bool = False,
               timeout: int = 10_000) -> None:
    """Wait until ``js`` in the provider frame gives ``expected`` (tolerates a frame that is
    navigating, where a script's result is lost)."""
    def check() -> bool:
        try:
            return frame_eval(qtbot, view, js, nested, timeout=1000) == expected
        except qtbot.TimeoutError:  # a lost result while navigating; try again
            return False
    qtbot.waitUntil(check, timeout=timeout)


def received(qtbot: Any, view: ProviderView, nested: bool = False) -> list[dict[str, Any]]:
    return frame_eval(qtbot, view, "JSON.stringify(window.received || [])", nested)


def wait_ready(qtbot: Any, view: ProviderView, timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: view.bridge._frame_ready, timeout=timeout)


def read_event_log(path: pathlib.Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


Waiter = Callable[..., None]
