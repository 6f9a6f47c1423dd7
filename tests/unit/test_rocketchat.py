"""Rocket.Chat provider pieces without a browser: parsing, normalisation, command checks, settings and headers."""

from __future__ import annotations

import pytest

from desktop.config import parse_config
from desktop.contract import UNREAD_DOT, Drop, Notification
from desktop.demo.rocketchat import DEFAULT_SETTINGS, INTEGRATION_SETTINGS, demo_get_secret, demo_table
from desktop.providers.rest import rate_limit_reset_seconds
from desktop.providers.rocketchat.events import (
    CustomOauthCallback,
    LoginError,
    NewMessage,
    NotificationEvent,
    StatusChanged,
    UnreadChanged,
    normalize_unread,
    parse_event,
)
from desktop.providers.rocketchat.notify_once import WEB_WAIT_MS, NotifyOnce
from desktop.providers.rocketchat.provider import RocketChatProvider
from desktop.providers.rocketchat.server import (
    check_path,
    choose_integration,
    framing_refused,
    integration_problems,
    release,
    room_path,
)

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")


@pytest.mark.parametrize("value, expected", [
    (0, (0, False)), (17, (17, False)), (12000, (12000, False)),  # current: a number, not capped
    ("", (0, False)), ("•", (UNREAD_DOT, False)), ("999+", (1000, True)), ("5", (5, False)), (3.0, (3, False)),
])
def test_unread_values_are_normalised(value, expected):
    assert normalize_unread(value) == expected


@pytest.mark.parametrize("value", [-1, "many", "••", 1.5, [], {}, True, "1e3"])
def test_bad_unread_values_are_dropped(value):
    with pytest.raises(Drop):
        normalize_unread(value)


def test_events_parse_into_typed_dataclasses():
    message = {"_id": "m1", "rid": "GENERAL", "msg": "hi", "u": {"_id": "u1", "username": "grace"},
               "name": "general", "room": {"type": "c", "name": "general"}}
    event = parse_event({"eventName": "new-message", "data": message})
    assert isinstance(event, NewMessage) and (event.id, event.text, event.sender, event.room_type) == \
        ("m1", "hi", "grace", "c")
    assert event.log_data() == {"id": "m1", "rid": "GENERAL", "sender": "grace", "room_name": "general",
                                "room_type": "c", "length": 2}  # no message text in the event log
    note = parse_event({"eventName": "notification", "data": {"notification": {
        "title": "#general", "text": "grace: hi", "payload": {"_id": "m1", "rid": "GENERAL", "type": "c",
                                                              "name": "general", "sender": {"username": "grace"}}},
        "fromOpenedRoom": True, "hasFocus": False}})
    assert isinstance(note, NotificationEvent) and note.from_opened_room and not note.has_focus
    assert "grace: hi" not in str(note.log_data())
    assert parse_event({"eventName": "status-changed", "data": "away"}) == StatusChanged(status="away")
    assert parse_event({"eventName": "unread-changed", "data": "999+"}) == UnreadChanged(count=1000, at_least=True)
    assert parse_event({"event": "custom-oauth-callback"}) == CustomOauthCallback(ok=True)
    assert parse_event({"event": "custom-oauth-callback", "response": {}}) == CustomOauthCallback(ok=False)
    assert parse_event({"event": "custom-oauth-callback", "response": "OAuth login popup was blocked"}) == \
        CustomOauthCallback(ok=False, error="OAuth login popup was blocked")


@pytest.mark.parametrize("message, reason", [
    ("startup", "not-an-object"), ({"data": 1}, "missing-event-name"),
    ({"eventName": "click-user-card-message", "data": {"username": "x"}}, "unknown-event-name"),
    ({"eventName": "click-toolbar-button", "data": {"id": "a b"}}, "bad-button-id"),
    ({"eventName": "click-toolbar-button", "data": "x"}, "bad-button"),
    ({"eventName": "status-changed", "data": "<b>"}, "bad-status"),
    ({"eventName": "room-opened", "data": "general"}, "bad-room"),
    ({"eventName": "room-opened", "data": {"name": "general"}}, "bad-rid"),
    ({"eventName": "new-message", "data": {"_id": "m"}}, "bad-rid"),
    ({"eventName": "unread-changed-by-subscription", "data": {"rid": "r", "unread": -2}}, "bad-unread"),
    ({"eventName": "notification", "data": {"notification": {}, "hasFocus": "yes"}}, "bad-has-focus"),
    ({"externalCommand": "logout"}, "missing-event-name"),  # a command echoed back is not an event
])
def test_bad_messages_dropped_with_reason(message, reason):
    with pytest.raises(Drop) as exc:
        parse_event(message)
    assert exc.value.reason == reason


@pytest.mark.parametrize("path", ["", "channel/general", "//evil.example/x", "https://evil.example/",
                                  "/channel/\n", "/a\\b", "/" + "x" * 3000])
def test_go_paths_refused(path):
    with pytest.raises(ValueError):
        check_path(path)


def test_room_paths_and_headers():
    assert room_path("c", "GENERAL", "general") == "/channel/general"
    assert room_path("p", "r1", "dev team") == "/group/dev%20team"
    assert room_path("d", "abc", "grace") == "/direct/abc"
    assert framing_refused("SAMEORIGIN") and framing_refused(" deny ") and not framing_refused("")
    assert not framing_refused("ALLOW-FROM https://x")  # Chromium ignores ALLOW-FROM
    assert rate_limit_reset_seconds("1000000012500", now=1_000_000_000.0) == 12.5  # epoch milliseconds
    assert rate_limit_reset_seconds("1000000000000", now=1_000_000_000.0) == 1.0  # at least a second
    assert rate_limit_reset_seconds("60", now=1_000_000_000.0) == 1.0  # already past (seconds misread as ms)
    assert rate_limit_reset_seconds("soon") is None


def test_integration_settings_defaults_are_refused_and_the_demo_ones_accepted():
    problems = integration_problems(DEFAULT_SETTINGS)
    assert len(problems) == 2 and "Enable Send" in problems[0] and "Enable Receive" in problems[1]
    assert integration_problems({**DEFAULT_SETTINGS, **INTEGRATION_SETTINGS}) == []
    assert integration_problems({}) == []  # unknown (settings.public unavailable): not an error
    assert integration_problems({"Iframe_Integration_receive_origin": "https://a.example,portico://app"}) == []


def test_demo_table_parses_and_its_secret_is_only_the_password(qtbot):
    class Fake:
        origin = "http://127.0.0.1:4567"
    table = demo_table(Fake())  # type: ignore[arg-type]
    toml = "[[provider]]\n" + "\n".join(f'{k} = "{v}"' for k, v in table.items())
    config = parse_config(toml).providers[0]
    assert config.url == "http://127.0.0.1:4567/channel/general?layout=embedded"
    assert demo_get_secret(config.id, "password") is not None and demo_get_secret(config.id, "token") is None
    provider = RocketChatProvider(config)
    assert not provider.uses_token and provider.origin == "http://127.0.0.1:4567"
    with pytest.raises(ValueError):
        provider.set_user_status("online", "message before sign-in")


@pytest.mark.parametrize("version, startup, commands, toolbar, override_ui", [
    ("6.3.12", True, True, True, False),
    ("6.6.0", True, True, False, True),
    ("7.8.4", True, True, False, True),
    ("7.9.0", False, True, False, True),
    ("7.10.1", False, False, False, True),
    ("7.12.3", False, False, False, True),
    ("7.13.0", True, True, False, True),
    ("8.0.1", True, True, False, True),
])
def test_the_release_table_follows_the_reported_version(version, startup, commands, toolbar, override_ui):
    found = release(version)
    assert (found.startup_event, found.commands, found.toolbar, found.override_ui) == \
        (startup, commands, toolbar, override_ui)
    assert found.describe().startswith(f"Rocket.Chat {version}")


@pytest.mark.parametrize("version", [None, "", "unknown", 8, {"v": 1}])
def test_an_unknown_version_assumes_nothing(version):
    found = release(version)
    assert not found.known and found.describe() == "Rocket.Chat (version not reported)"


def test_login_error_and_oauth_errors_keep_printable_text_only():
    assert parse_event({"event": "login-error", "response": "Iframe login failed (HTTP 401)"}) == \
        LoginError(error="Iframe login failed (HTTP 401)")
    assert parse_event({"event": "login-error", "response": {"name": "Error", "message": "nope"}}) == \
        LoginError(error="nope")
    assert parse_event({"event": "login-error", "response": "bad\x1b[31m"}) == LoginError(error="")
    assert parse_event({"event": "custom-oauth-callback", "response": {"message": "x" * 900}}).error == "x" * 500


# --- one notification per message (NotifyOnce) ---------------------------------------------------

def _notify_once() -> tuple[NotifyOnce, list[Notification]]:
    return NotifyOnce("rc"), []


def test_a_web_notification_after_its_event_is_dropped(qtbot):
    once, shown = _notify_once()
    assert once.first("msg1") is True
    once.web(Notification("t", "b", tag="msg1"), shown.append)
    assert shown == [] and once.suppressed == 1
    assert once.first("msg1") is False  # a replay of the same message


def test_a_web_notification_before_its_event_waits_and_is_replaced(qtbot):
    once, shown = _notify_once()
    once.web(Notification("t", "b", tag="msg2"), shown.append)
    assert once.first("msg2") is True  # the event's notification is the one shown
    qtbot.wait(1_300)
    assert shown == [] and once.suppressed == 1


def test_a_web_notification_no_event_announces_is_shown_once(qtbot):
    once, shown = _notify_once()
    note = Notification("Test", "it works", tag="abc123")
    once.web(note, shown.append)
    once.web(note, shown.append)  # the client raising it again while it waits
    qtbot.waitUntil(lambda: shown == [note], timeout=WEB_WAIT_MS + 1_000)
    assert once.first("abc123") is False  # an event arriving late is not shown again
    untagged = Notification("Call", "ringing", tag="")
    once.web(untagged, shown.append)
    assert shown[-1] is untagged  # not about a message: at once


@pytest.mark.parametrize("option, settings, xfo, mode, words", [
    ("auto", INTEGRATION_SETTINGS, "", "iframe", "is on"),
    ("auto", INTEGRATION_SETTINGS, "SAMEORIGIN ", "desktop", "X-Frame-Options: SAMEORIGIN"),
    ("auto", DEFAULT_SETTINGS, "", "desktop", "not on for Portico"),
    ("auto", {}, "", "iframe", "could not be read"),
    ("iframe", DEFAULT_SETTINGS, "sameorigin", "iframe", 'integration = "iframe"'),
    ("desktop", INTEGRATION_SETTINGS, "", "desktop", 'integration = "desktop"'),
])
def test_the_integration_mode_and_why(option, settings, xfo, mode, words):
    public = {k: v for k, v in settings.items() if k.startswith("Iframe_Integration")}
    chosen, why = choose_integration(option, public, xfo)
    assert chosen == mode and words in why
