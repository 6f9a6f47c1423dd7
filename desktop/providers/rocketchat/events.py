"""Rocket.Chat's iframe integration events (``{eventName, data}``), parsed into typed events."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, ClassVar, Final

from desktop.contract import UNREAD_DOT, Drop, ProviderEvent

_NAME_RE: Final = re.compile(r"[^\x00-\x1f\x7f]{0,1000}")
ID_RE: Final = re.compile(r"[\x21-\x7e]{1,256}")
#: A toolbar button's id, as Portico sends it in ``set-toolbar-button``.
TOOLBAR_ID_RE: Final = re.compile(r"[A-Za-z0-9._\-]{1,64}")


@dataclasses.dataclass(frozen=True)
class Startup(ProviderEvent):
    """``startup``: the client mounted (fires once; may be lost if settings load late)."""

    name: ClassVar[str] = "startup"


@dataclasses.dataclass(frozen=True)
class LoggedIn(ProviderEvent):
    """``Custom_Script_Logged_In``: a user is signed in to the web client."""

    name: ClassVar[str] = "Custom_Script_Logged_In"


@dataclasses.dataclass(frozen=True)
class LoggedOut(ProviderEvent):
    """``Custom_Script_Logged_Out``: no user is signed in (also on mount)."""

    name: ClassVar[str] = "Custom_Script_Logged_Out"


@dataclasses.dataclass(frozen=True)
class OnLogout(ProviderEvent):
    """``Custom_Script_On_Logout``: the logout transition; ``script`` is that setting's text."""

    name: ClassVar[str] = "Custom_Script_On_Logout"
    script: str = ""

    def log_data(self) -> Any:
        return {"script": len(self.script)}


@dataclasses.dataclass(frozen=True)
class StatusChanged(ProviderEvent):
    """``status-changed``: the user's status (online, away, busy, offline)."""

    name: ClassVar[str] = "status-changed"
    status: str = ""


@dataclasses.dataclass(frozen=True)
class UserStatusManuallySet(ProviderEvent):
    """``user-status-manually-set``: the user picked a status in Rocket.Chat's menu."""

    name: ClassVar[str] = "user-status-manually-set"
    id: str = ""
    label: str = ""
    status_type: str = ""


@dataclasses.dataclass(frozen=True)
class RoomOpened(ProviderEvent):
    """``room-opened``: a room was shown the first time (``room`` is the IRoom document)."""

    name: ClassVar[str] = "room-opened"
    rid: str = ""
    type: str = ""
    room_name: str = ""
    room: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def log_data(self) -> Any:
        return {"rid": self.rid, "type": self.type, "room_name": self.room_name}


@dataclasses.dataclass(frozen=True)
class NewMessage(ProviderEvent):
    """``new-message``: a message in an opened room (new or edited). Logged without its text."""

    name: ClassVar[str] = "new-message"
    id: str = ""
    rid: str = ""
    text: str = ""
    sender: str = ""
    room_name: str = ""
    room_type: str = ""
    message: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def log_data(self) -> Any:
        return {"id": self.id, "rid": self.rid, "sender": self.sender, "room_name": self.room_name,
                "room_type": self.room_type, "length": len(self.text)}


@dataclasses.dataclass(frozen=True)
class NotificationEvent(ProviderEvent):
    """``notification``: Rocket.Chat would notify (INotificationDesktop). Logged without its text."""

    name: ClassVar[str] = "notification"
    title: str = ""
    text: str = ""
    rid: str = ""
    room_type: str = ""
    room_name: str = ""
    sender: str = ""
    message_id: str = ""
    from_opened_room: bool = False
    has_focus: bool = False

    def log_data(self) -> Any:
        return {"rid": self.rid, "room_type": self.room_type, "room_name": self.room_name, "sender": self.sender,
                "message_id": self.message_id, "from_opened_room": self.from_opened_room,
                "has_focus": self.has_focus}


@dataclasses.dataclass(frozen=True)
class UnreadChanged(ProviderEvent):
    """``unread-changed``: the aggregate unread count, normalised.

    ``count`` is a number of messages, or ``UNREAD_DOT`` for the legacy ``'•'`` (alert only);
    the legacy ``''`` is 0 and ``'999+'`` is 1000 with ``at_least`` set.
    """

    name: ClassVar[str] = "unread-changed"
    count: int = 0
    at_least: bool = False


@dataclasses.dataclass(frozen=True)
class SubscriptionUnreadChanged(ProviderEvent):
    """``unread-changed-by-subscription``: one room's unread state."""

    name: ClassVar[str] = "unread-changed-by-subscription"
    rid: str = ""
    type: str = ""
    room_name: str = ""
    unread: int = 0
    alert: bool = False
    unread_alert: str = ""


@dataclasses.dataclass(frozen=True)
class MentionLinkClicked(ProviderEvent):
    """``click-mention-link`` (embedded layout): a ``#channel`` mention was clicked."""

    name: ClassVar[str] = "click-mention-link"
    path: str = ""
    channel: str = ""


@dataclasses.dataclass(frozen=True)
class ActionLinkClicked(ProviderEvent):
    """``click-action-link`` (embedded layout): an action link was clicked instead of run."""

    name: ClassVar[str] = "click-action-link"
    action: str = ""
    message_id: str = ""
    message: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def log_data(self) -> Any:
        return {"action": self.action, "message_id": self.message_id}


@dataclasses.dataclass(frozen=True)
class MessageLinkClicked(ProviderEvent):
    """``click-message-link`` (embedded layout; the current client appears never to send it)."""

    name: ClassVar[str] = "click-message-link"
    link: str = ""


@dataclasses.dataclass(frozen=True)
class ServerInfo(ProviderEvent):
    """What ``GET /api/info`` said of the server (Portico's own event, never parsed from the frame)."""

    name: ClassVar[str] = "server-info"
    version: str = ""
    commands: bool = True
    startup_event: bool = True
    #: How Portico hosts the client: ``iframe`` (the seed's integration) or ``desktop`` (the
    #: client top-level, its window events), and why.
    mode: str = "iframe"
    mode_reason: str = ""


@dataclasses.dataclass(frozen=True)
class ToolbarButtonClicked(ProviderEvent):
    """``click-toolbar-button`` (before 6.4): a button Portico added with ``set-toolbar-button`` was clicked."""

    name: ClassVar[str] = "click-toolbar-button"
    id: str = ""


@dataclasses.dataclass(frozen=True)
class LoginError(ProviderEvent):
    """``{event: 'login-error', response}``: iframe auth (Accounts_iframe_enabled) did not sign the
    client in after ``try-iframe-login``; the client shows its own login page."""

    name: ClassVar[str] = "login-error"
    error: str = ""


@dataclasses.dataclass(frozen=True)
class CustomOauthCallback(ProviderEvent):
    """``{event: 'custom-oauth-callback', response}``: the answer to ``call-custom-oauth-login``.

    ``ok`` is True when ``response`` was undefined (Rocket.Chat's success); an Error arrives as
    ``{name, message}`` (the relay keeps them; JSON would not), and ``error`` is its message.
    """

    name: ClassVar[str] = "custom-oauth-callback"
    ok: bool = True
    error: str = ""


def _str(value: Any, what: str, pattern: re.Pattern[str] = _NAME_RE, optional: bool = False) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise Drop(f"bad-{what}")
    return value


def _bool(value: Any, what: str) -> bool:
    if value is None:
        return False
    if type(value) is not bool:
        raise Drop(f"bad-{what}")
    return value


def _count(value: Any, what: str) -> int:
    if type(value) is not int or not 0 <= value < 10**9:
        raise Drop(f"bad-{what}")
    return value


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Drop(f"bad-{what}")
    return value


def normalize_unread(value: Any) -> tuple[int, bool]:
    """``unread-changed`` data: a number (current) or ``''``/``'•'``/number/``'999+'`` (legacy)."""
    if type(value) is int and 0 <= value < 10**9:
        return value, False
    if isinstance(value, float) and value.is_integer() and 0 <= value < 10**9:
        return int(value), False
    if value == "" or value is None:
        return 0, False
    if value == "•":
        return UNREAD_DOT, False
    if isinstance(value, str) and value.endswith("+") and value[:-1].isdigit() and len(value) < 10:
        return int(value[:-1]) + 1, True
    if isinstance(value, str) and value.isdigit() and len(value) < 10:
        return int(value), False
    raise Drop("bad-unread")


def _response_text(response: Any) -> str:
    """The text of a ``response``: a string, or an Error's ``{name, message}`` (at most 500 characters)."""
    text = response if isinstance(response, str) else response.get("message") if isinstance(response, dict) else ""
    return text[:500] if isinstance(text, str) and _NAME_RE.fullmatch(text[:500]) else ""


#: The events the client fires on its window (fireGlobalEventBase), whatever its Iframe
#: Integration settings: what desktop mode listens to.
WINDOW_EVENTS: Final = tuple(cls.name for cls in (
    Startup, LoggedIn, LoggedOut, OnLogout, StatusChanged, UserStatusManuallySet, RoomOpened, NewMessage,
    NotificationEvent, UnreadChanged, SubscriptionUnreadChanged, MentionLinkClicked, ActionLinkClicked,
    MessageLinkClicked, ToolbarButtonClicked))


def parse_event(message: Any) -> ProviderEvent:
    """Validate one message from the Rocket.Chat frame; raise :class:`Drop`."""
    if not isinstance(message, dict):
        raise Drop("not-an-object")
    if message.get("event") == "custom-oauth-callback" and "eventName" not in message:
        response = message.get("response")
        if response is None:
            return CustomOauthCallback(ok=True)
        return CustomOauthCallback(ok=False, error=_response_text(response))
    if message.get("event") == "login-error" and "eventName" not in message:
        return LoginError(error=_response_text(message.get("response")))
    name = message.get("eventName")
    if not isinstance(name, str):
        raise Drop("missing-event-name")
    data = message.get("data")
    if name == "startup":
        return Startup()
    if name == "Custom_Script_Logged_In":
        return LoggedIn()
    if name == "Custom_Script_Logged_Out":
        return LoggedOut()
    if name == "Custom_Script_On_Logout":
        return OnLogout(script=_str(data, "script", optional=True))
    if name == "status-changed":
        return StatusChanged(status=_str(data, "status", re.compile(r"[a-z\-]{1,32}")))
    if name == "user-status-manually-set":
        d = _dict(data, "status")
        return UserStatusManuallySet(id=_str(d.get("id"), "status-id"), label=_str(d.get("name"), "status-name",
                                                                                    optional=True),
                                     status_type=_str(d.get("statusType"), "status-type", optional=True))
    if name == "room-opened":
        room = _dict(data, "room")
        return RoomOpened(rid=_str(room.get("_id"), "rid", ID_RE), type=_str(room.get("t"), "room-type", optional=True),
                          room_name=_str(room.get("name"), "room-name", optional=True), room=room)
    if name == "new-message":
        m = _dict(data, "message")
        room = m.get("room") if isinstance(m.get("room"), dict) else {}
        user = _dict(m.get("u", {}), "sender")
        return NewMessage(id=_str(m.get("_id"), "message-id", optional=True), rid=_str(m.get("rid"), "rid", ID_RE),
                          text=_str(m.get("msg"), "text", re.compile(r".*", re.S), optional=True),
                          sender=_str(user.get("username"), "sender", optional=True),
                          room_name=_str(m.get("name", room.get("name")), "room-name", optional=True),
                          room_type=_str(room.get("type"), "room-type", optional=True), message=m)
    if name == "notification":
        d = _dict(data, "notification")
        n = _dict(d.get("notification"), "notification")
        payload = _dict(n.get("payload", {}), "payload")
        sender = payload.get("sender") if isinstance(payload.get("sender"), dict) else {}
        return NotificationEvent(
            title=_str(n.get("title"), "title", optional=True), text=_str(n.get("text"), "text", optional=True),
            rid=_str(payload.get("rid"), "rid", optional=True), room_type=_str(payload.get("type"), "room-type", optional=True),
            room_name=_str(payload.get("name"), "room-name", optional=True),
            sender=_str(sender.get("username"), "sender", optional=True),
            message_id=_str(payload.get("_id"), "message-id", optional=True),
            from_opened_room=_bool(d.get("fromOpenedRoom"), "from-opened-room"),
            has_focus=_bool(d.get("hasFocus"), "has-focus"))
    if name == "unread-changed":
        count, at_least = normalize_unread(data)
        return UnreadChanged(count=count, at_least=at_least)
    if name == "unread-changed-by-subscription":
        s = _dict(data, "subscription")
        return SubscriptionUnreadChanged(
            rid=_str(s.get("rid"), "rid", ID_RE), type=_str(s.get("t"), "room-type", optional=True),
            room_name=_str(s.get("name"), "room-name", optional=True), unread=_count(s.get("unread", 0), "unread"),
            alert=_bool(s.get("alert"), "alert"), unread_alert=_str(s.get("unreadAlert"), "unread-alert", optional=True))
    if name == "click-mention-link":
        d = _dict(data, "mention")
        return MentionLinkClicked(path=_str(d.get("path"), "path"), channel=_str(d.get("channel"), "channel"))
    if name == "click-action-link":
        d = _dict(data, "action")
        message_ = d.get("message") if isinstance(d.get("message"), dict) else {}
        return ActionLinkClicked(action=_str(d.get("actionlink"), "action"), message_id=_str(d.get("value"), "value",
                                                                                             optional=True),
                                 message=message_)
    if name == "click-toolbar-button":
        return ToolbarButtonClicked(id=_str(_dict(data, "button").get("id"), "button-id", TOOLBAR_ID_RE))
    if name == "click-message-link":
        return MessageLinkClicked(link=_str(_dict(data, "link").get("link"), "link"))
    raise Drop("unknown-event-name")
