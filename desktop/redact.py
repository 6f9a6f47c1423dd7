"""Replacing secret values with "***" in anything that is logged, shown or written."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable
from typing import Any, Final

from desktop.secret import REDACTED, Secret

#: Keys whose values are secrets wherever they appear (payloads, URLs, REST bodies).
SECRET_KEYS: Final = frozenset(
    {
        "password", "token", "authtoken", "auth_token", "auth_uid", "resumetoken", "logintoken",
        "private_key", "api_key", "x-spoki-api-key", "x-auth-token", "secret", "code", "totp",
    }
)


def _is_secret_key(key: str, extra: frozenset[str]) -> bool:
    low = key.lower()
    return low in SECRET_KEYS or low in extra


def redact(value: Any, extra_keys: Iterable[str] = ()) -> Any:
    """Return a deep copy of a JSON-like value with every secret value replaced by ``"***"``."""
    extra = frozenset(k.lower() for k in extra_keys)
    return _redact(value, extra)


def _redact(value: Any, extra: frozenset[str]) -> Any:
    if isinstance(value, Secret):
        return REDACTED
    if isinstance(value, dict):
        return {
            k: (REDACTED if isinstance(k, str) and _is_secret_key(k, extra) and v not in (None, "")
                else _redact(v, extra))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_redact(v, extra) for v in value]
    if isinstance(value, str) and "://" in value and "?" in value:
        return redact_url(value)
    return value


def redact_url(url: str) -> str:
    """Replace the values of secret query parameters (``auth_token``, ``resumeToken`` …) in a URL."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    if not parts.query:
        return url
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    if not any(_is_secret_key(k, frozenset()) for k, _ in pairs):
        return url
    query = "&".join(
        f"{urllib.parse.quote(k)}={REDACTED if _is_secret_key(k, frozenset()) else urllib.parse.quote(v)}"
        for k, v in pairs
    )
    return urllib.parse.urlunsplit(parts._replace(query=query))


_known_secrets: set[str] = set()
_PATTERN_CACHE: list[re.Pattern[str] | None] = [None]


def register_secret(value: str) -> None:
    """Remember a live secret value (a token in memory) so log records can be scrubbed of it."""
    if value and len(value) >= 6:
        _known_secrets.add(value)
        _PATTERN_CACHE[0] = None


def forget_secret(value: str) -> None:
    """Stop scrubbing a value (e.g. a token that was discarded)."""
    _known_secrets.discard(value)
    _PATTERN_CACHE[0] = None


def scrub_text(text: str) -> str:
    """Replace every registered live secret inside free text (log lines, error messages)."""
    if not _known_secrets:
        return text
    pattern = _PATTERN_CACHE[0]
    if pattern is None:
        pattern = re.compile("|".join(re.escape(s) for s in sorted(_known_secrets, key=len, reverse=True)))
        _PATTERN_CACHE[0] = pattern
    return pattern.sub(REDACTED, text)
