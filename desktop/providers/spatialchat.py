"""SpatialChat iFrame API, host side: answer ``get_space_ids``, ``get_user_info`` and navigation requests."""

from __future__ import annotations

import collections
import dataclasses
import logging
import re
import time
import urllib.parse
from collections.abc import Callable
from typing import Any, ClassVar, Final

from PySide6.QtCore import QObject, Signal

from desktop.bridge.envelope import EnvelopeError, canonical_origin, unwrap_json_string
from desktop.contract import Drop, OutboundMessage, ProviderEvent
from desktop.providers.base import Provider
from desktop.redact import redact_url

#: requestId values echoed back: a non-empty string of at most 128 printable ASCII characters.
_REQUEST_ID_RE: Final = re.compile(r"[\x21-\x7e]{1,128}")
_REQUESTS: Final = {"get_space_ids", "get_user_info", "navigate_room", "navigate_parent"}
_RESPONSES: Final = {"space_ids", "user_info", "navigation_result"}
#: A room id as SpatialChat makes them (letters, digits, '-' and '_').
_ROOM_ID_RE: Final = re.compile(r"[A-Za-z0-9_\-]{1,64}")
#: The longest URL a page may ask the host to open.
MAX_URL_LENGTH: Final = 2048
#: At most this many navigation requests per window are carried out; later ones are refused.
NAVIGATIONS_PER_WINDOW: Final = 3
NAVIGATION_WINDOW_S: Final = 10.0

log = logging.getLogger("portico.providers")


@dataclasses.dataclass(frozen=True)
class UserInfo:
    """What the user shows of themselves, answered to SpatialChat's ``get_user_info``."""

    id: str = ""
    name: str = ""
    about: str = ""
    pronoun: str = ""
    avatar_url: str = ""

    def to_wire(self) -> dict[str, str]:
        """The ``user_info`` data object as SpatialChat names its fields."""
        return {"id": self.id, "name": self.name, "about": self.about,
                "pronoun": self.pronoun, "avatarUrl": self.avatar_url}


@dataclasses.dataclass(frozen=True)
class SpaceIdsRequested(ProviderEvent):
    """The embedded site sent ``get_space_ids``."""

    name: ClassVar[str] = "get_space_ids"
    request_id: str | None = None


@dataclasses.dataclass(frozen=True)
class UserInfoRequested(ProviderEvent):
    """The embedded site sent ``get_user_info``."""

    name: ClassVar[str] = "get_user_info"
    request_id: str | None = None


@dataclasses.dataclass(frozen=True)
class RoomNavigationRequested(ProviderEvent):
    """The embedded site sent ``navigate_room``: take the user into room ``room_id`` of the space."""

    name: ClassVar[str] = "navigate_room"
    room_id: str = ""
    request_id: str | None = None


@dataclasses.dataclass(frozen=True)
class ParentNavigationRequested(ProviderEvent):
    """The embedded site sent ``navigate_parent``: open ``url`` where a link to it would go."""

    name: ClassVar[str] = "navigate_parent"
    url: str = ""
    request_id: str | None = None

    def log_data(self) -> Any:
        return {"url": redact_url(self.url), "requestId": self.request_id}


def room_url(space_url: str, room_id: str) -> str:
    """``space_url`` with ``room=<room_id>`` in its query (any other ``room`` replaced)."""
    parts = urllib.parse.urlsplit(space_url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "room"]
    query.append(("room", room_id))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query), fragment=""))


def openable_url(url: str) -> bool:
    """Whether a page may ask the host to open ``url``: an absolute http(s) URL with a host, no
    user name or password, at most :data:`MAX_URL_LENGTH` characters, no control characters."""
    if len(url) > MAX_URL_LENGTH or any(ord(c) < 0x21 or ord(c) == 0x7f for c in url):
        return False
    try:
        canonical_origin(url)
    except ValueError:
        return False
    return True


class SpatialChatProvider(Provider):
    """Portico as the SpatialChat *host* of a site written for SpatialChat's iFrame API.

    Requests arrive as objects or as JSON strings (sites in the wild send both); answers go to
    the provider's own frame only, with its exact origin. A bad ``requestId`` (not a short
    printable string) drops the request: an answer the site cannot match is worse than none.

    ``navigate_room`` and ``navigate_parent`` are carried out through :attr:`open_url` (the
    Shell's: a configured provider for the URL's origin, else the system browser) and answered
    with ``navigation_result`` ``{"success": bool}``: false for a room without ``space_url``,
    a URL that is not http(s), an id or URL that fails validation, or a request over the rate
    limit (:data:`NAVIGATIONS_PER_WINDOW` per :data:`NAVIGATION_WINDOW_S` seconds).

    Attributes:
        open_url: ``(url) -> bool``, whether the URL was opened; set by the Shell (the default
            opens nothing).

    Signals:
        space_ids_requested(str): a ``get_space_ids`` request was answered (request id or "").
        user_info_requested(str): a ``get_user_info`` request was answered (request id or "").
        user_changed(object): the user's details (:class:`UserInfo`) were edited.
        navigation_answered(str, bool): a navigation request (its name) was answered, and how.
    """

    kind: ClassVar[str] = "spatialchat"

    space_ids_requested = Signal(str)
    user_info_requested = Signal(str)
    user_changed = Signal(object)
    navigation_answered = Signal(str, bool)

    def __init__(self, config: Any, parent: QObject | None = None) -> None:
        super().__init__(config, parent)
        self.open_url: Callable[[str], bool] = lambda url: False
        self._navigations: collections.deque[float] = collections.deque()
        self._user = UserInfo(**config.options["user"])

    @property
    def user(self) -> UserInfo:
        return self._user

    def apply_table(self, key: str, values: dict[str, Any]) -> None:
        """The user edited the ``[provider.user]`` table in Portico: answer with it from now on."""
        if key == "user":
            self.set_user(UserInfo(**values))

    def set_user(self, user: UserInfo) -> None:
        """Change the user's details; later ``get_user_info`` answers reflect it."""
        self._user = user
        self.user_changed.emit(user)

    def space_ids(self) -> dict[str, str]:
        o = self.config.options
        return {"spaceId": o["space_id"], "roomId": o["room_id"], "spaceSlug": o["space_slug"]}

    def parse(self, message: Any) -> ProviderEvent:
        try:
            envelope = unwrap_json_string(message)
        except EnvelopeError as exc:
            raise Drop(exc.reason) from None
        name = envelope.get("name")
        if not isinstance(name, str):
            raise Drop("missing-name")
        if name in _RESPONSES:
            raise Drop("unsolicited-response")
        if name not in _REQUESTS:
            raise Drop("unknown-name")
        request_id = envelope.get("requestId")
        if request_id is not None and not (isinstance(request_id, str) and _REQUEST_ID_RE.fullmatch(request_id)):
            raise Drop("bad-request-id")
        if name == "get_space_ids":
            return SpaceIdsRequested(request_id=request_id)
        if name == "get_user_info":
            return UserInfoRequested(request_id=request_id)
        payload = envelope.get("payload")
        if not isinstance(payload, dict):
            raise Drop("bad-payload")
        if name == "navigate_room":
            room_id = payload.get("roomId")
            if not isinstance(room_id, str):
                raise Drop("bad-payload")
            return RoomNavigationRequested(room_id=room_id, request_id=request_id)
        url = payload.get("url")
        if not isinstance(url, str):
            raise Drop("bad-payload")
        return ParentNavigationRequested(url=url, request_id=request_id)

    def handle(self, event: ProviderEvent) -> None:
        super().handle(event)
        if isinstance(event, SpaceIdsRequested):
            self._reply("space_ids", event.request_id, self.space_ids())
            self.space_ids_requested.emit(event.request_id or "")
        elif isinstance(event, UserInfoRequested):
            self._reply("user_info", event.request_id, self.user.to_wire())
            self.user_info_requested.emit(event.request_id or "")
        elif isinstance(event, (RoomNavigationRequested, ParentNavigationRequested)):
            done = self._navigate(event)
            self._reply("navigation_result", event.request_id, {"success": done})
            self.navigation_answered.emit(event.name, done)

    def _navigate(self, event: RoomNavigationRequested | ParentNavigationRequested) -> bool:
        """Carry out a navigation request; whether it was done (the reason is logged)."""
        if isinstance(event, RoomNavigationRequested):
            space_url = self.config.options.get("space_url", "")
            if not _ROOM_ID_RE.fullmatch(event.room_id):
                return self._refuse(event, "the room id is not one SpatialChat makes")
            if not space_url:
                return self._refuse(event, "no space_url is configured for this provider")
            url = room_url(space_url, event.room_id)
        else:
            url = event.url
            if not openable_url(url):
                return self._refuse(event, "the URL is not an absolute http(s) URL")
        now = time.monotonic()
        while self._navigations and now - self._navigations[0] > NAVIGATION_WINDOW_S:
            self._navigations.popleft()
        if len(self._navigations) >= NAVIGATIONS_PER_WINDOW:
            return self._refuse(event, "too many navigation requests")
        self._navigations.append(now)
        try:
            return bool(self.open_url(url))
        except Exception:  # noqa: BLE001 - a failing opener answers false, it does not raise out
            log.exception("provider %s: opening a %s URL failed", self.id, event.name)
            return False

    def _refuse(self, event: ProviderEvent, why: str) -> bool:
        log.info("provider %s: refused %s: %s", self.id, event.name, why)
        return False

    def _reply(self, name: str, request_id: str | None, data: dict[str, Any]) -> None:
        payload: dict[str, Any] = {"name": name, "data": data}
        if request_id is not None:
            payload["requestId"] = request_id
        self.send(OutboundMessage(name=name, payload=payload))
