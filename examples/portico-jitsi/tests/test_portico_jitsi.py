"""The jitsi kind on its own, through Portico's public API only: run `python -m pytest` here."""

from __future__ import annotations

import json

import pytest
from portico_jitsi import KIND, simulator
from portico_jitsi.provider import SCOPE, ConferenceJoined, IncomingMessage, MuteChanged, PasswordRequired, Ready

from desktop.plugins import Drop, Secret
from desktop.plugins.testing import make_provider

OPTIONS = {"server": "https://meet.example.org", "room": "Standup", "display_name": "Ada Lovelace"}


def wire(method: str, params: object, scope: str = SCOPE) -> str:
    return json.dumps({"postis": True, "scope": scope, "method": method, "params": params})


def event(name: str, **data: object) -> str:
    return wire("message", {"type": "event", "data": {"name": name, **data}})


def posted(messages: list) -> list:
    """What reached the page: each message as the JSON text postis parses."""
    return [json.loads(json.dumps(m.payload)) for m in messages if m.as_json_string]


def test_the_room_url_is_the_one_the_external_api_builds():
    provider = make_provider(KIND, OPTIONS)
    assert provider.config.url == ("https://meet.example.org/Standup#jitsi_meet_external_api_id=0"
                                   "&config.startWithAudioMuted=false&config.startWithVideoMuted=false"
                                   "&userInfo.displayName=%22Ada%20Lovelace%22")
    assert provider.origin == "https://meet.example.org"


def test_events_are_typed_and_anything_else_is_dropped():
    provider = make_provider(KIND, OPTIONS)
    assert provider.parse(wire("__ready__", "abc")) == Ready("abc")
    assert provider.parse(event("video-conference-joined", roomName="standup", id="p1", displayName="Ada")) == \
        ConferenceJoined("standup", "p1", "Ada")
    assert provider.parse(event("incoming-message", **{"from": "p2"}, nick="Grace", message="hi",
                                privateMessage=True, stamp=1)) == IncomingMessage("p2", "Grace", "hi", True)
    assert provider.parse(event("audio-mute-status-changed", muted=True)) == MuteChanged("audio", True)
    assert provider.parse(event("password-required")) == PasswordRequired()
    for bad, reason in [({"postis": True}, "not-postis"), (wire("__ready__", "x", scope="jitsi_meet_external_api_1"),
                                                          "wrong-scope"),
                        (json.dumps({"scope": SCOPE}), "not-postis"), (wire("__ready__", 7), "bad-ready"),
                        (event("incoming-message", message=5), "bad-message"),
                        (event("audio-mute-status-changed", muted="yes"), "bad-muted"),
                        (event("kick-everyone"), "unknown-event"),
                        (wire("message", {"type": "response", "id": 1, "result": True}), "unasked-response"),
                        ('{"postis": true, "__proto__": {}}', "forbidden-key")]:
        with pytest.raises(Drop) as drop:
            provider.parse(bad)
        assert drop.value.reason == reason, bad


def test_commands_wait_for_the_handshake_then_go_out_as_postis_text():
    provider = make_provider(KIND, OPTIONS)
    sent: list = []
    provider.outbound.connect(sent.append)
    provider.run_command("toggle_audio", ())
    assert sent == []  # the room has not said it is listening
    provider.handle(provider.parse(wire("__ready__", "r4nd")))
    provider.run_command("send_chat_message", ("hello",))
    assert posted(sent) == [
        {"postis": True, "scope": SCOPE, "method": "__ready__", "params": "r4nd"},
        {"postis": True, "scope": SCOPE, "method": "message",
         "params": {"type": "event", "data": {"name": "toggle-audio", "data": []}}},
        {"postis": True, "scope": SCOPE, "method": "message",
         "params": {"type": "event", "data": {"name": "send-chat-message", "data": ["hello"]}}},
    ]
    with pytest.raises(ValueError, match="empty"):
        provider.run_command("send_chat_message", (" ",))
    with pytest.raises(ValueError, match="no command"):
        provider.run_command("kick", ())


def test_a_locked_room_gets_the_password_from_the_keyring_and_the_log_never_shows_it():
    provider = make_provider(KIND, OPTIONS, get_secret=lambda pid, field: Secret("s3cret") if field == "room_password"
                             else None)
    sent: list = []
    provider.outbound.connect(sent.append)
    provider.handle(provider.parse(wire("__ready__", "r")))
    provider.on_frame_loaded()
    provider.handle(provider.parse(event("password-required")))
    message = sent[-1]
    assert posted([message])[0]["params"]["data"] == {"name": "password", "data": ["s3cret"]}
    assert "s3cret" not in json.dumps(message.log_data()) and "s3cret" not in repr(message)


def test_a_locked_room_without_a_stored_password_asks_for_it():
    provider = make_provider(KIND, OPTIONS, get_secret=lambda pid, field: None)
    errors: list = []
    provider.error_occurred.connect(errors.append)
    provider.on_frame_loaded()
    provider.handle(provider.parse(event("password-required")))
    assert errors[0].needs_fields == ("room_password",)


def test_the_simulator_page_carries_its_password_as_data():
    page = simulator.page('a"</script><b>')
    assert 'const PASSWORD = "a\\"<\\/script><b>";' in page
    assert "jitsi_meet_external_api_" in page and "__ready__" in page
