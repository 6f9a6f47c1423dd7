"""Start at login: the XDG autostart entry written and removed from Settings, and `portico run --minimized`."""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys

from desktop.instance import autostart
from tests.helpers.fixtures import spatialchat_toml, wait_ready, write_config
from tests.helpers.paths import ROOT
from tests.helpers.sites import probe_url


def read_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign] - keys are case-sensitive
    parser.read_string(autostart.entry_path().read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_the_general_tab_writes_and_removes_the_login_entry(run_shell, probe_server, tmp_path, qtbot, xdg_root):
    assert autostart.autostart_dir() == xdg_root / "xdg_config_home" / "autostart"  # XDG_CONFIG_HOME honoured
    autostart.disable()
    shell = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server))))
    wait_ready(qtbot, shell.views["room"])
    shell.complete()
    dialog = shell.desktop.show_settings()
    assert not dialog.autostart.isChecked()
    dialog.autostart.setChecked(True)
    assert dialog.save_general()
    entry = read_entry()
    assert entry["Type"] == "Application" and entry["Name"] == "Portico" and entry["Terminal"] == "false"
    argv = shlex.split(entry["Exec"])
    assert argv[-4:] == ["run", "--minimized", "--config", str(shell.config.path)]  # not the default config
    assert argv[0] == sys.executable and argv[1:3] == ["-m", "desktop"]  # a checkout's venv
    # What the desktop would run at login starts (here: --version, a real start is below).
    assert subprocess.run([*argv[:3], "--version"], capture_output=True, text=True, cwd=ROOT).returncode == 0
    dialog.autostart.setChecked(False)
    assert dialog.save_general()
    assert not autostart.entry_path().exists()


def test_exec_quoting_follows_the_desktop_entry_spec():
    line = autostart._exec_line(["/opt/My Apps/portico", "run", "--config", '/home/a"b/100%.toml'])
    assert line == '"/opt/My Apps/portico" run --config "/home/a\\"b/100%%.toml"'


def test_run_minimized_starts_minimized_and_its_provider_runs(probe_server, tmp_path):
    config = write_config(tmp_path, spatialchat_toml(probe_url(probe_server, hello="1")))
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"))
    events = tmp_path / "events.jsonl"
    run = subprocess.run([sys.executable, "-m", "desktop", "run", "--minimized", "--quit-after", "5", "--config",
                          str(config.path), "--event-log", str(events)], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=90)
    assert run.returncode == 0, run.stderr[-2000:]
    # Offscreen has no tray: the window starts minimized, and the provider still starts and talks.
    assert "portico: started minimized" in run.stderr
    assert '"requestId": "hello"' in events.read_text(encoding="utf-8")
