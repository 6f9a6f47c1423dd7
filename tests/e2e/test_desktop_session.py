"""Sessions and window state survive a restart: a provider stays signed in; order, selection and geometry come back."""

from __future__ import annotations

import json
import pathlib
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from desktop.app import Shell
from desktop.demo.server import LoopbackServer, Request, Response
from desktop.instance.state import WindowState, load_state, restored_order, save_state
from tests.helpers.fixtures import frame_eval, frame_poll, spatialchat_toml, wait_ready, write_config

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

#: A site that signs in like a chat app does: a persistent cookie from the server, a token in localStorage.
SESSION_PAGE = """<!doctype html><html><body><p id="status">?</p><script>
async function refresh() {
  const who = await (await fetch("/whoami", {credentials: "include"})).text();
  document.getElementById("status").textContent =
    "cookie:" + who + " storage:" + (localStorage.getItem("token") || "none");
}
window.signIn = async function () {
  await fetch("/login", {method: "POST", credentials: "include"});
  localStorage.setItem("token", "t-42");
  await refresh();
};
refresh();
</script></body></html>"""


def session_route(request: Request) -> Response:
    if request.path == "/app":
        return Response.html(SESSION_PAGE)
    if request.path == "/login":
        # SameSite=None: the provider is a frame inside portico://app, a cross-site context.
        cookie = "session=ada; Path=/; Max-Age=86400; SameSite=None; Secure; HttpOnly"
        return Response(200, b"ok", "text/plain", {"Set-Cookie": cookie})
    if request.path == "/whoami":
        cookies = request.headers.get("cookie", "")
        return Response(200, b"ada" if "session=ada" in cookies else b"nobody", "text/plain")
    return Response(404, b"", "text/plain")


@pytest.fixture(scope="module")
def session_site() -> Iterator[LoopbackServer]:
    with LoopbackServer(session_route) as server:
        yield server


class Restarts:
    """Shells that share one profile root and one state file, as runs of the app do."""

    def __init__(self, tmp_path: pathlib.Path) -> None:
        self.tmp_path = tmp_path
        self.shells: list[Shell] = []

    def start(self, config: Any) -> Shell:
        shell = Shell(config, profile_root=self.tmp_path / "profiles")
        shell.open_external = lambda url: True
        shell.desktop.use_state_file(self.tmp_path / "state.json")
        shell.start(show=True)
        self.shells.append(shell)
        return shell

    def stop(self, shell: Shell) -> None:
        shell.close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.shells.remove(shell)


@pytest.fixture
def restarts(tmp_path: pathlib.Path) -> Iterator[Restarts]:
    runner = Restarts(tmp_path)
    yield runner
    for shell in list(runner.shells):
        runner.stop(shell)


def two_providers(tmp_path: pathlib.Path, url: str, other: str, remember: bool = True) -> Any:
    return write_config(tmp_path, spatialchat_toml(url, "chat", remember_session=remember)
                        + spatialchat_toml(other, "board"))


def test_restart_keeps_the_provider_signed_in_and_restores_the_window(
        restarts, session_site, probe_server, tmp_path, qtbot):
    config = two_providers(tmp_path, f"{session_site.origin}/app", f"{probe_server.origin}/probe")
    first = restarts.start(config)
    view = first.views["chat"]
    wait_ready(qtbot, view)
    frame_poll(qtbot, view, "document.getElementById('status').textContent", "cookie:nobody storage:none")
    frame_eval(qtbot, view, "signIn(); 1")  # async; its effect is polled below
    frame_poll(qtbot, view, "document.getElementById('status').textContent", "cookie:ada storage:t-42")
    # The user drags "board" to the top, selects it and resizes the window.
    model = first.window.sidebar.model()
    assert model.moveRow(model.index(0, 0).parent(), 1, model.index(0, 0).parent(), 0)
    first.window.select("board")
    first.window.resize(700, 500)
    qtbot.waitUntil(lambda: first.window.sidebar.ids() == ["board", "chat"])
    restarts.stop(first)

    saved = json.loads((tmp_path / "state.json").read_text())
    assert saved["selected"] == "board" and saved["order"] == ["board", "chat"]

    second = restarts.start(config)
    assert second.window.sidebar.ids() == ["board", "chat"]
    assert second.window.current_id() == "board"
    assert (second.window.width(), second.window.height()) == (700, 500)
    view = second.views["chat"]
    wait_ready(qtbot, view)
    # Signed in without doing anything: the cookie went with the request, the token was in storage.
    frame_poll(qtbot, view, "document.getElementById('status').textContent", "cookie:ada storage:t-42")


def test_without_remember_session_a_restart_signs_the_site_out(restarts, session_site, probe_server, tmp_path,
                                                               qtbot):
    config = two_providers(tmp_path, f"{session_site.origin}/app", f"{probe_server.origin}/probe", remember=False)
    first = restarts.start(config)
    view = first.views["chat"]
    wait_ready(qtbot, view)
    frame_eval(qtbot, view, "signIn(); 1")
    frame_poll(qtbot, view, "document.getElementById('status').textContent", "cookie:ada storage:t-42")
    restarts.stop(first)
    assert not (tmp_path / "profiles" / "chat").exists()
    second = restarts.start(config)
    view = second.views["chat"]
    wait_ready(qtbot, view)
    frame_poll(qtbot, view, "document.getElementById('status').textContent", "cookie:nobody storage:none")


def test_sidebar_order_changes_are_announced_and_saved(run_shell, probe_server, tmp_path, qtbot):
    shell = run_shell(two_providers(tmp_path, f"{probe_server.origin}/probe", f"{probe_server.origin}/probe?b=1"))
    shell.desktop.use_state_file(tmp_path / "state.json")
    with qtbot.waitSignal(shell.window.sidebar.order_changed) as blocker:
        shell.window.sidebar.set_order(["board", "chat"])
    assert blocker.args == [["board", "chat"]]
    assert shell.window.current_id() == "chat"  # reordering does not change the selection
    shell.desktop.save_state()
    assert load_state(tmp_path / "state.json").order == ("board", "chat")


def test_state_file_is_validated_field_by_field(tmp_path):
    path = tmp_path / "state.json"
    assert load_state(path) == WindowState()  # missing
    path.write_text('{"version": 1, "geometry": "not base64!", "selected": "../x", "order": ["ok", 3, "ok", "B", "ok\\n"]}')
    assert load_state(path) == WindowState(geometry=b"", selected="", order=("ok",))
    path.write_text('{"version": 1, "selected": "ok\\n"}')  # a whole id, not one before a newline
    assert load_state(path) == WindowState()
    path.write_text('{"version": 99, "selected": "a"}')
    assert load_state(path) == WindowState()
    path.write_text("[1, 2")
    assert load_state(path) == WindowState()
    path.write_text(" " * 70_000)
    assert load_state(path) == WindowState()
    path.unlink()
    state = WindowState(geometry=b"\x01\x02", selected="a", order=("b", "a"))
    assert save_state(path, state) and load_state(path) == state
    assert path.stat().st_mode & 0o777 == 0o600  # a new file is private to the user
    assert restored_order(("gone", "b", "a"), ["a", "b", "c"]) == ["b", "a", "c"]
