"""Faults: a server down at start or mid-session, a broken config, an unwritable disk, a keyring daemon that dies."""

from __future__ import annotations

import contextlib
import io
import os
import signal

import pytest

from desktop import cli
from desktop.config import ConfigError, load_config, update_provider
from desktop.contract import ProviderState
from desktop.credentials import CredentialError, get_secret
from desktop.demo.server import LoopbackServer
from tests.helpers.fixtures import frame_eval, spatialchat_toml, wait_ready, write_config
from tests.helpers.net import free_port
from tests.helpers.sites import probe_route

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

FAST = (0.3, 0.6, 1.0)


def _fast(shell, pid: str = "room"):
    reconnector = shell.desktop.reconnectors[pid]
    reconnector.delays = FAST
    return reconnector


def test_server_down_at_start_retries_with_backoff_and_recovers_by_itself(run_shell, tmp_path, qtbot):
    port = free_port()
    shell = run_shell(write_config(tmp_path, spatialchat_toml(f"http://127.0.0.1:{port}/probe")), start=False)
    view, reconnector = shell.views["room"], _fast(shell)
    delays: list[float] = []
    reconnector.retry_scheduled.connect(delays.append)
    shell.start(show=True)
    qtbot.waitUntil(lambda: len(delays) >= 2, timeout=20_000)
    assert delays[:2] == [0.3, 0.6], "the delays grow"
    assert view.showing_error() and "tries again in" in view.panel.hint.text()
    assert view.panel.retry_button.text() == "Retry now"
    assert shell.providers["room"].state is ProviderState.ERROR

    with LoopbackServer(probe_route, port=port):
        with qtbot.waitSignal(reconnector.recovered, timeout=20_000):
            pass
        assert not view.showing_error() and reconnector.failures == 0 and not reconnector.pending
        assert frame_eval(qtbot, view, "location.pathname") == "/probe"


def test_server_down_mid_session_then_back(run_shell, tmp_path, qtbot):
    server = LoopbackServer(probe_route).start()
    server.page_cache_control = ""  # else the reload is answered from the cache, server or not
    port = server.port
    shell = run_shell(write_config(tmp_path, spatialchat_toml(f"http://127.0.0.1:{port}/probe")))
    view, reconnector = shell.views["room"], _fast(shell)
    wait_ready(qtbot, view)
    server.stop()
    with qtbot.waitSignal(reconnector.retry_scheduled, timeout=20_000):
        view.reload()  # the user reloads (or the provider navigates) while the server is away
    assert view.showing_error()
    with LoopbackServer(probe_route, port=port):
        with qtbot.waitSignal(reconnector.recovered, timeout=20_000):
            pass
        assert reconnector.retries >= 1 and not view.showing_error()


def test_retry_now_skips_the_wait(run_shell, tmp_path, qtbot):
    port = free_port()
    shell = run_shell(write_config(tmp_path, spatialchat_toml(f"http://127.0.0.1:{port}/probe")), start=False)
    view, reconnector = shell.views["room"], shell.desktop.reconnectors["room"]
    reconnector.delays = (600.0,)
    shell.start(show=True)
    qtbot.waitUntil(lambda: reconnector.pending, timeout=20_000)
    with LoopbackServer(probe_route, port=port):
        with qtbot.waitSignal(reconnector.recovered, timeout=20_000):
            view.panel.retry_button.click()
        assert not reconnector.pending


def test_sign_in_needed_is_not_retried(run_shell, tmp_path, qtbot):
    from desktop.contract import ProviderError
    port = free_port()
    shell = run_shell(write_config(tmp_path, spatialchat_toml(f"http://127.0.0.1:{port}/probe")), start=False)
    view, reconnector = shell.views["room"], shell.desktop.reconnectors["room"]
    view.frame_failed.emit(ProviderError("Sign in", needs_fields=("password",)))
    assert not reconnector.pending


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty-value"])
def test_broken_config_is_named_and_left_untouched(tmp_path, damage, probe_server):
    good = spatialchat_toml(f"{probe_server.origin}/probe")
    path = tmp_path / "config.toml"
    text = {"truncated": good[: good.index("space_slug") + 12],
            "garbage": good + "\n\x00\x01 = = [\n",
            "empty-value": good.replace('room_id = "R00m00000000000000001"', "room_id =")}[damage]
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(path) in str(raised.value) and raised.value.line is not None
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(["--config", str(path), "--headless", "--quit-after", "1"])
    assert code == 2 and f"{path}:{raised.value.line}:" in err.getvalue()
    assert path.read_text(encoding="utf-8") == text, "a broken config must never be rewritten"


def test_an_edit_that_fails_to_write_keeps_the_previous_file(tmp_path, probe_server, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text(spatialchat_toml(f"{probe_server.origin}/probe"), encoding="utf-8")
    before = path.read_text(encoding="utf-8")

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises((ConfigError, OSError)):
        update_provider(path, "room", {"name": "Grace"}, subtable="user")
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"], "no temporary file left behind"


def test_unwritable_profile_folder_runs_off_the_record_and_says_so(run_shell, tmp_path, qtbot, probe_server):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the profiles folder should be")
    config = write_config(tmp_path, spatialchat_toml(f"{probe_server.origin}/probe", remember_session=True))
    runner = run_shell
    runner.tmp_path = blocker  # profiles go to <file>/profiles0/room: mkdir fails even for root
    shell = runner(config, event_log=False)
    view = shell.views["room"]
    wait_ready(qtbot, view)
    assert "room" in shell.storage_errors and "Not a directory" in shell.storage_errors["room"]
    assert shell.profiles["room"].isOffTheRecord()
    assert shell.window.notice.isVisible() and "cannot save the browser data" in shell.window.notice.label.text()
    assert frame_eval(qtbot, view, "1 + 1") == 2


def test_keyring_daemon_killed_mid_session_is_a_clear_error(tmp_path):
    from desktop.credentials import set_secret
    from desktop.secret import Secret
    from tests.helpers.keyring_fixture import keyring_session
    with keyring_session(tmp_path / "kr") as session:
        set_secret("rc", "password", Secret("s3cret-value-1"))
        assert get_secret("rc", "password").reveal() == "s3cret-value-1"
        session.daemon.send_signal(signal.SIGKILL)
        session.daemon.wait(5)
        with pytest.raises(CredentialError) as raised:
            get_secret("rc", "password")
        message = str(raised.value)
        assert "s3cret-value-1" not in message and "keyring" in message.lower()
