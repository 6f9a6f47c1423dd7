"""Spoki's pages and URLs: page slugs, Contacts API chat links, the signed-in iframe URL (pure rules)."""

from __future__ import annotations

import urllib.parse
import uuid
from typing import Final

from desktop.bridge.envelope import canonical_origin

PAGES: Final = ("chats", "templates")


class ChatLinkError(ValueError):
    """A ``chat_link`` or page slug is not one Portico opens; the message says why (log-safe)."""


def canonical_uuid(text: str) -> str:
    """Return the lowercase hyphenated form of a UUID written that way, else raise ChatLinkError."""
    if not isinstance(text, str) or len(text) != 36:
        raise ChatLinkError("the chat id is not a UUID")
    try:
        value = uuid.UUID(text)
    except ValueError:
        raise ChatLinkError("the chat id is not a UUID") from None
    if str(value) != text.lower():
        raise ChatLinkError("the chat id is not a UUID")
    return str(value)


def normalize_page(page: str) -> str:
    """Validate a page slug (``chats``, ``templates``, ``chats/<uuid>``) and return its canonical form."""
    if page in PAGES:
        return page
    if isinstance(page, str) and page.startswith("chats/"):
        return "chats/" + canonical_uuid(page.removeprefix("chats/"))
    raise ChatLinkError("the page must be chats, templates or chats/<uuid>")


def page_from_chat_link(link: str, app_base: str) -> str:
    """Turn a Contacts API ``chat_link`` (``https://spoki.app/chats/<uuid>``) into ``chats/<uuid>``.

    The link is parsed, never string-replaced: it must have exactly the origin of ``app_base``
    (scheme, host and port), no user info, query or fragment, and the path ``/chats/<uuid>``
    (one trailing slash tolerated) below ``app_base``'s own path.
    """
    if not isinstance(link, str) or not link or len(link) > 2048:
        raise ChatLinkError("the chat link is empty or too long")
    if link != link.strip() or any(ord(c) < 0x21 or c == "\\" for c in link):
        raise ChatLinkError("the chat link contains spaces or control characters")
    try:
        parts = urllib.parse.urlsplit(link)
        origin = canonical_origin(link)
    except ValueError:
        raise ChatLinkError("the chat link is not an http(s) URL") from None
    expected = canonical_origin(app_base)
    if origin != expected:
        raise ChatLinkError(f"the chat link is not on {expected}")
    if parts.query or parts.fragment or "?" in link or "#" in link:
        raise ChatLinkError("the chat link has a query or fragment")
    prefix = urllib.parse.urlsplit(app_base).path.rstrip("/")
    path = parts.path
    if not path.startswith(prefix + "/chats/"):
        raise ChatLinkError("the chat link does not point at a chat")
    rest = path[len(prefix) + len("/chats/"):]
    if rest.endswith("/"):
        rest = rest[:-1]
    return "chats/" + canonical_uuid(rest)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def frame_url(app_base: str, page: str, token: str, uid: str, language: str, *,
              can_view_chat_list: bool = True, can_reply_in_chat: bool = True,
              can_send_paypal_in_chat: bool = False) -> str:
    """The iframe URL ``{app_base}/{page}?auth_token=..&auth_uid=..&language=..&<flags>``.

    Every value is percent-encoded (``/``, ``+``, ``&``, ``=`` and spaces too); the three flags
    are always written out so that the frame never falls back on Spoki's own defaults.
    """
    page = normalize_page(page)
    query = urllib.parse.urlencode(
        [("auth_token", token), ("auth_uid", uid), ("language", language),
         ("can_view_chat_list", _flag(can_view_chat_list)),
         ("can_reply_in_chat", _flag(can_reply_in_chat)),
         ("can_send_paypal_in_chat", _flag(can_send_paypal_in_chat))],
        quote_via=urllib.parse.quote)
    return f"{app_base.rstrip('/')}/{urllib.parse.quote(page, safe='/')}?{query}"
