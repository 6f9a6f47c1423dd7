"""Spoki (WhatsApp Business) embedded as a child frame: token sign-in, page URLs and iframe events."""

from __future__ import annotations

import dataclasses
import email.utils
import json
import logging
import re
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Final

from PySide6.QtCore import QByteArray, QObject, Signal, Slot
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from desktop.bridge.envelope import canonical_origin
from desktop.providers.base import (
    UNREAD_DOT,
    Drop,
    Notification,
    ProviderError,
    ProviderEvent,
)
from desktop.providers.signin import GetSecret, SignInProvider, json_request, seconds_text
from desktop.redact import forget_secret, register_secret
from desktop.secret import Secret

log = logging.getLogger("portico.providers.spoki")

#: Where the token comes from, below ``api_base``.
AUTH_PATH: Final = "/api/1/auth/get_authentication_token/"
#: The header carrying the account API key (never a URL parameter, never in a page).
API_KEY_HEADER: Final = b"X-Spoki-Api-Key"
#: Seconds before an unanswered token request is abandoned (counts as a network failure).
AUTH_TIMEOUT_MS: Final = 20_000
#: Largest auth answer read; anything bigger is not a token answer.
MAX_AUTH_BODY: Final = 64 * 1024
#: Automatic retry delays (seconds) after network failures and 5xx answers; the last one repeats.
#: Longest ``Retry-After`` honoured (a server asking for more gets this).
MAX_RETRY_AFTER: Final = 3600.0

#: Most chats accepted in one ``chatsChanged`` page / messages in one ``chatMessagesChanged``.
MAX_CHATS: Final = 500
MAX_MESSAGES: Final = 1000
#: The page numbers accepted in events (Spoki pages are small positive integers).
MAX_PAGE: Final = 100_000

PAGES: Final = ("chats", "templates")
EVENT_TYPES: Final = ("hasUnreadChatsChanged", "chatsChanged", "chatMessagesChanged")

_TOKEN_RE: Final = re.compile(r"[\x21-\x7e]{1,4096}")
_UID_RE: Final = re.compile(r"[\x21-\x7e]{1,256}")
_API_KEY_RE: Final = re.compile(r"[\x21-\x7e]{1,512}")


class ChatLinkError(ValueError):
    """A ``chat_link`` or page slug is not one Portico opens; the message says why (log-safe)."""


# --- pages and URLs --------------------------------------------------------------------------


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


# --- events ----------------------------------------------------------------------------------


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


# --- auth errors -----------------------------------------------------------------------------


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_bad_request(body: Any) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Read a DRF-style 400 body: ``(summary, config keys at fault, secret fields at fault)``.

    Understands ``{"email": ["..."]}`` (per-field lists), ``{"detail": "..."}``,
    ``{"non_field_errors": [...]}`` and ``{"code": "spoki::3014", "message": ...}``.
    """
    if not isinstance(body, dict) or not body:
        return "", (), ()
    parts: list[str] = []
    config_keys: list[str] = []
    secret_fields: list[str] = []
    code = body.get("code")
    for key, value in body.items():
        if not isinstance(key, str) or key in {"code", "status", "status_code"}:
            continue
        if isinstance(value, list):
            text = "; ".join(str(v) for v in value if isinstance(v, (str, int, float)))
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = str(value)
        elif isinstance(value, dict):
            text = "; ".join(str(v) for v in value.values() if isinstance(v, str))
        else:
            continue
        low = key.lower().replace("-", "_")
        if low in {"detail", "message", "error", "non_field_errors", "errors"}:
            parts.append(text)
            continue
        parts.append(f"{key}: {text}" if text else key)
        if low == "email":
            config_keys.append("email")
        elif low in {"private_key", "privatekey"}:
            secret_fields.append("private_key")
        elif low in {"api_key", "x_spoki_api_key", "apikey"}:
            secret_fields.append("api_key")
    if isinstance(code, (str, int)) and not isinstance(code, bool):
        parts.insert(0, f"[{code}]")
    return _short(" ".join(p for p in parts if p)), tuple(config_keys), tuple(secret_fields)


def _detail(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("detail", "message", "error"):
            if isinstance(body.get(key), str):
                return _short(body[key])
    return ""


def retry_after_seconds(header: str, now: float | None = None) -> float | None:
    """Parse a ``Retry-After`` header (seconds or an HTTP date); None if absent or unreadable."""
    header = header.strip()
    if not header:
        return None
    if header.isdigit():
        return min(float(header), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    delta = when.timestamp() - (time.time() if now is None else now)
    return min(max(delta, 0.0), MAX_RETRY_AFTER)


# --- the provider ----------------------------------------------------------------------------


class SpokiProvider(SignInProvider):
    """Spoki's web app in a child frame, signed in with a fresh token for every load.

    Before each load (start, Retry, Reload, a page change) the provider posts the service
    user's email and private key, with the account API key in ``X-Spoki-Api-Key``, to
    ``{api_base}/api/1/auth/get_authentication_token/`` (asynchronously, redirects refused),
    then loads ``{app_base}/{page}?auth_token=..&auth_uid=..&language=..&<flags>``. The keys
    never leave that request; the token and uid live only in the frame URL and in the scrub
    list of :mod:`desktop.redact`, and are forgotten when the next load replaces them.

    Attributes:
        get_secret: ``(provider_id, field) -> Secret | None``; replaceable (tests).
        is_app_active: ``() -> bool``; whether Portico's window has focus (no notification then).
        retry_delays: automatic retry delays in seconds after network failures and 5xx answers.

    Signals:
        unread_chats_changed(bool): ``hasUnreadChats`` changed (also drives the sidebar dot).
        chats_changed(object): a :class:`ChatsChanged` event.
        chat_messages_changed(object): a :class:`ChatMessagesChanged` event.
        page_changed(str): the page slug the next loads open (``chats``, ``chats/<uuid>``, ``templates``).
        retry_scheduled(float): an automatic retry will run after this many seconds (SignInProvider).
    """

    kind: ClassVar[str] = "spoki"

    unread_chats_changed = Signal(bool)
    chats_changed = Signal(object)
    chat_messages_changed = Signal(object)
    page_changed = Signal(str)

    def __init__(self, config: Any, parent: QObject | None = None, *,
                 get_secret: GetSecret | None = None,
                 is_app_active: Callable[[], bool] | None = None) -> None:
        super().__init__(config, parent, get_secret=get_secret, is_app_active=is_app_active)
        self._page = normalize_page(self.option("page"))
        self._network = QNetworkAccessManager(self)
        self._network.setRedirectPolicy(QNetworkRequest.RedirectPolicy.ManualRedirectPolicy)
        self._reply: QNetworkReply | None = None
        self._live: list[str] = []  # token and uid of the current frame, registered for scrubbing
        self._has_unread: bool | None = None
        self.token_requests = 0  # how many tokens were asked for (tests, diagnostics)

    # --- configuration ------------------------------------------------------------------

    def option(self, key: str) -> Any:
        return self.config.options[key]

    @property
    def page(self) -> str:
        return self._page

    @property
    def has_unread_chats(self) -> bool:
        return bool(self._has_unread)

    @property
    def auth_url(self) -> str:
        return self.option("api_base").rstrip("/") + AUTH_PATH

    def set_page(self, page: str) -> None:
        """Open another page (``chats``, ``templates``, ``chats/<uuid>``) with a fresh token.

        Raises :class:`ChatLinkError` for anything else. The choice lasts for this session.
        """
        page = normalize_page(page)
        if page != self._page:
            self._page = page
            self.page_changed.emit(page)
        self.start()

    def open_chat_link(self, link: str) -> str:
        """Open the chat a Contacts API ``chat_link`` points at; returns its page slug.

        Raises :class:`ChatLinkError` (nothing is loaded) unless the link is exactly
        ``<app_base>/chats/<uuid>``.
        """
        page = page_from_chat_link(link, self.option("app_base"))
        self.set_page(page)
        return page

    def menu_actions(self) -> list[tuple[str, Callable[[], None]]]:
        """This provider's entries in the window's Provider menu."""
        actions: list[tuple[str, Callable[[], None]]] = []
        if self.option("can_view_chat_list"):
            actions.append(("Chat list", lambda: self.set_page("chats")))
        actions.append(("Templates", lambda: self.set_page("templates")))
        actions.append(("Open chat link…", self.prompt_chat_link))
        return actions

    def prompt_chat_link(self) -> None:
        """Ask for a ``chat_link`` and open it; a link Portico refuses is explained, not loaded."""
        from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox  # noqa: PLC0415

        parent = QApplication.activeWindow()
        text, ok = QInputDialog.getText(parent, "Open a Spoki chat",
                                        f"Chat link ({self.option('app_base')}/chats/…):")
        if not ok or not text.strip():
            return
        try:
            self.open_chat_link(text.strip())
        except ChatLinkError as exc:
            QMessageBox.warning(parent, "Not a Spoki chat link", f"Portico did not open it: {exc}.")

    # --- sign-in ------------------------------------------------------------------------

    def prepare(self) -> None:
        """Fetch a fresh token (asynchronously); the frame loads when it arrives."""
        self._abort()
        secrets = self._read_secrets()
        if secrets is None:
            return
        api_key, private_key = secrets
        email_address = self.option("email")
        request = json_request(self.auth_url, AUTH_TIMEOUT_MS)
        request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "application/json")
        request.setRawHeader(API_KEY_HEADER, api_key.reveal().encode("ascii"))
        request.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute,
                             QNetworkRequest.RedirectPolicy.ManualRedirectPolicy)
        body = json.dumps({"email": email_address, "private_key": private_key.reveal()}).encode("utf-8")
        self.token_requests += 1
        reply = self._network.post(request, QByteArray(body))
        del body
        self._echo_guard = (api_key.reveal(), private_key.reveal())
        self._reply = reply
        # Bound slots, not lambdas: Qt disconnects them when the provider goes away.
        reply.downloadProgress.connect(self._on_progress)
        reply.finished.connect(self._on_finished)

    def _read_secrets(self) -> tuple[Secret, Secret] | None:
        values = self._stored_secrets(("api_key", "private_key"), "the Spoki keys")
        if values is None:
            return None
        missing = [field for field in ("api_key", "private_key") if field not in values]
        if missing:
            names = " and ".join({"api_key": "the API key", "private_key": "the private key"}[f] for f in missing)
            self.fail(ProviderError(
                f"Spoki needs {names} of this account, and the keyring has none.",
                "Enter it in the sign-in form, or run `portico credentials set "
                f"{self.id} {missing[0]}`. The API key comes from Spoki's Integrations / API page; "
                "the private key from the service user's key icon under Users & Roles.",
                needs_fields=tuple(missing)))
            return None
        if not _API_KEY_RE.fullmatch(values["api_key"].reveal()):
            self.fail(ProviderError("The stored Spoki API key has characters an API key cannot have.",
                                    "Enter the API key again, exactly as Spoki showed it.",
                                    needs_fields=("api_key",)))
            return None
        return values["api_key"], values["private_key"]

    @Slot("qint64", "qint64")
    def _on_progress(self, received: int, _total: int) -> None:
        reply = self.sender()
        if received > MAX_AUTH_BODY and isinstance(reply, QNetworkReply) and reply is self._reply:
            reply.setProperty("portico_too_large", True)
            reply.abort()

    @Slot()
    def _on_finished(self) -> None:
        reply = self.sender()
        if isinstance(reply, QNetworkReply):
            self._on_reply(reply)

    def _abort(self) -> None:
        self._echo_guard = ()
        reply, self._reply = self._reply, None
        if reply is not None:
            reply.finished.disconnect(self._on_finished)
            reply.downloadProgress.disconnect(self._on_progress)
            reply.abort()
            reply.deleteLater()

    def _on_reply(self, reply: QNetworkReply) -> None:
        if reply is not self._reply:
            reply.deleteLater()
            return
        self._reply = None
        reply.deleteLater()
        try:
            self._on_answer(reply)
        except Exception:  # noqa: BLE001 - a bug here must show an error, not a spinner forever
            log.exception("provider %s: the Spoki sign-in answer could not be handled", self.id)
            self._fail_answer("Portico could not handle Spoki's sign-in answer.")
        finally:
            self._echo_guard = ()

    def _on_answer(self, reply: QNetworkReply) -> None:
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        if reply.property("portico_too_large"):
            self._fail_answer("Spoki's sign-in answer was far too large to be a token.")
            return
        if status is None:
            self._network_failure(reply)
            return
        status = int(status)
        raw = bytes(reply.readAll().data()[:MAX_AUTH_BODY])
        try:
            body: Any = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            body = None
        if 200 <= status < 300:
            self._on_token_answer(body)
        elif status in (401, 403):
            self._failures = 0
            self._fail_unauthorized(status, body)
        elif status == 400:
            self._failures = 0
            self._fail_bad_request(body)
        elif status == 429:
            header = bytes(reply.rawHeader("Retry-After").data()).decode("latin-1")
            self._rate_limited(retry_after_seconds(header))
        elif status >= 500:
            self._retry_later(f"Spoki's server had a problem (HTTP {status}).")
        elif 300 <= status < 400:
            self.fail(ProviderError(
                f"Spoki's sign-in address answered with a redirect (HTTP {status}); Portico does not "
                "follow it, so that the keys are never sent anywhere else.",
                f"Check api_base in the config ({self.option('api_base')}): it must be Spoki's API "
                "address itself, e.g. https://app.spoki.it or https://api.spoki.com."))
        else:
            detail = self._safe(_detail(body))
            self.fail(ProviderError(
                f"Spoki refused the sign-in request (HTTP {status})" + (f": {detail}" if detail else "."),
                f"Check api_base in the config ({self.option('api_base')}), then press Retry."))

    def _on_token_answer(self, body: Any) -> None:
        token = body.get("token") if isinstance(body, dict) else None
        uid = body.get("uid") if isinstance(body, dict) else None
        if not (isinstance(token, str) and _TOKEN_RE.fullmatch(token)
                and isinstance(uid, str) and _UID_RE.fullmatch(uid)):
            self._fail_answer("Spoki's sign-in answer had no usable token.")
            return
        self._failures = 0
        self._forget_live()
        for value in (token, uid):
            register_secret(value)
            self._live.append(value)
        o = self.config.options
        url = frame_url(o["app_base"], self._page, token, uid, o["language"],
                        can_view_chat_list=o["can_view_chat_list"], can_reply_in_chat=o["can_reply_in_chat"],
                        can_send_paypal_in_chat=o["can_send_paypal_in_chat"])
        log.info("provider %s: signed in to Spoki; loading %s", self.id, self._page)
        self.load_frame(url)

    def _fail_answer(self, message: str) -> None:
        self.fail(ProviderError(message, "Press Retry. If this keeps happening, check that api_base "
                                         f"({self.option('api_base')}) is Spoki's API address."))

    def _fail_unauthorized(self, status: int, body: Any) -> None:
        detail = self._safe(_detail(body))
        said = f" Spoki said: {detail}" if detail else ""
        self.fail(ProviderError(
            f"Spoki did not accept the API key (HTTP {status}): it is wrong, or not approved yet.{said}",
            "Spoki approves a new API key by hand, within 48 hours of the request (you get an "
            "e-mail). If it is approved, enter the API key again; also check the private key "
            f"and the email ({self.option('email')}) of the service user.",
            needs_fields=("api_key",)))

    def _fail_bad_request(self, body: Any) -> None:
        summary, config_keys, secret_fields = describe_bad_request(body)
        summary = self._safe(summary)
        if secret_fields:
            hint = "Enter " + " and ".join(f.replace("_", " ") for f in secret_fields) + " again."
        elif config_keys:
            hint = (f"Fix {', '.join(config_keys)} of provider '{self.id}' in the config file"
                    f" (now {self.option('email')!r}), then press Retry.")
        else:
            hint = "Check the email in the config and the keys in the keyring, then press Retry."
        fields = " (" + ", ".join(config_keys + secret_fields) + ")" if config_keys or secret_fields else ""
        self.fail(ProviderError(
            f"Spoki rejected the sign-in request{fields}" + (f": {summary}" if summary else "."),
            hint, needs_fields=secret_fields))

    def _rate_limited(self, retry_after: float | None) -> None:
        backoff = self._next_delay()
        delay = max(retry_after, backoff) if retry_after is not None else max(backoff, 30.0)
        self.fail(ProviderError("Spoki is limiting how often Portico may sign in (HTTP 429).",
                                f"Portico tries again in {seconds_text(delay)}; Retry now may be refused again.",
                                retry_after=delay))
        self._schedule_retry(delay)

    def _network_failure(self, reply: QNetworkReply) -> None:
        code = reply.error()
        if code == QNetworkReply.NetworkError.OperationCanceledError:
            what = f"did not answer within {AUTH_TIMEOUT_MS // 1000} seconds"
        elif code in (QNetworkReply.NetworkError.SslHandshakeFailedError,
                      QNetworkReply.NetworkError.InsecureRedirectError):
            what = "failed the secure-connection check"
        else:
            what = f"could not be reached ({code.name})"
        self._retry_later(f"Spoki's sign-in server {canonical_origin(self.auth_url)} {what}.")

    def fail(self, error: ProviderError) -> None:
        self._abort()
        super().fail(error)

    def shutdown(self) -> None:
        super().shutdown()
        self._abort()
        self._forget_live()

    def _forget_live(self) -> None:
        for value in self._live:
            forget_secret(value)
        self._live.clear()

    # --- events -------------------------------------------------------------------------

    def parse(self, message: Any) -> ProviderEvent:
        return parse_event(message)

    def handle(self, event: ProviderEvent) -> None:
        super().handle(event)
        if isinstance(event, UnreadChatsChanged):
            was = self._has_unread
            self._has_unread = event.has_unread_chats
            self.set_unread(UNREAD_DOT if event.has_unread_chats else 0)
            if event.has_unread_chats != was:
                self.unread_chats_changed.emit(event.has_unread_chats)
            if event.has_unread_chats and not was and not self.is_app_active():
                self.notification_requested.emit(Notification(
                    title=self.title, body="New WhatsApp messages are waiting.", tag=f"spoki:{self.id}:unread"))
        elif isinstance(event, ChatsChanged):
            self.chats_changed.emit(event)
        elif isinstance(event, ChatMessagesChanged):
            self.chat_messages_changed.emit(event)

