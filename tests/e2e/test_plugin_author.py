"""A plugin author's first hour: `portico plugins new` writes projects that pass their own tests,
`portico plugins list` says what is installed and how it runs, and `portico demo` runs the
user's plugins against the simulators."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from desktop import kinds
from desktop.instance.single_instance import server_name
from tests.helpers.demo_process import run_demo_until
from tests.helpers.fixtures import spatialchat_toml, wait_ready, write_config
from tests.helpers.packages import EXAMPLES, installed
from tests.helpers.paths import ROOT
from tests.helpers.sites import probe_url

pytestmark = pytest.mark.usefixtures("no_secret_on_disk")


def portico(*args: str, env: dict[str, str] | None = None, cwd: pathlib.Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=cwd)


def own_env(tmp_path: pathlib.Path, **extra: str) -> dict[str, str]:
    """The environment of a user whose config, data and plugins are all below ``tmp_path``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), **extra)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    return env


@pytest.mark.parametrize("kind", [False, True], ids=["plugin", "kind"])
def test_a_new_project_passes_its_own_tests_and_is_refused_twice(kind, tmp_path):
    args = ["plugins", "new", "standup-bot", "--dir", str(tmp_path)] + (["--kind"] if kind else [])
    made = portico(*args)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "portico-standup-bot"
    assert f"Wrote {project}/" in made.stdout and "pip install -e" in made.stdout
    pyproject = (project / "pyproject.toml").read_text()
    group = "portico.kinds" if kind else "portico.plugins"
    assert f'[project.entry-points."{group}"]' in pyproject
    # Only the public API: the package imports nothing of Portico's but desktop.plugins.
    for path in (project / "portico_standup_bot").glob("*.py"):
        imports = [ln for ln in path.read_text().splitlines() if ln.startswith(("from desktop", "import desktop"))]
        assert all(ln.startswith("from desktop.plugins import") for ln in imports), (path, imports)
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project,
                           capture_output=True, text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert tests.returncode == 0 and ("\n3 passed" if kind else "\n2 passed") in tests.stdout, tests.stdout[-2000:]
    again = portico(*args)
    assert again.returncode == 2 and "exists already" in again.stderr
    assert portico("plugins", "new", "Bad_Name", "--dir", str(tmp_path)).returncode == 2
    assert "built-in kind" in portico("plugins", "new", "spoki", "--kind", "--dir", str(tmp_path)).stderr


def test_a_new_kind_runs_in_portico_once_installed(tmp_path, run_shell, qtbot):
    """The skeleton kind, installed (dist-info and entry point), takes a real page's messages."""
    assert portico("plugins", "new", "board", "--kind", "--dir", str(tmp_path)).returncode == 0
    from desktop.demo.server import LoopbackServer, Response  # noqa: PLC0415
    page = ("<!doctype html><script>parent.postMessage({type: 'unread', count: 5}, '*');"
            "parent.postMessage({type: 'message', from: 'Grace', text: 'standup?'}, '*');"
            "addEventListener('message', e => { if (e.data.type === 'ping') document.title = 'pinged'; });</script>")
    server = LoopbackServer(lambda request: Response.html(page)).start()
    try:
        with installed(tmp_path / "portico-board", tmp_path / "site"):
            kinds.load_installed(rescan=True)
            assert kinds.INSTALLED["board"].origin == "portico-board 0.1.0"
            shell = run_shell(write_config(tmp_path, f'[[provider]]\nid = "b"\nkind = "board"\nurl = "{server.origin}/"\n'))
            qtbot.waitUntil(lambda: shell.hub.unread("b") == 5, timeout=15_000)
            qtbot.waitUntil(lambda: len(shell.presenter.history) == 1)
            assert shell.presenter.history[0].notification.title == "Grace"
            from desktop.instance.single_instance import Request  # noqa: PLC0415
            assert shell._answer_remote(Request("send", "b", "ping", ()))[0]
            from tests.helpers.fixtures import frame_eval  # noqa: PLC0415
            qtbot.waitUntil(lambda: frame_eval(qtbot, shell.views["b"], "document.title") == "pinged")
    finally:
        server.stop()
        kinds.load_installed(rescan=True)


WATCHER = '''
"""Writes what it hears to a file (a plugin a user keeps in their plugins folder)."""
import dataclasses, json
from desktop.plugins import API_VERSION, PluginContext, hookimpl


class Plugin:
    api_version = API_VERSION

    @dataclasses.dataclass(frozen=True)
    class Settings:
        out: str = ""

    @hookimpl
    def portico_activate(self, context: PluginContext) -> None:
        self.out = context.settings.out
        self.write({"activated": sorted(context.titles)})
        context.hub.event_received.connect(lambda pid, kind, event: self.write({"provider": pid, "event": event.name}))

    def write(self, line):
        with open(self.out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line) + "\\n")
'''


def test_the_demo_runs_the_users_plugins_from_the_folder_and_the_config(tmp_path):
    env = own_env(tmp_path)
    config_dir = tmp_path / "xdg_config_home" / "portico"
    (config_dir / "plugins").mkdir(parents=True)
    (config_dir / "plugins" / "watcher.py").write_text(textwrap.dedent(WATCHER))
    out = tmp_path / "heard.jsonl"
    (config_dir / "config.toml").write_text(textwrap.dedent(f'''
        [plugins]
        enabled = ["notifications", "watcher"]
        [plugins.watcher]
        out = "{out}"
    '''))

    def heard() -> list[dict[str, Any]]:
        return [json.loads(ln) for ln in out.read_text().splitlines()] if out.exists() else []
    returncode, stderr = run_demo_until(
        lambda: any(h.get("provider") == "demo-room" and h.get("event") == "get_user_info" for h in heard()), env=env)
    assert returncode == 0, stderr[-2000:]
    assert "with your plugins: notifications, watcher" in stderr
    lines = heard()
    assert {"demo-room", "demo-spoki"} <= set(lines[0]["activated"])
    assert {"provider": "demo-room", "event": "get_user_info"} in lines


def test_the_demo_runs_without_plugins_when_the_users_config_is_broken(tmp_path, capsys):
    from desktop.cli import _users_plugins  # noqa: PLC0415
    broken = tmp_path / "config.toml"
    broken.write_text("[plugins\n")
    assert _users_plugins(broken) is None
    assert f"runs without your plugins: {broken}:1:" in capsys.readouterr().err
    # A plugin setting that is wrong is named in the user's file, not in the demo's copy.
    broken.write_text('[plugins]\nenabled = ["notifications"]\n[plugins.notifications]\nmute = true\n')
    assert _users_plugins(broken) is None
    err = capsys.readouterr().err
    assert f"{broken}:4: plugins.notifications.mute" in err
    broken.write_text('[plugins]\nenabled = ["notifications"]\n[plugins.notifications]\nmuted = ["work"]\n')
    assert _users_plugins(broken) == {"enabled": ["notifications"], "notifications": {"muted": ["work"]}}


def test_plugins_list_shows_sources_versions_and_live_states(tmp_path, run_shell, probe_server, qtbot):
    env = own_env(tmp_path)
    folder = tmp_path / "xdg_config_home" / "portico" / "plugins"
    folder.mkdir(parents=True)
    (folder / "flaky.py").write_text(textwrap.dedent('''
        from desktop.plugins import API_VERSION, hookimpl
        class Plugin:
            """Fails on every notification."""
            api_version = API_VERSION
            @hookimpl
            def portico_notification(self, request):
                raise RuntimeError("boom")
    '''))
    config = write_config(tmp_path, spatialchat_toml(probe_url(probe_server)) + textwrap.dedent('''
        [plugins]
        enabled = ["notifications", "flaky", "mention-counter"]
    '''))
    with installed(EXAMPLES / "portico-mention-counter", tmp_path / "site-a"), \
            installed(EXAMPLES / "portico-jitsi", tmp_path / "site-b"):
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(tmp_path / "site-a"), str(tmp_path / "site-b")])
        offline = portico("plugins", "list", "--config", str(config.path), env=env)
        assert offline.returncode == 0, offline.stderr
        rows = {line.split()[0]: line for line in offline.stdout.splitlines() if line.startswith("  ")}
        assert "entry point of portico-mention-counter 1.0.0" in rows["mention-counter"]
        assert "1.0.0" in rows["mention-counter"] and rows["mention-counter"].endswith("enabled")
        assert str(folder / "flaky.py") in rows["flaky"] and rows["tray"].endswith("not enabled")
        assert "portico-jitsi" in rows["jitsi"] and rows["jitsi"].endswith("active")
        assert rows["postmessage"].endswith("active") and "states from the running" not in offline.stdout

        # With Portico running for that config, the states are its own, live.
        from desktop.app import Shell  # noqa: PLC0415
        shell = Shell(config, profile_root=tmp_path / "profiles", plugin_folder=folder)
        shell.open_external = lambda url: True
        run_shell.shells.append(shell)
        shell.start(show=True)
        wait_ready(qtbot, shell.views["room"])
        assert shell.listen(server_name(config.path))
        from desktop.contract import Notification  # noqa: PLC0415
        for _ in range(3):
            shell.hub.notification_requested.emit("room", Notification("t", "b"))
        proc = subprocess.Popen([sys.executable, "-m", "desktop", "plugins", "list", "--config", str(config.path)],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=60_000)
        live = proc.stdout.read() if proc.stdout else ""
        assert proc.returncode == 0 and "states from the running Portico" in live, live
        rows = {line.split()[0]: line for line in live.splitlines() if line.startswith("  ")}
        assert rows["notifications"].endswith("active") and rows["mention-counter"].endswith("active")
        assert "disabled after failures: it failed 3 times; last: RuntimeError: boom" in rows["flaky"]

    # A plugin enabled but not installed any more.
    gone = write_config(tmp_path, '[plugins]\nenabled = ["ghost"]\n')
    result = portico("plugins", "list", "--config", str(gone.path), env=own_env(tmp_path))
    assert result.returncode == 1 and "enabled, not installed" in result.stdout
