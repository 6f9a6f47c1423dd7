"""Signing Rocket.Chat's web client in, on every release: login-with-token and its repeats, the URL login, SSO."""

from __future__ import annotations

import logging
from typing import Any, Final

from PySide6.QtCore import Slot

from desktop.contract import ProviderError, ProviderEvent
from desktop.providers.rest import RestAnswer
from desktop.providers.rocketchat.events import (
    CustomOauthCallback,
    LoggedIn,
    NewMessage,
    NotificationEvent,
    RoomOpened,
    StatusChanged,
    SubscriptionUnreadChanged,
    UnreadChanged,
    UserStatusManuallySet,
)
from desktop.providers.rocketchat.server import HOST_ORIGIN, CommandError

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
#: Events only a signed-in client sends: any of them means the sign-in worked.
SIGNED_IN_EVENTS: Final = (LoggedIn, StatusChanged, UserStatusManuallySet, RoomOpened, NewMessage, NotificationEvent,
                           UnreadChanged, SubscriptionUnreadChanged)


class WebClientSignIn:
    """The part of :class:`~desktop.providers.rocketchat.provider.RocketChatProvider` that signs
    the current document's web client in (a mixin: it uses the provider's state and signals).

    Releases without a ``startup`` event (or whose version is unknown) get ``login-with-token``
    as soon as the frame has loaded, repeated after :data:`LOGIN_REPEAT_MS`; others when the
    client first talks. Any event in :data:`SIGNED_IN_EVENTS` is success. After
    ``web_login_timeout_ms`` without one, the URL login; then an error that says what was tried.
    ``sign_in = "oauth:<service>"`` asks for ``call-custom-oauth-login`` instead and follows the
    pop-up the client opens.
    """

    _web_user: bool
    _url_login: bool
    _token: Any
    _frame_events: int
    _login_posts: int
    _sso_started: bool
    _send_enabled: bool | None
    _portico_load: bool

    def _web_client_event(self: Any, event: ProviderEvent) -> None:
        """Sign-in bookkeeping for each accepted event of the current document."""
        self._frame_events += 1
        if self._frame_events == 1:
            self._override_ui()  # the client talks, so its listeners are there now
            if not self._web_user:
                self._post_login()
        if (self.sso_service and not self.top_level and not self._web_user
                and not isinstance(event, SIGNED_IN_EVENTS + (CustomOauthCallback,))):
            self._start_sso()
        if not self._web_user and isinstance(event, SIGNED_IN_EVENTS):
            self._web_signed_in()  # a client that is signed in (its Logged_In may have come first)

    def on_frame_loaded(self) -> None:
        super().on_frame_loaded()
        ours, self._portico_load = self._portico_load, False
        self._override_ui()
        if self.top_level:
            if not ours:
                # The client reloaded itself, or a discarded page came back: it signs in from
                # its own (in-memory) storage, or shows its login page if that session ended.
                self._frame_events = 0
                self._login_posts = 0
                self._web_user = False
                self._url_login = True
            elif self._token is not None:
                self._login_timer.start(self.web_login_timeout_ms)  # the URL login's answer
            return  # no command is heard: SSO and iframe auth are the page's own buttons
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
            self._sso_timer.start(self.sso_after_close_ms)

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
        if self.top_level:
            self._desktop_login_failed()
            return
        if not self._url_login and self._token is not None:
            why = (("the web client sent no event" if self._frame_events == 0 else "the web client")
                   + f" did not sign in with the token Portico posted to it {self._login_posts} time(s)"
                   + (" (personal access tokens may not open web sessions on this server)" if self.uses_token else ""))
            log.warning("provider %s: %s; trying the ?resumeToken= URL login", self.id, why)
            self.web_login_fallback.emit(why)
            self._load(url_login=True)
            return
        if self._frame_events == 0:
            if self.option("integration") == "auto":
                self.use_desktop_mode("the web client sent no event in its frame")
                return
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

    def _desktop_login_failed(self) -> None:
        if self._frame_events == 0:
            self.fail(ProviderError(
                f"The page at {self.server} sent none of the events Rocket.Chat's web client sends.",
                f"Check server in the config ({self.server}): it must be the Rocket.Chat workspace's own "
                "address. Then press Retry."))
            return
        self.fail(ProviderError(
            "Rocket.Chat accepted the " + ("personal access token" if self.uses_token else "sign-in")
            + " for its REST API, but its web client did not sign in with it (the ?resumeToken= URL login).",
            "Personal access tokens are meant for the REST API; sign in with username and password instead."
            if self.uses_token else "Press Retry; if it keeps failing, check the server's login settings."))

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
