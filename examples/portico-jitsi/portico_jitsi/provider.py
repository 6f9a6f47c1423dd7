"""The Jitsi Meet IFrame API's parent side: the postis handshake, typed events, the room password, commands."""

from __future__ import annotations

import collections
import dataclasses
from typing import Any, ClassVar, Final

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication

from desktop.plugins import (
    Drop,
    Notification,
    OutboundMessage,
    ProviderError,
    ProviderEvent,
    SignInProvider,
    unwrap_json_string,
)

#: ``jitsi_meet_external_api_<id>``; Portico gives each provider's page one room, id 0.
SCOPE: Final = "jitsi_meet_external_api_0"
#: Commands sent before the room's handshake wait for it (at most this many).
MAX_QUEUED: Final = 32
#: The API's command names on the wire (external_api.js ``commands``).
WIRE_COMMANDS: Final = {"toggle_audio": "toggle-audio", "toggle_video": "toggle-video", "hangup": "video-hangup",
                        "send_chat_message": "send-chat-message", "display_name": "display-name"}
_TEXT_LIMIT: Final = 2000


def _text(data: dict[str, Any], key: str, limit: int = _TEXT_LIMIT) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise Drop(f"bad-{key.lower()}")
    return value[:limit]


def _flag(data: dict[str, Any], key: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise Drop(f"bad-{key.lower()}")
    return value


@dataclasses.dataclass(frozen=True)
class Ready(ProviderEvent):
    """The room's postis readiness ping (``__ready__``): echoed back, then it sends its events."""

    name: ClassVar[str] = "ready"
    ping: str = ""


@dataclasses.dataclass(frozen=True)
class ConferenceJoined(ProviderEvent):
    name: ClassVar[str] = "videoConferenceJoined"
    room: str = ""
    participant_id: str = ""
    display_name: str = ""


@dataclasses.dataclass(frozen=True)
class ConferenceLeft(ProviderEvent):
    name: ClassVar[str] = "videoConferenceLeft"
    room: str = ""


@dataclasses.dataclass(frozen=True)
class ParticipantJoined(ProviderEvent):
    name: ClassVar[str] = "participantJoined"
    participant_id: str = ""
    display_name: str = ""


@dataclasses.dataclass(frozen=True)
class ParticipantLeft(ProviderEvent):
    name: ClassVar[str] = "participantLeft"
    participant_id: str = ""


@dataclasses.dataclass(frozen=True)
class IncomingMessage(ProviderEvent):
    name: ClassVar[str] = "incomingMessage"
    sender_id: str = ""
    nick: str = ""
    message: str = ""
    private: bool = False


@dataclasses.dataclass(frozen=True)
class MuteChanged(ProviderEvent):
    """``audioMuteStatusChanged`` or ``videoMuteStatusChanged``."""

    name: ClassVar[str] = "muteStatusChanged"
    media: str = "audio"
    muted: bool = False


@dataclasses.dataclass(frozen=True)
class PasswordRequired(ProviderEvent):
    name: ClassVar[str] = "passwordRequired"


@dataclasses.dataclass(frozen=True)
class ReadyToClose(ProviderEvent):
    name: ClassVar[str] = "readyToClose"


def parse_event(name: Any, data: dict[str, Any]) -> ProviderEvent:
    """A Transport event (``{type: "event", data: {name, …}}``) as a typed event, or Drop."""
    if name == "video-conference-joined":
        return ConferenceJoined(_text(data, "roomName", 200), _text(data, "id", 100), _text(data, "displayName", 200))
    if name == "video-conference-left":
        return ConferenceLeft(_text(data, "roomName", 200))
    if name == "participant-joined":
        return ParticipantJoined(_text(data, "id", 100), _text(data, "displayName", 200))
    if name == "participant-left":
        return ParticipantLeft(_text(data, "id", 100))
    if name == "incoming-message":
        private = data.get("privateMessage", False)
        if not isinstance(private, bool):
            raise Drop("bad-privatemessage")
        return IncomingMessage(_text(data, "from", 100), _text(data, "nick", 200), _text(data, "message"), private)
    if name in ("audio-mute-status-changed", "video-mute-status-changed"):
        return MuteChanged(name.split("-", 1)[0], _flag(data, "muted"))
    if name == "password-required":
        return PasswordRequired()
    if name == "video-ready-to-close":
        return ReadyToClose()
    raise Drop("unknown-event")


class JitsiProvider(SignInProvider):
    """One Jitsi Meet room.

    Signals:
        conference_changed(bool): joined (True) or left (False) the meeting.
        participants_changed(int): how many others are in the meeting.
    """

    kind: ClassVar[str] = "jitsi"

    conference_changed = Signal(bool)
    participants_changed = Signal(int)

    def __init__(self, config: Any, parent: QObject | None = None, **kwargs: Any) -> None:
        super().__init__(config, parent, **kwargs)
        self._ready = False
        self._loaded = False
        self._password_asked = False  # the room asked before its page finished loading
        self._queued: collections.deque[OutboundMessage] = collections.deque(maxlen=MAX_QUEUED)
        self.participants: set[str] = set()
        self.joined = False
        self.muted = {"audio": False, "video": False}
        app = QGuiApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._on_application_state)

    # --- wire ---------------------------------------------------------------------------

    def _post(self, name: str, method: str, params: Any, secret: bool = False) -> None:
        envelope = {"postis": True, "scope": SCOPE, "method": method, "params": params}
        message = OutboundMessage(name, envelope, frozenset({"data"}) if secret else frozenset(), as_json_string=True)
        if method == "__ready__" or self._ready:
            self.send(message)
        else:
            self._queued.append(message)

    def _command(self, wire: str, *args: Any, secret: bool = False) -> None:
        self._post(wire, "message", {"type": "event", "data": {"name": wire, "data": list(args)}}, secret)

    def load_frame(self, url: str) -> None:
        self._ready = self._loaded = self._password_asked = False  # a new document: a new handshake
        super().load_frame(url)

    def on_frame_loaded(self) -> None:
        self._loaded = True
        super().on_frame_loaded()
        if self._password_asked:  # asked while loading: answered now, so "ready" cannot hide the form
            self._send_password()

    # --- inbound ------------------------------------------------------------------------

    def parse(self, message: Any) -> ProviderEvent:
        # postis posts JSON text: parsed within the same limits as the bridge's own (size, depth,
        # no __proto__ keys); the Drop it raises names the rule.
        if not isinstance(message, str):
            raise Drop("not-postis")
        envelope = unwrap_json_string(message)
        if envelope.get("postis") is not True:
            raise Drop("not-postis")
        if envelope.get("scope") != SCOPE:
            raise Drop("wrong-scope")
        method, params = envelope.get("method"), envelope.get("params")
        if method == "__ready__":
            if not isinstance(params, str) or not 0 < len(params) <= 64:
                raise Drop("bad-ready")
            return Ready(params)
        if method != "message" or not isinstance(params, dict):
            raise Drop("unknown-method")
        if params.get("type") == "response":
            raise Drop("unasked-response")  # Portico sends no requests
        data = params.get("data")
        if params.get("type") != "event" or not isinstance(data, dict):
            raise Drop("unknown-type")
        return parse_event(data.get("name"), data)

    def handle(self, event: ProviderEvent) -> None:
        if isinstance(event, Ready):
            self._post("ready", "__ready__", event.ping)  # the echo that completes its handshake
            if not self._ready:
                self._ready = True
                while self._queued:
                    self.send(self._queued.popleft())
            return  # a handshake detail, not news for plugins
        super().handle(event)
        if isinstance(event, ConferenceJoined):
            self.joined = True
            self.conference_changed.emit(True)
        elif isinstance(event, ConferenceLeft):
            self.joined = False
            self.participants.clear()
            self.participants_changed.emit(0)
            self.conference_changed.emit(False)
        elif isinstance(event, ParticipantJoined):
            self.participants.add(event.participant_id)
            self.participants_changed.emit(len(self.participants))
        elif isinstance(event, ParticipantLeft):
            self.participants.discard(event.participant_id)
            self.participants_changed.emit(len(self.participants))
        elif isinstance(event, MuteChanged):
            self.muted[event.media] = event.muted
        elif isinstance(event, IncomingMessage) and not self.is_app_active():
            self.set_unread(self.unread + 1)
            title = f"{event.nick or 'Someone'}{' (privately)' if event.private else ''} in {self.title}"
            self.notification_requested.emit(Notification(title=title, body=event.message,
                                                          tag=f"jitsi:{self.id}:chat"))
        elif isinstance(event, PasswordRequired):
            if self._loaded:
                self._send_password()
            else:
                self._password_asked = True

    def _send_password(self) -> None:
        found = self.stored_secrets(("room_password",), "the room password")
        if found is None:
            return  # the keyring failed: the view says so
        if "room_password" not in found:
            self.fail(ProviderError("This meeting is locked with a password.",
                                    "Type the room's password below.", needs_fields=("room_password",)))
            return
        self._command("password", found["room_password"].reveal(), secret=True)

    @Slot(Qt.ApplicationState)
    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.set_unread(0)  # the user is back: the messages are on screen

    # --- commands -----------------------------------------------------------------------

    def run_command(self, name: str, args: tuple[str, ...]) -> None:
        wire = WIRE_COMMANDS.get(name)
        if wire is None:
            super().run_command(name, args)
            return
        if name == "send_chat_message" and not args[0].strip():
            raise ValueError("the message is empty")
        if name == "display_name" and not 0 < len(args[0].strip()) <= 100:
            raise ValueError("a name has 1 to 100 characters")
        self._command(wire, *args)
