"""The Rocket.Chat provider: REST sign-in, the web client in a child frame, its commands and events."""

from __future__ import annotations

import collections
import logging
import re
import urllib.parse
from collections.abc import Callable
from typing import Any, ClassVar, Final

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QNetworkReply

from desktop.contract import UNREAD_DOT, Notification, OutboundMessage, ProviderError, ProviderEvent
from desktop.providers.rest import RestAnswer, RestClient, error_text, rate_limit_reset_seconds
from desktop.providers.rocketchat.events import (
    ID_RE,
    TOOLBAR_ID_RE,
    ActionLinkClicked,
    CustomOauthCallback,
    LoggedIn,
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
from desktop.providers.rocketchat.server import (
    FRAMING_HINT,
    HOST_ORIGIN,
    INTEGRATION_SETTINGS,
    STATUSES,
    CommandError,
    Release,
    check_path,
    framing_refused,
    integration_problems,
    release,
    room_path,
)
from desktop.providers.signin import GetSecret, SignInProvider, seconds_text
from desktop.redact import forget_secret, register_secret
from desktop.secret import Secret

log = logging.getLogger("portico.providers.rocketchat")

#: Milliseconds the web client gets to report a sign-in after the frame loaded.
WEB_LOGIN_TIMEOUT_MS: Final = 10_000
#: Pauses (ms) before each repeated login-with-token while the client boots: its command
#: listener comes only after its settings loaded, so a post at load time may be lost.
LOGIN_REPEAT_MS: Final = (1_500, 2_500, 3_500)
#: SSO: how long after the frame loaded a client that said nothing is asked to sign in, how long
#: a sign-in pop-up may take to open without a click, and how long after it closed the client has
#: to report the sign-in.
SSO_START_MS: Final = 2_500
SSO_POPUP_EXPECTED_S: Final = 30.0
SSO_AFTER_CLOSE_MS: Final = 8_000
#: How many notified message ids are remembered (a replay is of the last minutes, not hours).
NOTIFIED_KEPT: Final = 500
#: How long the logout at quit may take (the Shell stops waiting sooner).
LOGOUT_TIMEOUT_MS: Final = 3_000
#: Events only a signed-in client sends: any of them means the sign-in worked.
_SIGNED_IN_EVENTS: Final = (LoggedIn, StatusChanged, UserStatusManuallySet, RoomOpened, NewMessage, NotificationEvent,
                            UnreadChanged, SubscriptionUnreadChanged)
_LABEL_RE: Final = re.compile(r"[^\x00-\x1f\x7f]{1,60}")
_SERVICE_RE: Final = re.compile(r"[A-Za-z0-9._\-]{1,100}")
_TOKEN_RE: Final = re.compile(r"[\x21-\x7e]{6,4096}")


class RocketChatProvider(SignInProvider):
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
        self.server_release = Release()
        self._client = RestClient(self)
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
        self._notified: collections.OrderedDict[str, None] = collections.OrderedDict()  # message ids
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
        return self.server_release.describe() if self.server_release.known else ""

    @property
    def signed_in(self) -> bool:
        """The web client reported a signed-in user for the current document."""
        return self._web_user

    # --- commands -----------------------------------------------------------------------

    def _command(self, name: str, secret_keys: frozenset[str] = frozenset(), **params: Any) -> None:
        if self.server_release.known and not self.server_release.commands:
            raise CommandError(f"Rocket.Chat {self.server_release.version} ignores commands from Portico "
                               "(its web client handles none until Rocket.Chat PR #37829)")
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
        self._client.abort()
        reply = self._client.send_detached("POST", self.server + "/api/v1/logout", headers=self._auth_headers(),
                                           timeout_ms=LOGOUT_TIMEOUT_MS)
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
            if self._token is None or self._client.busy:
                raise CommandError("Portico is not signed in to Rocket.Chat yet")
            self._rest("POST", "/api/v1/users.setStatus", {"status": status, "message": message},
                       self._on_status_answer, auth=True, sign_in=False)
            return
        self._command("set-user-status", status=status)

    def _on_status_answer(self, answer: RestAnswer) -> None:
        if answer.status != 200:
            log.warning("provider %s: users.setStatus answered HTTP %s: %s", self.id, answer.status,
                        self._safe(error_text(answer.body)))

    def try_iframe_login(self) -> None:
        """``{event: 'try-iframe-login'}``: on a server whose sign-in is its own iframe-auth page
        (Accounts_iframe_enabled), ask the client to probe that sign-in again (after the user
        signed in there, say). A failure comes back as :attr:`login_error`."""
        self.send(OutboundMessage(name="try-iframe-login", payload={"event": "try-iframe-login"}))

    def call_custom_oauth_login(self, service: str) -> None:
        """``call-custom-oauth-login``; the answer arrives as :class:`CustomOauthCallback`."""
        if not isinstance(service, str) or not _SERVICE_RE.fullmatch(service):
            raise CommandError("the service must be an OAuth service name (letters, digits, . _ -)")
        self._command("call-custom-oauth-login", service=service)

    def set_toolbar_button(self, id: str, label: str, icon: str = "") -> None:  # noqa: A002 - the protocol's name
        """``set-toolbar-button`` (Rocket.Chat before 6.4): a room-toolbar button whose clicks come back as
        :attr:`toolbar_button_clicked`."""
        self._check_toolbar(id)
        if not isinstance(label, str) or not _LABEL_RE.fullmatch(label):
            raise CommandError("the label must be 1-60 characters, no control characters")
        if not isinstance(icon, str) or len(icon) > 60:
            raise CommandError("the icon must be an icon name of at most 60 characters")
        self._command("set-toolbar-button", id=id, label=label, icon=icon or "")

    def remove_toolbar_button(self, id: str) -> None:  # noqa: A002 - the protocol's name
        """``remove-toolbar-button`` (Rocket.Chat before 6.4)."""
        self._check_toolbar(id)
        self._command("remove-toolbar-button", id=id)

    def _check_toolbar(self, button_id: str) -> None:
        if not isinstance(button_id, str) or not TOOLBAR_ID_RE.fullmatch(button_id):
            raise CommandError("the button id must be 1-64 letters, digits, '.', '_' or '-'")
        if self.server_release.known and not self.server_release.toolbar:
            raise CommandError(f"Rocket.Chat {self.server_release.version} has no toolbar commands "
                               "(the web client dropped them in 6.4)")

    def _override_ui(self) -> None:
        """Send the config's ``hide_actions`` as ``{event: 'overrideUi'}`` (it replaces the last set)."""
        hidden = {f"{group}Toolbox": list(actions) for group, actions in self.option("hide_actions").items() if actions}
        if hidden and self.server_release.override_ui:
            self.send(OutboundMessage(name="overrideUi", payload={"event": "overrideUi", "hideActions": hidden}))

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
            if not (isinstance(token, str) and _TOKEN_RE.fullmatch(token) and isinstance(uid, str)
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
        if framing_refused(self.x_frame_options):
            self.fail(self._framing_error())
            return
        self._rest("GET", "/api/info", None, self._on_info, sign_in=False)

    def _on_info(self, answer: RestAnswer) -> None:
        body = answer.body if isinstance(answer.body, dict) else {}
        self.server_release = release(body.get("version") if answer.status == 200 else None)
        log.info("provider %s: %s", self.id, self.server_release.describe())
        # Published like the frame's events (plugins, the event log), though Portico made it.
        self.event_received.emit(ServerInfo(version=self.server_release.version,
                                            commands=self.server_release.commands,
                                            startup_event=self.server_release.startup_event))
        self._fetch_settings(self._on_settings)

    def _fetch_settings(self, then: Callable[[RestAnswer], None], sign_in: bool = True) -> None:
        ids = ",".join(INTEGRATION_SETTINGS)
        self._rest("GET", f"/api/v1/settings.public?_id={ids}", None, then, sign_in=sign_in)

    def _read_settings(self, answer: RestAnswer) -> dict[str, Any]:
        settings: dict[str, Any] = {}
        body = answer.body if isinstance(answer.body, dict) else {}
        if answer.status == 200 and isinstance(body.get("settings"), list):
            settings = {s["_id"]: s.get("value") for s in body["settings"]
                        if isinstance(s, dict) and isinstance(s.get("_id"), str)}
        else:
            log.info("provider %s: settings.public answered HTTP %s; the integration settings are not checked",
                     self.id, answer.status)
        send = settings.get("Iframe_Integration_send_enable")
        self._send_enabled = send if isinstance(send, bool) else None
        return settings

    def _on_settings(self, answer: RestAnswer) -> None:
        problems = integration_problems(self._read_settings(answer))
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
        url = self.config.url
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

    # --- sign-in: the web client --------------------------------------------------------

    def on_frame_loaded(self) -> None:
        super().on_frame_loaded()
        self._override_ui()
        if self.sso_service:
            if not (self.server_release.known and self.server_release.startup_event):
                self._sso_timer.start(SSO_START_MS)  # a client that may say nothing before a sign-in
            return
        if self.signs_in_itself:
            return  # the client probes its iframe sign-in on mount, or shows the company's page
        self._login_timer.start(self.web_login_timeout_ms)
        if not (self.server_release.known and self.server_release.startup_event):
            # A client that may say nothing before a sign-in (7.9-7.12, or a version not
            # reported) gets the token now, and again while it boots; one that sends startup
            # gets it when it first talks, when its command listener is sure to be there.
            self._post_login()
        elif not self._repeat_timer.isActive() and self._login_posts == 0:
            self._repeat_timer.start(self.login_repeat_ms[0])  # in case its startup was lost

    @Slot()
    def _post_login(self) -> None:
        """Post ``login-with-token`` to the current document, then schedule the next repeat."""
        if self._web_user or self._url_login or self._token is None:
            return
        self.login_with_token(self._token)
        self._login_posts += 1
        if self._login_posts <= len(self.login_repeat_ms):
            self._repeat_timer.start(self.login_repeat_ms[self._login_posts - 1])

    # --- sign-in: SSO --------------------------------------------------------------------

    def _start_sso(self) -> None:
        """Ask the client for its OAuth sign-in: it opens a pop-up of the server's origin, which
        Portico shows in a window of this provider's profile (``window.opener`` intact)."""
        if self._sso_started or self._web_user:
            return
        self._sso_started = True
        log.info("provider %s: signing in through the server's OAuth service %s", self.id, self.sso_service)
        self.sign_in_popup_expected.emit(SSO_POPUP_EXPECTED_S)
        try:
            self.call_custom_oauth_login(self.sso_service)
        except CommandError as exc:
            # A release that ignores commands: the page's own SSO button (a click) still works.
            log.info("provider %s: cannot start the SSO sign-in (%s); the page's own button can", self.id, exc)

    @Slot()
    def _on_sso_timer(self) -> None:
        if self._web_user:
            return
        if not self._sso_started:
            self._start_sso()
            return
        self.sign_in_popup_done.emit()
        self.fail(ProviderError(f"The sign-in with {self.sso_service} was not finished.",
                                "Press Retry to open its window again."))

    def sign_in_popup_closed(self) -> None:
        if self.sso_service and not self._web_user:
            # The pop-up's own window.close() comes before the client has used the token it got:
            # give the client a moment before calling the sign-in unfinished.
            self._sso_timer.start(SSO_AFTER_CLOSE_MS)

    def _on_oauth_callback(self, event: CustomOauthCallback) -> None:
        if not self.sso_service or event.ok or self._web_user:
            return
        self.sign_in_popup_done.emit()
        error = self._safe(event.error) or "Rocket.Chat gave no reason"
        hint = ("Check sign_in in the config: the server has no OAuth service of that name."
                if "not found" in error else "Press Retry to try again.")
        self.fail(ProviderError(f"Signing in with {self.sso_service} failed: {error}.", hint))

    def _web_signed_in(self) -> None:
        self._web_user = True
        self._login_timer.stop()
        self._repeat_timer.stop()
        self._sso_timer.stop()
        if self.sso_service:
            self.sign_in_popup_done.emit()
        self._override_ui()  # the signed-in layout mounts afresh
        self.logged_in.emit()

    @Slot()
    def _on_web_login_timeout(self) -> None:
        if self._web_user:
            return
        self._repeat_timer.stop()
        if not self._url_login and self._token is not None:
            why = (("the web client sent no event" if self._frame_events == 0 else "the web client")
                   + f" did not sign in with the token Portico posted to it {self._login_posts} time(s)"
                   + (" (personal access tokens may not open web sessions on this server)" if self.uses_token else ""))
            log.warning("provider %s: %s; trying the ?resumeToken= URL login", self.id, why)
            self.web_login_fallback.emit(why)
            self._load(url_login=True)
            return
        if self._frame_events == 0:
            # Nothing came at all: ask the settings again, so that the message names the cause
            # only when the server says it.
            self._fetch_settings(self._on_silent_client, sign_in=False)
            return
        self.fail(ProviderError(
            "Rocket.Chat accepted the " + ("personal access token" if self.uses_token else "sign-in")
            + " for its REST API but not for the web session ("
            + (f"login-with-token, posted {self._login_posts} time(s), and " if self._login_posts else "")
            + "the URL login failed).",
            "Personal access tokens are meant for the REST API; sign in with username and password instead "
            "(set username in the config), or check the server's login-token limits." if self.uses_token
            else "Press Retry; if it keeps failing, check the server's login settings."))

    def _on_silent_client(self, answer: RestAnswer) -> None:
        self._read_settings(answer)
        tried = ((f"login-with-token {self._login_posts} time(s) and " if self._login_posts else "")
                 + "the ?resumeToken= URL login")
        if self._send_enabled is False:
            self.fail(ProviderError(
                "Rocket.Chat's page loaded but sent Portico no event: the server's “Enable Send” is off.",
                "In Rocket.Chat, Administration ▸ Workspace ▸ Settings ▸ General ▸ Iframe Integration: turn on "
                f"Enable Send and set Send Target Origin to * (or {HOST_ORIGIN}). Then press Retry."))
            return
        known = "the server's settings say Enable Send is on" if self._send_enabled else \
            "Portico could not read the server's Iframe Integration settings"
        self.fail(ProviderError(
            f"Rocket.Chat's page loaded but sent Portico no event, so it cannot tell whether it signed in "
            f"(Portico tried {tried}; {known}).",
            "Check Administration ▸ Workspace ▸ Settings ▸ General ▸ Iframe Integration: Enable Send on, Send "
            f"Target Origin * or {HOST_ORIGIN}. Something between Portico and the server may also strip the "
            "page's messages. Then press Retry."))

    # --- events -------------------------------------------------------------------------

    def parse(self, message: Any) -> ProviderEvent:
        return parse_event(message)

    def handle(self, event: ProviderEvent) -> None:
        super().handle(event)
        self._frame_events += 1
        if self._frame_events == 1:
            self._override_ui()  # the client talks, so its listeners are there now
            if not self._web_user:
                self._post_login()
        if self.sso_service and not self._web_user and not isinstance(event, _SIGNED_IN_EVENTS + (CustomOauthCallback,)):
            self._start_sso()
        if not self._web_user and isinstance(event, _SIGNED_IN_EVENTS):
            self._web_signed_in()  # a client that is signed in (its Logged_In may have come first)
        if isinstance(event, Startup):
            self.started.emit()
        elif isinstance(event, LoggedIn):
            pass  # handled above
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
            self._on_oauth_callback(event)
            self.custom_oauth_callback.emit(event)
        elif isinstance(event, ToolbarButtonClicked):
            self.toolbar_button_clicked.emit(event.id)
        elif isinstance(event, LoginError):
            log.info("provider %s: the server's iframe sign-in did not sign in: %s", self.id, self._safe(event.error))
            self.login_error.emit(event.error)

    def _update_badge(self) -> None:
        """Rocket.Chat's own badge rule: a count wins, else a dot when some room has an alert."""
        if self._count > 0 or self._count == UNREAD_DOT:
            self.set_unread(self._count)
        else:
            self.set_unread(UNREAD_DOT if any(alert for _, alert in self._subs.values()) else 0)

    def _notify(self, event: NotificationEvent) -> None:
        if event.message_id:
            # A reconnecting client (a reload, a renderer crash) fires recent notifications again.
            if event.message_id in self._notified:
                log.debug("provider %s: notification for message %s shown already", self.id, event.message_id)
                return
            self._notified[event.message_id] = None
            while len(self._notified) > NOTIFIED_KEPT:
                self._notified.popitem(last=False)
        if self.is_app_active() and event.has_focus and event.from_opened_room:
            return  # the user is looking at that room
        action = {"path": room_path(event.room_type, event.rid, event.room_name), "rid": event.rid} if event.rid else None
        self.notification_requested.emit(Notification(
            title=event.title or self.title, body=event.text, tag=f"rocketchat:{self.id}:{event.rid}", action=action))

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
        self._abort()
        self._forget_token()
