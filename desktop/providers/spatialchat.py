"""SpatialChat iFrame API, host side: answer ``get_space_ids`` and ``get_user_info``."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, ClassVar, Final

from PySide6.QtCore import Signal

from desktop.bridge.envelope import EnvelopeError, unwrap_json_string
from desktop.config import UserInfo
from desktop.providers.base import Drop, OutboundMessage, Provider, ProviderEvent

#: requestId values echoed back: a non-empty string of at most 128 printable ASCII characters.
_REQUEST_ID_RE: Final = re.compile(r"[\x21-\x7e]{1,128}")
_REQUESTS: Final = {"get_space_ids", "get_user_info"}
_RESPONSES: Final = {"space_ids", "user_info"}


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


class SpatialChatProvider(Provider):
    """Portico as the SpatialChat *host* of a site written for SpatialChat's iFrame API.

    Requests arrive as objects or as JSON strings (sites in the wild send both); answers go to
    the provider's own frame only, with its exact origin. A bad ``requestId`` (not a short
    printable string) drops the request: an answer the site cannot match is worse than none.

    Signals:
        space_ids_requested(str): a ``get_space_ids`` request was answered (request id or "").
        user_info_requested(str): a ``get_user_info`` request was answered (request id or "").
        user_changed(object): the displayed profile (:class:`UserInfo`) was edited.
    """

    kind: ClassVar[str] = "spatialchat"

    space_ids_requested = Signal(str)
    user_info_requested = Signal(str)
    user_changed = Signal(object)

    @property
    def user(self) -> UserInfo:
        return self._user if hasattr(self, "_user") else self.config.options["user"]

    def set_user(self, user: UserInfo) -> None:
        """Change the displayed profile; later ``get_user_info`` answers reflect it."""
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
        return UserInfoRequested(request_id=request_id)

    def handle(self, event: ProviderEvent) -> None:
        super().handle(event)
        if isinstance(event, SpaceIdsRequested):
            self._reply("space_ids", event.request_id, self.space_ids())
            self.space_ids_requested.emit(event.request_id or "")
        elif isinstance(event, UserInfoRequested):
            self._reply("user_info", event.request_id, self.user.to_wire())
            self.user_info_requested.emit(event.request_id or "")

    def _reply(self, name: str, request_id: str | None, data: dict[str, str]) -> None:
        payload: dict[str, Any] = {"name": name, "data": data}
        if request_id is not None:
            payload["requestId"] = request_id
        self.send(OutboundMessage(name=name, payload=payload))
