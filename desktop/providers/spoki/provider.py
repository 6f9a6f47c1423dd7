"""The Spoki provider: a service user's keys -> a token -> the signed-in iframe; its commands and events."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, ClassVar, Final

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QNetworkReply

from desktop import i18n
from desktop.bridge.envelope import canonical_origin
from desktop.contract import UNREAD_DOT, Notification, ProviderError, ProviderEvent, TextRequest
from desktop.providers.pinning import certificate_error
from desktop.providers.rest import RestAnswer, RestClient, error_text, retry_after_seconds, short_text
from desktop.providers.signin import GetSecret, SignInProvider, seconds_text
from desktop.providers.spoki.events import ChatMessagesChanged, ChatsChanged, UnreadChatsChanged, parse_event
from desktop.providers.spoki.links import ChatLinkError, frame_url, normalize_page, page_from_chat_link
from desktop.redact import forget_secret, register_secret
from desktop.secret import Secret

log = logging.getLogger("portico.providers.spoki")

#: Where the token comes from, below ``api_base``.
AUTH_PATH: Final = "/api/1/auth/get_authentication_token/"
#: The header carrying the account API key (never a URL parameter, never in a page).
API_KEY_HEADER: Final = b"X-Spoki-Api-Key"
#: Milliseconds before an unanswered token request is abandoned (counts as a network failure).
AUTH_TIMEOUT_MS: Final = 20_000
#: Largest auth answer read; anything bigger is not a token answer.
MAX_AUTH_BODY: Final = 64 * 1024

_TOKEN_RE: Final = re.compile(r"[\x21-\x7e]{1,4096}")
_UID_RE: Final = re.compile(r"[\x21-\x7e]{1,256}")
_API_KEY_RE: Final = re.compile(r"[\x21-\x7e]{1,512}")


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
    return short_text(" ".join(p for p in parts if p)), tuple(config_keys), tuple(secret_fields)


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
        self._client = RestClient(self, max_body=MAX_AUTH_BODY, timeout_ms=AUTH_TIMEOUT_MS,
                                  pins=lambda: self.trusted_certificates)
        self._live: list[str] = []  # token and uid of the current frame, registered for scrubbing
        self._has_unread: bool | None = None

    # --- configuration ------------------------------------------------------------------

    @property
    def token_requests(self) -> int:
        """How many tokens were asked for (tests, diagnostics)."""
        return self._client.requests_made

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
        actions.append(("Open chat link…", TextRequest(
            "Open a Spoki chat", f"Chat link ({self.option('app_base')}/chats/…):", self._open_typed_link,
            "Not a Spoki chat link")))
        return actions

    def _open_typed_link(self, text: str) -> None:
        try:
            self.open_chat_link(text)
        except ChatLinkError as exc:
            raise ValueError(f"Portico did not open it: {exc}.") from None

    # --- sign-in ------------------------------------------------------------------------

    def prepare(self) -> None:
        """Fetch a fresh token (asynchronously); the frame loads when it arrives."""
        self._abort()
        secrets = self._read_secrets()
        if secrets is None:
            return
        api_key, private_key = secrets
        email_address = self.option("email")
        self._echo_guard = (api_key.reveal(), private_key.reveal())
        self._client.send("POST", self.auth_url, self._on_reply,
                          {"email": email_address, "private_key": private_key.reveal()},
                          {API_KEY_HEADER: api_key.reveal().encode("ascii")})

    def _read_secrets(self) -> tuple[Secret, Secret] | None:
        values = self.stored_secrets(("api_key", "private_key"), "the Spoki keys")
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

    def _abort(self) -> None:
        self._echo_guard = ()
        self._client.abort()

    def _on_reply(self, answer: RestAnswer) -> None:
        try:
            self._on_answer(answer)
        except Exception:  # noqa: BLE001 - a bug here must show an error, not a spinner forever
            log.exception("provider %s: the Spoki sign-in answer could not be handled", self.id)
            self._fail_answer("Portico could not handle Spoki's sign-in answer.")
        finally:
            self._echo_guard = ()

    def _on_answer(self, answer: RestAnswer) -> None:
        if answer.too_large:
            self._fail_answer("Spoki's sign-in answer was far too large to be a token.")
            return
        if answer.status is None:
            self._network_failure(answer)
            return
        status, body = answer.status, answer.body
        if 200 <= status < 300:
            self._on_token_answer(body)
        elif status in (401, 403):
            self._failures = 0
            self._fail_unauthorized(status, body)
        elif status == 400:
            self._failures = 0
            self._fail_bad_request(body)
        elif status == 429:
            self._rate_limited(retry_after_seconds(answer.header("retry-after")))
        elif status >= 500:
            self._retry_later(f"Spoki's server had a problem (HTTP {status}).")
        elif 300 <= status < 400:
            self.fail(ProviderError(
                f"Spoki's sign-in address answered with a redirect (HTTP {status}); Portico does not "
                "follow it, so that the keys are never sent anywhere else.",
                f"Check api_base in the config ({self.option('api_base')}): it must be Spoki's API "
                "address itself, e.g. https://app.spoki.it or https://api.spoki.com."))
        else:
            detail = self._safe(error_text(body, ("detail", "message", "error")))
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
        language = o["language"] if o["language"] != "window" else i18n.current()
        url = frame_url(o["app_base"], self._page, token, uid, language,
                        can_view_chat_list=o["can_view_chat_list"], can_reply_in_chat=o["can_reply_in_chat"],
                        can_send_paypal_in_chat=o["can_send_paypal_in_chat"])
        log.info("provider %s: signed in to Spoki; loading %s", self.id, self._page)
        self.load_frame(url)

    def _fail_answer(self, message: str) -> None:
        self.fail(ProviderError(message, "Press Retry. If this keeps happening, check that api_base "
                                         f"({self.option('api_base')}) is Spoki's API address."))

    def _fail_unauthorized(self, status: int, body: Any) -> None:
        detail = self._safe(error_text(body, ("detail", "message", "error")))
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

    def _network_failure(self, answer: RestAnswer) -> None:
        if answer.certificate is not None:
            self.fail(certificate_error(answer.certificate))
            return
        code = answer.error
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

