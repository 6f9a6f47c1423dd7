"""``portico://`` links, as a browser hands them to ``portico %u``, turned into command lines."""

from __future__ import annotations

from typing import Final
from urllib.parse import unquote, urlsplit

#: The URL scheme the .desktop entry (and the macOS bundle) registers Portico for.
SCHEME: Final = "portico"


class LinkError(ValueError):
    """A ``portico:`` link Portico does not understand; the message says which forms it takes."""


def is_link(arg: str) -> bool:
    """True for an argument that is a ``portico:`` link rather than a command or option."""
    return arg[: len(SCHEME) + 1].lower() == f"{SCHEME}:"


def link_argv(link: str) -> list[str]:
    """``portico://open/ID`` → ``["open", ID]``; ``portico://`` → ``[]`` (start or focus Portico).

    Raises :class:`LinkError` for anything else (another action, a query, a bad provider id).
    """
    # Imported here: `portico --version` checks is_link() and should not load Qt for it.
    from desktop.instance.single_instance import ProtocolError, Request, parse_request
    parts = urlsplit(link)
    if parts.scheme.lower() != SCHEME or parts.query or parts.fragment:
        raise LinkError(f"unsupported link {link!r}: Portico takes portico://open/ID")
    action, path = parts.netloc.lower(), unquote(parts.path).strip("/")
    if not action and not path:
        return []
    if action != "open" or not path:
        raise LinkError(f"unsupported link {link!r}: Portico takes portico://open/ID")
    try:
        request = parse_request(Request("open", path).to_line().rstrip(b"\n"))
    except ProtocolError as exc:
        raise LinkError(f"bad link {link!r}: {exc}") from None
    return ["open", request.provider]
