"""portico:// links (the .desktop entry's MIME handler) → command lines, and what the CLI does with a bad one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from desktop.instance.single_instance import server_name
from desktop.instance.state import STATE_VERSION
from desktop.links import LinkError, is_link, link_argv
from tests.helpers.fixtures import spatialchat_toml, wait_ready, write_config
from tests.helpers.sites import probe_url


@pytest.mark.parametrize("link, argv", [
    ("portico://open/work", ["open", "work"]),
    ("PORTICO://OPEN/demo-room/", ["open", "demo-room"]),
    ("portico:", []),
    ("portico://", []),
])
def test_links_become_command_lines(link, argv):
    assert is_link(link)
    assert link_argv(link) == argv


@pytest.mark.parametrize("link, error", [
    ("portico://send/work/go", "portico://open/ID"),
    ("portico://open/", "portico://open/ID"),
    ("portico://open/work?x=1", "portico://open/ID"),
    ("portico://open/work#x", "portico://open/ID"),
    ("portico://open/../etc", "provider id"),
    ("portico://open/Work%20Room", "provider id"),
    ("portico://app/host.html", "portico://open/ID"),
])
def test_other_links_are_refused(link, error):
    with pytest.raises(LinkError, match=error):
        link_argv(link)


@pytest.mark.parametrize("arg", ["run", "--version", "https://example.com", "porticox:", ""])
def test_commands_are_not_links(arg):
    assert not is_link(arg)


def test_cli_refuses_a_bad_link_with_exit_2():
    result = subprocess.run([sys.executable, "-m", "desktop", "portico://delete/everything"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "unsupported link 'portico://delete/everything'" in result.stderr


def test_a_link_shows_the_provider_in_the_running_portico(run_shell, probe_server, tmp_path, qtbot):
    """What a browser does with portico://open/board: `portico portico://open/board` (the .desktop
    entry's `Exec=portico %u`) against the Portico running for the user's default config."""
    config_dir = tmp_path / "xdg" / "portico"
    config_dir.mkdir(parents=True)
    config = write_config(config_dir, spatialchat_toml(probe_url(probe_server), "room")
                          + spatialchat_toml(probe_url(probe_server, hello="1"), "board"))
    shell = run_shell(config)
    assert shell.listen(server_name(config.path))
    wait_ready(qtbot, shell.views["room"])
    assert shell.window.current_id() == "room"
    proc = subprocess.Popen([sys.executable, "-m", "desktop", "portico://open/board"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "xdg"), QT_QPA_PLATFORM="offscreen"))
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20_000)  # our event loop answers meanwhile
    _out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert shell.window.current_id() == "board"


def test_a_link_starts_portico_showing_that_provider_when_none_is_running(probe_server, tmp_path):
    """With no Portico running, `portico portico://open/board` starts one that shows board, not
    the provider shown last time (the window state file says "room")."""
    import json
    import signal
    import time

    xdg = tmp_path / "xdg"
    config_dir = xdg / "config" / "portico"
    config_dir.mkdir(parents=True)
    write_config(config_dir, spatialchat_toml(probe_url(probe_server), "room")
                 + spatialchat_toml(probe_url(probe_server, hello="1"), "board"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(xdg / "config"),
               XDG_DATA_HOME=str(xdg / "data"), XDG_STATE_HOME=str(xdg / "state"), XDG_CACHE_HOME=str(xdg / "cache"))
    state = xdg / "data" / "portico" / "state.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"version": STATE_VERSION, "selected": "room"}), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "desktop", "portico://open/board"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            # The running app saves its window state a second after the selection changes.
            if json.loads(state.read_text(encoding="utf-8") or "{}").get("selected") == "board":
                break
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err[-2000:]
    assert json.loads(state.read_text(encoding="utf-8"))["selected"] == "board"
    assert "no provider" not in err
