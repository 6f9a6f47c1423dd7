"""Rocket.Chat embedded in a child frame: REST sign-in, the iframe integration's commands and events."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Final

from PySide6.QtCore import QByteArray, QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from desktop.providers.base import (
    UNREAD_DOT,
    Drop,
    Notification,
    OutboundMessage,
    ProviderError,
    ProviderEvent,
)
from desktop.providers.signin import GetSecret, SignInProvider, json_request, seconds_text
from desktop.redact import forget_secret, register_secret
from desktop.secret import Secret

log = logging.getLogger("portico.providers.rocketchat")

#: The host's origin as Rocket.Chat sees it in ``event.origin`` (Iframe_Integration_receive_origin).
HOST_ORIGIN: Final = "portico://app"
#: Milliseconds before an unanswered REST request counts as a network failure.
REQUEST_TIMEOUT_MS: Final = 20_000
#: Largest REST answer read.
MAX_BODY: Final = 256 * 1024
#: Longest wait honoured from ``X-RateLimit-Reset``.
MAX_WAIT: Final = 3600.0
#: Milliseconds the web client gets to report a sign-in after the frame loaded.
WEB_LOGIN_TIMEOUT_MS: Final = 10_000
#: How long the logout at quit may take (the Shell stops waiting sooner).
LOGOUT_TIMEOUT_MS: Final = 3_000
STATUSES: Final = ("online", "away", "busy", "offline")
#: What Administration ▸ Settings must say for Portico to drive the client (§1.1 of the reference).
INTEGRATION_SETTINGS: Final = ("Iframe_Integration_send_enable", "Iframe_Integration_send_target_origin",
                               "Iframe_Integration_receive_enable", "Iframe_Integration_receive_origin")
_ROOM_PATHS: Final = {"c": "channel", "p": "group", "d": "direct", "l": "live"}
_NAME_RE: Final = re.compile(r"[^\x00-\x1f\x7f]{0,1000}")
_ID_RE: Final = re.compile(r"[\x21-\x7e]{1,256}")
_SERVICE_RE: Final = re.compile(r"[A-Za-z0-9._\-]{1,100}")
_TOKEN_RE: Final = re.compile(r"[\x21-\x7e]{6,4096}")
_FRAMING_HINT: Final = ("In Rocket.Chat, Administration ▸ Workspace ▸ Settings ▸ General: turn off "
                        "“Restrict access inside any Iframe” (Iframe_Restrict_Access), then press Retry.")


class CommandError(ValueError):
    """A command argument Portico refuses to send; the message says why (log-safe)."""


# --- events ----------------------------------------------------------------------------------


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
class CustomOauthCallback(ProviderEvent):
    """``{event: 'custom-oauth-callback', response}``: the answer to ``call-custom-oauth-login``.

    ``ok`` is True when ``response`` was undefined (Rocket.Chat's success); an Error reaches
    Portico as ``{}`` (it does not survive JSON), so ``error`` is its message only when a string
    or ``{message}`` came.
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


def parse_event(message: Any) -> ProviderEvent:
    """Validate one message from the Rocket.Chat frame; raise :class:`Drop`."""
    if not isinstance(message, dict):
        raise Drop("not-an-object")
    if message.get("event") == "custom-oauth-callback" and "eventName" not in message:
        response = message.get("response")
        if response is None:
            return CustomOauthCallback(ok=True)
        text = response if isinstance(response, str) else response.get("message") if isinstance(response, dict) else ""
        return CustomOauthCallback(ok=False, error=text[:500] if isinstance(text, str) else "")
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
        return RoomOpened(rid=_str(room.get("_id"), "rid", _ID_RE), type=_str(room.get("t"), "room-type", optional=True),
                          room_name=_str(room.get("name"), "room-name", optional=True), room=room)
    if name == "new-message":
        m = _dict(data, "message")
        room = m.get("room") if isinstance(m.get("room"), dict) else {}
        user = _dict(m.get("u", {}), "sender")
        return NewMessage(id=_str(m.get("_id"), "message-id", optional=True), rid=_str(m.get("rid"), "rid", _ID_RE),
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
            rid=_str(s.get("rid"), "rid", _ID_RE), type=_str(s.get("t"), "room-type", optional=True),
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
    if name == "click-message-link":
        return MessageLinkClicked(link=_str(_dict(data, "link").get("link"), "link"))
    raise Drop("unknown-event-name")


# --- commands --------------------------------------------------------------------------------


def check_path(path: str) -> str:
    """A path inside the workspace for ``go``: ``/`` then no scheme, host, backslash or control character."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//") or len(path) > 2048:
        raise CommandError("the path must start with a single / (e.g. /channel/general)")
    if any(ord(c) < 0x20 or c in "\\\x7f" for c in path):
        raise CommandError("the path contains control characters or a backslash")
    return path


def room_path(room_type: str, rid: str, name: str) -> str:
    """Where ``go`` opens a room: ``/channel/<name>``, ``/group/<name>``, ``/direct/<rid>``, ``/live/<rid>``."""
    kind = _ROOM_PATHS.get(room_type, "channel")
    key = name if room_type in ("c", "p") and name else rid
    return f"/{kind}/{urllib.parse.quote(key, safe='')}"


# --- REST answers ----------------------------------------------------------------------------


def rate_limit_wait(reset_header: str, now: float | None = None) -> float | None:
    """Seconds until ``X-RateLimit-Reset`` (an absolute epoch in **milliseconds**); None if unreadable."""
    text = reset_header.strip()
    if not text.isdigit() or len(text) > 16:
        return None
    delta = int(text) / 1000 - (time.time() if now is None else now)
    return min(max(delta, 1.0), MAX_WAIT)


def framing_refused(x_frame_options: str) -> bool:
    """Whether Chromium refuses to show the page in Portico's frame (DENY or SAMEORIGIN)."""
    return x_frame_options.strip().lower() in ("deny", "sameorigin")


def integration_problems(settings: Mapping[str, Any]) -> list[str]:
    """What in the public Iframe Integration settings stops Portico (empty: all good or unknown)."""
    problems = []
    if settings.get("Iframe_Integration_send_enable") is False:
        problems.append("“Enable Send” is off, so Rocket.Chat tells Portico nothing (no unread count, no "
                        "notifications)")
    target = settings.get("Iframe_Integration_send_target_origin")
    if isinstance(target, str) and target not in ("*", HOST_ORIGIN):
        problems.append(f"“Send Target Origin” is {target!r}: it must be * or {HOST_ORIGIN}")
    if settings.get("Iframe_Integration_receive_enable") is False:
        problems.append("“Enable Receive” is off, so Rocket.Chat ignores Portico's sign-in and commands")
    allowed = settings.get("Iframe_Integration_receive_origin")
    if isinstance(allowed, str) and allowed != "*" and HOST_ORIGIN not in allowed.split(","):
        spaced = HOST_ORIGIN in [o.strip() for o in allowed.split(",")]
        problems.append(f"“Receive Origins” ({allowed!r}) does not list {HOST_ORIGIN}"
                        + (" exactly: Rocket.Chat does not trim the spaces after the commas" if spaced else ""))
    return problems


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclasses.dataclass
class _Answer:
    status: int | None
    body: Any
    headers: dict[str, str]
    error: QNetworkReply.NetworkError


# --- the provider ----------------------------------------------------------------------------


class RocketChatProvider(SignInProvider):
    """Rocket.Chat's web client in a child frame, signed in with a token from its REST API.

    Sign-in: ``username`` + keyring ``password`` → ``POST /api/v1/login`` (a ``totp`` code when
    the server asks for one); or ``user_id`` + keyring ``token`` (a personal access token) →
    ``GET /api/v1/me``. Then ``GET /api/v1/settings.public`` checks the Iframe Integration
    settings, the frame loads ``<server>/channel/<channel>?layout=embedded`` and, on the client's
    first event, gets ``login-with-token``. If no ``Custom_Script_Logged_In`` follows, the frame is
    loaded once more with ``?resumeToken=&userId=``. The token lives in memory only (scrubbed from
    logs) and is reused by reloads while ``/me`` accepts it.

    Attributes:
        get_secret: ``(provider_id, field) -> Secret | None`` (the Shell's, or the keyring).
        is_app_active: ``() -> bool``; Portico's window has focus.
        retry_delays: automatic retry delays (seconds) after network failures and 5xx answers.
        web_login_timeout_ms: how long the web client may take to report a sign-in.

    Signals:
        started(): ``startup``.
        logged_in(): ``Custom_Script_Logged_In`` (the web client is signed in).
        logged_out(): ``Custom_Script_Logged_Out``.
        logging_out(str): ``Custom_Script_On_Logout`` (the setting's script text).
        status_changed(str): ``status-changed``.
        user_status_manually_set(object): a :class:`UserStatusManuallySet`.
        room_opened(object): a :class:`RoomOpened`.
        new_message(object): a :class:`NewMessage`.
        notification_received(object): a :class:`NotificationEvent` (before Portico's own notification).
        unread_count_changed(object): an :class:`UnreadChanged` (the badge follows it).
        subscription_unread_changed(object): a :class:`SubscriptionUnreadChanged`.
        mention_link_clicked(object), action_link_clicked(object), message_link_clicked(object): clicks.
        custom_oauth_callback(object): a :class:`CustomOauthCallback`.
        web_login_fallback(str): the client ignored ``login-with-token``; the URL login is tried (why).
        retry_scheduled(float): an automatic retry runs after this many seconds (SignInProvider).
    """

    kind: ClassVar[str] = "rocketchat"

    started = Signal()
    logged_in = Signal()
    logged_out = Signal()
    logging_out = Signal(str)
    status_changed = Signal(str)
    user_status_manually_set = Signal(object)
    room_opened = Signal(object)
    new_message = Signal(object)
    notification_received = Signal(object)
    unread_count_changed = Signal(object)
    subscription_unread_changed = Signal(object)
    mention_link_clicked = Signal(object)
    action_link_clicked = Signal(object)
    message_link_clicked = Signal(object)
    custom_oauth_callback = Signal(object)
    web_login_fallback = Signal(str)

    def __init__(self, config: Any, parent: QObject | None = None, *, get_secret: GetSecret | None = None,
                 is_app_active: Callable[[], bool] | None = None) -> None:
        super().__init__(config, parent, get_secret=get_secret, is_app_active=is_app_active)
        self.web_login_timeout_ms = WEB_LOGIN_TIMEOUT_MS
        self._network = QNetworkAccessManager(self)
        self._network.setRedirectPolicy(QNetworkRequest.RedirectPolicy.ManualRedirectPolicy)
        self._reply: QNetworkReply | None = None
        self._on_answer: Callable[[_Answer], None] | None = None
        self._login_timer = QTimer(self, singleShot=True)
        self._login_timer.timeout.connect(self._on_web_login_timeout)
        self._token: Secret | None = None      # the session's auth token (or the PAT)
        self._user_id = ""
        self._totp_asked = False               # the server asked for a code: read `totp` next time
        self._frame_events = 0                 # events from the current document
        self._login_sent = False
        self._url_login = False                # the current load carries ?resumeToken=
        self._web_user = False                 # the client said Custom_Script_Logged_In
        self._subs: dict[str, tuple[int, bool]] = {}  # rid -> (unread, alert)
        self._count = 0
        self.x_frame_options = ""              # the last one the server sent (framing diagnosis)
        self.requests_made = 0                 # REST requests (tests, diagnostics)

    # --- configuration ------------------------------------------------------------------

    def option(self, key: str) -> Any:
        return self.config.options[key]

    @property
    def server(self) -> str:
        return str(self.option("server"))

    @property
    def uses_token(self) -> bool:
        """Signed in with ``user_id`` + a personal access token (else ``username`` + password)."""
        return bool(self.option("user_id")) and not self.option("username")

    @property
    def signed_in(self) -> bool:
        """The web client reported a signed-in user for the current document."""
        return self._web_user

    # --- commands -----------------------------------------------------------------------

    def _command(self, name: str, secret_keys: frozenset[str] = frozenset(), **params: Any) -> None:
        self.send(OutboundMessage(name=name, payload={"externalCommand": name, **params}, secret_keys=secret_keys))

    def go(self, path: str) -> None:
        """Open a path inside the workspace (``/channel/general``); raises :class:`CommandError`."""
        self._command("go", path=check_path(path))

    def login_with_token(self, token: str | Secret) -> None:
        """Sign the web client in with a resume token (redacted in every log)."""
        value = token.reveal() if isinstance(token, Secret) else token
        if not isinstance(value, str) or not _TOKEN_RE.fullmatch(value):
            raise CommandError("the token is empty or has characters a token cannot have")
        register_secret(value)
        self._command("login-with-token", frozenset({"token"}), token=value)

    def logout(self) -> None:
        """Sign the web client out (the session token is dropped, so Reload signs in again)."""
        self._command("logout")
        if not self.uses_token:
            self._forget_token()

    def end_session(self) -> QNetworkReply | None:
        """``POST /api/v1/logout``: the server deletes the login token this run's password sign-in
        made (the web client holds the same one), so it is worthless to anyone who copied it from
        memory or the wire. Not for a personal access token: it sits in the same list of the
        user's tokens, and logout would delete the user's credential."""
        if self.uses_token or self._token is None:
            return None
        self._abort()
        request = json_request(self.server + "/api/v1/logout", LOGOUT_TIMEOUT_MS)
        request.setRawHeader(b"X-User-Id", self._user_id.encode("utf-8"))
        request.setRawHeader(b"X-Auth-Token", self._token.reveal().encode("utf-8"))
        self.requests_made += 1
        reply = self._network.post(request, QByteArray())
        reply.finished.connect(reply.deleteLater)
        log.info("provider %s: signing out of Rocket.Chat (the session's token is revoked)", self.id)
        return reply

    def set_user_status(self, status: str, message: str = "") -> None:
        """``set-user-status`` (online, away, busy, offline). The iframe command has no message
        field; a ``message`` goes through ``POST /api/v1/users.setStatus`` with Portico's token."""
        if status not in STATUSES:
            raise CommandError(f"the status must be one of {', '.join(STATUSES)}")
        if message:
            if len(message) > 120:
                raise CommandError("the status message is longer than 120 characters")
            if self._token is None or self._reply is not None:
                raise CommandError("Portico is not signed in to Rocket.Chat yet")
            self._rest("POST", "/api/v1/users.setStatus", {"status": status, "message": message},
                       self._on_status_answer, auth=True, sign_in=False)
            return
        self._command("set-user-status", status=status)

    def _on_status_answer(self, answer: _Answer) -> None:
        if answer.status != 200:
            log.warning("provider %s: users.setStatus answered HTTP %s: %s", self.id, answer.status,
                        self._safe(self._error_text(answer.body)))

    def call_custom_oauth_login(self, service: str) -> None:
        """``call-custom-oauth-login``; the answer arrives as :class:`CustomOauthCallback`."""
        if not isinstance(service, str) or not _SERVICE_RE.fullmatch(service):
            raise CommandError("the service must be an OAuth service name (letters, digits, . _ -)")
        self._command("call-custom-oauth-login", service=service)

    def activate_notification(self, action: Any) -> None:
        """A click on one of this provider's notifications opens its room."""
        if isinstance(action, dict) and isinstance(action.get("path"), str):
            try:
                self.go(action["path"])
            except CommandError:
                log.info("provider %s: a notification's room path was refused", self.id)

    def menu_actions(self) -> list[tuple[str, Callable[[], None]]]:
        actions: list[tuple[str, Callable[[], None]]] = [("Home", lambda: self.go("/home"))]
        for status in STATUSES:
            actions.append((f"Status: {status}", lambda s=status: self.set_user_status(s)))
        return actions

    # --- sign-in: REST ------------------------------------------------------------------

    def start(self) -> None:
        self._login_timer.stop()
        super().start()

    def prepare(self) -> None:
        self._abort()
        if self._token is not None:
            self._rest("GET", "/api/v1/me", None, self._on_me, auth=True)
            return
        if self.uses_token:
            token = self._read_secret("token")
            if token is None:
                return
            self._set_token(token, self.option("user_id"))
            self._rest("GET", "/api/v1/me", None, self._on_me, auth=True)
            return
        password = self._read_secret("password")
        if password is None:
            return
        body: dict[str, Any] = {"user": self.option("username"), "password": password.reveal()}
        self._echo_guard = (password.reveal(),)
        if self._totp_asked:
            code = self._read_optional("totp")
            if code is None:
                self._ask_code("Rocket.Chat asks for a two-factor code for "
                               f"{self.option('username')}.")
                return
            body["code"] = code.reveal().strip()
        self._rest("POST", "/api/v1/login", body, self._on_login)

    def _read_optional(self, field: str) -> Secret | None:
        try:
            value = self.get_secret(self.id, field)
        except Exception:  # noqa: BLE001 - a one-time code: missing is missing
            return None
        return value if isinstance(value, Secret) and value.reveal().strip() else None

    def _read_secret(self, field: str) -> Secret | None:
        found = self._stored_secrets((field,), f"the Rocket.Chat {field}")
        if found is None:
            return None
        if field not in found:
            what = {"password": f"the password of {self.option('username')}",
                    "token": "a personal access token"}[field]
            self.fail(ProviderError(
                f"Rocket.Chat needs {what}, and the keyring has none.",
                f"Enter it in the sign-in form, or run `portico credentials set {self.id} {field}`."
                + (" Create the token in Rocket.Chat under My Account ▸ Personal Access Tokens." if field == "token"
                   else ""),
                needs_fields=(field,)))
            return None
        return found[field]

    def _set_token(self, token: Secret, user_id: str) -> None:
        self._forget_token()
        self._token, self._user_id = token, user_id
        register_secret(token.reveal())

    def _forget_token(self) -> None:
        if self._token is not None:
            forget_secret(self._token.reveal())
        self._token, self._user_id = None, ""

    def _rest(self, method: str, path: str, body: Any, then: Callable[[_Answer], None], auth: bool = False,
              sign_in: bool = True) -> None:
        """One REST call; ``then`` gets the answer. Sign-in calls share the failure handling (retry,
        429 wait, error panel); others (``sign_in=False``) only log."""
        self._abort()
        request = json_request(self.server + path, REQUEST_TIMEOUT_MS)
        if auth and self._token is not None:
            request.setRawHeader(b"X-User-Id", self._user_id.encode("utf-8"))
            request.setRawHeader(b"X-Auth-Token", self._token.reveal().encode("utf-8"))
        self.requests_made += 1
        if body is None:
            reply = self._network.sendCustomRequest(request, method.encode("ascii"))
        else:
            request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "application/json")
            data = QByteArray(json.dumps(body).encode("utf-8"))
            reply = self._network.sendCustomRequest(request, method.encode("ascii"), data)
            del data
        self._reply, self._on_answer = reply, then
        reply.setProperty("portico_sign_in", sign_in)
        reply.finished.connect(self._on_finished)

    def _abort(self) -> None:
        reply, self._reply, self._on_answer = self._reply, None, None
        if reply is not None:
            reply.finished.disconnect(self._on_finished)
            reply.abort()
            reply.deleteLater()

    @Slot()
    def _on_finished(self) -> None:
        reply = self.sender()
        if not isinstance(reply, QNetworkReply):
            return
        reply.deleteLater()
        if reply is not self._reply or self._on_answer is None:
            return
        then, self._reply, self._on_answer = self._on_answer, None, None
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        raw = bytes(reply.readAll().data()[:MAX_BODY])
        try:
            body: Any = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            body = None
        headers = {bytes(k.data()).decode("latin-1").lower(): bytes(v.data()).decode("latin-1")
                   for k, v in reply.rawHeaderPairs()}
        answer = _Answer(None if status is None else int(status), body, headers, reply.error())
        if "x-frame-options" in headers or answer.status is not None:
            self.x_frame_options = headers.get("x-frame-options", "")
        try:
            if not (reply.property("portico_sign_in") and self._common_failure(answer)):
                then(answer)
        except Exception:  # noqa: BLE001 - a bug here must show an error, not a spinner forever
            log.exception("provider %s: a Rocket.Chat answer could not be handled", self.id)
            self.fail(ProviderError("Portico could not handle Rocket.Chat's answer.", "Press Retry."))
        finally:
            self._echo_guard = ()

    def _common_failure(self, answer: _Answer) -> bool:
        """Network failures, 429, 5xx, redirects: handled alike for every request."""
        if answer.status is None:
            code = answer.error
            what = ("did not answer in time" if code == QNetworkReply.NetworkError.OperationCanceledError
                    else f"could not be reached ({code.name})")
            self._retry_later(f"The Rocket.Chat server {self.server} {what}.")
            return True
        if answer.status == 429:
            wait = rate_limit_wait(answer.headers.get("x-ratelimit-reset", ""))
            delay = max(wait if wait is not None else 60.0, 1.0)
            self.fail(ProviderError(
                "Rocket.Chat is limiting how often Portico may call it (HTTP 429)"
                + (f": {self._safe(self._error_text(answer.body))}" if self._error_text(answer.body) else "."),
                f"Portico tries again in {seconds_text(delay)}, when the server's limit resets.", retry_after=delay))
            self._schedule_retry(delay)
            return True
        if answer.status >= 500:
            self._retry_later(f"Rocket.Chat's server had a problem (HTTP {answer.status}).")
            return True
        if 300 <= answer.status < 400:
            self.fail(ProviderError(
                f"Rocket.Chat answered with a redirect (HTTP {answer.status}); Portico does not follow it, so "
                "that your password or token is never sent anywhere else.",
                f"Check server in the config ({self.server}): it must be the workspace's own address."))
            return True
        self._failures = 0
        return False

    def _error_text(self, body: Any) -> str:
        if isinstance(body, dict):
            for key in ("message", "error"):
                if isinstance(body.get(key), str):
                    return _short(body[key])
        return ""

    def _on_login(self, answer: _Answer) -> None:
        body = answer.body if isinstance(answer.body, dict) else {}
        if answer.status == 200:
            data = body.get("data") if isinstance(body.get("data"), dict) else {}
            token, uid = data.get("authToken"), data.get("userId")
            if not (isinstance(token, str) and _TOKEN_RE.fullmatch(token) and isinstance(uid, str)
                    and _ID_RE.fullmatch(uid)):
                self.fail(ProviderError("Rocket.Chat's sign-in answer had no usable token.",
                                        f"Check that server ({self.server}) is a Rocket.Chat workspace."))
                return
            self._totp_asked = False
            self._set_token(Secret(token), uid)
            self._after_auth(answer)
            return
        error = body.get("error")
        if answer.status == 401 and error in ("totp-required", "totp-invalid", "totp-max-attempts"):
            first = not self._totp_asked
            self._totp_asked = True
            if error == "totp-required" and first:
                self._ask_code(f"Rocket.Chat asks for a two-factor code for {self.option('username')}.")
            elif error == "totp-max-attempts":
                self._ask_code("Rocket.Chat refused too many wrong two-factor codes; wait a little.")
            else:
                self._ask_code("Rocket.Chat did not accept the two-factor code (wrong or expired).")
            return
        if answer.status == 401:
            self.fail(ProviderError(
                f"Rocket.Chat did not accept the password of {self.option('username')} (HTTP 401).",
                "Enter the password again (it is the Rocket.Chat account's own password; accounts that "
                "sign in only through SSO have none: use user_id and a personal access token instead).",
                needs_fields=("password",)))
            return
        self._fail_status("sign-in", answer)

    def _ask_code(self, message: str) -> None:
        self.fail(ProviderError(message, "Enter the current code from your authenticator app.",
                                needs_fields=("totp",)))

    def _fail_status(self, what: str, answer: _Answer) -> None:
        detail = self._safe(self._error_text(answer.body))
        self.fail(ProviderError(f"Rocket.Chat refused the {what} (HTTP {answer.status})"
                                + (f": {detail}" if detail else "."),
                                f"Check server in the config ({self.server}), then press Retry."))

    def _on_me(self, answer: _Answer) -> None:
        if answer.status == 200:
            self._after_auth(answer)
            return
        if answer.status == 401:
            if self.uses_token:
                self._forget_token()
                self.fail(ProviderError(
                    "Rocket.Chat did not accept the personal access token (HTTP 401): it is wrong, was removed, "
                    f"or belongs to another user than user_id {self.option('user_id')!r}.",
                    "Enter the token again (My Account ▸ Personal Access Tokens shows only its name later).",
                    needs_fields=("token",)))
            else:  # the session token expired or was logged out: sign in again with the password
                self._forget_token()
                self.prepare()
            return
        self._fail_status("token check", answer)

    def _after_auth(self, answer: _Answer) -> None:
        if framing_refused(self.x_frame_options):
            self.fail(self._framing_error())
            return
        ids = ",".join(INTEGRATION_SETTINGS)
        self._rest("GET", f"/api/v1/settings.public?_id={ids}", None, self._on_settings)

    def _on_settings(self, answer: _Answer) -> None:
        settings: dict[str, Any] = {}
        body = answer.body if isinstance(answer.body, dict) else {}
        if answer.status == 200 and isinstance(body.get("settings"), list):
            settings = {s["_id"]: s.get("value") for s in body["settings"]
                        if isinstance(s, dict) and isinstance(s.get("_id"), str)}
        else:
            log.info("provider %s: settings.public answered HTTP %s; the integration settings are not checked",
                     self.id, answer.status)
        problems = integration_problems(settings)
        if problems:
            self.fail(ProviderError(
                "Rocket.Chat's Iframe Integration is not set up for Portico: " + "; ".join(problems) + ".",
                "In Rocket.Chat, Administration ▸ Workspace ▸ Settings ▸ General ▸ Iframe Integration: turn on "
                f"Enable Send and Enable Receive, set Receive Origins to {HOST_ORIGIN} (or add it, without "
                "spaces) and leave Send Target Origin at *. Then press Retry."))
            return
        self._load(url_login=False)

    def _load(self, url_login: bool) -> None:
        self._frame_events = 0
        self._login_sent = False
        self._web_user = False
        self._url_login = url_login
        url = self.config.url
        if url_login and self._token is not None:
            sep = "&" if "?" in url else "?"
            url += sep + urllib.parse.urlencode({"resumeToken": self._token.reveal(), "userId": self._user_id})
        self.load_frame(url)

    def _framing_error(self) -> ProviderError:
        return ProviderError(
            f"Rocket.Chat refuses to be shown inside another app (X-Frame-Options: {self.x_frame_options}).",
            _FRAMING_HINT)

    def diagnose_frame_failure(self) -> ProviderError | None:
        """Called by the view when the frame shows Chromium's error page."""
        if framing_refused(self.x_frame_options):
            return self._framing_error()
        return None

    # --- sign-in: the web client --------------------------------------------------------

    def on_frame_loaded(self) -> None:
        super().on_frame_loaded()
        self._login_timer.start(self.web_login_timeout_ms)

    @Slot()
    def _on_web_login_timeout(self) -> None:
        if self._web_user:
            return
        if self._frame_events == 0:
            self.fail(ProviderError(
                "Rocket.Chat's page loaded but sent Portico no event.",
                "In Rocket.Chat, Administration ▸ Workspace ▸ Settings ▸ General ▸ Iframe Integration: turn on "
                f"Enable Send and set Send Target Origin to * (or {HOST_ORIGIN}). Then press Retry."))
            return
        if not self._url_login and self._token is not None:
            why = ("the web client did not sign in with the token Portico posted to it"
                   + (" (personal access tokens may not open web sessions on this server)" if self.uses_token else ""))
            log.warning("provider %s: %s; trying the ?resumeToken= URL login", self.id, why)
            self.web_login_fallback.emit(why)
            self._load(url_login=True)
            return
        self.fail(ProviderError(
            "Rocket.Chat accepted the " + ("personal access token" if self.uses_token else "sign-in")
            + " for its REST API but not for the web session (both login-with-token and the URL login failed).",
            "Personal access tokens are meant for the REST API; sign in with username and password instead "
            "(set username in the config), or check the server's login-token limits." if self.uses_token
            else "Press Retry; if it keeps failing, check the server's login settings."))

    # --- events -------------------------------------------------------------------------

    def parse(self, message: Any) -> ProviderEvent:
        return parse_event(message)

    def handle(self, event: ProviderEvent) -> None:
        super().handle(event)
        self._frame_events += 1
        if not self._login_sent and not self._url_login and self._token is not None:
            self._login_sent = True
            self.login_with_token(self._token)
        if isinstance(event, Startup):
            self.started.emit()
        elif isinstance(event, LoggedIn):
            self._web_user = True
            self._login_timer.stop()
            self.logged_in.emit()
        elif isinstance(event, LoggedOut):
            if self._web_user:
                self._web_user = False
                self._subs.clear()
                self._count = 0
                self.set_unread(0)
            self.logged_out.emit()
        elif isinstance(event, OnLogout):
            self.logging_out.emit(event.script)
        elif isinstance(event, StatusChanged):
            self.status_changed.emit(event.status)
        elif isinstance(event, UserStatusManuallySet):
            self.user_status_manually_set.emit(event)
        elif isinstance(event, RoomOpened):
            self.room_opened.emit(event)
        elif isinstance(event, NewMessage):
            self.new_message.emit(event)
        elif isinstance(event, NotificationEvent):
            self.notification_received.emit(event)
            self._notify(event)
        elif isinstance(event, UnreadChanged):
            self._count = event.count
            self._update_badge()
            self.unread_count_changed.emit(event)
        elif isinstance(event, SubscriptionUnreadChanged):
            self._subs[event.rid] = (event.unread, event.alert and event.unread_alert != "nothing")
            self._update_badge()
            self.subscription_unread_changed.emit(event)
        elif isinstance(event, MentionLinkClicked):
            self.mention_link_clicked.emit(event)
        elif isinstance(event, ActionLinkClicked):
            self.action_link_clicked.emit(event)
        elif isinstance(event, MessageLinkClicked):
            self.message_link_clicked.emit(event)
        elif isinstance(event, CustomOauthCallback):
            self.custom_oauth_callback.emit(event)

    def _update_badge(self) -> None:
        """Rocket.Chat's own badge rule: a count wins, else a dot when some room has an alert."""
        if self._count > 0 or self._count == UNREAD_DOT:
            self.set_unread(self._count)
        else:
            self.set_unread(UNREAD_DOT if any(alert for _, alert in self._subs.values()) else 0)

    def _notify(self, event: NotificationEvent) -> None:
        if self.is_app_active() and event.has_focus and event.from_opened_room:
            return  # the user is looking at that room
        action = {"path": room_path(event.room_type, event.rid, event.room_name), "rid": event.rid} if event.rid else None
        self.notification_requested.emit(Notification(
            title=event.title or self.title, body=event.text, tag=f"rocketchat:{self.id}:{event.rid}", action=action))

    # --- retries and teardown -----------------------------------------------------------

    def fail(self, error: ProviderError) -> None:
        self._abort()
        self._login_timer.stop()
        super().fail(error)

    def shutdown(self) -> None:
        super().shutdown()
        self._login_timer.stop()
        self._abort()
        self._forget_token()
