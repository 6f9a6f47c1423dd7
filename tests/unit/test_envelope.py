"""Envelope rules: canonical origins and the bounded JSON parse (pure Python, with hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from desktop.bridge import envelope
from desktop.bridge.envelope import EnvelopeError, canonical_origin, check_origin, parse_bounded
from tests.helpers.paths import ROOT


@pytest.mark.parametrize("url, origin", [
    ("https://spoki.app", "https://spoki.app"),
    ("https://spoki.app/", "https://spoki.app"),
    ("HTTPS://SPOKI.APP/chats?x=1", "https://spoki.app"),
    ("https://spoki.app:443/x", "https://spoki.app"),
    ("http://127.0.0.1:8080/a", "http://127.0.0.1:8080"),
    ("http://[::1]:9/", "http://[::1]:9"),
    ("https://bücher.example/", "https://xn--bcher-kva.example"),
])
def test_canonical_origin(url, origin):
    assert canonical_origin(url) == origin


@pytest.mark.parametrize("url", [
    "null", "", "*", "file:///etc/passwd", "qrc:/x", "about:blank", " https://spoki.app",
    "https://spoki.app\n", "https://user:pw@spoki.app", "https://", "chrome-extension://abc", "https://a:99999",
])
def test_canonical_origin_refuses(url):
    with pytest.raises(ValueError):
        canonical_origin(url)


@pytest.mark.parametrize("received", [
    "https://spoki.app.evil.com", "https://evil-spoki.app", "https://evilspoki.app", "https://spoki.ap",
    "https://spoki.a", "", "http://spoki.app", "https://spoki.app:8443", "https://spoki.app:443",
    "HTTPS://SPOKI.APP", "https://spoki.app/", " https://spoki.app", "https://spoki.app\n",
    "https://spokiXapp", "null", "file://", "portico://app",
])
def test_origin_look_alikes_are_refused(received):
    assert not check_origin(received, "https://spoki.app")
    assert check_origin("https://spoki.app", "https://spoki.app")


@pytest.mark.parametrize("text, reason", [
    ("x" * (envelope.MAX_MESSAGE_BYTES + 1), "too-large"),
    ('"' + "é" * (envelope.MAX_MESSAGE_BYTES // 2) + '"', "too-large"),
    ('"' + "\U0001F600" * (envelope.MAX_MESSAGE_BYTES // 4) + '"', "too-large"),  # 4 bytes each
    ('"' + "\ud800" * (envelope.MAX_MESSAGE_BYTES // 3 + 1) + '"', "too-large"),  # lone surrogates, 3 bytes
    ("\ufeff{}", "invalid-json"),  # a byte-order mark, as json.loads refuses it
    ("{", "invalid-json"),
    ("NaN", "invalid-json"),
    ('{"a": Infinity}', "invalid-json"),
    ("[" * 100_000 + "]" * 100_000, "too-deep"),
    ("[" * 40 + "]" * 40, "too-deep"),
    ('{"__proto__": {"x": 1}}', "forbidden-key"),
    ('{"a": [{"constructor": {"prototype": 1}}]}', "forbidden-key"),
    (json.dumps(list(range(envelope.MAX_ARRAY_ITEMS + 1))), "array-too-long"),
    (json.dumps({str(i): i for i in range(envelope.MAX_OBJECT_KEYS + 1)}), "too-many-keys"),
    (json.dumps({"a": "x" * (envelope.MAX_STRING_CHARS + 1)}), "string-too-long"),
])
def test_parse_bounded_refuses(text, reason):
    with pytest.raises(EnvelopeError) as info:
        parse_bounded(text)
    assert info.value.reason == reason


def test_parse_bounded_accepts_within_limits():
    value = {"eventName": "new-message", "data": {"msg": "hi", "list": list(range(100)), "n": 1.5}}
    assert parse_bounded(json.dumps(value)) == value
    nested: object = "leaf"
    for _ in range(envelope.MAX_DEPTH - 1):
        nested = [nested]
    assert parse_bounded(json.dumps(nested)) == nested


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_parses_or_is_refused_cleanly(value):
    text = json.dumps(value)
    try:
        assert parse_bounded(text) == value
    except EnvelopeError as exc:
        assert exc.reason in {"forbidden-key", "too-deep"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
@example("[NaN]")
@example('{"__proto__": 1}')
@example("[" * 90 + "]" * 90)
@example('{"a": [1, "two", null]}')
@example("{'single': 'quotes'}")
def test_any_text_parses_or_is_refused_cleanly(text):
    try:
        expected = json.loads(text)
    except ValueError:
        with pytest.raises(EnvelopeError) as refused:
            parse_bounded(text)
        assert refused.value.reason == "invalid-json"
        return
    try:
        assert parse_bounded(text) == expected
    except EnvelopeError as exc:
        # What Python's parser takes but the envelope does not: NaN/Infinity, nesting, __proto__ & co.
        assert exc.reason in {"invalid-json", "too-deep", "forbidden-key"}, exc.reason
        if exc.reason == "invalid-json":
            assert any(word in text for word in ("NaN", "Infinity")), text


def test_readme_documents_the_envelope_limits_the_code_enforces():
    import re

    from desktop.bridge import envelope
    from desktop.providers import spatialchat
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", readme.split("### Envelope limits", 1)[1], re.M))

    def number(cell: str) -> int:
        value, _, unit = cell.partition(" ")
        return int(value.replace(",", "")) * {"KiB": 1024, "Ki": 1024}.get(unit.split(" ")[0], 1)

    assert number(table["JSON text of one message"]) == envelope.MAX_MESSAGE_BYTES
    assert number(table["nesting depth"]) == envelope.MAX_DEPTH
    assert number(table["array length"]) == envelope.MAX_ARRAY_ITEMS
    assert number(table["keys in one object"]) == envelope.MAX_OBJECT_KEYS
    assert number(table["one string"]) == envelope.MAX_STRING_CHARS
    assert set(re.findall(r"`([^`]+)`", table["keys refused anywhere"])) == envelope.FORBIDDEN_KEYS
    assert "1–128 printable ASCII" in table["SpatialChat `requestId`"]
    assert spatialchat._REQUEST_ID_RE.pattern == r"[\x21-\x7e]{1,128}"


LOOK_ALIKES = [
    "http://127.0.0.1.evil.example.com", "http://127.evil.com:3000", "http://127.0.0.1@evil.example.com",
    "http://evil.example.com@127.0.0.1", "http://localhost.evil.example.com", "http://127.0.0.1.nip.io",
    "http://localhost.", "http://127.0.0.1.", "http://127.1", "http://0x7f000001", "http://2130706433",
    "http://[::ffff:127.0.0.1]", "http://[::2]", "http://localhost@evil.example.com",
    "http://evil.example.com#@127.0.0.1", "http://evil.example.com/?127.0.0.1", "http://xn--localhost-",
    "http://0.0.0.0", "http://10.0.0.1", "http://",
]
LOOPBACK = ["http://127.0.0.1", "http://127.0.0.1:3000/path?q=1#f", "http://127.45.6.7", "http://[::1]:8080",
            "http://localhost", "http://LOCALHOST:5000", "http://127.0.0.1/#@evil.example.com",
            "http://\u217cocalhost"]  # IDNA maps the Roman numeral fifty to "l": a browser asks for localhost


@pytest.mark.parametrize("url", LOOK_ALIKES)
def test_look_alike_hosts_are_not_loopback(url):
    assert not envelope.is_loopback_url(url)
    assert not envelope.secret_may_travel_to(url)


@pytest.mark.parametrize("url", LOOPBACK)
def test_loopback_addresses_and_localhost_are(url):
    assert envelope.is_loopback_url(url)
    assert envelope.secret_may_travel_to(url)


@pytest.mark.parametrize("url, ok", [
    ("https://chat.example.com", True), ("https://127.0.0.1.evil.example.com", True),
    ("http://chat.example.com", False), ("ftp://127.0.0.1", False), ("https://user:pw@chat.example.com", False),
    ("javascript:alert(1)", False), ("", False),
])
def test_secret_may_travel_over_https_to_anyone_and_http_to_loopback_only(url, ok):
    assert envelope.secret_may_travel_to(url) is ok
