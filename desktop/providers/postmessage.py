"""The declarative ``postmessage`` kind: a page's own messages mapped to badges, notifications and commands by config."""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any, ClassVar, Final

from desktop.contract import UNREAD_DOT, Drop, Notification, OutboundMessage, ProviderEvent
from desktop.kinds import KindCommand
from desktop.providers.base import Provider

log = logging.getLogger("portico.providers")

#: The longest notification title and text taken from a page (longer ones are cut).
MAX_TITLE: Final = 200
MAX_BODY: Final = 1000
#: The highest unread count shown (a page's larger number is taken as this).
MAX_UNREAD: Final = 99_999


@dataclasses.dataclass(frozen=True)
class PageMessage(ProviderEvent):
    """A message the page posted whose name the provider's config lists.

    Attributes:
        message_name: the name found at the config's ``name_key``. message: the whole message
            (bounded and checked by the bridge).
    """

    name: ClassVar[str] = "message"
    message_name: str = ""
    message: Any = None


def lookup(value: Any, path: str) -> Any:
    """The value at a dotted ``path`` in nested objects (a digit indexes a list); KeyError if absent."""
    for key in path.split("."):
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            raise KeyError(path)
    return value


def _text(message: Any, path: str, limit: int) -> str:
    if not path:
        return ""
    try:
        value = lookup(message, path)
    except KeyError:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _with_path(path: str, value: Any) -> dict[str, Any]:
    """``{"a": {"b": value}}`` for ``a.b``."""
    out: Any = value
    for key in reversed(path.split(".")):
        out = {key: out}
    return dict(out)


class PostMessageProvider(Provider):
    """A web app that posts ``{<name_key>: name, …}`` messages to its parent, mapped by its options.

    Messages named in ``unread_events`` set the badge from ``unread_count`` (a number, or
    true/false for a dot); those in ``notify_events`` raise a notification; those in ``events``
    are only published. Any other message is dropped and counted. ``commands`` are the only names
    Portico posts, as ``{<name_key>: name, <data_key>: argument}``.
    """

    kind: ClassVar[str] = "postmessage"

    def parse(self, message: Any) -> ProviderEvent:
        if not isinstance(message, dict):
            raise Drop("not-an-object")
        try:
            name = lookup(message, self.option("name_key"))
        except KeyError:
            raise Drop("no-name") from None
        if not isinstance(name, str):
            raise Drop("no-name")
        if name not in {*self.option("unread_events"), *self.option("notify_events"), *self.option("events")}:
            raise Drop("unknown-message")
        if name in self.option("unread_events"):
            self._unread_from(message)  # raises Drop before anything is published
        return PageMessage(message_name=name, message=message)

    def _unread_from(self, message: Any) -> int:
        try:
            count = lookup(message, self.option("unread_count"))
        except KeyError:
            raise Drop("no-unread-count") from None
        if isinstance(count, bool):
            return UNREAD_DOT if count else 0
        if count is None:
            return 0
        if isinstance(count, (int, float)) and count >= 0 and count == count:
            return min(int(count), MAX_UNREAD)
        raise Drop("bad-unread-count")

    def handle(self, event: ProviderEvent) -> None:
        super().handle(event)
        if not isinstance(event, PageMessage):
            return
        if event.message_name in self.option("unread_events"):
            self.set_unread(self._unread_from(event.message))
        if event.message_name in self.option("notify_events"):
            title = _text(event.message, self.option("notify_title"), MAX_TITLE) or self.title
            body = _text(event.message, self.option("notify_body"), MAX_BODY)
            self.notification_requested.emit(Notification(title=title, body=body))

    def kind_commands(self) -> tuple[KindCommand, ...]:
        return tuple(KindCommand(name, ("data",), optional=1,
                                 summary=f"post {name!r} to the page (DATA: JSON, or a string)")
                     for name in self.option("commands"))

    def run_command(self, name: str, args: tuple[str, ...]) -> None:
        if name not in self.option("commands"):
            super().run_command(name, args)
        payload = _with_path(self.option("name_key"), name)
        if args:
            try:
                data: Any = json.loads(args[0])
            except ValueError:
                data = args[0]
            payload = _merge(payload, _with_path(self.option("data_key"), data))
        self.send(OutboundMessage(name, payload))


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        out[key] = _merge(out[key], value) if isinstance(out.get(key), dict) and isinstance(value, dict) else value
    return out
