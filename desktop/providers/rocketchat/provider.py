"""The Rocket.Chat provider: REST sign-in, the web client in a child frame, its commands and events."""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Callable
from typing import Any, ClassVar, Final

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QNetworkReply

from desktop.contract import UNREAD_DOT, Notification, ProviderError, ProviderEvent
from desktop.kinds import rocketchat_url
from desktop.providers.pinning import certificate_error
from desktop.providers.rest import RestAnswer, RestClient, error_text, rate_limit_reset_seconds
from desktop.providers.rocketchat.commands import TOKEN_RE, RocketChatCommands
from desktop.providers.rocketchat.events import (
    ID_RE,
    WINDOW_EVENTS,
    ActionLinkClicked,
    CustomOauthCallback,
    LoggedOut,
    LoginError,
    MentionLinkClicked,
    MessageLinkClicked,
    NewMessage,
    NotificationEvent,
    OnLogout,
    RoomOpened,
    ServerInfo,
    Startup,
    StatusChanged,
    SubscriptionUnreadChanged,
    ToolbarButtonClicked,
    UnreadChanged,
    UserStatusManuallySet,
    parse_event,
)
from desktop.providers.rocketchat.notify_once import NotifyOnce
from desktop.providers.rocketchat.server import (
    DESKTOP,
    FRAMING_HINT,
    HOST_ORIGIN,
    IFRAME,
    SETTINGS_PATH,
    Release,
    choose_integration,
    framing_refused,
    integration_problems,
    public_settings,
    release,
    room_path,
)
from desktop.providers.rocketchat.web_signin import (
    LOGIN_REPEAT_MS,
    SSO_AFTER_CLOSE_MS,
    WEB_LOGIN_TIMEOUT_MS,
    WebClientSignIn,
)
from desktop.providers.signin import GetSecret, SignInProvider, seconds_text
from desktop.redact import forget_secret, register_secret
from desktop.secret import Secret

log = logging.getLogger("portico.providers.rocketchat")

#: How long the logout at quit may take (the Shell stops waiting sooner).
LOGOUT_TIMEOUT_MS: Final = 3_000
#: The signal each event is also published on, and its argument: none (None), the event (""),
#: or one of its fields. Custom_Script_Logged_In is :attr:`~RocketChatProvider.logged_in`, which the
#: sign-in emits.
_SIGNALS: Final[dict[type[ProviderEvent], tuple[str, str | None]]] = {
    Startup: ("started", None), LoggedOut: ("logged_out", None), OnLogout: ("logging_out", "script"),
    StatusChanged: ("status_changed", "status"), UserStatusManuallySet: ("user_status_manually_set", ""),
    RoomOpened: ("room_opened", ""), NewMessage: ("new_message", ""),
    NotificationEvent: ("notification_received", ""), UnreadChanged: ("unread_count_changed", ""),
    SubscriptionUnreadChanged: ("subscription_unread_changed", ""), MentionLinkClicked: ("mention_link_clicked", ""),
    ActionLinkClicked: ("action_link_clicked", ""), MessageLinkClicked: ("message_link_clicked", ""),
    CustomOauthCallback: ("custom_oauth_callback", ""), ToolbarButtonClicked: ("toolbar_button_clicked", "id"),
    LoginError: ("login_error", "error"),
}


class RocketChatProvider(RocketChatCommands, WebClientSignIn, SignInProvider):
    """Rocket.Chat's web client in a child frame, signed in with a token from its REST API.

    Sign-in: ``username`` + keyring ``password`` → ``POST /api/v1/login`` (a ``totp`` code when
    the server asks for one); or ``user_id`` + keyring ``token`` (a personal access token) →
    ``GET /api/v1/me``. ``GET /api/info`` gives the server's version (:class:`Release`: what its
    client does differently), ``GET /api/v1/settings.public`` checks the Iframe Integration
    settings, and the frame loads ``<server>/channel/<channel>?layout=embedded``. Once it has
    loaded, and again on the client's first event, it gets ``login-with-token``, repeated a few
    bounded times while the client boots (releases without a ``startup`` event say nothing before
    a sign-in). ``Custom_Script_Logged_In``, or any event only a signed-in client sends, is
    success. Otherwise (and at once on releases that ignore commands) the frame loads with
    ``?resumeToken=&userId=``. The token lives in memory only (scrubbed from logs) and is reused by
    reloads while ``/me`` accepts it.

    Attributes:
        get_secret: ``(provider_id, field) -> Secret | None`` (the Shell's, or the keyring).
        is_app_active: ``() -> bool``; Portico's window has focus.
        retry_delays: automatic retry delays (seconds) after network failures and 5xx answers.
        web_login_timeout_ms: how long the web client may take to report a sign-in.
        login_repeat_ms: the pauses before each repeated ``login-with-token``.
        sso_after_close_ms: how long the client may take to report an SSO sign-in after its
            pop-up closed.
        server_release: the :class:`Release` of the server (its version from ``/api/info``).

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
        toolbar_button_clicked(str): the id of a button added with :meth:`set_toolbar_button`.
        login_error(str): iframe auth did not sign the client in (``login-error``, after
            :meth:`try_iframe_login`); the client shows its own login page.
        web_login_fallback(str): the client ignored ``login-with-token``; the URL login is tried (why).
        retry_scheduled(float): an automatic retry runs after this many seconds (SignInProvider).
    """

    kind: ClassVar[str] = "rocketchat"
    window_events: ClassVar[tuple[str, ...]] = WINDOW_EVENTS

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
    toolbar_button_clicked = Signal(str)
    login_error = Signal(str)
    web_login_fallback = Signal(str)

    def __init__(self, config: Any, parent: QObject | None = None, *, get_secret: GetSecret | None = None,
                 is_app_active: Callable[[], bool] | None = None) -> None:
        super().__init__(config, parent, get_secret=get_secret, is_app_active=is_app_active)
        self.web_login_timeout_ms = WEB_LOGIN_TIMEOUT_MS
        self.login_repeat_ms = LOGIN_REPEAT_MS
        self.sso_after_close_ms = SSO_AFTER_CLOSE_MS
        self.server_release = Release()
        self._client = RestClient(self, pins=lambda: self.trusted_certificates)
        self._login_timer = QTimer(self, singleShot=True)
        self._login_timer.timeout.connect(self._on_web_login_timeout)
        self._repeat_timer = QTimer(self, singleShot=True)
        self._repeat_timer.timeout.connect(self._post_login)
        self._login_posts = 0                  # login-with-token posts to the current document
        self._sso_started = False              # call-custom-oauth-login sent to the current document
        self._sso_timer = QTimer(self, singleShot=True)
        self._sso_timer.timeout.connect(self._on_sso_timer)
        self._send_enabled: bool | None = None  # what settings.public said of Enable Send
        self._token: Secret | None = None      # the session's auth token (or the PAT)
        self._user_id = ""
        self._totp_asked = False               # the server asked for a code: read `totp` next time
        self._frame_events = 0                 # events from the current document
        self._url_login = False                # the current load carries ?resumeToken=
        self._web_user = False                 # the client said Custom_Script_Logged_In
        self._subs: dict[str, tuple[int, bool]] = {}  # rid -> (unread, alert)
        self._count = 0
        self.notify_once = NotifyOnce(self.id, self)
        #: How the client is hosted (server.IFRAME or DESKTOP) and why; decided at each start.
        self.integration = IFRAME
        self.integration_reason = ""
        self._portico_load = False             # the next document is one Portico asked for (_load)
        self.x_frame_options = ""              # the last one the server sent (framing diagnosis)

    # --- configuration ------------------------------------------------------------------

    @property
    def requests_made(self) -> int:
        """REST requests sent (tests, diagnostics)."""
        return self._client.requests_made

    @property
    def server(self) -> str:
        return str(self.option("server"))

    @property
    def sso_service(self) -> str:
        """The OAuth service of ``sign_in = "oauth:<service>"`` ("" otherwise)."""
        mode = str(self.option("sign_in"))
        return mode.removeprefix("oauth:") if mode.startswith("oauth:") else ""

    @property
    def signs_in_itself(self) -> bool:
        """``sign_in = "iframe"``: the server's iframe auth signs the client in (Portico holds no
        credential; :meth:`try_iframe_login` asks the client to try again)."""
        return self.option("sign_in") == "iframe"

    @property
    def uses_token(self) -> bool:
        """Signed in with ``user_id`` + a personal access token (else ``username`` + password)."""
        return bool(self.option("user_id")) and not self.option("username")

    @property
    def about(self) -> str:
        parts = [self.server_release.describe()] if self.server_release.known else []
        if self.integration_reason:
            parts.append(f"{self.integration} mode: {self.integration_reason}")
        return " · ".join(parts)

    @property
    def top_level(self) -> bool:
        """Desktop mode: the client is the page's own document (no host page, no framing)."""
        return self.integration == DESKTOP

    @property
    def client_url(self) -> str:
        """What the page loads: the embedded layout in a frame, the whole client on its own."""
        return rocketchat_url(self.config.options, embedded=not self.top_level)

    @property
    def signed_in(self) -> bool:
        """The web client reported a signed-in user for the current document."""
        return self._web_user

    # --- sign-in: REST ------------------------------------------------------------------

    def end_session(self) -> QNetworkReply | None:
        """``POST /api/v1/logout``: the server deletes the login token this run's password sign-in
        made (the web client holds the same one), so it is worthless to anyone who copied it from
        memory or the wire. Not for a personal access token: it sits in the same list of the
        user's tokens, and logout would delete the user's credential."""
        if self.uses_token or self._token is None:
            return None
        self._client.abort()
        reply = self._client.send_detached("POST", self.server + "/api/v1/logout", headers=self._auth_headers(),
                                           timeout_ms=LOGOUT_TIMEOUT_MS)
        log.info("provider %s: signing out of Rocket.Chat (the session's token is revoked)", self.id)
        return reply


    def start(self) -> None:
        self._login_timer.stop()
        super().start()

    def prepare(self) -> None:
        self._abort()
        if self.sso_service or self.signs_in_itself:
            self._after_auth(None)  # nothing to sign in to over REST: the web client does it
            return
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
        found = self.stored_secrets((field,), f"the Rocket.Chat {field}")
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

    def _auth_headers(self) -> dict[bytes, bytes]:
        if self._token is None:
            return {}
        return {b"X-User-Id": self._user_id.encode("utf-8"), b"X-Auth-Token": self._token.reveal().encode("utf-8")}

    def _rest(self, method: str, path: str, body: Any, then: Callable[[RestAnswer], None], auth: bool = False,
              sign_in: bool = True) -> None:
        """One REST call; ``then`` gets the answer. Sign-in calls share the failure handling (retry,
        429 wait, error panel); others (``sign_in=False``) only log."""
        self._client.send(method, self.server + path, lambda answer: self._on_answer(answer, then, sign_in), body,
                          self._auth_headers() if auth else None)

    def _abort(self) -> None:
        self._client.abort()

    def _on_answer(self, answer: RestAnswer, then: Callable[[RestAnswer], None], sign_in: bool) -> None:
        if "x-frame-options" in answer.headers or answer.status is not None:
            self.x_frame_options = answer.header("x-frame-options")
        try:
            if not (sign_in and self._common_failure(answer)):
                then(answer)
        except Exception:  # noqa: BLE001 - a bug here must show an error, not a spinner forever
            log.exception("provider %s: a Rocket.Chat answer could not be handled", self.id)
            self.fail(ProviderError("Portico could not handle Rocket.Chat's answer.", "Press Retry."))
        finally:
            self._echo_guard = ()

    def _common_failure(self, answer: RestAnswer) -> bool:
        """Network failures, 429, 5xx, redirects: handled alike for every request."""
        if answer.certificate is not None:
            self.fail(certificate_error(answer.certificate))
            return True
        if answer.status is None:
            code = answer.error
            what = ("did not answer in time" if code == QNetworkReply.NetworkError.OperationCanceledError
                    else f"could not be reached ({code.name})")
            self._retry_later(f"The Rocket.Chat server {self.server} {what}.")
            return True
        if answer.status == 429:
            wait = rate_limit_reset_seconds(answer.header("x-ratelimit-reset"))
            delay = max(wait if wait is not None else 60.0, 1.0)
            self.fail(ProviderError(
                "Rocket.Chat is limiting how often Portico may call it (HTTP 429)"
                + (f": {self._safe(error_text(answer.body))}" if error_text(answer.body) else "."),
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

    def _on_login(self, answer: RestAnswer) -> None:
        body = answer.body if isinstance(answer.body, dict) else {}
        if answer.status == 200:
            data = body.get("data") if isinstance(body.get("data"), dict) else {}
            token, uid = data.get("authToken"), data.get("userId")
            if not (isinstance(token, str) and TOKEN_RE.fullmatch(token) and isinstance(uid, str)
                    and ID_RE.fullmatch(uid)):
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

    def _fail_status(self, what: str, answer: RestAnswer) -> None:
        detail = self._safe(error_text(answer.body))
        self.fail(ProviderError(f"Rocket.Chat refused the {what} (HTTP {answer.status})"
                                + (f": {detail}" if detail else "."),
                                f"Check server in the config ({self.server}), then press Retry."))

    def _on_me(self, answer: RestAnswer) -> None:
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

    def _after_auth(self, answer: RestAnswer | None) -> None:
        if framing_refused(self.x_frame_options) and self.option("integration") == IFRAME:
            self.fail(self._framing_error())
            return
        self._rest("GET", "/api/info", None, self._on_info, sign_in=False)

    def _on_info(self, answer: RestAnswer) -> None:
        body = answer.body if isinstance(answer.body, dict) else {}
        self.server_release = release(body.get("version") if answer.status == 200 else None)
        log.info("provider %s: %s", self.id, self.server_release.describe())
        self._fetch_settings(self._on_settings)

    def _publish_server_info(self) -> None:
        # Published like the frame's events (plugins, the event log), though Portico made it.
        self.event_received.emit(ServerInfo(version=self.server_release.version,
                                            commands=self.server_release.commands,
                                            startup_event=self.server_release.startup_event,
                                            mode=self.integration, mode_reason=self.integration_reason))

    def _fetch_settings(self, then: Callable[[RestAnswer], None], sign_in: bool = True) -> None:
        self._rest("GET", SETTINGS_PATH, None, then, sign_in=sign_in)

    def _read_settings(self, answer: RestAnswer) -> dict[str, Any]:
        settings = public_settings(answer.body) if answer.status == 200 else None
        if settings is None:
            settings = {}
            log.info("provider %s: settings.public answered HTTP %s; the integration settings are not checked",
                     self.id, answer.status)
        send = settings.get("Iframe_Integration_send_enable")
        self._send_enabled = send if isinstance(send, bool) else None
        return settings

    def _on_settings(self, answer: RestAnswer) -> None:
        settings = self._read_settings(answer)
        self.integration, self.integration_reason = choose_integration(
            self.option("integration"), settings, self.x_frame_options)
        log.info("provider %s: %s mode (%s)", self.id, self.integration, self.integration_reason)
        self._publish_server_info()
        if self.top_level:
            # The client hears no command here: the URL login signs it in (no token: SSO, iframe
            # auth and the page's own login form).
            self._load(url_login=True)
            return
        problems = integration_problems(settings)
        if problems:
            self.fail(ProviderError(
                "Rocket.Chat's Iframe Integration is not set up for Portico: " + "; ".join(problems) + ".",
                "In Rocket.Chat, Administration ▸ Workspace ▸ Settings ▸ General ▸ Iframe Integration: turn on "
                f"Enable Send and Enable Receive, set Receive Origins to {HOST_ORIGIN} (or add it, without "
                "spaces) and leave Send Target Origin at *. Then press Retry."))
            return
        # WORKAROUND (Rocket.Chat 7.10-7.12, until PR #37829): the client handles no command, so
        # login-with-token would only cost the login timeout; the URL login is what works there.
        self._load(url_login=not self.server_release.commands)

    def _load(self, url_login: bool) -> None:
        self._frame_events = 0
        self._login_posts = 0
        self._repeat_timer.stop()
        self._sso_timer.stop()
        self._sso_started = False
        self._web_user = False
        self._url_login = url_login
        self._portico_load = True
        url = self.client_url
        if url_login and self._token is not None:
            sep = "&" if "?" in url else "?"
            url += sep + urllib.parse.urlencode({"resumeToken": self._token.reveal(), "userId": self._user_id})
        self.load_frame(url)

    def _framing_error(self) -> ProviderError:
        return ProviderError(
            f"Rocket.Chat refuses to be shown inside another app (X-Frame-Options: {self.x_frame_options}).",
            FRAMING_HINT)

    def diagnose_frame_failure(self) -> ProviderError | None:
        """Called by the view when the frame shows Chromium's error page."""
        if framing_refused(self.x_frame_options):
            return self._framing_error()
        return None

    # --- events -------------------------------------------------------------------------

    def parse(self, message: Any) -> ProviderEvent:
        return parse_event(message)

    def handle(self, event: ProviderEvent) -> None:
        super().handle(event)
        self._web_client_event(event)
        if isinstance(event, LoggedOut) and self._web_user:
            self._web_user = False
            self._subs.clear()
            self._count = 0
            self.set_unread(0)
        elif isinstance(event, UnreadChanged):
            self._count = event.count
            self._update_badge()
        elif isinstance(event, SubscriptionUnreadChanged):
            self._subs[event.rid] = (event.unread, event.alert and event.unread_alert != "nothing")
            self._update_badge()
        elif isinstance(event, CustomOauthCallback):
            self._on_oauth_callback(event)
        elif isinstance(event, LoginError):
            log.info("provider %s: the server's iframe sign-in did not sign in: %s", self.id, self._safe(event.error))
        signal, field = _SIGNALS.get(type(event), ("", None))
        if signal:
            emit = getattr(self, signal).emit
            if field is None:
                emit()
            else:
                emit(event if field == "" else getattr(event, field))
        if isinstance(event, NotificationEvent):
            self._notify(event)  # after notification_received: plugins hear it first

    def _update_badge(self) -> None:
        """Rocket.Chat's own badge rule: a count wins, else a dot when some room has an alert."""
        if self._count > 0 or self._count == UNREAD_DOT:
            self.set_unread(self._count)
        else:
            self.set_unread(UNREAD_DOT if any(alert for _, alert in self._subs.values()) else 0)

    def _notify(self, event: NotificationEvent) -> None:
        # A reconnecting client (a reload, a renderer crash) fires recent notifications again.
        if not self.notify_once.first(event.message_id):
            return
        if self.is_app_active() and event.has_focus and event.from_opened_room:
            return  # the user is looking at that room
        action = {"path": room_path(event.room_type, event.rid, event.room_name), "rid": event.rid} if event.rid else None
        self.notification_requested.emit(Notification(
            title=event.title or self.title, body=event.text, tag=f"rocketchat:{self.id}:{event.rid}", action=action))

    def present_web_notification(self, notification: Notification, present: Callable[[Notification], None]) -> None:
        self.notify_once.web(notification, present)

    def use_desktop_mode(self, why: str) -> None:
        """``integration = "auto"`` found the iframe way not working after all: load the client
        on its own instead."""
        log.warning("provider %s: %s; switching to desktop mode", self.id, why)
        self.integration, self.integration_reason = DESKTOP, why
        self._publish_server_info()
        self._load(url_login=True)

    # --- retries and teardown -----------------------------------------------------------

    def fail(self, error: ProviderError) -> None:
        self._abort()
        self._login_timer.stop()
        self._repeat_timer.stop()
        self._sso_timer.stop()
        super().fail(error)

    def shutdown(self) -> None:
        super().shutdown()
        self._login_timer.stop()
        self._repeat_timer.stop()
        self._sso_timer.stop()
        self.notify_once.clear()
        self._abort()
        self._forget_token()
