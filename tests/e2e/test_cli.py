"""The console script as users and scripts run it: --version, doctor, run/demo headless with an event log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib
from importlib import metadata

import pytest

from desktop import __version__
from tests.helpers.fixtures import spatialchat_toml
from tests.helpers.paths import ROOT
from tests.helpers.sites import probe_url


def portico(*args: str, timeout: float = 90, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, **(env or {})))


def test_version_comes_from_package_metadata():
    result = portico("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"portico {__version__}"
    # The installed metadata is pyproject's version (build_spec/smoke checks the frozen app the same way).
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert __version__ == metadata.version("portico") == pyproject["project"]["version"]


def test_config_error_is_reported_with_file_line_and_key(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[[provider]]\nid = "x"\nkind = "spatialchat"\nurl = "ftp://nope"\n')
    result = portico("run", "--headless", "--config", str(path), "--quit-after", "1")
    assert result.returncode == 2
    assert f"{path}:4: provider[0].url:" in result.stderr


def test_run_without_display_explains(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    result = subprocess.run([sys.executable, "-m", "desktop", "run", "--config", str(tmp_path / "none.toml")],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2 and "--headless" in result.stderr


def test_headless_run_answers_and_logs(tmp_path, probe_server):
    config = tmp_path / "config.toml"
    config.write_text(spatialchat_toml(probe_url(probe_server, hello="1")))
    log = tmp_path / "events.jsonl"
    started = time.monotonic()
    result = portico("run", "--headless", "--config", str(config), "--event-log", str(log), "--quit-after", "3")
    assert result.returncode == 0, result.stderr[-2000:]
    assert time.monotonic() - started < 60
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert [(x["direction"], x["name"]) for x in lines[:2]] == [("in", "get_space_ids"), ("out", "space_ids")]
    assert lines[1]["data"]["requestId"] == "hello"


def test_doctor_reports_each_check(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(spatialchat_toml("https://site.example/"))
    result = portico("doctor", "--config", str(config), timeout=120)
    out = result.stdout
    for name in ("PySide6", "Qt WebEngine", "Display", "Keyring", "Config"):
        assert f"] {name}:" in out
    assert "[ok] Qt WebEngine: renders a page offscreen" in out
    assert f"[ok] Config: {config}: room (spatialchat)" in out
    assert ("[ok] Sessions: kept on disk (remember_session): none; in memory only, signed in afresh at each "
            "start: room") in out


def test_doctor_lists_the_remembered_sessions_and_a_readable_profiles_folder(tmp_path, xdg_root):
    from desktop import paths
    config = tmp_path / "config.toml"
    config.write_text(spatialchat_toml("https://site.example/", "kept", remember_session=True)
                      + spatialchat_toml("https://site.example/", "gone"))
    root = paths.data_dir() / "profiles"
    (root / "gone").mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    try:
        result = portico("doctor", "--config", str(config), timeout=120)
    finally:
        root.chmod(0o700)
        (root / "gone").rmdir()
    assert "kept on disk (remember_session): kept; in memory only, signed in afresh at each start: gone" \
           in result.stdout
    assert "stored profiles deleted at the next start: gone" in result.stdout
    assert "[FAIL] Sessions:" in result.stdout and f"chmod 700 {root}" in result.stdout


def test_doctor_fails_on_a_broken_config(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[[provider]\n")
    result = portico("doctor", "--config", str(config), timeout=120)
    assert result.returncode == 1
    assert "[FAIL] Config:" in result.stdout and f"{config}:1" in result.stdout
    # Said once, under Config: the checks that need the config say they wait for it.
    assert result.stdout.count(f"{config}:1") == 1, result.stdout
    assert "[ok] Plugins: not known until the config is fixed" in result.stdout


@pytest.mark.skipif(os.geteuid() != 0, reason="the root check only applies to root")
def test_doctor_explains_root_without_sandbox_flag(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "QTWEBENGINE_DISABLE_SANDBOX"}
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = ""
    result = subprocess.run([sys.executable, "-m", "desktop", "doctor", "--config", str(tmp_path / "x.toml")],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 1
    assert "running as root" in result.stdout


def test_doctor_names_each_rocketchat_servers_release(tmp_path):
    from desktop.demo.rocketchat import start_server
    from desktop.demo.server import LoopbackServer, Response
    server, sim = start_server(release="7.10")
    gone = LoopbackServer(lambda request: Response(500, b"", "text/plain")).start()
    try:
        config = tmp_path / "config.toml"
        config.write_text(f'[[provider]]\nid = "rc"\nkind = "rocketchat"\nserver = "{server.origin}"\nusername = "ada"\n')
        result = portico("doctor", "--config", str(config), timeout=120)
        # A server with the default settings: desktop mode, and why.
        assert "[ok] Rocket.Chat: rc: Rocket.Chat 7.10.1 (ignores commands: signs in by URL; sends no startup " \
               "event) · desktop mode: the server refuses to be framed (X-Frame-Options: sameorigin)" in result.stdout
        sim.enable_integration()
        result = portico("doctor", "--config", str(config), timeout=120)
        assert "event) · iframe mode: the server's Iframe Integration is on" in result.stdout
        config.write_text(f'[[provider]]\nid = "rc"\nkind = "rocketchat"\nserver = "{gone.origin}"\nusername = "ada"\n')
        result = portico("doctor", "--config", str(config), timeout=120)
        assert f"[FAIL] Rocket.Chat: rc: {gone.origin} did not answer /api/info" in result.stdout
        assert result.returncode == 1
    finally:
        server.stop()
        gone.stop()
