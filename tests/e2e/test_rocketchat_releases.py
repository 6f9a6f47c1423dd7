"""Rocket.Chat as every supported release behaves: the real provider against each simulator profile."""

from __future__ import annotations

import urllib.parse

import pytest

from desktop.demo.rocketchat import DEMO_PASSWORD, INTEGRATION_SETTINGS, start_server
from desktop.demo.rocketchat_releases import RELEASES
from desktop.providers.rocketchat.events import NotificationEvent, ServerInfo, Startup, UnreadChanged
from desktop.providers.rocketchat.server import CommandError
from tests.helpers.fixtures import frame_eval, frame_poll, read_event_log, wait_ready
from tests.helpers.rocketchat import rc_toml, signed_in, start_rc

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

HIDE = '[provider.hide_actions]\nroom = ["start-call"]\ncomposer = ["video-message"]\n'


@pytest.fixture
def release_server(request):
    server, sim = start_server(settings=INTEGRATION_SETTINGS, release=request.param, poll_ms=100)
    yield server, sim
    server.stop()


def state(qtbot, view):
    return frame_eval(qtbot, view, "JSON.stringify(window.rcSim.state())")


@pytest.mark.parametrize("release_server", list(RELEASES), indirect=True)
def test_every_release_signs_in_delivers_events_and_answers_commands(release_server, run_shell, tmp_path, qtbot):
    server, sim = release_server
    profile = sim.release
    shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin) + HIDE,
                                        {"password": DEMO_PASSWORD})
    signed_in(qtbot, view, provider)
    # The version comes from /api/info and is published before the frame's events.
    assert isinstance(r.events[0], ServerInfo) and r.events[0].version == sim.version
    assert provider.server_release.version == sim.version and provider.about.startswith(f"Rocket.Chat {sim.version}")
    assert any(isinstance(e, Startup) for e in r.events) == profile.startup_event
    assert state(qtbot, view)["release"] == profile.name
    # Signed in by the path that works on this release, with no detour through the timeout.
    assert r.fallbacks == []
    first_query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r.urls[0]).query))
    assert ("resumeToken" in first_query) == (not profile.commands)
    frame_poll(qtbot, view, "location.search", "?layout=embedded")  # the client strips a URL token
    # Events are typed and delivered; the badge follows them.
    qtbot.waitUntil(lambda: bool(r.of(UnreadChanged)))
    qtbot.waitUntil(lambda: shell.hub.unread("rc") == 3)
    # overrideUi where the release has it, from the config's hide_actions.
    if profile.override_ui:
        frame_poll(qtbot, view, "window.rcSim.isHidden('roomToolbox', 'start-call')", True)
        assert frame_eval(qtbot, view, "window.rcSim.isHidden('composerToolbox', 'video-message')") is True
        assert frame_eval(qtbot, view, "window.rcSim.isHidden('roomToolbox', 'discussion')") is False
    else:
        assert frame_eval(qtbot, view, "window.rcSim.isHidden('roomToolbox', 'start-call')") is False
    # Commands: honoured, or refused with a message that says why.
    if profile.commands:
        provider.go("/channel/random")
        frame_poll(qtbot, view, "location.pathname", "/channel/random")
    else:
        with pytest.raises(CommandError, match="ignores commands"):
            provider.go("/channel/random")
    # Toolbar buttons only where the release has them; a click comes back as a signal.
    if profile.toolbar:
        clicked: list[str] = []
        provider.toolbar_button_clicked.connect(clicked.append)
        provider.set_toolbar_button("portico-notes", "Notes")
        frame_poll(qtbot, view, "JSON.stringify(window.rcSim.state().toolbar)", ["portico-notes"])
        assert frame_eval(qtbot, view, "window.rcSim.clickToolbar('portico-notes')") is True
        qtbot.waitUntil(lambda: clicked == ["portico-notes"])
        provider.remove_toolbar_button("portico-notes")
        frame_poll(qtbot, view, "JSON.stringify(window.rcSim.state().toolbar)", [])
    else:
        with pytest.raises(CommandError):
            provider.set_toolbar_button("portico-notes", "Notes")
    # The event log has the server's version.
    qtbot.waitUntil(lambda: any(x["name"] == "server-info" for x in read_event_log(shell.event_log.path)))
    info = next(x for x in read_event_log(shell.event_log.path) if x["name"] == "server-info")
    assert info["data"]["version"] == sim.version


def test_a_silent_client_whose_version_is_unknown_signs_in_by_url(run_shell, tmp_path, qtbot):
    """A 7.10-like client (no event before sign-in, commands ignored) whose /api/info says nothing
    usable: Portico posts the token, repeats it, then the URL login signs in."""
    server, sim = start_server(settings=INTEGRATION_SETTINGS, release="7.10", version="unknown", poll_ms=100)
    try:
        shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": DEMO_PASSWORD},
                                            login_timeout_ms=2500)
        provider.login_repeat_ms = (500, 500)
        signed_in(qtbot, view, provider)
        assert not provider.server_release.known
        assert len(r.fallbacks) == 1 and "sent no event" in r.fallbacks[0] and "3 time(s)" in r.fallbacks[0]
        assert "resumeToken" in r.urls[-1] and "resumeToken" not in r.urls[0]
        posts = [x for x in read_event_log(shell.event_log.path) if x["name"] == "login-with-token"]
        assert len(posts) == 3 and all(x["data"]["token"] == "***" for x in posts)
    finally:
        server.stop()


def test_a_replayed_notification_is_shown_once(run_shell, tmp_path, qtbot):
    """After a reload the client fires the last notifications again: one message, one notification."""
    server, sim = start_server(settings=INTEGRATION_SETTINGS, poll_ms=100)
    try:
        shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": DEMO_PASSWORD})
        signed_in(qtbot, view, provider)
        sim.incoming("grace", "Are you there?", sender="grace")
        qtbot.waitUntil(lambda: len(r.of(NotificationEvent)) == 1)
        assert len(r.notes) == 1
        view.reload()
        qtbot.waitUntil(lambda: len(r.of(NotificationEvent)) == 2, timeout=20_000)
        assert r.of(NotificationEvent)[0].message_id == r.of(NotificationEvent)[1].message_id
        assert len(r.notes) == 1
        sim.incoming("grace", "Hello again", sender="grace")
        qtbot.waitUntil(lambda: len(r.notes) == 2)
    finally:
        server.stop()


def test_a_server_whose_sign_in_is_its_iframe_auth_page(run_shell, tmp_path, qtbot):
    """Accounts_iframe_enabled: the client asks the company's token endpoint; Portico's
    try-iframe-login makes it ask again, and a failure comes back as login-error."""
    iframe_auth = {"Accounts_iframe_enabled": True, "Accounts_iframe_url": "/sim/iframe-login",
                   "Accounts_Iframe_api_url": "/sim/iframe-api", "Accounts_Iframe_api_method": "POST"}
    server, sim = start_server(settings={**INTEGRATION_SETTINGS, **iframe_auth}, poll_ms=100)
    try:
        toml = f'[[provider]]\nid = "rc"\nkind = "rocketchat"\nserver = "{server.origin}"\nsign_in = "iframe"\n'
        shell, provider, view, r = start_rc(run_shell, tmp_path, toml, {})
        errors: list[str] = []
        provider.login_error.connect(errors.append)
        wait_ready(qtbot, view)
        # Nobody is signed in at the company: the client shows the company's page in its login form.
        frame_poll(qtbot, view, "!!document.getElementById('iframe-login')", True)
        provider.try_iframe_login()
        qtbot.waitUntil(lambda: errors == ["Iframe login failed (HTTP 401)"])
        assert not provider.signed_in and not view.showing_error()
        # Signed in there now: the next try signs the client in.
        sim.iframe_auth_user = "ada"
        provider.try_iframe_login()
        qtbot.waitUntil(lambda: provider.signed_in, timeout=15_000)
        assert state(qtbot, view)["username"] == "ada" and provider._token is None
    finally:
        server.stop()
