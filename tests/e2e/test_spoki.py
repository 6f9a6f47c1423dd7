"""Spoki provider without a browser: URLs, chat links, event parsing, and sign-in against the simulator."""

from __future__ import annotations

import itertools
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from desktop.bridge.bridge import Bridge
from desktop.config import parse_config
from desktop.contract import UNREAD_DOT, Drop, ProviderError, ProviderState
from desktop.demo.server import LoopbackServer
from desktop.demo.spoki import AUTH_PATH, DEMO_API_KEY, DEMO_EMAIL, DEMO_PRIVATE_KEY, SpokiSimulator, start_app
from desktop.providers.rest import retry_after_seconds
from desktop.providers.spoki.events import (
    MAX_CHATS,
    ChatMessagesChanged,
    ChatsChanged,
    UnreadChatsChanged,
    parse_event,
)
from desktop.providers.spoki.links import ChatLinkError, frame_url, normalize_page, page_from_chat_link
from desktop.providers.spoki.provider import SpokiProvider, describe_bad_request
from desktop.redact import scrub_text
from desktop.secret import Secret
from tests.helpers.net import free_port
from tests.helpers.spoki import SECRETS, secrets_from, spoki_config

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

UUID = "0b9a6f3e-2c1d-4e5f-8a7b-9c0d1e2f3a4b"
@pytest.fixture(scope="module")
def sim() -> Iterator[tuple[LoopbackServer, SpokiSimulator]]:
    server, simulator = start_app()
    yield server, simulator
    server.stop()


@pytest.fixture
def spoki(sim, qtbot) -> Iterator[tuple[SpokiProvider, SpokiSimulator]]:
    server, simulator = sim
    simulator.auth_mode, simulator.approved, simulator.retry_after = "ok", True, "1"
    simulator.auth_requests.clear()
    provider = SpokiProvider(spoki_config(server.origin), get_secret=secrets_from(SECRETS),
                             is_app_active=lambda: True)
    provider.retry_delays = (0.05,)
    yield provider, simulator
    provider.shutdown()
    provider.deleteLater()


def sign_in(qtbot, provider: SpokiProvider) -> str:
    with qtbot.waitSignal(provider.frame_requested, timeout=5000) as blocker:
        provider.start()
    return blocker.args[0]


def sign_in_error(qtbot, provider: SpokiProvider) -> ProviderError:
    with qtbot.waitSignal(provider.error_occurred, timeout=5000) as blocker:
        provider.start()
    return blocker.args[0]


# --- URLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["chats", "templates", f"chats/{UUID}"])
@pytest.mark.parametrize("flags", list(itertools.product((True, False), repeat=3)))
def test_frame_url_for_every_page_and_flag(page, flags):
    view, reply, paypal = flags
    url = frame_url("https://spoki.app", page, "tok", "uid1", "it", can_view_chat_list=view,
                    can_reply_in_chat=reply, can_send_paypal_in_chat=paypal)
    parts = urllib.parse.urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"https://spoki.app/{page}"
    assert urllib.parse.parse_qsl(parts.query) == [
        ("auth_token", "tok"), ("auth_uid", "uid1"), ("language", "it"),
        ("can_view_chat_list", str(view).lower()), ("can_reply_in_chat", str(reply).lower()),
        ("can_send_paypal_in_chat", str(paypal).lower())]


def test_frame_url_percent_encodes_odd_values():
    token, uid = "a+b/c=d&e f%#?é", "u&language=xx"
    url = frame_url("http://127.0.0.1:8123/", f"chats/{UUID.upper()}", token, uid, "es")
    assert url.startswith(f"http://127.0.0.1:8123/chats/{UUID}?auth_token=")
    assert "a%2Bb%2Fc%3Dd%26e%20f%25%23%3F%C3%A9" in url
    assert "auth_uid=u%26language%3Dxx&language=es" in url
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert query["auth_token"] == token and query["auth_uid"] == uid and query["language"] == "es"


@pytest.mark.parametrize("page", ["", "chat", "Chats", "chats/", "chats/123", f"chats/{UUID}/x", "../chats",
                                  "templates/", f"chats/{{{UUID}}}", "chats/" + UUID.replace("-", ""),
                                  "https://evil.example/chats", f"chats/{UUID}?x=1"])
def test_bad_pages_refused(page):
    with pytest.raises(ChatLinkError):
        normalize_page(page)
    with pytest.raises(ChatLinkError):
        frame_url("https://spoki.app", page, "t", "u", "en")


# --- chat links -----------------------------------------------------------------------------


@pytest.mark.parametrize("link, page", [
    (f"https://spoki.app/chats/{UUID}", f"chats/{UUID}"),
    (f"https://spoki.app/chats/{UUID.upper()}", f"chats/{UUID}"),
    (f"https://SPOKI.app/chats/{UUID}/", f"chats/{UUID}"),
    (f"https://spoki.app:443/chats/{UUID}", f"chats/{UUID}"),
])
def test_chat_link_accepted(link, page):
    assert page_from_chat_link(link, "https://spoki.app") == page


@pytest.mark.parametrize("link", [
    # look-alike hosts and origins
    f"https://spoki.app.evil.com/chats/{UUID}", f"https://evil-spoki.app/chats/{UUID}",
    f"https://evilspoki.app/chats/{UUID}", f"https://spoki.ap/chats/{UUID}", f"http://spoki.app/chats/{UUID}",
    f"https://spoki.app:8443/chats/{UUID}", f"https://spokiXapp/chats/{UUID}",
    f"https://spoki.app@evil.com/chats/{UUID}", f"https://evil.com@spoki.app/chats/{UUID}",
    f"https://evil.com\\@spoki.app/chats/{UUID}", f"https://xn--spki-9qa.app/chats/{UUID}",
    f"//spoki.app/chats/{UUID}", f"spoki.app/chats/{UUID}", f"javascript://spoki.app/chats/{UUID}",
    # bad uuids
    "https://spoki.app/chats/123", "https://spoki.app/chats/", "https://spoki.app/chats",
    "https://spoki.app/chats/" + UUID.replace("-", ""), f"https://spoki.app/chats/{{{UUID}}}",
    f"https://spoki.app/chats/urn:uuid:{UUID}", "https://spoki.app/chats/" + UUID[:-1] + "g",
    "https://spoki.app/chats/%2e%2e%2ftemplates", f"https://spoki.app/chats/{UUID}%2fx",
    # extra path, query, fragment, spaces
    f"https://spoki.app/chats/{UUID}/messages", f"https://spoki.app/x/chats/{UUID}",
    f"https://spoki.app/chats/../chats/{UUID}", f"https://spoki.app/chats/{UUID}//",
    f"https://spoki.app/chats/{UUID}?auth_token=x", f"https://spoki.app/chats/{UUID}#x",
    f"https://spoki.app/chats/{UUID}?", f" https://spoki.app/chats/{UUID}", f"https://spoki.app/chats/{UUID}\n",
    f"https://spoki.app/chats/ {UUID}", "", "x" * 3000,
])
def test_chat_link_refused(link):
    with pytest.raises(ChatLinkError):
        page_from_chat_link(link, "https://spoki.app")


def test_chat_link_on_a_loopback_app_base_needs_its_port():
    assert page_from_chat_link(f"http://127.0.0.1:8123/chats/{UUID}", "http://127.0.0.1:8123") == f"chats/{UUID}"
    for link in (f"http://127.0.0.1:8124/chats/{UUID}", f"http://127.0.0.2:8123/chats/{UUID}",
                 f"http://localhost:8123/chats/{UUID}", f"https://127.0.0.1:8123/chats/{UUID}"):
        with pytest.raises(ChatLinkError):
            page_from_chat_link(link, "http://127.0.0.1:8123")


# --- events ---------------------------------------------------------------------------------


def test_events_parse_into_typed_dataclasses():
    chat = {"uuid": UUID, "contact": {"first_name": "Ada"}, "anything": [1, {"x": None}]}
    assert parse_event({"eventType": "hasUnreadChatsChanged", "data": {"hasUnreadChats": False}}) == \
        UnreadChatsChanged(has_unread_chats=False)
    event = parse_event({"eventType": "chatsChanged",
                         "data": {"chats": [chat], "hasFilters": True, "page": 2, "origin": "https://spoki.app"}})
    assert event == ChatsChanged(chats=(chat,), has_filters=True, page=2)
    assert event.log_data() == {"page": 2, "has_filters": True, "chats": 1}
    event = parse_event({"eventType": "chatMessagesChanged",
                         "data": {"chat": chat, "page": 1, "messages": [{"text": "<script>x</script>"}]}})
    assert event == ChatMessagesChanged(chat=chat, page=1, messages=({"text": "<script>x</script>"},))
    assert event.log_data() == {"page": 1, "messages": 1}
    # hasFilters is optional (absent means no filter); extra keys are ignored
    assert parse_event({"eventType": "chatsChanged", "data": {"chats": [], "page": 0}}) == ChatsChanged()


def unread(value: Any) -> dict[str, Any]:
    return {"eventType": "hasUnreadChatsChanged", "data": {"hasUnreadChats": value}}


def chats_msg(**data: Any) -> dict[str, Any]:
    return {"eventType": "chatsChanged", "data": {"chats": [], "hasFilters": False, "page": 1, **data}}


def messages_msg(**data: Any) -> dict[str, Any]:
    return {"eventType": "chatMessagesChanged", "data": {"chat": {}, "page": 1, "messages": [], **data}}


@pytest.mark.parametrize("message, reason", [
    (None, "not-an-object"), (42, "not-an-object"), ([], "not-an-object"), ("text", "not-an-object"),
    ({"data": {}}, "missing-event-type"), ({"eventType": 1, "data": {}}, "missing-event-type"),
    ({"eventType": {}, "data": {}}, "missing-event-type"),
    ({"eventType": "", "data": {}}, "unknown-event-type"),
    ({"eventType": "hasunreadchatschanged", "data": {}}, "unknown-event-type"),
    ({"eventType": "chatsChanged ", "data": {}}, "unknown-event-type"),
    ({"eventType": "__proto__", "data": {}}, "unknown-event-type"),
    ({"eventType": "constructor", "data": {}}, "unknown-event-type"),
    ({"eventType": "__init__", "data": {}}, "unknown-event-type"),
    ({"eventType": "toString", "data": {}}, "unknown-event-type"),
    ({"eventType": "x" * 10_000, "data": {}}, "unknown-event-type"),
    ({"eventType": "hasUnreadChatsChanged"}, "bad-data"),
    ({"eventType": "hasUnreadChatsChanged", "data": "x"}, "bad-data"),
    ({"eventType": "hasUnreadChatsChanged", "data": [True]}, "bad-data"),
    (unread("false"), "bad-has-unread-chats"), (unread(0), "bad-has-unread-chats"),
    (unread(1), "bad-has-unread-chats"), (unread(None), "bad-has-unread-chats"),
    ({"eventType": "hasUnreadChatsChanged", "data": {}}, "bad-has-unread-chats"),
    (chats_msg(page=-1), "bad-page"), (chats_msg(page=10**9), "bad-page"), (chats_msg(page="2"), "bad-page"),
    (chats_msg(page=True), "bad-page"), (chats_msg(page=2.5), "bad-page"), (chats_msg(page=None), "bad-page"),
    (chats_msg(chats={}), "bad-chats"), (chats_msg(chats="[]"), "bad-chats"), (chats_msg(chats=[1]), "bad-chats"),
    (chats_msg(chats=[{}] * (MAX_CHATS + 1)), "too-many-chats"), (chats_msg(chats=[{}] * 100_000), "too-many-chats"),
    (chats_msg(hasFilters="true"), "bad-has-filters"),
    (messages_msg(chat=None), "bad-chat"), (messages_msg(chat=[]), "bad-chat"),
    (messages_msg(messages=None), "bad-messages"), (messages_msg(messages=["hi"]), "bad-messages"),
    (messages_msg(page=-5), "bad-page"),
])
def test_bad_events_dropped_with_reason(message, reason):
    with pytest.raises(Drop) as info:
        parse_event(message)
    assert info.value.reason == reason


# --- error bodies ---------------------------------------------------------------------------


def test_bad_request_bodies_name_the_field():
    assert describe_bad_request({"email": ["Enter a valid email address."]}) == \
        ("email: Enter a valid email address.", ("email",), ())
    assert describe_bad_request({"private_key": ["Invalid."], "non_field_errors": ["Nope"]}) == \
        ("private_key: Invalid. Nope", (), ("private_key",))
    assert describe_bad_request({"detail": "Malformed."}) == ("Malformed.", (), ())
    assert describe_bad_request({"code": "spoki::3014", "detail": "Service user not found."}) == \
        ("[spoki::3014] Service user not found.", (), ())
    assert describe_bad_request(["x"]) == ("", (), ())
    assert describe_bad_request({"x": {"deep": [1]}, "y": None}) == ("x", (), ())


def test_retry_after_header():
    assert retry_after_seconds("") is None
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("999999") == 3600.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0


# --- sign-in against the simulator ---------------------------------------------------------


def test_sign_in_posts_keys_only_in_header_and_body_and_loads_page(spoki, qtbot):
    provider, simulator = spoki
    url = sign_in(qtbot, provider)
    assert provider.state is ProviderState.LOADING
    request, = simulator.auth_requests
    assert request["method"] == "POST" and request["query"] == {}
    assert request["headers"]["x-spoki-api-key"] == DEMO_API_KEY
    assert request["headers"]["content-type"] == "application/json"
    assert request["body"] == {"email": DEMO_EMAIL, "private_key": DEMO_PRIVATE_KEY}
    assert "cookie" not in request["headers"]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert set(query) == {"auth_token", "auth_uid", "language", "can_view_chat_list", "can_reply_in_chat",
                          "can_send_paypal_in_chat"}
    assert DEMO_API_KEY not in url and DEMO_PRIVATE_KEY not in url
    # token and uid are registered: any log line or error text carrying them is scrubbed
    assert query["auth_token"] not in scrub_text(url) and query["auth_uid"] not in scrub_text(url)


def test_sign_in_does_not_block_and_every_load_gets_a_fresh_token(spoki, qtbot):
    provider, simulator = spoki
    requested: list[str] = []
    provider.frame_requested.connect(requested.append)
    provider.start()
    assert provider.state is ProviderState.PREPARING and requested == []  # the answer comes later
    qtbot.waitUntil(lambda: len(requested) == 1, timeout=5000)
    first = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(requested[0]).query))["auth_token"]
    provider.set_page("templates")
    qtbot.waitUntil(lambda: len(requested) == 2, timeout=5000)
    second = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(requested[1]).query))["auth_token"]
    assert first != second and len(simulator.auth_requests) == 2
    assert urllib.parse.urlsplit(requested[1]).path == "/templates"
    assert first in scrub_text(first) and second not in scrub_text(second)  # the old token was forgotten
    provider.shutdown()
    assert second in scrub_text(second)


def test_set_page_and_chat_links(spoki, qtbot, sim):
    provider, simulator = spoki
    server, _ = sim
    pages: list[str] = []
    provider.page_changed.connect(pages.append)
    with qtbot.waitSignal(provider.frame_requested, timeout=5000) as blocker:
        assert provider.open_chat_link(f"{server.origin}/chats/{UUID.upper()}") == f"chats/{UUID}"
    assert urllib.parse.urlsplit(blocker.args[0]).path == f"/chats/{UUID}"
    assert pages == [f"chats/{UUID}"] and provider.page == f"chats/{UUID}"
    before = len(simulator.auth_requests)
    for bad in (f"https://spoki.app/chats/{UUID}", f"{server.origin}/chats/{UUID}/x", f"{server.origin}/chats/1"):
        with pytest.raises(ChatLinkError):
            provider.open_chat_link(bad)
    with pytest.raises(ChatLinkError):
        provider.set_page("settings")
    assert len(simulator.auth_requests) == before and provider.page == f"chats/{UUID}"


def test_menu_actions(sim, qtbot):
    server, _ = sim
    provider = SpokiProvider(spoki_config(server.origin), get_secret=secrets_from(SECRETS))
    assert [label for label, _ in provider.menu_actions()] == ["Chat list", "Templates", "Open chat link…"]
    with qtbot.waitSignal(provider.frame_requested, timeout=5000) as blocker:
        dict(provider.menu_actions())["Templates"]()
    assert urllib.parse.urlsplit(blocker.args[0]).path == "/templates"
    locked = SpokiProvider(spoki_config(server.origin, page=f"chats/{UUID}", can_view_chat_list=False),
                           get_secret=secrets_from(SECRETS))
    assert [label for label, _ in locked.menu_actions()] == ["Templates", "Open chat link…"]


@pytest.mark.parametrize("mode, status, needs, words", [
    ("401", 401, ("api_key",), "48 hours"),
    ("403", 403, ("api_key",), "48 hours"),
    ("400-field", 400, (), "email"),
    ("400-detail", 400, (), "Malformed request"),
    ("400-code", 400, (), "spoki::3014"),
    ("garbage", 200, (), "no usable token"),
    ("no-token", 200, (), "no usable token"),
    ("redirect", 307, (), "redirect"),
    ("huge", 200, (), "far too large"),
])
def test_auth_errors_say_what_to_do(spoki, qtbot, mode, status, needs, words):
    provider, simulator = spoki
    simulator.auth_mode = mode
    error = sign_in_error(qtbot, provider)
    assert error.needs_fields == needs
    assert words in error.message + error.hint
    assert error.retry_after is None
    assert provider.state is (ProviderState.NEEDS_INPUT if needs else ProviderState.ERROR)
    assert not provider._retry_timer.isActive(), "no automatic retry"
    assert len(simulator.auth_requests) == 1  # a redirect would have been followed before the answer
    if mode == "400-field":
        assert "(email)" in error.message and "config file" in error.hint and DEMO_EMAIL in error.hint


@pytest.mark.parametrize("change, needs, words", [
    ({"api_key": "wrong-key"}, ("api_key",), "not approved yet"),
    ({"private_key": "wrong-private-key"}, ("private_key",), "private_key: Invalid private key"),
])
def test_wrong_keys_as_spoki_answers_them(sim, qtbot, change, needs, words):
    server, simulator = sim
    simulator.auth_mode = "ok"
    provider = SpokiProvider(spoki_config(server.origin), get_secret=secrets_from({**SECRETS, **change}))
    error = sign_in_error(qtbot, provider)
    assert error.needs_fields == needs and words in error.message + error.hint
    for value in (*SECRETS.values(), *change.values()):
        assert value not in error.message + error.hint


def test_unapproved_key_and_unknown_email(sim, qtbot):
    server, simulator = sim
    simulator.auth_mode, simulator.approved = "ok", False
    try:
        provider = SpokiProvider(spoki_config(server.origin), get_secret=secrets_from(SECRETS))
        error = sign_in_error(qtbot, provider)
        assert "HTTP 403" in error.message and "not been approved" in error.message
    finally:
        simulator.approved = True
    provider = SpokiProvider(spoki_config(server.origin, email="nobody@example.org"), get_secret=secrets_from(SECRETS))
    error = sign_in_error(qtbot, provider)
    assert "(email)" in error.message and "nobody@example.org" in error.hint and error.needs_fields == ()


@pytest.mark.parametrize("mode", ["429", "500"])
def test_rate_limit_and_server_errors_retry_with_backoff(spoki, qtbot, mode):
    provider, simulator = spoki
    simulator.auth_mode, simulator.retry_after = mode, "0"
    errors: list[ProviderError] = []
    provider.error_occurred.connect(errors.append)
    provider.retry_delays = (0.05, 0.1, 5.0)
    with qtbot.waitSignal(provider.retry_scheduled, timeout=5000):
        provider.start()
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=5000)  # the automatic retry failed again
    assert [e.retry_after for e in errors] == [0.05, 0.1]
    assert ("HTTP 429" if mode == "429" else "HTTP 500") in errors[0].message
    assert "tries again in a moment" in errors[0].hint
    assert provider._retry_timer.isActive()  # the third attempt waits 5 s …
    simulator.auth_mode = "ok"
    sign_in(qtbot, provider)  # … unless the user presses Retry
    assert len(simulator.auth_requests) == 3 and not provider._retry_timer.isActive()


def test_rate_limit_without_retry_after_waits_at_least_30_seconds(spoki, qtbot):
    provider, simulator = spoki
    simulator.auth_mode, simulator.retry_after = "429", ""
    error = sign_in_error(qtbot, provider)
    assert error.retry_after == 30.0 and "30 seconds" in error.hint


def test_retry_after_header_is_honoured(spoki, qtbot):
    provider, simulator = spoki
    simulator.auth_mode, simulator.retry_after = "429", "120"
    delays: list[float] = []
    provider.retry_scheduled.connect(delays.append)
    error = sign_in_error(qtbot, provider)
    assert error.retry_after == 120.0 and delays == [120.0] and "120 seconds" in error.hint
    simulator.auth_mode = "ok"
    sign_in(qtbot, provider)  # a manual Retry does not wait, and cancels the scheduled one
    assert not provider._retry_timer.isActive()


def test_network_failure_retries_until_the_server_is_back(qtbot):
    port = free_port()
    provider = SpokiProvider(spoki_config(f"http://127.0.0.1:{port}"), get_secret=secrets_from(SECRETS))
    provider.retry_delays = (0.05, 0.2)
    errors: list[ProviderError] = []
    provider.error_occurred.connect(errors.append)
    provider.start()
    qtbot.waitUntil(lambda: len(errors) >= 2, timeout=5000)
    assert provider.state is ProviderState.ERROR
    assert "could not be reached" in errors[0].message and f"127.0.0.1:{port}" in errors[0].message
    assert errors[0].retry_after == 0.05 and errors[1].retry_after == 0.2
    server, _ = start_app(port=port)
    try:
        with qtbot.waitSignal(provider.frame_requested, timeout=5000):
            pass
        assert provider.state is ProviderState.LOADING
    finally:
        provider.shutdown()
        server.stop()


@pytest.mark.parametrize("stored, needs", [
    ({}, ("api_key", "private_key")),
    ({"api_key": DEMO_API_KEY}, ("private_key",)),
    ({"api_key": "  ", "private_key": DEMO_PRIVATE_KEY}, ("api_key",)),
    ({"api_key": "key\r\nX-Evil: 1", "private_key": DEMO_PRIVATE_KEY}, ("api_key",)),
])
def test_missing_or_unusable_secrets_ask_for_them(sim, qtbot, stored, needs):
    server, simulator = sim
    simulator.auth_requests.clear()
    provider = SpokiProvider(spoki_config(server.origin), get_secret=secrets_from(stored))
    errors: list[ProviderError] = []
    provider.error_occurred.connect(errors.append)
    provider.start()
    assert errors[0].needs_fields == needs and provider.state is ProviderState.NEEDS_INPUT
    assert simulator.auth_requests == []


def test_keyring_failure_is_an_error_not_a_crash(sim, qtbot):
    server, _ = sim

    def broken(pid: str, field: str) -> Secret:
        raise RuntimeError("dbus says no")

    provider = SpokiProvider(spoki_config(server.origin), get_secret=broken)
    errors: list[ProviderError] = []
    provider.error_occurred.connect(errors.append)
    provider.start()
    assert "keyring" in errors[0].message and "dbus" not in errors[0].message
    # The form is offered for this session only: the keyring cannot remember anything now.
    assert errors[0].needs_fields == ("api_key", "private_key") and not errors[0].can_remember
    provider.get_secret = lambda pid, field: (_ for _ in ()).throw(KeyError(field))
    provider.start()
    assert errors[1].needs_fields == ("api_key", "private_key") and errors[1].can_remember


# --- events through a bridge (no browser) ----------------------------------------------------


def test_unread_dot_and_notification_only_when_turning_true_unfocused(sim, qtbot):
    server, _ = sim
    active = [True]
    provider = SpokiProvider(spoki_config(server.origin), get_secret=secrets_from(SECRETS),
                             is_app_active=lambda: active[0])
    bridge = Bridge(provider)
    notes, unread_counts, flags = [], [], []
    provider.notification_requested.connect(notes.append)
    provider.unread_changed.connect(unread_counts.append)
    provider.unread_chats_changed.connect(flags.append)

    def post(value: Any) -> None:
        bridge.from_frame(provider.origin, json.dumps(unread(value)))

    post(True)                      # focused: dot, no notification
    post(False)
    active[0] = False
    post(True)                      # unfocused and turning true: one notification
    post(True)                      # still true: nothing new
    post("false")                   # a string is not a boolean: dropped
    assert unread_counts == [UNREAD_DOT, 0, UNREAD_DOT] and provider.unread == UNREAD_DOT
    assert flags == [True, False, True]
    assert len(notes) == 1 and notes[0].title == "Spoki sp" and notes[0].tag == "spoki:sp:unread"
    assert bridge.accepted == 4 and bridge.dropped["bad-has-unread-chats"] == 1


HOSTILE_ORIGINS = [
    "https://spoki.app.evil.com", "https://evil-spoki.app", "https://evilspoki.app", "https://spoki.ap",
    "https://spoki.a", "", "http://spoki.app", "https://spoki.app:8443", "https://spoki.app:443",
    "HTTPS://SPOKI.APP", "https://spoki.app/", " https://spoki.app", "https://spoki.app\n", "https://spokiXapp",
    "https://xn--spki-9qa.app", "null", "file://", "chrome-extension://abc", "qrc:", "about:blank", "portico://app",
]


def test_hostile_origins_are_refused_before_parsing(qtbot):
    provider = SpokiProvider(spoki_config("https://app.spoki.it", "https://spoki.app"),
                             get_secret=secrets_from(SECRETS))
    bridge = Bridge(provider)
    seen: list[Any] = []
    provider.event_received.connect(seen.append)
    good = json.dumps(unread(True))
    for origin in HOSTILE_ORIGINS:
        bridge.from_frame(origin, good)
    assert seen == [] and bridge.dropped["wrong-origin"] == len(HOSTILE_ORIGINS)
    bridge.from_frame("https://spoki.app", json.dumps({**unread(True), "origin": "https://evil.example"}))
    assert seen == [UnreadChatsChanged(has_unread_chats=True)]


def test_no_secret_in_logs_or_errors(sim, qtbot, caplog):
    server, simulator = sim
    caplog.set_level(logging.DEBUG)
    provider = SpokiProvider(spoki_config(server.origin), get_secret=secrets_from(SECRETS))
    provider.retry_delays = (0.05,)
    url = sign_in(qtbot, provider)
    token = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["auth_token"]
    for mode in ("401", "400-field", "500"):
        simulator.auth_mode = mode
        error = sign_in_error(qtbot, provider)
        for value in (DEMO_API_KEY, DEMO_PRIVATE_KEY, token):
            assert value not in repr(error)
    simulator.auth_mode = "ok"
    provider.shutdown()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "provider sp" in text
    for value in (DEMO_API_KEY, DEMO_PRIVATE_KEY, token):
        assert value not in text and value not in repr(provider)
    assert AUTH_PATH not in url


def app_page(server: LoopbackServer, path: str, **query: str) -> tuple[int, str]:
    """GET a page of the simulated Spoki app as the frame would (status, body)."""
    url = f"{server.origin}{path}?{urllib.parse.urlencode(query)}"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def boot_of(page: str) -> dict[str, Any]:
    """The state the simulator hands its app page (the JSON that replaced ``__SPOKI_BOOT__``)."""
    start = page.index("const B = ") + len("const B = ")
    return json.JSONDecoder().raw_decode(page, start)[0]


def test_simulator_refuses_bad_tokens_and_honours_flags(sim):
    server, simulator = sim
    token, uid = simulator.issue_token()
    other_token, _ = simulator.issue_token()
    for query, problem in [({}, "invalid"), ({"auth_token": "made-up", "auth_uid": uid}, "invalid"),
                           ({"auth_token": other_token, "auth_uid": uid}, "invalid"),  # uid of another token
                           ({"auth_token": token, "auth_uid": uid + "x"}, "invalid")]:
        status, body = app_page(server, "/chats", **query, language="es")
        assert status == 401 and f'data-problem="{problem}"' in body and "Sesión caducada" in body
        assert "spokiSim" not in body
    status, body = app_page(server, f"/chats/{UUID}", auth_token=token, auth_uid=uid, language="it",
                            can_view_chat_list="false", can_reply_in_chat="false", can_send_paypal_in_chat="false")
    assert status == 200
    boot = boot_of(body)
    assert (boot["page"], boot["language"], boot["account"]) == (f"chats/{UUID}", "it", DEMO_EMAIL)
    assert (boot["canViewChatList"], boot["canReplyInChat"], boot["canSendPaypalInChat"]) == (False, False, False)
    status, body = app_page(server, "/chats", auth_token=token, auth_uid=uid)  # single use
    assert status == 401 and 'data-problem="expired"' in body
    token, uid = simulator.issue_token()
    status, body = app_page(server, "/templates", auth_token=token, auth_uid=uid, language="xx")
    boot = boot_of(body)
    assert status == 200 and boot["language"] == "en" and boot["page"] == "templates"
    assert (boot["canViewChatList"], boot["canReplyInChat"], boot["canSendPaypalInChat"]) == (True, True, True)
    ttl, simulator.token_ttl = simulator.token_ttl, -1.0
    try:
        token, uid = simulator.issue_token()
        assert app_page(server, "/templates", auth_token=token, auth_uid=uid)[0] == 401  # too old
    finally:
        simulator.token_ttl = ttl
    assert app_page(server, "/settings", auth_token=token, auth_uid=uid)[0] == 404  # no such page


def test_demo_table_parses_and_signs_in(qtbot):
    import tomlkit

    from desktop.demo.spoki import add_to_demo, demo_get_secret
    doc = tomlkit.document()
    doc["provider"] = tomlkit.aot()
    servers: list[LoopbackServer] = []
    add_to_demo(doc, servers)
    try:
        config = parse_config(tomlkit.dumps(doc)).providers[0]
        assert (config.kind, config.id, config.origin) == ("spoki", "demo-spoki", servers[0].origin)
        provider = SpokiProvider(config, get_secret=demo_get_secret)
        url = sign_in(qtbot, provider)
        assert url.startswith(f"{servers[0].origin}/chats?auth_token=") and "can_send_paypal_in_chat=true" in url
        provider.shutdown()
    finally:
        for server in servers:
            server.stop()
