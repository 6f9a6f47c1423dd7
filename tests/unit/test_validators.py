"""Every provider kind's parser, fuzzed: any JSON value becomes one typed event or a ``Drop``, nothing else."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.bridge.bridge import Bridge
from desktop.bridge.envelope import EnvelopeError, parse_bounded
from desktop.config import parse_config
from desktop.contract import Drop, ProviderEvent
from desktop.providers.base import Provider
from desktop.providers.registry import provider_class, registered_kinds

#: One valid config per kind; a kind registered without a sample here fails the suite on purpose.
SAMPLES: dict[str, str] = {
    "spatialchat": 'url = "http://127.0.0.1:9/"',
    "spoki": 'api_base = "https://app.spoki.it"\napp_base = "https://spoki.app"\nemail = "a@example.com"',
    "rocketchat": 'server = "https://chat.example.com"\nchannel = "general"\nusername = "ada"',
    "postmessage": 'url = "https://app.example.com/"\nunread_events = ["unread"]\nunread_count = "data.count"\n'
                   'notify_events = ["message"]\nnotify_body = "data.text"\nevents = ["chat"]',
}

#: Well-formed messages of each kind, to steer the fuzzer near the valid shapes.
SEEDS: dict[str, list[dict[str, Any]]] = {
    "spatialchat": [{"name": "get_space_ids", "requestId": "r1"}, {"name": "get_user_info"}],
    "spoki": [{"eventType": "hasUnreadChatsChanged", "data": {"hasUnreadChats": True}},
              {"eventType": "chatsChanged", "data": {"chats": [], "hasFilters": False, "page": 1}},
              {"eventType": "chatMessagesChanged", "data": {"chat": {"uuid": "c"}, "page": 1, "messages": []}}],
    "rocketchat": [{"eventName": "unread-changed", "data": 3}, {"eventName": "new-message", "data": {"rid": "r"}},
                   {"eventName": "room-opened", "data": {"_id": "r", "name": "general"}},
                   {"eventName": "notification", "data": {"notification": {"title": "t", "text": "x"}}}],
    "postmessage": [{"type": "unread", "data": {"count": 2}}, {"type": "message", "data": {"text": "hi"}},
                    {"type": "chat"}],
}

_scalars = st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False) | st.text(max_size=40)
_keys = st.sampled_from(["name", "eventName", "eventType", "type", "count", "text", "data", "requestId", "page", "chats", "messages",
                         "hasUnreadChats", "hasFilters", "chat", "notification", "payload", "rid", "_id",
                         "status", "__proto__", "constructor", "uuid"]) | st.text(max_size=12)
_values = st.recursive(_scalars, lambda children: st.lists(children, max_size=6)
                       | st.dictionaries(_keys, children, max_size=6), max_leaves=30)


def _mutations(kind: str) -> st.SearchStrategy[Any]:
    """A valid seed message with one field replaced by anything (or removed)."""
    def mutate(seed: dict[str, Any], path_choice: int, value: Any, remove: bool) -> Any:
        message = json.loads(json.dumps(seed))
        target = message
        data = message.get("data")
        if isinstance(data, dict) and data and path_choice % 2:
            target = data
        key = sorted(target)[path_choice % len(target)]
        if remove:
            del target[key]
        else:
            target[key] = value
        return message
    return st.builds(mutate, st.sampled_from(SEEDS[kind]), st.integers(0, 20), _values, st.booleans())


def make_provider(kind: str) -> Provider:
    assert kind in SAMPLES, f"add a sample config for kind {kind!r} to SAMPLES"
    config = parse_config(f'[[provider]]\nid = "p"\nkind = "{kind}"\n{SAMPLES[kind]}\n').providers[0]
    return provider_class(kind)(config)


def outcome(provider: Provider, value: Any) -> str:
    """Parse ``value``; 'event' or 'drop:<reason>' (anything else raised fails the test)."""
    try:
        event = provider.parse(value)
    except Drop as exc:
        assert isinstance(exc.reason, str) and 0 < len(exc.reason) < 40 and exc.reason.isascii()
        return f"drop:{exc.reason}"
    assert isinstance(event, ProviderEvent), f"parse returned {event!r}"
    json.dumps(event.log_data())  # every event can be written to the event log
    return "event"


KINDS = registered_kinds()


@pytest.mark.parametrize("kind", KINDS)
def test_every_registered_kind_has_fuzz_samples(qtbot, kind):
    assert kind in SAMPLES and SEEDS.get(kind), f"add samples for {kind!r}"
    provider = make_provider(kind)
    assert all(outcome(provider, seed) == "event" for seed in SEEDS[kind]), "a seed must parse"


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_values)
def test_any_json_value_is_an_event_or_a_drop(qtbot, kind, value):
    outcome(make_provider(kind), value)


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_near_valid_messages_are_an_event_or_a_drop(qtbot, kind, data):
    outcome(make_provider(kind), data.draw(_mutations(kind)))


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200) | _values.map(json.dumps))
def test_any_text_through_the_bridge_is_accepted_or_counted(qtbot, kind, text):
    """The Python half of the bridge as the relay calls it: nothing raises, every message is
    either accepted or counted under exactly one reason."""
    provider = make_provider(kind)
    bridge = Bridge(provider)
    try:
        parse_bounded(text)
    except EnvelopeError:
        pass
    bridge.from_frame(provider.origin, text)
    assert bridge.accepted + sum(bridge.dropped.values()) == 1
    assert "handler-error" not in bridge.dropped, "a provider's handler raised on a parsed event"


@pytest.mark.parametrize("received", [
    "null", "", "*", "HTTPS://SPOKI.APP", "https://spoki.app/", " https://spoki.app", "https://spoki.app\n",
    "https://spoki.app.evil.com", "https://evil-spoki.app", "https://evilspoki.app", "https://spoki.ap",
    "https://spoki.a", "http://spoki.app", "https://spoki.app:8443", "https://spoki.app:443", "https://spokiXapp",
    "https://xn--spki-7qa.app", "file://", "chrome-extension://abcdef", "qrc:", "about:blank", "portico://app"])
def test_bridge_refuses_origin_look_alikes(qtbot, received):
    """The relay checks the origin first; the bridge checks it again (exact string equality)."""
    config = parse_config('[[provider]]\nid = "sp"\nkind = "spoki"\n' + SAMPLES["spoki"] + "\n").providers[0]
    provider = provider_class("spoki")(config)
    assert provider.origin == "https://spoki.app"
    bridge = Bridge(provider)
    valid = json.dumps(SEEDS["spoki"][0])
    bridge.from_frame(received, valid)
    assert dict(bridge.dropped) == {"wrong-origin": 1} and bridge.accepted == 0
    bridge.from_frame("https://spoki.app", valid)
    assert bridge.accepted == 1
