"""The provider contract: typed events, outbound messages, notifications, states, errors, drops."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from desktop.redact import redact

#: The value of ``unread_changed`` meaning "something is unread, count unknown" (a dot badge).
UNREAD_DOT = -1


class Drop(ValueError):
    """A message is refused (by the envelope rules or a provider's parser).

    Attributes:
        reason: a short, stable, log-safe code (the event log and the drop counters use it).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class ProviderEvent:
    """A typed inbound event accepted from a provider frame.

    Subclasses set ``name`` (the wire name, used in the event log) and carry typed fields.
    """

    name: ClassVar[str] = "event"

    def log_data(self) -> Any:
        """The event's data for the event log and inspector, secrets replaced by ``"***"``."""
        return redact(_plain(self))


@dataclasses.dataclass(frozen=True)
class OutboundMessage:
    """A message Portico posts to a provider frame.

    Attributes:
        name: what the event log calls it (``user_info``, ``go``, ``login-with-token`` …).
        payload: the exact JSON object posted to the frame.
        secret_keys: payload keys whose values are secrets (redacted in logs), at any depth.
        as_json_string: post the payload as one JSON string instead of an object (what
            postis-style APIs such as Jitsi Meet's parse); the log still shows the object.
    """

    name: str
    payload: dict[str, Any]
    secret_keys: frozenset[str] = frozenset()
    as_json_string: bool = False

    def log_data(self) -> Any:
        return redact(self.payload, self.secret_keys)

    def __repr__(self) -> str:
        return f"OutboundMessage(name={self.name!r}, payload={self.log_data()!r})"


@dataclasses.dataclass(frozen=True)
class Notification:
    """A desktop notification a provider asks the shell to show.

    Attributes:
        title, body: the text shown.
        tag: notifications with the same tag replace each other.
        action: provider-defined data handed back to ``Provider.activate_notification``.
    """

    title: str
    body: str
    tag: str = ""
    icon_url: str = ""
    action: Any = None


@dataclasses.dataclass(frozen=True)
class PageNotificationClick:
    """The action of a notification a page raised itself (the web Notification API): a click
    runs the page's own ``onclick`` (it opens the room, the chat …), as a browser's would."""

    click: Callable[[], None]


@dataclasses.dataclass(frozen=True)
class TextRequest:
    """A provider menu action that needs one line of text: the shell asks for it.

    Attributes:
        title, label: the question's window title and prompt.
        submit: called with the text typed (stripped, not empty); raises ValueError with a message
            for the user to refuse it, shown under ``refusal_title`` (else ``title``).
    """

    title: str
    label: str
    submit: Callable[[str], None]
    refusal_title: str = ""


class ProviderState(enum.Enum):
    """Where a provider's frame is in its life."""

    IDLE = "idle"
    PREPARING = "preparing"      # signing in, fetching a token …
    LOADING = "loading"          # frame navigating
    READY = "ready"              # frame loaded, bridge open
    NEEDS_INPUT = "needs-input"  # a secret or a code is missing
    ERROR = "error"


@dataclasses.dataclass(frozen=True)
class CertificateProblem:
    """A server certificate that did not pass verification, as the user is shown it.

    Attributes:
        host: the server's host (and port when not 443). what: what was wrong, in Chromium's or
            Qt's words. subject, issuer: display names. valid_from, valid_until: ISO dates.
        fingerprint: the SHA-256 of the leaf certificate, upper-case hex with colons.
        changed: the provider trusts other certificates for this server: this one replaced one
            the user trusted. can_trust: the error may be overridden for this provider (its own
            origin, an error Chromium lets a user override).
    """

    host: str
    what: str
    subject: str = ""
    issuer: str = ""
    valid_from: str = ""
    valid_until: str = ""
    fingerprint: str = ""
    changed: bool = False
    can_trust: bool = False


@dataclasses.dataclass(frozen=True)
class ProviderError:
    """What went wrong, for the user: a message and what to do about it.

    Attributes:
        message: one sentence saying what happened (never containing a secret).
        hint: what the user can do.
        retry_after: seconds after which a retry makes sense (None: retry any time).
        needs_fields: secret fields the user must enter (shows the sign-in form).
        can_remember: False when the keyring cannot be used: the form signs in for this session
            only, and Retry stays (for once the keyring is back).
        certificate: the refused certificate, when that is what went wrong (the view offers to
            trust it).
    """

    message: str
    hint: str = ""
    retry_after: float | None = None
    needs_fields: tuple[str, ...] = ()
    can_remember: bool = True
    certificate: CertificateProblem | None = None


class FrameEndpoint(Protocol):
    """What the bridge needs of the provider behind one frame (``Provider`` is the implementation).

    ``outbound`` is a Qt signal carrying :class:`OutboundMessage` objects to post to the frame.
    """

    outbound: Any

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def origin(self) -> str: ...

    def parse(self, message: Any) -> ProviderEvent: ...

    def handle(self, event: ProviderEvent) -> None: ...

    def fail(self, error: ProviderError) -> None: ...


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
