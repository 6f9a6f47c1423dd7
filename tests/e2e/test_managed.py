"""The administrator's managed.toml: merged under the user's config with each value's source, locks kept by every writer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib

import pytest

from desktop.config import ConfigError, load_config, update_provider
from tests.helpers.fixtures import wait_ready
from tests.helpers.paths import ROOT
from tests.helpers.sites import probe_url


@pytest.fixture
def managed(tmp_path, monkeypatch, probe_server):
    """A managed file in a private XDG_CONFIG_DIRS (its first entry has none: the search goes on)."""
    folder = tmp_path / "etc" / "portico"
    folder.mkdir(parents=True)
    path = folder / "managed.toml"
    path.write_text(textwrap.dedent(f'''
        locked = ["settings.hibernate_after_minutes", "provider.work", "provider.docs.url"]

        [settings]
        hibernate_after_minutes = 30
        theme = "dark"

        [[provider]]
        id = "work"
        kind = "spatialchat"
        title = "Work room"
        url = "{probe_url(probe_server, room="work")}"

        [[provider]]
        id = "docs"
        kind = "spatialchat"
        url = "{probe_url(probe_server, room="docs")}"
    '''), encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{tmp_path / 'empty'}:{tmp_path / 'etc'}")
    return path


def user_file(tmp_path, probe_server, extra: str = ""):
    path = tmp_path / "config.toml"
    path.write_text(textwrap.dedent(f'''
        [settings]
        theme = "light"

        [[provider]]
        id = "docs"
        title = "Our docs"

        [[provider]]
        id = "mine"
        kind = "spatialchat"
        url = "{probe_url(probe_server, room="mine")}"
    ''') + extra, encoding="utf-8")
    return path


def test_managed_and_user_config_merge_with_each_values_source(managed, tmp_path, probe_server, run_shell, qtbot):
    config = load_config(user_file(tmp_path, probe_server))
    assert [(p.id, p.title) for p in config.providers] == [("work", "Work room"), ("docs", "Our docs"),
                                                            ("mine", "SpatialChat site")]
    assert dict(config.settings) == {"hibernate_after_minutes": 30, "theme": "light"}
    assert config.source("settings.theme") == "user" and config.source("settings.hibernate_after_minutes") == "managed"
    assert config.source("settings.discard_after_minutes") == "default"
    assert config.source("provider.docs") == "managed" and config.source("provider.docs.title") == "user"
    assert config.source("provider.docs.url") == "managed" and config.source("provider.mine.url") == "user"
    assert config.is_locked("provider.work.url") and config.is_locked("provider.docs.url")
    assert not config.is_locked("provider.docs.title")
    # Every user sees the managed providers: they run like their own.
    shell = run_shell(config)
    wait_ready(qtbot, shell.views["work"])
    shell.complete()
    assert shell.window.sidebar.ids() == ["work", "docs", "mine"]
    assert shell.desktop.preferences.hibernate_after_minutes == 30
    # `portico config show` prints the same, with sources and locks.
    env = dict(os.environ, XDG_CONFIG_DIRS=os.environ["XDG_CONFIG_DIRS"])
    shown = subprocess.run([sys.executable, "-m", "desktop", "config", "show", "--config", str(config.path)],
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == f"# {config.path} over {managed}"
    assert any(line.startswith("hibernate_after_minutes = 30 ") and line.endswith("# managed, locked") for line in lines)
    assert any(line.startswith('theme = "light" ') and line.endswith("# user") for line in lines)
    assert any(line.startswith('title = "Our docs" ') and line.endswith("# user") for line in lines)
    assert any(line.startswith("[[provider]] ") and line.endswith("# managed, locked") for line in lines)


def test_locked_values_cannot_be_changed_by_the_file_the_settings_or_a_write(managed, tmp_path, probe_server,
                                                                             run_shell, qtbot):
    path = user_file(tmp_path, probe_server)
    with pytest.raises(ConfigError) as info:
        load_config(user_file(tmp_path, probe_server, '\n[[provider]]\nid = "work"\ntitle = "Mine now"\n'))
    line = path.read_text(encoding="utf-8").splitlines().index('id = "work"') + 1
    assert f"{path}:{line}: provider[2].id" in str(info.value) and "locked" in str(info.value)
    path = user_file(tmp_path, probe_server)
    before = path.read_text(encoding="utf-8")
    config = load_config(path)
    # A program's write (zoom, a trusted certificate …) to a locked provider is refused, the file unchanged.
    with pytest.raises(ConfigError):
        update_provider(path, "work", {"zoom": 1.5}, managed=config.managed)
    assert path.read_text(encoding="utf-8") == before
    # An unlocked key of a managed provider is the user's: written as an override table.
    config = update_provider(path, "docs", {"zoom": 1.25}, managed=config.managed)
    assert config.providers[1].options["zoom"] == 1.25 and config.source("provider.docs.zoom") == "user"
    shell = run_shell(config)
    wait_ready(qtbot, shell.views["work"])
    shell.complete()
    dialog = shell.desktop.show_settings()
    assert not dialog.remove_provider("work") and not dialog.remove_provider("docs")
    assert "set by your administrator" in dialog.provider_list.item(0).text()
    assert [p["id"] for p in tomllib.loads(path.read_text(encoding="utf-8"))["provider"]] == ["docs", "mine"]
    locked = dialog.edit_provider("work", "spatialchat")
    assert not locked.save_button.isEnabled() and not locked.inputs["url"].isEnabled()
    assert locked.inputs["title"].toolTip() == "Set by your administrator"
    partly = dialog.edit_provider("docs", "spatialchat")
    assert not partly.inputs["url"].isEnabled() and partly.inputs["url"].toolTip() == "Set by your administrator"
    assert partly.inputs["title"].isEnabled() and partly.inputs["title"].text() == "Our docs"
    partly.inputs["title"].setText("Team docs")
    partly.save()
    docs = next(p for p in tomllib.loads(path.read_text(encoding="utf-8"))["provider"] if p["id"] == "docs")
    assert docs == {"id": "docs", "title": "Team docs", "zoom": 1.25}  # only what differs, nothing locked
    # The General tab greys out the locked setting and leaves it out of the user's file.
    assert not dialog.hibernate.isEnabled() and dialog.hibernate.toolTip() == "Set by your administrator"
    assert dialog.save_general()
    assert "hibernate_after_minutes" not in tomllib.loads(path.read_text(encoding="utf-8"))["settings"]


def test_a_broken_managed_file_is_reported_with_its_line_and_portico_refuses_it(managed, tmp_path):
    managed.write_text('locked = ["provider.nobody"]\n\n[[provider]]\nid = "x"\nkind = "spatialchat"\n'
                       'url = "https://a.example"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.toml")
    assert str(info.value).startswith(f"{managed}:1: locked:") and "names no provider" in str(info.value)
    managed.write_text('[[provider]]\nid = "x"\nkind = "spatialchat"\nurl = "ftp://nope"\n', encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, "-m", "desktop", "run", "--headless", "--quit-after", "1", "--config",
                          str(tmp_path / "absent.toml")], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=60)
    assert run.returncode == 2 and f"{managed}:4: provider[0].url" in run.stderr, run.stderr
    doctor = subprocess.run([sys.executable, "-m", "desktop", "doctor"], capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=120)
    assert f"[FAIL] Managed config: {managed}:4:" in doctor.stdout
