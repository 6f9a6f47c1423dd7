"""Plugins: discovery (a pip-installed entry point, the user's folder), isolation, decision hooks, DND, run-command, event log, settings tab."""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTime, QUrl

from desktop.app import Shell
from desktop.config import ConfigError, load_config
from desktop.contract import Notification, OutboundMessage, ProviderEvent
from desktop.plugins.builtin.notifications import in_quiet_hours, parse_hhmm
from desktop.plugins.manager import MAX_FAILURES
from desktop.secret import Secret
from tests.helpers.fixtures import frame_eval, read_event_log, received, spatialchat_toml, wait_ready, write_config
from tests.helpers.packages import EXAMPLES, installed
from tests.helpers.sites import probe_url

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

EXAMPLE = EXAMPLES / "portico-mention-counter"


@pytest.fixture(scope="session")
def example_installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pathlib.Path]:
    """The example plugin installed as pip lays it out (a real ``.dist-info`` with its entry point)."""
    with installed(EXAMPLE, tmp_path_factory.mktemp("site")) as target:
        yield target


@pytest.fixture
def make_shell(run_shell: Any, probe_server: Any, tmp_path: pathlib.Path, qtbot: Any) -> Any:
    """A running Shell with one provider ``room``, the given ``[plugins]`` TOML
    and optionally a plugins folder and an event log."""
    def make(plugins_toml: str = "", folder: pathlib.Path | None = None, event_log: pathlib.Path | None = None) -> Shell:
        config = write_config(tmp_path, spatialchat_toml(probe_url(probe_server)) + plugins_toml)
        shell = Shell(config, event_log=event_log, profile_root=tmp_path / f"profiles{len(run_shell.shells)}",
                      plugin_folder=folder)
        shell.open_external = lambda url: True
        run_shell.shells.append(shell)
        # Started and loaded: closing a Shell whose views never started can crash Chromium
        # (a segfault in about one run in four when it is the process's first Shell).
        shell.start(show=True)
        wait_ready(qtbot, shell.views["room"])
        return shell
    return make


def folder_with(tmp_path: pathlib.Path, **plugins: str) -> pathlib.Path:
    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    for name, source in plugins.items():
        (folder / f"{name.replace('_', '-')}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return folder


def line_of(path: pathlib.Path | None, text: str) -> int:
    assert path is not None
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(text))


def shown(shell: Shell) -> list[tuple[str, str, str]]:
    return [(s.provider_id, s.notification.title, s.notification.body) for s in shell.presenter.history]


# --- discovery -------------------------------------------------------------------------------


def test_example_plugin_from_its_entry_point_counts_mentions_and_posts_a_summary(example_installed, make_shell):
    shell = make_shell('''
[plugins]
enabled = ["notifications", "mention-counter"]
[plugins.mention-counter]
keyword = "@ada"
every = 2
''')
    source = shell.plugins.sources["mention-counter"]
    assert source.origin == "entry point of portico-mention-counter 1.0.0"
    assert shell.plugins.get("mention-counter") is not None
    shell.hub.notification_requested.emit("room", Notification("Grace", "ping @Ada, lunch?"))
    shell.hub.notification_requested.emit("room", Notification("Linus", "no mention here"))
    assert shown(shell) == [("room", "★ Grace", "ping @Ada, lunch?"), ("room", "Linus", "no mention here")]
    shell.hub.notification_requested.emit("room", Notification("Alan", "@ada see this"))
    assert shown(shell)[-2:] == [("room", "★ Alan", "@ada see this"), ("", "2 mentions of @ada", "Room room: 2")]
    # Its menu action (the Plugins menu) posts the summary on demand.
    menu = next(a.menu() for a in shell.window.menuBar().actions() if a.text() == "P&lugins")
    [action] = menu.actions()
    action.trigger()
    assert shown(shell)[-1] == ("", "2 mentions of @ada", "Room room: 2")
    info = {i.name: i for i in shell.plugins.infos()}["mention-counter"]
    assert info.active and info.description.startswith("Counts notifications that mention you")


def test_example_plugin_settings_are_validated_with_file_line_and_key(example_installed, make_shell, tmp_path):
    with pytest.raises(ConfigError) as error:
        make_shell('''
[plugins]
enabled = ["mention-counter"]
[plugins.mention-counter]
every = 0
''')
    assert error.value.key == "plugins.mention-counter.every"
    assert error.value.line == line_of(tmp_path / "config.toml", "every = 0")
    assert "at least 1" in str(error.value)


def test_a_plugin_from_the_user_folder_rewrites_and_suppresses_notifications(make_shell, tmp_path):
    folder = folder_with(tmp_path, shouty='''
        import dataclasses
        from desktop.plugins import API_VERSION, hookimpl

        class Plugin:
            """Shouts, and drops spam."""
            api_version = API_VERSION

            @hookimpl(tryfirst=True)
            def portico_notification(self, request):
                if "spam" in request.notification.title:
                    request.suppress("spam")
                else:
                    request.notification = dataclasses.replace(
                        request.notification, body=request.notification.body.upper())
    ''')
    shell = make_shell('[plugins]\nenabled = ["notifications", "shouty"]\n', folder=folder)
    assert shell.plugins.sources["shouty"].origin == str(folder / "shouty.py")
    suppressed: list[Any] = []
    shell.plugins.notification_suppressed.connect(lambda *args: suppressed.append(args))
    shell.presenter.on_screen = lambda _pid: False  # the window is on another workspace: the banner speaks
    shell.hub.notification_requested.emit("room", Notification("Ada", "quiet words"))
    shell.hub.notification_requested.emit("room", Notification("spam offer", "buy"))
    assert shown(shell) == [("room", "Ada", "QUIET WORDS")]
    assert suppressed == [("room", Notification("spam offer", "buy"), "shouty")]
    assert shell.window.banner.label.text() == "Ada: QUIET WORDS"


def test_a_plugin_not_enabled_is_not_loaded_and_a_missing_one_is_reported(make_shell, tmp_path):
    folder = folder_with(tmp_path, boom='raise RuntimeError("imported although not enabled")\n')
    shell = make_shell('[plugins]\nenabled = ["notifications", "not-installed"]\n', folder=folder)
    assert "boom" in shell.plugins.sources and shell.plugins.get("boom") is None
    assert "“not-installed” is enabled in the config but is not installed" in shell.window.notice.label.text()
    assert [i.name for i in shell.plugins.infos() if i.active] == ["notifications"]


# --- isolation -------------------------------------------------------------------------------

FLAKY = '''
    from desktop.plugins import API_VERSION, hookimpl

    class Plugin:
        api_version = API_VERSION

        def __init__(self):
            self.calls = 0

        @hookimpl
        def portico_activate(self, context):
            context.hub.unread_changed.connect(self.on_unread)

        def on_unread(self, provider_id, count):
            self.calls += 1
            raise ValueError(f"cannot count {count}")

        @hookimpl
        def portico_notification(self, request):
            raise KeyError("broken hook")
'''


def test_a_raising_plugin_is_isolated_counted_and_disabled_with_a_notice(make_shell, tmp_path, caplog):
    shell = make_shell('[plugins]\nenabled = ["notifications", "flaky"]\n', folder=folder_with(tmp_path, flaky=FLAKY))
    flaky = shell.plugins.get("flaky")
    failed: list[tuple[str, str]] = []
    disabled: list[tuple[str, str]] = []
    shell.plugins.plugin_failed.connect(lambda *args: failed.append(args))
    shell.plugins.plugin_disabled.connect(lambda *args: disabled.append(args))
    # Its hook raises: the notification is still shown; its slot raises: the sidebar still counts.
    shell.hub.notification_requested.emit("room", Notification("Ada", "hello"))
    assert shown(shell) == [("room", "Ada", "hello")]
    shell.providers["room"].set_unread(2)
    assert shell.window.sidebar.unread("room") == 2
    assert [name for name, _ in failed] == ["flaky", "flaky"]
    assert any(r.name == "portico.plugins" and "plugin flaky" in r.getMessage() and "KeyError" in r.getMessage()
               for r in caplog.records)
    shell.providers["room"].set_unread(3)  # the third failure turns it off
    assert len(failed) == MAX_FAILURES and [name for name, _ in disabled] == ["flaky"]
    assert "ValueError: cannot count 3" in disabled[0][1]
    assert shell.plugins.get("flaky") is None and "flaky" in shell.plugins.disabled
    assert "Plugin “flaky” was turned off" in shell.window.notice.label.text() and shell.window.notice.isVisibleTo(shell.window)
    # Disconnected: its slot runs no more; the others go on.
    shell.providers["room"].set_unread(4)
    shell.hub.notification_requested.emit("room", Notification("Ada", "again"))
    assert flaky.calls == 2 and len(failed) == MAX_FAILURES and shown(shell)[-1] == ("room", "Ada", "again")
    info = {i.name: i for i in shell.plugins.infos()}["flaky"]
    assert not info.active and info.disabled_reason
    # Saving unrelated settings does not bring it back; enabling it again does.
    shell.plugins.apply(shell.config)
    assert shell.plugins.get("flaky") is None
    shell.plugins.apply(dataclasses.replace(shell.config, plugins={"enabled": ["notifications"]}))
    shell.plugins.apply(shell.config)
    assert shell.plugins.get("flaky") is not None and "flaky" not in shell.plugins.disabled


def test_plugins_that_cannot_run_are_refused_with_a_reason(make_shell, tmp_path):
    folder = folder_with(tmp_path, future='''
        class Plugin:
            api_version = 99
    ''', typo='''
        from desktop.plugins import API_VERSION, hookimpl
        class Plugin:
            api_version = API_VERSION
            @hookimpl
            def portico_notifcation(self, request):
                pass
    ''', badargs='''
        from desktop.plugins import API_VERSION, hookimpl
        class Plugin:
            api_version = API_VERSION
            @hookimpl
            def portico_notification(self, request, extra):
                pass
    ''', halfway='''
        from desktop.plugins import API_VERSION, hookimpl
        class Plugin:
            api_version = API_VERSION
            @hookimpl
            def portico_activate(self, context):
                context.add_menu_action("Half", print)
                raise RuntimeError("no config for me")
    ''', broken='import nonexistent_module_for_portico_tests\n')
    shell = make_shell('[plugins]\nenabled = ["future", "typo", "badargs", "halfway", "broken", "notifications"]\n',
                       folder=folder)
    reasons = shell.plugins.disabled
    assert "needs plugin API 99" in reasons["future"]
    assert "unknown hooks: portico_notifcation" in reasons["typo"]
    assert "hooks are invalid" in reasons["badargs"]
    assert "could not be loaded (ModuleNotFoundError" in reasons["broken"]
    assert "portico_activate raised" in reasons["halfway"] and shell.plugins.get("halfway") is None
    assert shell.window.menuBar().actions()[-1].menu().actions() == []  # its action was taken back
    assert shell.plugins.get("notifications") is not None


def test_a_slow_hook_is_reported(make_shell, tmp_path, caplog):
    folder = folder_with(tmp_path, slow='''
        import time
        from desktop.plugins import API_VERSION, hookimpl
        class Plugin:
            api_version = API_VERSION
            @hookimpl
            def portico_notification(self, request):
                time.sleep(0.08)
    ''')
    shell = make_shell('[plugins]\nenabled = ["notifications", "slow"]\n', folder=folder)
    slow: list[Any] = []
    shell.plugins.slow_call.connect(lambda *args: slow.append(args))
    shell.hub.notification_requested.emit("room", Notification("Ada", "hi"))
    assert [(name, what) for name, what, _ms in slow] == [("slow", "portico_notification")]
    assert any("plugin slow: portico_notification took" in r.getMessage() for r in caplog.records)
    assert shown(shell) == [("room", "Ada", "hi")]


def test_a_plugin_drives_a_provider_from_a_real_frame_event(make_shell, tmp_path, qtbot):
    folder = folder_with(tmp_path, nametag='''
        import dataclasses
        from desktop.plugins import API_VERSION, hookimpl

        class Plugin:
            """Answers SpatialChat's get_user_info with a name tag, through the provider's typed command."""
            api_version = API_VERSION

            @hookimpl
            def portico_activate(self, context):
                self.context = context
                context.hub.event_received.connect(self.on_event)

            def on_event(self, provider_id, kind, event):
                if kind == "spatialchat" and event.name == "get_user_info":
                    provider = self.context.providers[provider_id]
                    provider.set_user(dataclasses.replace(provider.user, about="answered via a plugin"))
    ''')
    shell = make_shell('[plugins]\nenabled = ["nametag"]\n', folder=folder)
    view = shell.views["room"]
    frame_eval(qtbot, view, "sendToParent({name: 'get_user_info', requestId: 'tag1'})")
    qtbot.waitUntil(lambda: any(m["data"].get("requestId") == "tag1" for m in received(qtbot, view)))
    [answer] = [m["data"] for m in received(qtbot, view) if m["data"].get("requestId") == "tag1"]
    assert answer["name"] == "user_info" and answer["data"]["about"] == "answered via a plugin"


def test_a_navigation_hook_vetoes_external_links(make_shell, tmp_path):
    folder = folder_with(tmp_path, gate='''
        from desktop.plugins import API_VERSION, hookimpl
        class Plugin:
            api_version = API_VERSION
            def __init__(self):
                self.asked = []
            @hookimpl
            def portico_external_link(self, provider_id, url):
                self.asked.append((provider_id, url))
                return False if "blocked.example" in url else None
    ''')
    shell = make_shell('[plugins]\nenabled = ["gate"]\n', folder=folder)
    opened: list[str] = []
    shell.external_url_opened.connect(lambda url: opened.append(url.toString()))
    view = shell.views["room"]
    view.external_url_requested.emit(QUrl("https://blocked.example/x"))
    view.external_url_requested.emit(QUrl("https://fine.example/y"))
    assert opened == ["https://fine.example/y"]
    assert shell.plugins.get("gate").asked == [("room", "https://blocked.example/x"), ("room", "https://fine.example/y")]


def test_badges_and_provider_menu_actions_are_undone_when_the_plugin_goes(make_shell, tmp_path):
    folder = folder_with(tmp_path, badger='''
        from desktop.plugins import API_VERSION, hookimpl
        class Plugin:
            api_version = API_VERSION
            def __init__(self):
                self.clicked = 0
            @hookimpl
            def portico_activate(self, context):
                context.set_badge("room", 42)
                context.add_menu_action("Count me", self.click, provider_id="room")
            def click(self):
                self.clicked += 1
    ''')
    shell = make_shell('[plugins]\nenabled = ["badger"]\n', folder=folder)
    shell.providers["room"].set_unread(3)
    assert shell.window.sidebar.unread("room") == 42
    actions = dict(shell._menu_actions(shell.providers["room"]))
    actions["Count me"]()
    assert shell.plugins.get("badger").clicked == 1
    shell.plugins.apply(dataclasses.replace(shell.config, plugins={"enabled": []}))
    assert shell.plugins.get("badger") is None and shell.window.sidebar.unread("room") == 3
    assert "Count me" not in dict(shell._menu_actions(shell.providers["room"]))


def test_tray_plugin_counts_unread_toggles_the_window_and_lists_providers(make_shell):
    from PySide6.QtWidgets import QSystemTrayIcon
    shell = make_shell()  # the default plugins: notifications and tray
    icon = shell.plugins.get("tray").icon
    assert "tray" in [a.name for a in shell.presenter._chain()]  # the fallback after D-Bus, before the banner
    shell.providers["room"].set_unread(3)
    assert icon.toolTip() == "Portico – 3 unread"
    assert shell.window.isVisible()
    icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert not shell.window.isVisible()
    [room] = icon.providers_menu.actions()
    assert room.text() == "Room room"
    room.trigger()
    assert shell.window.isVisible() and shell.window.current_id() == "room"
    shell.plugins.apply(dataclasses.replace(shell.config, plugins={"enabled": ["notifications"]}))
    assert "tray" not in [a.name for a in shell.presenter._chain()]


# --- notifications: do not disturb, mute ---------------------------------------------------------


@pytest.mark.parametrize(("now", "start", "end", "quiet"), [
    ("23:00", "22:00", "07:00", True), ("06:59", "22:00", "07:00", True), ("07:00", "22:00", "07:00", False),
    ("12:00", "22:00", "07:00", False), ("22:00", "22:00", "07:00", True), ("13:30", "13:00", "14:00", True),
    ("14:00", "13:00", "14:00", False), ("09:00", "09:00", "09:00", False),
])
def test_quiet_hours_cross_midnight(now, start, end, quiet):
    assert in_quiet_hours(parse_hhmm(now), parse_hhmm(start), parse_hhmm(end)) is quiet


def test_do_not_disturb_schedule_and_per_provider_mute(make_shell):
    shell = make_shell('''
[plugins]
enabled = ["notifications"]
[plugins.notifications]
quiet_hours = true
quiet_from = "22:00"
quiet_until = "07:00"
''')
    plugin = shell.plugins.get("notifications")
    plugin.clock = lambda: parse_hhmm("12:00")
    shell.hub.notification_requested.emit("room", Notification("noon", ""))
    plugin.clock = lambda: parse_hhmm("23:30")
    shell.hub.notification_requested.emit("room", Notification("night", ""))
    assert [title for _p, title, _b in shown(shell)] == ["noon"] and plugin.suppressed == 1
    # A plugin's own notification is quiet too during do-not-disturb.
    plugin.clock = lambda: parse_hhmm("03:00")
    assert not plugin.context.notify("from a plugin")
    plugin.settings = dataclasses.replace(plugin.settings, quiet_hours=False, muted=["room"])
    shell.hub.notification_requested.emit("room", Notification("muted", ""))
    assert plugin.context.notify("not from a provider")
    plugin.settings = dataclasses.replace(plugin.settings, muted=[], do_not_disturb=True)
    shell.hub.notification_requested.emit("room", Notification("dnd", ""))
    assert [title for _p, title, _b in shown(shell)] == ["noon", "not from a provider"]


def test_do_not_disturb_times_are_validated(make_shell, tmp_path):
    with pytest.raises(ConfigError) as error:
        make_shell('[plugins.notifications]\nquiet_from = "25:00"\n')
    assert (error.value.key, error.value.line) == ("plugins.notifications.quiet_from",
                                                   line_of(tmp_path / "config.toml", "quiet_from"))
    with pytest.raises(ConfigError) as error:
        make_shell('[plugins.notifications]\nmute = ["room"]\n')
    assert error.value.key == "plugins.notifications.mute" and "not a known setting" in error.value.message
    with pytest.raises(ConfigError) as error:
        make_shell('[plugins]\nenabled = "tray"\n')
    assert (error.value.key, error.value.line) == ("plugins.enabled", line_of(tmp_path / "config.toml", "enabled"))


# --- run command ----------------------------------------------------------------------------------

RECORDER = '''
import json, os, sys
data = sys.stdin.read()
with open(sys.argv[1], "a", encoding="utf-8") as fh:
    fh.write(json.dumps({"argv": sys.argv[1:], "stdin": data, "pid": os.getpid()}) + "\\n")
'''
SLEEPER = '''
import os, sys, time
with open(sys.argv[1], "w") as fh:
    fh.write(str(os.getpid()))
time.sleep(120)
'''


def test_run_command_gets_the_event_as_json_on_stdin_without_a_shell(make_shell, tmp_path, qtbot):
    (tmp_path / "recorder.py").write_text(RECORDER)
    out = tmp_path / "out.jsonl"
    shell = make_shell(f'''
[plugins]
enabled = ["run-command"]
[[plugins.run-command.commands]]
argv = [{json.dumps(sys.executable)}, {json.dumps(str(tmp_path / "recorder.py"))}, {json.dumps(str(out))}, "$HOME;id"]
events = ["notification_requested", "probe_event"]
''')
    runner = shell.plugins.get("run-command").runner
    body = 'hi $(touch pwned) `id` "; rm -rf ~'
    with qtbot.waitSignal(runner.finished, timeout=10_000) as done:
        shell.hub.notification_requested.emit("room", Notification("Ada", body, tag="t1"))
    assert done.args == [sys.executable, 0, False]
    [line] = [json.loads(x) for x in out.read_text().splitlines()]
    assert line["argv"] == [str(out), "$HOME;id"]  # passed as is: no shell ever saw it
    event = json.loads(line["stdin"])
    assert set(event) == {"time", "provider", "kind", "direction", "name", "data"}
    assert (event["provider"], event["kind"], event["direction"], event["name"]) == \
        ("room", "spatialchat", "in", "notification_requested")
    assert event["data"] == {"title": "Ada", "body": body, "tag": "t1"}
    assert not (tmp_path / "pwned").exists() and not pathlib.Path("pwned").exists()

    @dataclasses.dataclass(frozen=True)
    class ProbeEvent(ProviderEvent):
        name = "probe_event"
        password: str = ""
        note: str = ""

    secret = Secret("pw-RUN-1")
    with qtbot.waitSignal(runner.finished, timeout=10_000):
        shell.hub.event_received.emit("room", "spatialchat", ProbeEvent(password=secret.reveal(), note="n"))
    second = json.loads(json.loads(out.read_text().splitlines()[1])["stdin"])
    assert second["name"] == "probe_event" and second["data"] == {"password": "***", "note": "n"}
    # Not chosen: nothing runs.
    shell.providers["room"].set_unread(1)
    assert len(out.read_text().splitlines()) == 2 and not runner.running


def test_run_command_is_killed_at_its_timeout(make_shell, tmp_path, qtbot):
    (tmp_path / "sleeper.py").write_text(SLEEPER)
    pid_file = tmp_path / "pid"
    shell = make_shell(f'''
[plugins]
enabled = ["run-command"]
[[plugins.run-command.commands]]
argv = [{json.dumps(sys.executable)}, {json.dumps(str(tmp_path / "sleeper.py"))}, {json.dumps(str(pid_file))}]
events = ["unread_changed"]
providers = ["room"]
timeout_seconds = 0.5
''')
    runner = shell.plugins.get("run-command").runner
    with qtbot.waitSignal(runner.finished, timeout=20_000) as done:
        shell.providers["room"].set_unread(5)
    program, code, timed_out = done.args
    assert (program, code, timed_out) == (sys.executable, -1, True) and runner.timed_out == 1
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_run_command_settings_are_validated(make_shell, tmp_path):
    with pytest.raises(ConfigError) as error:
        make_shell('''
[plugins]
enabled = ["run-command"]
[[plugins.run-command.commands]]
argv = ["true"]
events = ["notification_requested"]
[[plugins.run-command.commands]]
events = ["notification_requested"]
argv = "notify-send"
''')
    assert error.value.key == "plugins.run-command.commands[1].argv" and "must be an array" in error.value.message
    assert error.value.line == line_of(tmp_path / "config.toml", 'argv = "notify-send"')
    with pytest.raises(ConfigError) as error:
        make_shell('''
[plugins]
enabled = ["run-command"]
[[plugins.run-command.commands]]
argv = ["true"]
events = []
''')
    assert error.value.key == "plugins.run-command.commands[0].events"


# --- event log ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _SignIn(ProviderEvent):
    name = "sign_in"
    user: str = ""
    password: str = ""


def test_event_log_plugin_keeps_the_contract(make_shell, tmp_path):
    path = tmp_path / "events.jsonl"
    shell = make_shell(event_log=path)
    assert shell.plugins.get("event-log") is not None and shell.event_log.path == path
    secret = Secret("pw-LOG-7")
    shell.hub.event_received.emit("room", "spatialchat", _SignIn(user="ada", password=secret.reveal()))
    shell.hub.message_sent.emit("room", "spatialchat", OutboundMessage("user_info", {"token": secret.reveal()},
                                                                       frozenset({"token"})))
    shell.hub.message_dropped.emit("room", "spatialchat", "bad-origin", 3)
    lines = read_event_log(path)
    assert [set(line) for line in lines] == [{"time", "provider", "kind", "direction", "name", "data"}] * 3
    assert [(line["direction"], line["name"], line["data"]) for line in lines] == [
        ("in", "sign_in", {"user": "ada", "password": "***"}),
        ("out", "user_info", {"token": "***"}),
        ("in", "dropped", {"reason": "bad-origin", "count": 3}),
    ]
    assert "pw-LOG-7" not in path.read_text()


def test_event_log_from_the_config_and_its_missing_path(make_shell, tmp_path):
    path = tmp_path / "from-config.jsonl"
    shell = make_shell(f'[plugins]\nenabled = ["event-log"]\n[plugins.event-log]\npath = {json.dumps(str(path))}\n')
    shell.hub.message_dropped.emit("room", "spatialchat", "too-big", 1)
    assert [line["name"] for line in read_event_log(path)] == ["dropped"]
    with pytest.raises(ConfigError) as error:
        make_shell('[plugins]\nenabled = ["event-log"]\n')
    assert error.value.key == "plugins.event-log.path" and "is required" in error.value.message


# --- the settings tab -------------------------------------------------------------------------------


def test_settings_tab_enables_plugins_sets_dnd_and_mutes_persisted_to_the_config(make_shell, qtbot):
    shell = make_shell('# my notes\n[plugins]\nenabled = ["notifications", "tray"]  # keep this comment\n')
    path = shell.config.path
    assert shell.plugins.get("tray") is not None
    dialog = shell.desktop.show_settings()
    items = {dialog.plugin_list.item(i).data(Qt.ItemDataRole.UserRole): dialog.plugin_list.item(i)
             for i in range(dialog.plugin_list.count())}
    assert set(items) >= {"notifications", "tray", "event-log", "run-command"}
    assert items["tray"].checkState() == Qt.CheckState.Checked
    items["tray"].setCheckState(Qt.CheckState.Unchecked)
    dialog.plugin_pages["notifications"].dnd.setChecked(True)
    dialog.plugin_pages["notifications"].quiet_hours.setChecked(True)
    dialog.plugin_pages["notifications"].quiet_from.setTime(QTime(21, 30))
    dialog.plugin_pages["notifications"].quiet_until.setTime(QTime(6, 15))
    dialog.plugin_pages["notifications"].mute_list.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dialog.saved):
        assert dialog.save_plugins()
    text = path.read_text()
    assert "# my notes" in text and "# keep this comment" in text
    plugins = load_config(path).plugins
    assert plugins["enabled"] == ["notifications"]
    assert plugins["notifications"] == {"do_not_disturb": True, "quiet_hours": True, "quiet_from": "21:30",
                                        "quiet_until": "06:15", "muted": ["room"]}
    # Applied at once: the tray is gone, notifications run with the new settings.
    assert shell.plugins.get("tray") is None
    assert shell.plugins.get("notifications").settings.muted == ["room"]
    shell.hub.notification_requested.emit("room", Notification("muted now", ""))
    assert shown(shell) == []
    # Enabling the event log without a path is refused, with the key, and the file is unchanged.
    items["event-log"].setCheckState(Qt.CheckState.Checked)
    assert not dialog.save_plugins()
    assert "plugins.event-log.path" in dialog.plugins_error.text() and path.read_text() == text
    # Opened again: it shows what the file says, not the unsaved ticks.
    dialog.reject()
    dialog = shell.desktop.show_settings()
    ticked = [dialog.plugin_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.plugin_list.count())
              if dialog.plugin_list.item(i).checkState() == Qt.CheckState.Checked]
    assert ticked == ["notifications"] and dialog.plugin_pages["notifications"].dnd.isChecked() and dialog.plugin_pages["notifications"].quiet_from.time() == QTime(21, 30)
    assert dialog.plugins_error.isHidden()


def test_doctor_checks_the_plugin_settings(tmp_path, monkeypatch):
    from desktop.doctor import check_plugins
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # no user plugins folder
    path = tmp_path / "config.toml"
    path.write_text('[plugins]\nenabled = ["notifications"]\n[plugins.notifications]\nquiet_until = "7am"\n')
    check = check_plugins(path)
    assert not check.ok and check.detail.startswith(f"{path}:4: plugins.notifications.quiet_until:")
    path.write_text('[plugins]\nenabled = ["notifications", "gone"]\n')
    check = check_plugins(path)
    assert not check.ok and check.detail == "enabled but not installed: gone"
    path.write_text('[plugins]\nenabled = ["tray"]\n')
    assert check_plugins(path).ok
