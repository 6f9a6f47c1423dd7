"""What Portico may tell Rocket.Chat's web client to do: the commands, each argument checked."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, Final

from desktop.contract import OutboundMessage
from desktop.providers.rest import RestAnswer, error_text
from desktop.providers.rocketchat.events import TOOLBAR_ID_RE
from desktop.providers.rocketchat.server import STATUSES, CommandError, check_path
from desktop.redact import register_secret
from desktop.secret import Secret

log = logging.getLogger("portico.providers.rocketchat")

_LABEL_RE: Final = re.compile(r"[^\x00-\x1f\x7f]{1,60}")
_SERVICE_RE: Final = re.compile(r"[A-Za-z0-9._\-]{1,100}")
#: What a login token or personal access token may look like.
TOKEN_RE: Final = re.compile(r"[\x21-\x7e]{6,4096}")


class RocketChatCommands:
    """The commands of :class:`~desktop.providers.rocketchat.provider.RocketChatProvider` (a
    mixin: they go out through the provider's bridge, to the server's exact origin). Each raises
    :class:`CommandError` with a reason for an argument it refuses, or on a release that ignores
    commands.

    In desktop mode the client hears no ``externalCommand``: ``go`` becomes the relay's own
    navigation (the way the client's router navigates), the ``{event: …}`` messages the client
    takes from any sender (``overrideUi``, ``try-iframe-login``) are posted to its window, and a
    status goes through the REST API; the rest raise :class:`CommandError`."""

    def _command(self, name: str, secret_keys: frozenset[str] = frozenset(), **params: Any) -> None:
        if self.top_level:
            if name != "go":
                raise CommandError(f"{name} needs the server's Iframe Integration (Enable Receive); in desktop "
                                   "mode Portico can open paths, set the status and hide actions")
            self.send(OutboundMessage(name=name, payload={"navigate": params["path"]}))
            return
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
        if not isinstance(value, str) or not TOKEN_RE.fullmatch(value):
            raise CommandError("the token is empty or has characters a token cannot have")
        register_secret(value)
        self._command("login-with-token", frozenset({"token"}), token=value)

    def logout(self) -> None:
        """Sign the web client out (the session token is dropped, so Reload signs in again)."""
        self._command("logout")
        if not self.uses_token:
            self._forget_token()

    def set_user_status(self, status: str, message: str = "") -> None:
        """``set-user-status`` (online, away, busy, offline). The iframe command has no message
        field; a ``message`` goes through ``POST /api/v1/users.setStatus`` with Portico's token."""
        if status not in STATUSES:
            raise CommandError(f"the status must be one of {', '.join(STATUSES)}")
        if message or self.top_level:
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
        self._post_event({"event": "try-iframe-login"})

    def _post_event(self, payload: dict[str, Any]) -> None:
        """An ``{event: …}`` message: to the frame, or in desktop mode to the client's own window."""
        name = str(payload["event"])
        self.send(OutboundMessage(name=name, payload={"post": payload} if self.top_level else payload))

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
            self._post_event({"event": "overrideUi", "hideActions": hidden})

    def activate_notification(self, action: Any) -> None:
        """A click on one of this provider's notifications opens its room (a notification the page
        raised itself runs its own click handler)."""
        if not isinstance(action, dict):
            super().activate_notification(action)  # type: ignore[misc]
        elif isinstance(action.get("path"), str):
            try:
                self.go(action["path"])
            except CommandError:
                log.info("provider %s: a notification's room path was refused", self.id)

    def menu_actions(self) -> list[tuple[str, Callable[[], None]]]:
        actions: list[tuple[str, Callable[[], None]]] = [("Home", lambda: self.go("/home"))]
        for status in STATUSES:
            actions.append((f"Status: {status}", lambda s=status: self.set_user_status(s)))
        return actions
