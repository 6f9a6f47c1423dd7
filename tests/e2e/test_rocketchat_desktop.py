"""Rocket.Chat's desktop mode: the client top-level on a server whose administrator changed nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from desktop.demo.rocketchat import (
    DEMO_PASSWORD,
    INTEGRATION_SETTINGS,
    RocketChatServer,
    RocketChatSimulator,
    start_server,
)
from desktop.providers.rocketchat.events import LoggedIn, NotificationEvent, ServerInfo, StatusChanged
from desktop.providers.rocketchat.server import CommandError
from tests.helpers.fixtures import frame_eval
from tests.helpers.rocketchat import rc_toml, signed_in, start_rc

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")


@pytest.fixture
def default_server() -> Iterator[tuple[RocketChatServer, RocketChatSimulator]]:
    """Rocket.Chat's own defaults: Iframe Integration off, framing refused (X-Frame-Options)."""
    server, simulator = start_server(poll_ms=100)
    yield server, simulator
    server.stop()


def sim_state(qtbot: Any, view: Any) -> dict[str, Any]:
    return frame_eval(qtbot, view, "JSON.stringify(window.rcSim.state())")


def shown_notifications(shell: Any) -> list[Any]:
    shown: list[Any] = []
    shell.hub.notification_requested.connect(lambda pid, n: shown.append(n) if pid == "rc" else None)
    return shown


def test_a_default_server_is_hosted_top_level_with_everything_working(default_server, run_shell, tmp_path, qtbot):
    server, sim = default_server
    toml = rc_toml(server.origin) + '[provider.hide_actions]\nroom = ["start-call"]\n'
    shell, provider, view, r = start_rc(run_shell, tmp_path, toml, {"password": DEMO_PASSWORD})
    shown = shown_notifications(shell)
    signed_in(qtbot, view, provider)
    # auto chose desktop mode, and says why (status panel, plugins, event log).
    assert provider.integration == "desktop" and view.top_level
    info = r.of(ServerInfo)[0]
    assert info.mode == "desktop" and "X-Frame-Options: sameorigin" in info.mode_reason
    assert "desktop mode: the server refuses to be framed" in provider.about
    # The whole client (not the embedded layout) is the page itself; the URL login's token was
    # stripped from the address by the client.
    state = sim_state(qtbot, view)
    assert state["loggedIn"] and not state["embedded"] and state["path"] == "/channel/general"
    assert "resumeToken" not in view.page.url().toString()
    assert view.page.url().toString().startswith(server.origin + "/channel/general")
    assert len(r.of(LoggedIn)) == 1
    # The badge follows the client's window events (general is on screen: read).
    qtbot.waitUntil(lambda: shell.hub.unread("rc") == 3)
    # hide_actions: overrideUi reaches the client's window listener.
    qtbot.waitUntil(lambda: frame_eval(qtbot, view, "window.rcSim.isHidden('roomToolbox', 'start-call')") is True)
    assert frame_eval(qtbot, view, "window.rcSim.isHidden('roomToolbox', 'discussion')") is False

    # go: the client's router moves, without reloading the page.
    frame_eval(qtbot, view, "window.__same_document = 1")
    provider.go("/channel/random")
    qtbot.waitUntil(lambda: sim_state(qtbot, view)["currentRoom"] == "random")
    assert frame_eval(qtbot, view, "window.__same_document") == 1
    with pytest.raises(CommandError, match="Iframe Integration"):
        provider.logout()
    # A status goes through the REST API; the client hears of it as usual.
    provider.set_user_status("away")
    qtbot.waitUntil(lambda: any(e.status == "away" for e in r.of(StatusChanged)), timeout=10_000)

    # A direct message (a room not on screen): the client's notification event and its web
    # Notification (tagged with the message id) become one notification.
    message = sim.incoming("grace", "lunch at noon?")
    qtbot.waitUntil(lambda: any(e.message_id == message["_id"] for e in r.of(NotificationEvent)), timeout=10_000)
    qtbot.waitUntil(lambda: message["_id"] in sim_state(qtbot, view)["webNotifications"], timeout=10_000)
    qtbot.waitUntil(lambda: provider.notify_once.suppressed >= 1, timeout=5_000)
    qtbot.wait(1_500)  # past the web Notification's wait: it must not come after all
    mine = [n for n in shown if "lunch at noon?" in n.body]
    assert len(mine) == 1 and mine[0].action["path"].startswith("/direct/")
    # Clicking it opens the room (go, in desktop mode).
    provider.activate_notification(mine[0].action)
    qtbot.waitUntil(lambda: sim_state(qtbot, view)["currentRoom"] == "grace")
    assert view.bridge.dropped == {} or set(view.bridge.dropped) <= {"unknown-event-name"}


def test_a_web_notification_no_event_announced_is_shown_and_its_click_runs_the_page(default_server, run_shell,
                                                                                    tmp_path, qtbot):
    server, sim = default_server
    shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": DEMO_PASSWORD})
    shown = shown_notifications(shell)
    signed_in(qtbot, view, provider)
    frame_eval(qtbot, view, """(function () { const n = new Notification('Test notification',
        {body: 'it works', tag: 'abcdef123'}); n.onclick = function () { window.__clicked = 1; };
        window.__kept = n; return 1; })()""")
    qtbot.waitUntil(lambda: any(n.title == "Test notification" for n in shown), timeout=5_000)
    note = next(n for n in shown if n.title == "Test notification")
    assert note.body == "it works"
    provider.activate_notification(note.action)
    qtbot.waitUntil(lambda: frame_eval(qtbot, view, "window.__clicked || 0") == 1)


def test_hostile_window_events_are_dropped(default_server, run_shell, tmp_path, qtbot):
    server, sim = default_server
    shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": DEMO_PASSWORD})
    signed_in(qtbot, view, provider)
    qtbot.waitUntil(lambda: shell.hub.unread("rc") == 3)
    before = dict(view.bridge.dropped)
    # Not a CustomEvent, and a CustomEvent bubbling up from an element: dropped, not counted.
    frame_eval(qtbot, view, """(function () {
        window.dispatchEvent(new Event('unread-changed'));
        document.body.dispatchEvent(new CustomEvent('unread-changed', {detail: 42, bubbles: true}));
        return 1; })()""")
    qtbot.waitUntil(lambda: view.bridge.dropped["wrong-source"] >= before.get("wrong-source", 0) + 2)
    assert shell.hub.unread("rc") == 3
    # A detail with code in it reaches Portico as a structured clone, so the code never runs
    # in Portico's world: it arrives as null (the legacy "no unread" value), never as 99.
    frame_eval(qtbot, view, """(function () { window.dispatchEvent(new CustomEvent('unread-changed',
        {detail: {toJSON: function () { return 99; }, get n() { window.__getter_ran = 1; return 5; }}}));
        return 1; })()""")
    qtbot.waitUntil(lambda: shell.hub.unread("rc") != 3)
    assert shell.hub.unread("rc") != 99 and frame_eval(qtbot, view, "window.__getter_ran || 0") == 0
    # A frame of another origin inside the client cannot reach the window's listeners at all.
    # Events on a subframe's window (even a same-origin one) never reach the top window's.
    unread = shell.hub.unread("rc")
    frame_eval(qtbot, view, """(function () { const f = document.createElement('iframe');
        document.body.append(f);
        f.contentWindow.dispatchEvent(new CustomEvent('unread-changed', {detail: 7}));
        return 1; })()""")
    qtbot.wait(500)
    assert shell.hub.unread("rc") == unread


@pytest.mark.parametrize("settings, option, mode", [
    (INTEGRATION_SETTINGS, "auto", "iframe"),
    ({**INTEGRATION_SETTINGS, "Iframe_Restrict_Access": True}, "auto", "desktop"),
    ({**INTEGRATION_SETTINGS, "Iframe_Integration_receive_enable": False}, "auto", "desktop"),
    (INTEGRATION_SETTINGS, "desktop", "desktop"),
])
def test_auto_picks_the_mode_the_server_allows(run_shell, tmp_path, qtbot, settings, option, mode):
    server, sim = start_server(settings=settings, poll_ms=100)
    try:
        shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin, integration=option),
                                            {"password": DEMO_PASSWORD})
        signed_in(qtbot, view, provider)
        assert provider.integration == mode and view.top_level == (mode == "desktop")
        assert sim_state(qtbot, view)["embedded"] == (mode == "iframe")
        qtbot.waitUntil(lambda: shell.hub.unread("rc") == 3)
        # With Send on, a top-level client also posts each event to itself: still heard once.
        qtbot.wait(300)
        assert len(r.of(LoggedIn)) == 1
    finally:
        server.stop()
