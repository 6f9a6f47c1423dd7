"""The staged start-up: the shown provider's page first, then the rest of the window (Shell.complete)."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from tests.helpers.fixtures import spatialchat_toml, wait_ready, write_config
from tests.helpers.paths import ROOT
from tests.helpers.sites import probe_url


def _in_fresh_process(script: str, **env: str) -> dict[str, Any]:
    """Run ``script`` in a new interpreter (start-up is per process); the JSON line it printed last."""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=90,
                          check=False, env=dict(os.environ, **env))
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    assert lines, done.stderr[-3000:]
    return json.loads(lines[-1])


def test_the_first_page_loads_before_the_qt_namespace(tmp_path: pathlib.Path) -> None:
    """PySide builds the enums of its ``Qt`` namespace in Python (docs/startup.md) the first time any
    module touches it. The shown provider's page loads, in a fresh process as `portico run`
    starts, without it; the completed window (sidebar, theme following the desktop) then has it.
    The check a regression would trip: anything on the first page's path that imports ``Qt``."""
    script = textwrap.dedent(f"""
        import json, sys
        from desktop import pyside
        pyside.skip_feature_scan()
        import PySide6.QtCore as QtCore
        from PySide6.QtCore import QEventLoop, QTimer
        from desktop.app import Shell
        from desktop.qtargs import create_application
        from desktop.config import parse_config
        from tests.helpers.fixtures import spatialchat_toml
        from tests.helpers.sites import probe_url, start_probe_server

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
    assert _in_fresh_process(script) == {"before_start": False, "at_frame_ready": False, "completed": True,
                                     "sidebar": ["room"]}


@pytest.mark.skipif(not pathlib.Path("/proc").is_dir(), reason="finds renderers through /proc")
@pytest.mark.parametrize("user_flags", ["--disable-background-timer-throttling", ""])
def test_site_isolation_survives_the_users_own_chromium_flags(tmp_path: pathlib.Path, user_flags: str) -> None:
    """Qt WebEngine ignores ``--webEngineArgs`` once QTWEBENGINE_CHROMIUM_FLAGS is set (even to
    ""), so without Portico adding its flags there, the provider frame ran in the host page's
    renderer, beside the bridge: one renderer instead of three (measured)."""
    script = textwrap.dedent(f"""
        import json, os, pathlib
        from PySide6.QtCore import QEventLoop, QTimer
        from desktop.app import Shell
        from desktop.qtargs import create_application
        from desktop.config import parse_config
        from tests.helpers.fixtures import renderer_pids, spatialchat_toml
        from tests.helpers.sites import probe_url, start_probe_server

        server = start_probe_server()
        app = create_application(headless=True)
        shell = Shell(parse_config(spatialchat_toml(probe_url(server))), profile_root=pathlib.Path({str(tmp_path)!r}))
        loop = QEventLoop()
        shell.views["room"].frame_ready.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        shell.start()
        loop.exec()
        host = shell.views["room"].page.renderProcessPid()
        print(json.dumps({{"ready": shell.views["room"].bridge._frame_ready, "host_renderer": host in renderer_pids(),
                          "renderers": len(renderer_pids()), "flags": os.environ["QTWEBENGINE_CHROMIUM_FLAGS"]}}))
        shell.close()
        server.stop()
    """)
    seen = _in_fresh_process(script, QTWEBENGINE_CHROMIUM_FLAGS=user_flags)
    assert seen["ready"] and seen["host_renderer"]
    # With site isolation: the host page's, the provider frame's and Chromium's spare renderer
    # (3, measured); without it the frame shares the host page's and there is 1.
    assert seen["renderers"] >= 2, seen
    assert seen["flags"].split() == [*user_flags.split(), "--site-per-process", "--disable-gpu"]


def test_portico_adds_its_chromium_flags_to_the_users_and_keeps_theirs():
    from desktop.qtargs import merged_chromium_flags
    flags = ["--site-per-process", "--disable-gpu"]
    assert merged_chromium_flags("", flags[:1]) == "--site-per-process"
    assert merged_chromium_flags('  --user-agent="a  b" --no-sandbox', flags) == \
        '--user-agent="a  b" --no-sandbox --site-per-process --disable-gpu'
    assert merged_chromium_flags("--disable-gpu --site-per-process", flags) == "--disable-gpu --site-per-process"


@pytest.mark.parametrize("user_flags", [None, "", "--no-sandbox"])
def test_chromium_flags_reach_chromium_whether_or_not_the_variable_is_set(monkeypatch, user_flags):
    # create_application and the test suite's own QApplication (conftest.qapp_args) both go
    # through pass_chromium_flags, so a developer's QTWEBENGINE_CHROMIUM_FLAGS cannot turn off
    # site isolation (or the fake capture devices) in the tests either.
    from desktop.qtargs import CHROMIUM_FLAGS_ENV, pass_chromium_flags
    if user_flags is None:
        monkeypatch.delenv(CHROMIUM_FLAGS_ENV, raising=False)
    else:
        monkeypatch.setenv(CHROMIUM_FLAGS_ENV, user_flags)
    argv = pass_chromium_flags(["--site-per-process", "--use-fake-device-for-media-stream"], argv0="x")
    if user_flags is None:
        assert argv == ["x", "--webEngineArgs", "--site-per-process", "--use-fake-device-for-media-stream"]
        assert CHROMIUM_FLAGS_ENV not in os.environ
    else:
        assert argv == ["x"]  # Qt would ignore them there, with a warning
        assert os.environ[CHROMIUM_FLAGS_ENV].split() == [
            *user_flags.split(), "--site-per-process", "--use-fake-device-for-media-stream"]


def test_the_hub_holds_its_signals_and_releases_them_in_order(qtbot):
    from desktop.contract import Notification
    from desktop.hub import ProviderHub
    hub = ProviderHub()
    got: list[tuple[str, str]] = []

    def receive(pid: str, note: Notification) -> None:
        got.append((pid, note.title))
        if note.title == "first":
            hub.notify("b", Notification("caused by the first", ""))  # queued behind what was held

    hub.notification_requested.connect(receive)
    hub.hold()
    assert hub.holding
    hub.notify("a", Notification("first", ""))
    hub.notify("a", Notification("second", ""))
    assert got == []
    hub.release()
    assert got == [("a", "first"), ("a", "second"), ("b", "caused by the first")]
    assert not hub.holding
    hub.notify("c", Notification("now", ""))
    assert got[-1] == ("c", "now")


def _staged_shell(probe_server, tmp_path: pathlib.Path, first: str | None = None, **params: str):
    from desktop.app import Shell
    text = (spatialchat_toml(probe_url(probe_server, **params))
            + spatialchat_toml(probe_url(probe_server), pid="other"))
    shell = Shell(write_config(tmp_path, text), event_log=tmp_path / "events.jsonl",
                  profile_root=tmp_path / "profiles", complete=False, first=first)
    shell.open_external = lambda url: True
    return shell


def _close(shell) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent
    shell.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_staged_shell_loads_the_shown_provider_first_and_loses_nothing(probe_server, tmp_path, qtbot):
    """``complete=False`` (what `portico run` does): the shown provider starts alone; the rest of
    the window, the plugins and the other providers follow once its page is ready; what the page
    did meanwhile reaches the plugins (here the event log) and the hub's listeners, in order."""
    from tests.helpers.fixtures import read_event_log
    shell = _staged_shell(probe_server, tmp_path, hello="1")
    try:
        assert not shell.is_complete and shell.hub.holding and not shell.window.chrome_built
        early: list[bool] = []
        shell.providers["room"].event_received.connect(lambda _event: early.append(shell.is_complete))
        via_hub: list[str] = []
        shell.hub.event_received.connect(lambda pid, _kind, event: via_hub.append(f"{pid}:{event.name}"))
        shell.start(show=True)
        assert list(shell.views) == ["room"] and list(shell.profiles) == ["room"]  # the other comes later
        with qtbot.waitSignal(shell.completed, timeout=20_000):
            pass
        assert early and early[0] is False  # the page's request came before the rest was built
        assert via_hub[:1] == ["room:get_space_ids"]
        log = read_event_log(tmp_path / "events.jsonl")
        assert any(e.get("provider") == "room" and "get_space_ids" in json.dumps(e) for e in log), log[:5]
        assert shell.window.sidebar.ids() == ["room", "other"] and shell.window.sidebar.current_id() == "room"
        assert not shell.hub.holding and shell.plugins.get("event-log") is not None
        wait_ready(qtbot, shell.views["other"])  # started by the completion
    finally:
        _close(shell)


def test_the_provider_shown_first_is_built_first_and_the_rest_follow_in_the_configs_order(
        probe_server, tmp_path, qtbot):
    shell = _staged_shell(probe_server, tmp_path, first="other")
    try:
        assert list(shell.views) == ["other"] and shell.window.current_id() == "other"
        shell.start(show=True)
        wait_ready(qtbot, shell.views["other"])
        with qtbot.waitSignal(shell.completed, timeout=20_000):
            pass
        assert list(shell.views) == list(shell.providers) == list(shell.profiles) == ["room", "other"]
        assert shell.window.sidebar.ids() == ["room", "other"] and shell.window.current_id() == "other"
        assert shell.window.sidebar.current_id() == "other"
        wait_ready(qtbot, shell.views["room"])  # started by the completion
    finally:
        _close(shell)


@pytest.mark.parametrize("trigger", ["provider-menu", "view-menu"])
def test_what_needs_the_chrome_early_completes_the_shell_on_the_spot(probe_server, tmp_path, qtbot, trigger):
    from PySide6.QtCore import QUrl
    shell = _staged_shell(probe_server, tmp_path)
    try:
        shell.start(show=True)
        assert not shell.is_complete and shell.window._view_menu.actions() == []
        if trigger == "provider-menu":
            # The Provider menu lists the plugins' actions: opening it builds them.
            shell.window.provider_menu.aboutToShow.emit()
            assert [a.text() for a in shell.window.provider_menu.actions()][0] == "&Reload"
        else:
            shell.window._view_menu.aboutToShow.emit()  # its actions come with the chrome
        assert shell.is_complete and shell.window.chrome_built
        assert "Zoom &In" in [a.text() for a in shell.window._view_menu.actions()]
        opened: list[str] = []
        shell.external_url_opened.connect(lambda url: opened.append(url.toString()))
        shell._on_external_url("room", QUrl("https://example.org/"))
        assert opened == ["https://example.org/"]
    finally:
        _close(shell)


def test_a_staged_shell_closed_before_it_completed_builds_nothing_more(probe_server, tmp_path, qtbot):
    shell = _staged_shell(probe_server, tmp_path)
    shell.start(show=True)
    qtbot.wait(20)
    assert not shell.is_complete
    _close(shell)
    qtbot.wait(700)  # past the completion's deadline
    assert not shell.is_complete and "plugins" not in vars(shell)


def test_start_up_shortcuts_give_what_the_stdlib_would():
    """server_name hashes with Qt instead of hashlib, the host page escapes without the html
    module (each saves milliseconds of every start): same socket name, same escaping."""
    import hashlib
    import html

    from desktop.instance.single_instance import server_name
    from desktop.shell.scheme import _escape
    config = pathlib.Path("/tmp/a dir/ü config.toml")
    digest = hashlib.sha256(str(config.resolve()).encode("utf-8")).hexdigest()[:16]
    assert server_name(config).endswith(digest) or server_name(config).endswith(digest + ".sock")
    for text in ("a&b<c>\"d'e", "plain", "&amp; already", "https://x.example/?a=1&b=<2>"):
        assert _escape(text) == html.escape(text, quote=True)


def test_a_second_portico_is_answered_before_the_window_is_complete(probe_server, tmp_path, qtbot):
    """`portico run` listens from its first step: a second `portico` (here its request, sent by
    hand) finds it, and the request completes the window before it is answered."""
    from desktop.instance.single_instance import Request, server_name
    from tests.helpers.control import ask
    shell = _staged_shell(probe_server, tmp_path)
    name = server_name(tmp_path / "config.toml")
    try:
        assert shell.listen(name)
        shell.start(show=True)
        assert not shell.is_complete
        reply = ask(qtbot, name, Request("open", "other").to_line())
        assert reply.get("ok") is True, reply
        assert shell.is_complete and shell.window.current_id() == "other"
        assert shell.desktop.server is shell.server
    finally:
        _close(shell)
    assert not shell.server.is_listening()


def test_the_completion_runs_as_one_chain_of_steps_with_the_event_loop_in_between(probe_server, tmp_path, qtbot):
    """The page's ready signal and the deadline both ask for the completion: its steps still run
    once each, in one chain (two chains would run them back to back), and every step is its own
    pass of the event loop: a timer of the app's runs between any two steps."""
    from PySide6.QtCore import QTimer
    shell = _staged_shell(probe_server, tmp_path)
    order: list[str] = []
    ticker = QTimer(interval=0)
    ticker.timeout.connect(lambda: order.append("tick"))
    try:
        shell.start(show=True)
        shell._complete_soon()
        shell._complete_soon()  # as if the ready signal and the deadline both came
        inner = shell.staging.pending()

        def counted():
            for _ in inner:
                order.append("step-after-completion" if shell.is_complete else "step")
                yield
        shell.staging.steps = counted()
        ticker.start()
        with qtbot.waitSignal(shell.completed, timeout=20_000):
            pass
        qtbot.wait(700)  # past the deadline's own request too
        ticker.stop()
        steps = [i for i, what in enumerate(order) if what.startswith("step")]
        assert shell.is_complete and len(steps) > 10 and "step-after-completion" not in order, order
        assert all(b - a > 1 for a, b in zip(steps, steps[1:])), f"steps back to back: {order}"
    finally:
        _close(shell)
