"""Hibernation with real pages: a hidden provider is frozen (no script, no events), then discarded, and comes back when selected."""

from __future__ import annotations

import pytest
from PySide6.QtWebEngineCore import QWebEnginePage

from desktop.config import ConfigError
from desktop.shell.lifecycle import Hibernator
from desktop.shell.preferences import Preferences
from tests.helpers.fixtures import frame_eval, frame_poll, spatialchat_toml, wait_ready, write_config
from tests.helpers.sites import probe_url

State = QWebEnginePage.LifecycleState


@pytest.fixture
def pair(run_shell, probe_server, tmp_path, qtbot):
    config = write_config(tmp_path, spatialchat_toml(probe_url(probe_server), "front")
                          + spatialchat_toml(probe_url(probe_server), "back"))
    shell = run_shell(config)
    for view in shell.views.values():
        wait_ready(qtbot, view)
    assert shell.window.current_id() == "front"
    return shell


def test_frozen_provider_sends_nothing_then_discarded_and_restored_on_select(pair, qtbot):
    shell = pair
    back, front = shell.views["back"], shell.views["front"]
    events: list[str] = []
    shell.hub.event_received.connect(lambda pid, _kind, event: events.append(pid))
    # The hidden site asks something every 50 ms, as a chat app polls or pushes badges.
    # The shown site does the same: its messages show that time passes and the bridge is listening.
    for view in (back, front):
        frame_eval(qtbot, view, "setInterval(function () { sendToParent({name: 'get_space_ids'}) }, 50); 1")
    qtbot.waitUntil(lambda: "back" in events and "front" in events)

    hibernator = shell.desktop.hibernator
    hibernator._timer.setInterval(50)
    hibernator.configure(0.2, 0)
    with qtbot.waitSignal(hibernator.state_changed, timeout=5000) as frozen:
        pass
    assert frozen.args == ["back", State.Frozen] and back.lifecycle_state() == State.Frozen
    assert shell.window.sidebar.is_asleep("back") and front.lifecycle_state() == State.Active
    # Freezing is a message to the renderer: what the page posted before it is still on its way.
    qtbot.wait(100)
    events.clear()
    qtbot.waitUntil(lambda: events.count("front") >= 10, timeout=5000)
    assert events.count("back") == 0, "a frozen page ran script"

    hibernator.configure(0.2, 0.3)
    qtbot.waitUntil(lambda: back.lifecycle_state() == State.Discarded, timeout=5000)
    assert back.page.renderProcessPid() == 0 and front.lifecycle_state() == State.Active

    hibernator.configure(0, 0)  # from here on the test looks at the wake-up only
    with qtbot.waitSignal(back.frame_ready, timeout=15_000):
        shell.window.select("back")
    assert back.lifecycle_state() == State.Active and not shell.window.sidebar.is_asleep("back")
    # Chromium restores the frame's last document and the provider then navigates it once more, so a
    # script sent right after frame_ready can be lost with the replaced document: poll.
    frame_poll(qtbot, back, "location.pathname", "/probe")
    # The bridge answers again, so the provider really signed back in.
    events.clear()
    frame_poll(qtbot, back, "sendToParent({name: 'get_user_info', requestId: 'again'}); 1", 1)
    qtbot.waitUntil(lambda: "back" in events)
    assert front.lifecycle_state() == State.Active


def test_a_frozen_provider_thaws_when_selected(pair, qtbot):
    shell = pair
    back = shell.views["back"]
    assert back.set_lifecycle_state(State.Frozen)
    assert not shell.views["front"].set_lifecycle_state(State.Frozen), "the visible page must stay Active"
    shell.window.select("back")
    qtbot.waitUntil(lambda: back.lifecycle_state() == State.Active)
    assert frame_eval(qtbot, back, "1 + 1") == 2


def test_target_state_and_preferences():
    hibernator = Hibernator({}, lambda: None, freeze_after=60, discard_after=600)
    assert hibernator.target_state(10) == State.Active
    assert hibernator.target_state(60) == State.Frozen
    assert hibernator.target_state(601) == State.Discarded
    hibernator.configure(0, 0)
    assert not hibernator.enabled and hibernator.target_state(10**6) == State.Active
    assert Preferences.from_settings({}) == Preferences(0, 0, "system")
    assert Preferences.from_settings({"hibernate_after_minutes": 10, "discard_after_minutes": 60,
                                      "theme": "dark"}).discard_after_minutes == 60
    for bad in ({"hibernate_after_minutes": -1}, {"hibernate_after_minutes": True}, {"theme": "pink"},
                {"hibernate_after_minutes": 30, "discard_after_minutes": 10}):
        with pytest.raises(ConfigError):
            Preferences.from_settings(bad)


def test_settings_errors_name_the_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[[provider]]\nid = "a"\n\n[settings]\n# memory\nhibernate_after_minutes = "soon"\n')
    with pytest.raises(ConfigError) as info:
        Preferences.from_settings({"hibernate_after_minutes": "soon"}, path)
    assert str(info.value).endswith(":6: settings.hibernate_after_minutes: must be a number of minutes (0 = never)")
