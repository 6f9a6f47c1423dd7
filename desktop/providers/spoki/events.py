"""Spoki's iframe events (``{eventType, data}``), parsed into typed events."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar, Final

from desktop.contract import Drop, ProviderEvent

#: Most chats accepted in one ``chatsChanged`` page / messages in one ``chatMessagesChanged``.
MAX_CHATS: Final = 500
MAX_MESSAGES: Final = 1000
#: The page numbers accepted in events (Spoki pages are small positive integers).
MAX_PAGE: Final = 100_000
EVENT_TYPES: Final = ("hasUnreadChatsChanged", "chatsChanged", "chatMessagesChanged")


@dataclasses.dataclass(frozen=True)
class UnreadChatsChanged(ProviderEvent):
    """``hasUnreadChatsChanged``: whether any chat of the account is unread (any page)."""

    name: ClassVar[str] = "hasUnreadChatsChanged"
    has_unread_chats: bool = False


@dataclasses.dataclass(frozen=True)
class ChatsChanged(ProviderEvent):
    """``chatsChanged``: the chat list page shows other chats (Chat objects are opaque dicts).

    The event log records the page, the filter flag and how many chats: chat contents are the
    account's customers' personal data and stay out of log files.
    """

    name: ClassVar[str] = "chatsChanged"
    chats: tuple[Mapping[str, Any], ...] = ()
    has_filters: bool = False
    page: int = 0

    def log_data(self) -> Any:
        return {"page": self.page, "has_filters": self.has_filters, "chats": len(self.chats)}


@dataclasses.dataclass(frozen=True)
class ChatMessagesChanged(ProviderEvent):
    """``chatMessagesChanged``: the open chat shows other messages (Chat/Message are opaque dicts).

    Logged as the page and the message count only (see :class:`ChatsChanged`).
    """

    name: ClassVar[str] = "chatMessagesChanged"
    chat: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    page: int = 0
    messages: tuple[Mapping[str, Any], ...] = ()

    def log_data(self) -> Any:
        return {"page": self.page, "messages": len(self.messages)}


def _page_number(value: Any) -> int:
    if type(value) is not int or not 0 <= value <= MAX_PAGE:
        raise Drop("bad-page")
    return value


def _objects(value: Any, limit: int, what: str) -> tuple[dict[str, Any], ...]:
    if not isinstance(value, list):
        raise Drop(f"bad-{what}")
    if len(value) > limit:
        raise Drop(f"too-many-{what}")
    if not all(isinstance(item, dict) for item in value):
        raise Drop(f"bad-{what}")
    return tuple(value)


def parse_event(message: Any) -> ProviderEvent:
    """Validate one ``{eventType, data}`` message from a Spoki frame; raise :class:`Drop`."""
    if not isinstance(message, dict):
        raise Drop("not-an-object")
    event_type = message.get("eventType")
    if not isinstance(event_type, str):
        raise Drop("missing-event-type")
    if event_type not in EVENT_TYPES:
        raise Drop("unknown-event-type")
    data = message.get("data")
    if not isinstance(data, dict):
        raise Drop("bad-data")
    if event_type == "hasUnreadChatsChanged":
        value = data.get("hasUnreadChats")
        if type(value) is not bool:
            raise Drop("bad-has-unread-chats")
        return UnreadChatsChanged(has_unread_chats=value)
    if event_type == "chatsChanged":
        has_filters = data.get("hasFilters", False)
        if type(has_filters) is not bool:
            raise Drop("bad-has-filters")
        return ChatsChanged(chats=_objects(data.get("chats"), MAX_CHATS, "chats"),
                            has_filters=has_filters, page=_page_number(data.get("page")))
    chat = data.get("chat")
    if not isinstance(chat, dict):
        raise Drop("bad-chat")
    return ChatMessagesChanged(chat=chat, page=_page_number(data.get("page")),
                               messages=_objects(data.get("messages"), MAX_MESSAGES, "messages"))
