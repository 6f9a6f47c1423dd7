"""Single instance: a second `portico` focuses the first; `portico open` / `portico send` reach it over its private socket."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from typing import Any

import pytest

from desktop.instance.control import COMMANDS
from desktop.instance.single_instance import (
    MAX_LINE_BYTES,
    InstanceServer,
    ProtocolError,
    Request,
    parse_request,
    server_name,
)
from tests.helpers.control import ask
from tests.helpers.fixtures import spatialchat_toml, wait_ready, write_config
from tests.helpers.sites import probe_url


def request(op: str, provider: str = "", command: str = "", *args: str) -> bytes:
    return Request(op, provider, command, tuple(args)).to_line()


@pytest.fixture
def running(run_shell, probe_server, tmp_path, qtbot):
    """A Shell with two providers, listening as `portico run` does for its config."""
    config = write_config(tmp_path, spatialchat_toml(probe_url(probe_server), "room")
                          + spatialchat_toml(probe_url(probe_server, hello="1"), "board"))
    shell = run_shell(config)
    name = server_name(config.path)
    assert shell.listen(name)
    wait_ready(qtbot, shell.views["room"])
    return shell, name, config


@pytest.mark.parametrize("line, error", [
    (b"not json\n", "not a JSON line"),
    (b"[1]\n", "not a JSON object"),
    (b'{"portico": 2, "op": "activate"}\n', "unsupported protocol version 2"),
    (b'{"op": "activate"}\n', "unsupported protocol version None"),
    (b'{"portico": 1, "op": "shutdown"}\n', "unknown op"),
    (b'{"portico": 1, "op": "open"}\n', "provider id"),
    (b'{"portico": 1, "op": "open", "provider": "../etc"}\n', "provider id"),
    # "$" also matches before a final newline: the whole id and command name must match.
    (b'{"portico": 1, "op": "open", "provider": "room\\n"}\n', "provider id"),
    (b'{"portico": 1, "op": "send", "provider": "a", "command": "go\\n"}\n', "command name"),
    (b'{"portico": 1, "op": "send", "provider": "a", "command": "__init__"}\n', "command name"),
    (b'{"portico": 1, "op": "send", "provider": "a", "command": "go", "args": [1]}\n', "printable text"),
    (b'{"portico": 1, "op": "send", "provider": "a", "command": "go", "args": ["a\\nb"]}\n', "printable text"),
    (b'{"portico": 1, "op": "send", "provider": "a", "command": "go", "args": "x"}\n', "list"),
    (b'{"portico": 1, "op": "activate", "extra": 1}\n', "unknown field"),
    (b'{"portico": 1, "op": "activate", "command": "go"}\n', "takes no command"),
    (b"{" + b" " * MAX_LINE_BYTES + b"}\n", "too long"),
])
def test_requests_are_validated(line, error):
    with pytest.raises(ProtocolError, match=error):
        parse_request(line.rstrip(b"\n"))


def test_valid_requests_round_trip():
    for req in (Request("activate"), Request("open", "work"), Request("commands", "work"),
                Request("send", "work", "go", ("/channel/general",))):
        assert parse_request(req.to_line().rstrip(b"\n")) == req


def test_socket_name_is_per_user_and_config(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    a, b = server_name(tmp_path / "a.toml"), server_name(tmp_path / "b.toml")
    assert a != b and a.startswith(f"portico-{os.getuid()}-") and "/" not in a
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert server_name(tmp_path / "a.toml").startswith(str(tmp_path) + "/portico-")


def test_in_process_client_drives_the_running_shell(running, qtbot):
    shell, name, _config = running
    mode = os.stat(shell.desktop.server._server.fullServerName()).st_mode
    assert stat.S_ISSOCK(mode) and mode & 0o077 == 0, "the socket must be private to the user"

    assert ask(qtbot, name, request("activate")) == {"portico": 1, "ok": True}
    assert ask(qtbot, name, request("open", "board"))["ok"]
    assert shell.window.current_id() == "board"

    reply = ask(qtbot, name, request("commands", "room"))
    assert [c["name"] for c in reply["result"]] == ["reload"]  # a SpatialChat host has no go/logout

    view = shell.views["room"]
    with qtbot.waitSignal(view.frame_ready, timeout=10_000):
        assert ask(qtbot, name, request("send", "room", "reload"))["ok"]

    reply = ask(qtbot, name, request("send", "room", "go", "/channel/general"))
    assert reply["ok"] is False and "has no command 'go'" in reply["error"]
    # A real method of the provider, but not in the allowlist: never looked up.
    reply = ask(qtbot, name, request("send", "room", "shutdown"))
    assert reply["ok"] is False and "unknown command 'shutdown'" in reply["error"]
    reply = ask(qtbot, name, request("send", "room", "reload", "extra"))
    assert reply == {"portico": 1, "ok": False, "error": "usage: reload"}
    reply = ask(qtbot, name, request("open", "nope"))
    assert reply["ok"] is False and "configured: board, room" in reply["error"]
    reply = ask(qtbot, name, b'{"portico": 7, "op": "activate"}\n')
    assert reply["ok"] is False and "version 7" in reply["error"]
    assert set(COMMANDS) >= {"go", "logout", "set_user_status", "reload"}


def test_second_server_on_the_same_name_defers_and_a_stale_socket_is_taken_over(tmp_path, qtbot):
    name = str(tmp_path / "s.sock")
    # What a crashed Portico leaves: a socket file nobody listens on.
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(name)
    dead.close()
    first = InstanceServer(name, lambda req: (True, "", None))
    assert first.listen()
    second = InstanceServer(name, lambda req: (True, "", None))
    try:
        assert not second.listen()  # the first one answers
        assert ask(qtbot, name, request("activate"))["ok"]
    finally:
        first.close()
        second.close()


def portico(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, "-m", "desktop", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def finish(qtbot: Any, proc: subprocess.Popen[str], timeout: int = 20_000) -> tuple[int, str, str]:
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=timeout)  # our event loop answers meanwhile
    out, err = proc.communicate()
    return proc.returncode, out, err


def test_cli_send_open_and_a_second_portico(running, qtbot):
    shell, _name, config = running
    cfg = str(config.path)
    view = shell.views["room"]
    with qtbot.waitSignal(view.frame_ready, timeout=15_000):
        code, _out, err = finish(qtbot, portico("send", "--config", cfg, "room", "reload"))
        assert code == 0, err

    code, _out, err = finish(qtbot, portico("send", "--config", cfg, "room", "go", "/channel/general"))
    assert code == 1 and "has no command 'go'" in err

    code, out, _err = finish(qtbot, portico("send", "--config", cfg, "room"))
    assert code == 0 and out.startswith("reload")

    code, _out, err = finish(qtbot, portico("open", "--config", cfg, "board"))
    assert code == 0, err
    assert shell.window.current_id() == "board"

    # `portico` again with the same config: it hands over to this one and exits.
    with qtbot.waitSignal(shell.desktop.server.request_handled, timeout=20_000) as handled:
        code, _out, err = finish(qtbot, portico("run", "--config", cfg, "--headless", "--quit-after", "30"))
    assert code == 0 and "already running" in err
    assert handled.args[0] == Request("activate")


def test_cli_without_a_running_portico(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("")
    proc = subprocess.run([sys.executable, "-m", "desktop", "send", "--config", str(cfg), "room", "reload"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3 and "no running Portico" in proc.stderr


def test_portico_run_open_shows_that_provider_first_and_keeps_the_configs_order(tmp_path, probe_server, qtbot):
    """`portico run --open ID` builds and shows ID first; the others follow in the config's order
    (the window state it saves on quitting says what it showed and in which order)."""
    from desktop.instance.state import load_state
    from tests.helpers.fixtures import spatialchat_toml, write_config
    from tests.helpers.sites import probe_url
    config = write_config(tmp_path, spatialchat_toml(probe_url(probe_server))
                          + spatialchat_toml(probe_url(probe_server), pid="other"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.run([sys.executable, "-m", "desktop", "run", "--config", str(config.path), "--headless",
                           "--open", "other", "--quit-after", "4"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    state = load_state(tmp_path / "data" / "portico" / "state.json")
    assert state.selected == "other" and state.order == ("room", "other"), (state, proc.stderr[-2000:])
