"""Rocket.Chat end to end: real QtWebEngine, relay and bridge, against the loopback Rocket.Chat simulator."""

from __future__ import annotations

import json
import logging
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from desktop.contract import UNREAD_DOT, ProviderState
from desktop.demo.rocketchat import (
    DEMO_PASSWORD,
    INTEGRATION_SETTINGS,
    RocketChatServer,
    RocketChatSimulator,
    hash_token,
    start_server,
    totp,
)
from desktop.providers.rocketchat.events import (
    ActionLinkClicked,
    CustomOauthCallback,
    LoggedIn,
    LoggedOut,
    MentionLinkClicked,
    NewMessage,
    NotificationEvent,
    OnLogout,
    RoomOpened,
    ServerInfo,
    Startup,
    StatusChanged,
    SubscriptionUnreadChanged,
    UnreadChanged,
    UserStatusManuallySet,
)
from desktop.redact import scrub_text
from desktop.secret import Secret
from tests.helpers.fixtures import frame_eval, frame_poll, read_event_log, write_config
from tests.helpers.rocketchat import rc_toml, signed_in, start_rc
from tests.helpers.sites import probe_url

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

TOTP_SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def rc() -> Iterator[tuple[RocketChatServer, RocketChatSimulator]]:
    server, simulator = start_server(settings=INTEGRATION_SETTINGS, poll_ms=100)
    yield server, simulator
    server.stop()


def sim_state(qtbot, view) -> dict[str, Any]:
    return frame_eval(qtbot, view, "JSON.stringify(window.rcSim.state())")


def test_password_sign_in_events_badge_notifications_and_no_token_in_logs(rc, run_shell, tmp_path, qtbot, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="portico")  # another test's `portico` run may have set INFO
    server, sim = rc
    shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": DEMO_PASSWORD})
    signed_in(qtbot, view, provider)
    state = sim_state(qtbot, view)
    assert state["loggedIn"] and state["username"] == "ada" and state["embedded"] and state["path"] == "/channel/general"
    assert r.urls == [f"{server.origin}/channel/general?layout=embedded"]  # no token in the frame URL
    # The server's version (from /api/info), the client's first events, then login-with-token,
    # then what a signed-in client says.
    assert isinstance(r.events[0], ServerInfo) and r.events[0].version == sim.version
    assert isinstance(r.events[1], Startup) and isinstance(r.events[2], LoggedOut)
    qtbot.waitUntil(lambda: bool(r.of(StatusChanged) and r.of(RoomOpened)))
    assert r.of(StatusChanged)[0].status == "online" and len(r.of(LoggedIn)) == 1
    assert [e.room_name for e in r.of(RoomOpened)] == ["general"]
    # Unread: general 3, dev-team 1, the DM 2 → 6; general is on screen, so it is read → 3.
    assert {e.room_name: e.unread for e in r.of(SubscriptionUnreadChanged)[:4]} == \
        {"general": 3, "random": 0, "dev-team": 1, "grace": 2}
    assert r.of(UnreadChanged)[0].count == 6
    qtbot.waitUntil(lambda: shell.hub.unread("rc") == 3)
    # A direct message: unread, a notification; the DM is not opened, so no new-message.
    dm = sim.room_named("grace")
    sim.incoming("grace", "Are you there?")
    qtbot.waitUntil(lambda: len(r.notes) == 1 and shell.hub.unread("rc") == 4)
    note = r.of(NotificationEvent)[0]
    assert (note.rid, note.room_type, note.sender, note.text) == (dm.id, "d", "grace", "Are you there?")
    assert r.notes[0].title == "grace" and r.notes[0].body == "Are you there?"
    assert r.notes[0].action == {"path": f"/direct/{dm.id}", "rid": dm.id}
    assert r.of(NewMessage) == []
    # Clicking the notification opens that room (go), inside the embedded layout.
    qtbot.waitUntil(lambda: any(s.provider_id == "rc" for s in shell.presenter.history))
    # (The provider is on screen: the in-window banner stays quiet, a desktop bubble would show.)
    assert shell.window.banner.isHidden()
    shell.presenter.activate(next(s for s in shell.presenter.history if s.provider_id == "rc"))
    qtbot.waitUntil(lambda: [e.rid for e in r.of(RoomOpened)] == ["GENERAL", dm.id])
    frame_poll(qtbot, view, "location.pathname + location.search", f"/direct/{dm.id}?layout=embedded")
    qtbot.waitUntil(lambda: shell.hub.unread("rc") == 1)  # the DM is read now; dev-team's mention stays
    # A message in an opened room arrives as new-message (text kept, the event log keeps no text).
    sim.incoming("general", "Build is <b>red</b> again", sender="linus")
    qtbot.waitUntil(lambda: bool(r.of(NewMessage)))
    message = r.of(NewMessage)[0]
    assert (message.rid, message.sender, message.text, message.room_name) == \
        ("GENERAL", "linus", "Build is <b>red</b> again", "general")
    assert view.bridge.dropped == {}
    # The event log: every accepted event and the command, the token only as "***".
    qtbot.waitUntil(lambda: len([x for x in read_event_log(shell.event_log.path) if x["direction"] == "in"])
                    >= len(r.events))
    lines = read_event_log(shell.event_log.path)
    assert [x["name"] for x in lines if x["direction"] == "in"][:len(r.events)] == [e.name for e in r.events]
    login = [x for x in lines if x["name"] == "login-with-token"]
    assert len(login) == 1 and login[0]["data"] == {"externalCommand": "login-with-token", "token": "***"}
    assert not any("red again" in json.dumps(x) or "Are you there" in json.dumps(x) for x in lines)
    token = provider._token.reveal()
    ours = [rec.getMessage() for rec in caplog.records if rec.name != "portico.demo"]
    theirs = [scrub_text(rec.getMessage()) for rec in caplog.records if rec.name == "portico.demo"]
    everything = shell.event_log.path.read_text() + "\n".join(ours + theirs)
    assert "login-with-token" in everything and "notifications go to" in everything
    for secret in (token, DEMO_PASSWORD):
        assert secret not in everything


def test_commands_and_click_events(rc, run_shell, tmp_path, qtbot):
    server, sim = rc
    shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": DEMO_PASSWORD})
    signed_in(qtbot, view, provider)
    qtbot.waitUntil(lambda: bool(r.of(StatusChanged)))
    # go: in-app navigation, query params merged (layout=embedded kept).
    provider.go("/channel/random?msg=x1")
    qtbot.waitUntil(lambda: [e.room_name for e in r.of(RoomOpened)] == ["general", "random"])
    frame_poll(qtbot, view, "location.pathname + location.search", "/channel/random?layout=embedded&msg=x1")
    with pytest.raises(ValueError):
        provider.go("https://evil.example/")
    # set_user_status: the status changes; user-status-manually-set only comes from Rocket.Chat's own menu.
    provider.set_user_status("busy")
    qtbot.waitUntil(lambda: r.of(StatusChanged)[-1].status == "busy")
    assert r.of(UserStatusManuallySet) == [] and sim.user("ada").status == "busy"
    with pytest.raises(ValueError):
        provider.set_user_status("sleeping")
    frame_eval(qtbot, view, "rcSim.pickStatus('away'); 1")
    qtbot.waitUntil(lambda: bool(r.of(UserStatusManuallySet)) and r.of(StatusChanged)[-1].status == "away")
    assert (r.of(UserStatusManuallySet)[0].id, r.of(UserStatusManuallySet)[0].status_type) == ("away", "away")
    # A status message goes through REST (the iframe command has no message field).
    provider.set_user_status("online", "In a meeting")
    qtbot.waitUntil(lambda: r.of(StatusChanged)[-1].status == "online")
    # Clicks in the embedded layout: a #channel mention (the client still navigates) and an action link.
    provider.go("/channel/general")
    qtbot.waitUntil(lambda: sim_state(qtbot, view)["currentRid"] == "GENERAL")
    frame_poll(qtbot, view, "document.querySelectorAll('a.mention-link').length > 0", True)
    assert frame_eval(qtbot, view, "rcSim.clickMention('random')") is True
    qtbot.waitUntil(lambda: bool(r.of(MentionLinkClicked)))
    assert (r.of(MentionLinkClicked)[0].path, r.of(MentionLinkClicked)[0].channel) == ("/channel/r4nd0m", "r4nd0m")
    provider.go("/channel/general")
    frame_poll(qtbot, view, "document.querySelectorAll('button.action-link').length", 1)
    assert frame_eval(qtbot, view, "rcSim.clickAction('approveDeploy')") is True
    qtbot.waitUntil(lambda: bool(r.of(ActionLinkClicked)))
    assert r.of(ActionLinkClicked)[0].action == "approveDeploy" and r.of(ActionLinkClicked)[0].message_id
    # call-custom-oauth-login and its reply (unknown service: an Error; the relay keeps its message).
    provider.call_custom_oauth_login("nope")
    qtbot.waitUntil(lambda: bool(r.of(CustomOauthCallback)))
    assert r.of(CustomOauthCallback)[0] == CustomOauthCallback(ok=False, error="OAuth service not found: nope")
    with pytest.raises(ValueError):
        provider.call_custom_oauth_login("bad service!")
    # logout: the client signs out and goes home; the badge clears.
    logged_in_before = len(r.of(LoggedIn))
    provider.logout()
    qtbot.waitUntil(lambda: bool(r.of(OnLogout)) and not provider.signed_in)
    assert isinstance(r.events[-1], LoggedOut) or any(isinstance(e, LoggedOut) for e in r.events[-3:])
    frame_poll(qtbot, view, "location.pathname", "/home")
    assert shell.hub.unread("rc") == 0 and not sim_state(qtbot, view)["loggedIn"]
    # login_with_token with a fresh token signs the client in again.
    provider.login_with_token(Secret(sim.issue_login_token(sim.user("ada").id)))
    qtbot.waitUntil(lambda: len(r.of(LoggedIn)) == logged_in_before + 1)
    assert sim_state(qtbot, view)["commands"] == ["login-with-token", "go", "set-user-status", "go", "go",
                                                 "call-custom-oauth-login", "logout",
                                                 "login-with-token"]
    assert view.bridge.dropped == {}


def test_remote_commands_reach_the_provider(rc, run_shell, tmp_path, qtbot):
    """`portico send rc go|set_user_status|logout` run through the control table."""
    from desktop.instance.control import RemoteControl
    from desktop.instance.single_instance import Request
    server, sim = rc
    shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": DEMO_PASSWORD})
    signed_in(qtbot, view, provider)
    control = RemoteControl(shell.providers, shell.views, lambda: None, lambda pid: None)
    assert control.handle(Request("send", "rc", "go", ("/group/dev-team",)))[0]
    qtbot.waitUntil(lambda: any(e.room_name == "dev-team" for e in r.of(RoomOpened)))
    ok, message, _ = control.handle(Request("send", "rc", "set_user_status", ("napping",)))
    assert not ok and "online, away, busy, offline" in message
    assert control.handle(Request("send", "rc", "set_user_status", ("away",)))[0]
    qtbot.waitUntil(lambda: bool(r.of(StatusChanged)) and r.of(StatusChanged)[-1].status == "away")
    assert control.handle(Request("send", "rc", "logout", ()))[0]
    qtbot.waitUntil(lambda: not provider.signed_in and bool(r.of(OnLogout)))


def test_personal_access_token_sign_in(rc, run_shell, tmp_path, qtbot):
    server, sim = rc
    ada = sim.user("ada")
    pat = sim.issue_pat(ada.id, "portico")
    shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin, username="", user_id=ada.id),
                                        {"token": pat})
    signed_in(qtbot, view, provider)
    assert ("GET", "/api/v1/me") in sim.requests and ("POST", "/api/v1/login") not in sim.requests
    assert sim_state(qtbot, view)["userId"] == ada.id and r.fallbacks == []
    lines = read_event_log(shell.event_log.path)
    assert pat not in shell.event_log.path.read_text() and any(x["name"] == "login-with-token" for x in lines)
    # The web client keeps its login token (here the PAT) in localStorage: the profile runs off
    # the record, so neither that nor anything else of this provider is written to disk.
    assert frame_eval(qtbot, view, "localStorage.getItem('Meteor.loginToken') !== null") is True
    written = [p for p in tmp_path.rglob("*") if p.is_file() and pat.encode() in p.read_bytes()]
    assert written == []
    assert shell.profiles[provider.id].isOffTheRecord()


def test_password_sign_in_runs_in_memory_and_keeps_no_token_on_disk(rc, run_shell, tmp_path, qtbot):
    server, sim = rc
    shell, provider, view, _r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": DEMO_PASSWORD})
    signed_in(qtbot, view, provider)
    assert shell.profiles[provider.id].isOffTheRecord()
    token = frame_eval(qtbot, view, "localStorage.getItem('Meteor.loginToken')")
    assert token and token in sim.issued
    written = [p for p in tmp_path.rglob("*") if p.is_file() and token.encode() in p.read_bytes()]
    assert written == []


def test_token_refused_by_the_web_session_falls_back_to_the_url_login(rc, run_shell, tmp_path, qtbot, caplog):
    caplog.set_level(logging.DEBUG)
    server, sim = rc
    sim.pat_web_login = False  # the REST API takes the PAT, the web client's resume login does not
    ada = sim.user("ada")
    pat = sim.issue_pat(ada.id, "portico")
    shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin, username="", user_id=ada.id),
                                        {"token": pat}, login_timeout_ms=1500)
    qtbot.waitUntil(lambda: bool(r.fallbacks), timeout=15_000)
    assert "personal access tokens" in r.fallbacks[0]
    qtbot.waitUntil(lambda: len(r.urls) == 2)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r.urls[1]).query))
    assert query == {"layout": "embedded", "resumeToken": pat, "userId": ada.id}
    # The URL login fails too: the view says so, clearly, and what to do.
    qtbot.waitUntil(view.showing_error, timeout=15_000)
    assert "not for the web session" in view.panel.message.text()
    assert "username and password" in view.panel.hint.text()
    frame_logs = "\n".join(rec.getMessage() for rec in caplog.records if rec.name != "portico.demo")
    assert pat not in frame_logs and pat not in shell.event_log.path.read_text()
    # A server that takes the token in the URL login (the fallback's purpose) signs in.
    r.fallbacks.clear()
    provider.web_login_fallback.connect(lambda _why: setattr(sim, "pat_web_login", True))
    view.panel.retry_button.click()
    qtbot.waitUntil(lambda: bool(r.fallbacks) and provider.signed_in, timeout=15_000)
    assert not view.showing_error()
    frame_poll(qtbot, view, "location.search", "?layout=embedded")  # the client strips the token


def test_wrong_password_asks_again_and_the_form_signs_in(rc, run_shell, tmp_path, qtbot):
    server, sim = rc
    shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": "wrong"})
    qtbot.waitUntil(view.showing_error)
    assert view.panel.title.text() == "Sign-in needed" and "HTTP 401" in view.panel.message.text()
    assert view.signin_form is not None and list(view.signin_form.edits) == ["password"]
    view.signin_form.edits["password"].setText(DEMO_PASSWORD)
    view.signin_form.remember.setChecked(False)
    view.signin_form.button.click()
    signed_in(qtbot, view, provider)
    assert not view.showing_error()


def test_two_factor_code_asked_then_retried(rc, run_shell, tmp_path, qtbot):
    server, sim = rc
    sim.add_user("kim", "kims-password-1", totp_secret=TOTP_SECRET)
    shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin, username="kim"),
                                        {"password": "kims-password-1"})
    qtbot.waitUntil(view.showing_error)
    assert "two-factor code" in view.panel.message.text() and list(view.signin_form.edits) == ["totp"]
    assert not view.signin_form.remember.isVisible()  # a one-time code is never stored
    view.signin_form.edits["totp"].setText("000000" if totp(TOTP_SECRET) != "000000" else "111111")
    view.signin_form.button.click()
    qtbot.waitUntil(lambda: "did not accept the two-factor code" in view.panel.message.text())
    view.signin_form.edits["totp"].setText(totp(TOTP_SECRET))
    view.signin_form.button.click()
    signed_in(qtbot, view, provider)
    assert sim_state(qtbot, view)["username"] == "kim"
    assert (provider.id, "totp") not in shell.secrets.typed, "a one-time code is used once, then forgotten"
    # Reload reuses the session token (checked with /me): no new code is needed.
    logins = sim.requests.count(("POST", "/api/v1/login"))
    view.reload()
    qtbot.waitUntil(lambda: len(r.urls) == 2)
    signed_in(qtbot, view, provider)
    assert sim.requests.count(("POST", "/api/v1/login")) == logins


def test_rate_limited_waits_until_the_reset_then_signs_in(rc, run_shell, tmp_path, qtbot):
    server, sim = rc
    sim.set_settings(API_Enable_Rate_Limiter_Limit_Calls_Default=0, API_Enable_Rate_Limiter_Limit_Time_Default=3000)
    delays: list[float] = []
    shell = run_shell(write_config(tmp_path, rc_toml(server.origin)), start=False)
    shell.secrets.source = lambda pid, field: Secret(DEMO_PASSWORD) if field == "password" else None
    provider = shell.providers["rc"]
    provider.retry_scheduled.connect(delays.append)
    provider.retry_scheduled.connect(lambda _d: sim.set_settings(API_Enable_Rate_Limiter_Limit_Calls_Default=10))
    shell.start(show=True)
    view = shell.views["rc"]
    qtbot.waitUntil(view.showing_error)
    assert "HTTP 429" in view.panel.message.text() and "too many requests" in view.panel.message.text()
    assert "when the server's limit resets" in view.panel.hint.text()
    # X-RateLimit-Reset is epoch milliseconds: the wait is the rest of the 3 s window, not 1.7e9 s.
    assert len(delays) == 1 and 1.0 <= delays[0] <= 3.0
    signed_in(qtbot, view, provider)


def test_unreachable_server_retries_by_itself(run_shell, tmp_path, qtbot):
    server, sim = start_server(settings=INTEGRATION_SETTINGS)
    origin = server.origin
    server.stop()
    shell = run_shell(write_config(tmp_path, rc_toml(origin)), start=False)
    shell.secrets.source = lambda pid, field: Secret(DEMO_PASSWORD)
    provider = shell.providers["rc"]
    provider.retry_delays = (0.1, 60.0)
    retries: list[float] = []
    provider.retry_scheduled.connect(retries.append)
    shell.start(show=True)
    view = shell.views["rc"]
    qtbot.waitUntil(lambda: len(retries) == 2)
    assert view.showing_error() and "could not be reached" in view.panel.message.text()
    assert origin in view.panel.message.text() and "tries again" in view.panel.hint.text()
    assert provider.state is ProviderState.ERROR


def test_framing_refused_names_the_setting(run_shell, tmp_path, qtbot):
    server, sim = start_server(settings={**INTEGRATION_SETTINGS, "Iframe_Restrict_Access": True})
    try:
        shell = run_shell(write_config(tmp_path, rc_toml(server.origin, integration="iframe")), start=False)
        shell.secrets.source = lambda pid, field: Secret(DEMO_PASSWORD)
        shell.start(show=True)
        view, provider = shell.views["rc"], shell.providers["rc"]
        qtbot.waitUntil(view.showing_error)
        assert "X-Frame-Options: sameorigin" in view.panel.message.text()
        assert "Restrict access inside any Iframe" in view.panel.hint.text()
        # Chromium itself refuses the frame; the view's diagnosis says the same.
        with qtbot.waitSignal(view.frame_failed, timeout=20_000) as failed:
            provider.load_frame(provider.config.url)
        assert "X-Frame-Options" in failed.args[0].message
    finally:
        server.stop()


@pytest.mark.parametrize("settings, words", [
    ({"Iframe_Integration_send_enable": False}, ["“Enable Send” is off"]),
    ({"Iframe_Integration_receive_enable": False}, ["“Enable Receive” is off"]),
    ({"Iframe_Integration_send_enable": False, "Iframe_Integration_receive_enable": False},
     ["“Enable Send” is off", "“Enable Receive” is off"]),
    ({"Iframe_Integration_receive_origin": "https://intranet.example, portico://app"},
     ["does not list portico://app exactly", "does not trim"]),
    ({"Iframe_Integration_send_target_origin": "https://intranet.example"}, ["“Send Target Origin”"]),
])
def test_integration_settings_that_stop_portico_are_named(run_shell, tmp_path, qtbot, settings, words):
    server, sim = start_server(settings={**INTEGRATION_SETTINGS, **settings})
    try:
        shell = run_shell(write_config(tmp_path, rc_toml(server.origin, integration="iframe")), start=False)
        shell.secrets.source = lambda pid, field: Secret(DEMO_PASSWORD)
        shell.start(show=True)
        view = shell.views["rc"]
        qtbot.waitUntil(view.showing_error)
        for word in words:
            assert word in view.panel.message.text()
        assert "Iframe Integration" in view.panel.hint.text()
    finally:
        server.stop()


def test_send_target_origin_portico_app_as_the_docs_advise(run_shell, tmp_path, qtbot):
    # docs/rocketchat.md offers `portico://app` instead of `*`: the client then posts its events
    # with that exact targetOrigin, which must match the host page's origin in Chromium.
    server, sim = start_server(settings={**INTEGRATION_SETTINGS, "Iframe_Integration_send_target_origin": "portico://app"})
    try:
        shell = run_shell(write_config(tmp_path, rc_toml(server.origin)), start=False)
        shell.secrets.source = lambda pid, field: Secret(DEMO_PASSWORD)
        shell.start(show=True)
        provider, view = shell.providers["rc"], shell.views["rc"]
        signed_in(qtbot, view, provider)  # needs the client's events: they arrive
        assert not view.showing_error()
        assert view.bridge.dropped["wrong-origin"] == 0
    finally:
        server.stop()


def test_a_client_that_sends_nothing_is_reported(run_shell, tmp_path, qtbot):
    """settings.public says all is well but no event ever comes (e.g. a proxy strips them)."""
    server, sim = start_server(settings=INTEGRATION_SETTINGS)
    try:
        shell = run_shell(write_config(tmp_path, rc_toml(server.origin, integration="iframe")), start=False)
        shell.secrets.source = lambda pid, field: Secret(DEMO_PASSWORD)
        provider = shell.providers["rc"]
        provider.web_login_timeout_ms = 1500
        provider.state_changed.connect(
            lambda state: sim.set_settings(Iframe_Integration_send_enable=False) if state is ProviderState.LOADING
            else None)
        shell.start(show=True)
        view = shell.views["rc"]
        qtbot.waitUntil(view.showing_error, timeout=15_000)
        assert "sent Portico no event" in view.panel.message.text() and "Enable Send" in view.panel.hint.text()
        assert view.panel.about.text() == (f"Rocket.Chat {sim.version} · iframe mode: integration = "
                                           '"iframe" in the config') and view.panel.about.isVisible()
    finally:
        server.stop()


def test_wrong_origins_are_ignored(rc, run_shell, tmp_path, qtbot, other_server):
    server, sim = rc
    shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": DEMO_PASSWORD})
    signed_in(qtbot, view, provider)
    qtbot.waitUntil(lambda: shell.hub.unread("rc") == 3)
    count = len(r.events)
    # A frame of another origin inside Rocket.Chat posts an event to the top window: wrong source.
    frame_eval(qtbot, view, f"""(function () {{ const f = document.createElement('iframe');
        f.src = {json.dumps(probe_url(other_server))}; document.body.append(f); return 1; }})()""")
    frame_poll(qtbot, view, "typeof window.sendToTop", "function", nested=True)
    frame_eval(qtbot, view, "sendToTop({eventName: 'unread-changed', data: 99})", nested=True)
    qtbot.waitUntil(lambda: view.bridge.dropped["wrong-source"] >= 1, timeout=5000)
    # … and posts a command to Rocket.Chat: its exact-origin check refuses it.
    frame_eval(qtbot, view, "sendToParent({externalCommand: 'logout'})", nested=True)
    frame_poll(qtbot, view, "rcSim.state().console.some(l => l.startsWith('Origin not allowed'))", True)
    assert sim_state(qtbot, view)["loggedIn"]
    # Defence in depth: the bridge refuses look-alike origins even if a relay let them by.
    port = urllib.parse.urlsplit(server.origin).port
    for origin in (f"http://127.0.0.1:{port + 1}", f"http://localhost:{port}", server.origin + "/", "null"):
        view.bridge.from_frame(origin, json.dumps({"eventName": "unread-changed", "data": 99}))
    assert view.bridge.dropped["wrong-origin"] == 4
    assert shell.hub.unread("rc") == 3 and len(r.events) == count


def test_legacy_unread_strings_are_normalised(run_shell, tmp_path, qtbot):
    server, sim = start_server(settings=INTEGRATION_SETTINGS, legacy_unread=True, poll_ms=100)
    try:
        shell, provider, view, r = start_rc(run_shell, tmp_path, rc_toml(server.origin, channel=""),
                                            {"password": DEMO_PASSWORD})
        signed_in(qtbot, view, provider)
        qtbot.waitUntil(lambda: shell.hub.unread("rc") == 6)  # the whole workspace: nothing opened
        # Legacy clients fire every subscription on each recompute.
        assert len(r.of(SubscriptionUnreadChanged)) >= 4
        # The legacy strings, as a ≤6.x client posts them, through the real relay and bridge.
        for value, badge in (("•", UNREAD_DOT), ("", 0), ("999+", 1000), ("12", 12), (7, 7)):
            frame_eval(qtbot, view, f"window.parent.postMessage({{eventName: 'unread-changed', "
                                    f"data: {json.dumps(value)}}}, '*'); 1")
            qtbot.waitUntil(lambda badge=badge: r.of(UnreadChanged)[-1].count == badge)
        assert r.of(UnreadChanged)[-3].at_least is True
        # With no number, an alert-only subscription still shows the dot (Rocket.Chat's badge rule).
        frame_eval(qtbot, view, "window.parent.postMessage({eventName: 'unread-changed-by-subscription', data: "
                                "{rid: 'x', unread: 0, alert: true, unreadAlert: 'default'}}, '*'); "
                                "window.parent.postMessage({eventName: 'unread-changed', data: ''}, '*'); 1")
        qtbot.waitUntil(lambda: shell.hub.unread("rc") == UNREAD_DOT)
        assert view.bridge.dropped == {}
    finally:
        server.stop()


def test_quitting_revokes_the_session_token_of_a_password_sign_in(rc, run_shell, tmp_path, qtbot):
    server, sim = rc
    ada = sim.user("ada")
    shell, provider, view, _r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": DEMO_PASSWORD})
    signed_in(qtbot, view, provider)
    token = frame_eval(qtbot, view, "localStorage.getItem('Meteor.loginToken')")
    assert hash_token(token) in {t.hashed for t in sim.login_tokens(ada.id)}
    run_shell.close()
    run_shell.shells.clear()
    assert ("POST", "/api/v1/logout") in sim.requests
    assert hash_token(token) not in {t.hashed for t in sim.login_tokens(ada.id)}, "the token still works"


def test_quitting_leaves_a_personal_access_token_alone(rc, run_shell, tmp_path, qtbot):
    server, sim = rc
    ada = sim.user("ada")
    pat = sim.issue_pat(ada.id, "portico-quit-test")
    shell, provider, view, _r = start_rc(run_shell, tmp_path, rc_toml(server.origin, username="", user_id=ada.id),
                                         {"token": pat})
    signed_in(qtbot, view, provider)
    run_shell.close()
    run_shell.shells.clear()
    assert ("POST", "/api/v1/logout") not in sim.requests
    assert hash_token(pat) in {t.hashed for t in sim.login_tokens(ada.id)}


def test_a_server_that_does_not_answer_the_logout_delays_quitting_boundedly(rc, run_shell, tmp_path, qtbot,
                                                                            monkeypatch):
    import threading
    import time
    server, sim = rc
    from desktop.demo import rocketchat as sim_module
    release = threading.Event()

    def hang(simulator, *args):
        release.wait(15)
        return sim_module.RocketChatSimulator._logout(simulator, *args)
    monkeypatch.setitem(sim_module._ROUTES, ("*", "/api/v1/logout"), sim_module._Route(hang))
    shell, provider, view, _r = start_rc(run_shell, tmp_path, rc_toml(server.origin), {"password": DEMO_PASSWORD})
    signed_in(qtbot, view, provider)
    start = time.monotonic()
    run_shell.close()
    run_shell.shells.clear()
    waited = time.monotonic() - start
    release.set()
    assert ("POST", "/api/v1/logout") in sim.requests
    assert waited < 10, "quitting waited for a server that hangs"  # END_SESSIONS_WAIT_MS: 2 s
