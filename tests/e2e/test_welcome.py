"""The first run: no provider configured, the welcome page adds the first one (the settings editor) and it starts at once."""

from __future__ import annotations

import tomllib

from PySide6.QtWidgets import QLineEdit

from desktop.config import Config
from tests.helpers.fixtures import wait_ready
from tests.helpers.sites import probe_url


def test_an_empty_config_shows_the_welcome_page_which_adds_and_starts_a_provider(run_shell, probe_server, tmp_path,
                                                                                 qtbot):
    path = tmp_path / "config.toml"  # not there yet: a first run (the default file, which may be missing)
    shell = run_shell(Config(path=path, providers=()))
    qtbot.waitUntil(lambda: shell.is_complete, timeout=10_000)
    window = shell.window
    page = window.welcome
    assert page is not None and window.stack.currentWidget() is page and page.isVisible()
    assert set(page.add_buttons) >= {"rocketchat", "spoki", "spatialchat", "postmessage"}
    assert page.add_buttons["rocketchat"].text() == "Add a Rocket.Chat server"
    page.add_buttons["spatialchat"].click()
    editor = shell.welcome_editor
    assert editor is not None and editor.isVisible() and "SpatialChat" in editor.windowTitle()
    inputs = editor.inputs
    assert isinstance(inputs["id"], QLineEdit)
    inputs["id"].setText("room")
    inputs["url"].setText("not a url")
    editor.save()
    assert "provider[0].url" in editor.error.text() and not path.exists()  # nothing written
    inputs["url"].setText(probe_url(probe_server))
    editor.save()
    assert [p["id"] for p in tomllib.loads(path.read_text(encoding="utf-8"))["provider"]] == ["room"]
    # It starts at once, in the sidebar, shown; the welcome page is gone.
    view = shell.views["room"]
    wait_ready(qtbot, view)
    assert window.welcome is None and window.current_id() == "room" and window.sidebar.ids() == ["room"]
    assert shell.desktop.reconnectors["room"] and shell.desktop.titles["room"] == "SpatialChat site"


def test_the_welcome_page_starts_the_demo_as_its_own_process(run_shell, tmp_path, qtbot):
    import subprocess  # noqa: PLC0415
    shell = run_shell(Config(path=tmp_path / "config.toml", providers=()))
    qtbot.waitUntil(lambda: shell.is_complete, timeout=10_000)
    started: list[list[str]] = []
    shell.start_detached = lambda argv: bool(started.append(argv)) or True
    shell.window.welcome.demo_button.click()
    assert started and started[0][-1] == "demo" and "own window" in shell.window.notice.label.text()
    # What would start is a working command (asked for its help, not run: the demo runs until closed).
    check = subprocess.run([*started[0], "--help"], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and check.stdout.startswith("usage: portico demo"), check.stdout


def test_settings_add_starts_the_new_provider_without_a_restart(run_shell, probe_server, tmp_path, qtbot):
    from tests.helpers.fixtures import spatialchat_toml, write_config  # noqa: PLC0415
    shell = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server))))
    wait_ready(qtbot, shell.views["room"])
    shell.complete()
    dialog = shell.desktop.show_settings()
    editor = dialog.edit_provider(None, "spatialchat")
    editor.inputs["id"].setText("second")
    editor.inputs["url"].setText(probe_url(probe_server, room="2"))
    editor.save()
    wait_ready(qtbot, shell.views["second"])
    assert shell.window.current_id() == "second" and shell.window.sidebar.ids() == ["room", "second"]
