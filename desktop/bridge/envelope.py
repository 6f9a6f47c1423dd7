"""Envelope limits, canonical origins and the bounded JSON parse every inbound message passes."""

from __future__ import annotations

import ipaddress
import json
import math
import urllib.parse
from typing import Any, Final

from desktop.contract import Drop

#: Largest JSON text accepted from a frame (the relay enforces it too, before the channel).
MAX_MESSAGE_BYTES: Final = 512 * 1024
#: Deepest nesting of objects/arrays in a message.
MAX_DEPTH: Final = 32
#: Longest array anywhere in a message.
MAX_ARRAY_ITEMS: Final = 10_000
#: Most keys in one object.
MAX_OBJECT_KEYS: Final = 1_000
#: Longest string (key or value) anywhere in a message.
MAX_STRING_CHARS: Final = 128 * 1024
#: Keys that are never accepted anywhere in a payload (prototype pollution shapes).
FORBIDDEN_KEYS: Final = frozenset({"__proto__", "constructor", "prototype"})

_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


class EnvelopeError(Drop):
    """A message broke an envelope rule; ``reason`` is a short, stable, log-safe code."""


def canonical_origin(url: str) -> str:
    """Return ``scheme://host[:port]`` of an http(s) URL, lowercased, punycoded, default port dropped.

    Raises ValueError for anything that has no usable origin (``null``, ``file:``, ``*``, no host).
    """
    if not isinstance(url, str) or url != url.strip() or not url:
        raise ValueError("an origin must be a non-empty URL without surrounding spaces")
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"only http and https origins are allowed, not {scheme or 'no scheme'!r}")
    host = parts.hostname
    if not host:
        raise ValueError("the URL has no host")
    if parts.username or parts.password:
        raise ValueError("the URL must not carry a user name or password")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError as exc:
        raise ValueError("the host is not a valid domain name") from exc
    port = parts.port  # raises ValueError for a bad port
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def is_loopback_url(url: str) -> bool:
    """Whether an http(s) URL's host is a loopback *address* (127.0.0.0/8, ::1) or exactly
    ``localhost``, decided on the parsed, IDNA-mapped host: never by a prefix, so
    ``127.0.0.1.example.com``, ``localhost.example.com`` and ``127.0.0.1@example.com`` are not,
    and nor is a trailing-dot name, which a resolver may send to DNS."""
    try:
        return is_loopback_host(urllib.parse.urlsplit(canonical_origin(url)).hostname or "")
    except ValueError:
        return False


def is_loopback_host(host: str) -> bool:
    """Whether a host name or address (no brackets) is ``localhost`` or a loopback address."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name (or an address form ipaddress refuses, such as 127.1)
        return False


def secret_may_travel_to(url: str) -> bool:
    """Whether a secret may be sent to ``url``: over https, or over http to loopback only."""
    try:
        scheme = canonical_origin(url).split("://", 1)[0]
    except ValueError:
        return False
    return scheme == "https" or is_loopback_url(url)


def is_origin(url: str, origin: str) -> bool:
    """Whether ``url`` is at exactly the canonical ``origin`` (False for a URL with no origin)."""
    try:
        return canonical_origin(url) == origin
    except ValueError:
        return False


def check_origin(received: str, expected: str) -> bool:
    """Exact comparison of an ``event.origin`` against the canonical expected origin."""
    return isinstance(received, str) and received != "null" and received == expected


def parse_bounded(text: str) -> Any:
    """Parse a frame's JSON text within the envelope limits; raise :class:`EnvelopeError`."""
    if not isinstance(text, str):
        raise EnvelopeError("not-text")
    # A character is at most 4 bytes of UTF-8: a text that short cannot be too large, and the
    # usual message skips encoding a copy of itself.
    if len(text) > MAX_MESSAGE_BYTES or (len(text) * 4 > MAX_MESSAGE_BYTES
                                         and len(text.encode("utf-8", "surrogatepass")) > MAX_MESSAGE_BYTES):
        raise EnvelopeError("too-large")
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise EnvelopeError("too-deep") from None
    except (ValueError, TypeError):
        raise EnvelopeError("invalid-json") from None
    check_limits(value)
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


#: Built once: ``json.loads`` with any option builds a new decoder for every message.
_DECODER: Final = json.JSONDecoder(parse_constant=_reject_constant)


def check_limits(value: Any) -> None:
    """Walk a parsed value (iteratively) and enforce depth, size and forbidden-key limits."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth >= MAX_DEPTH:
                raise EnvelopeError("too-deep")
            if len(item) > MAX_OBJECT_KEYS:
                raise EnvelopeError("too-many-keys")
            for key, child in item.items():
                if key in FORBIDDEN_KEYS:
                    raise EnvelopeError("forbidden-key")
                if len(key) > MAX_STRING_CHARS:
                    raise EnvelopeError("string-too-long")
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            if depth >= MAX_DEPTH:
                raise EnvelopeError("too-deep")
            if len(item) > MAX_ARRAY_ITEMS:
                raise EnvelopeError("array-too-long")
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            if len(item) > MAX_STRING_CHARS:
                raise EnvelopeError("string-too-long")
        elif isinstance(item, float) and not math.isfinite(item):
            raise EnvelopeError("invalid-json")


def require_object(value: Any) -> dict[str, Any]:
    """Return ``value`` if it is a JSON object, else raise ``EnvelopeError('not-an-object')``."""
    if not isinstance(value, dict):
        raise EnvelopeError("not-an-object")
    return value


def unwrap_json_string(value: Any) -> dict[str, Any]:
    """Accept an object, or a JSON string (one level only) that parses to an object."""
    if isinstance(value, str):
        value = parse_bounded(value)
        if isinstance(value, str):
            raise EnvelopeError("nested-json-string")
    return require_object(value)
