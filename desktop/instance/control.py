"""What another process may ask the running Portico to do: an allowlist of typed provider commands."""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from desktop.kinds import command_usage

if TYPE_CHECKING:  # the CLI imports this table; it must not pull in Qt
    from desktop.instance.single_instance import Request
    from desktop.providers.base import Provider

log = logging.getLogger("portico.control")


@dataclasses.dataclass(frozen=True)
class RemoteCommand:
    """One command ``portico send ID COMMAND [ARGS...]`` may run.

    Attributes:
        name: what the user types.
        method: the method called with the string arguments; looked up only from this table,
            on the provider (or its view, for ``on_view``), and only if that class defines it.
        arguments: the names of the arguments (for help and for the count check).
        optional: how many of the last arguments may be left out.
        on_view: the method belongs to the provider's view (e.g. reload), not to the provider.
        summary: one line of help.
    """

    name: str
    method: str
    arguments: tuple[str, ...] = ()
    optional: int = 0
    on_view: bool = False
    summary: str = ""

    def usage(self) -> str:
        return command_usage(self.name, self.arguments, self.optional)


#: The only commands a remote request can run. Nothing else is ever looked up by name.
COMMANDS: Final[Mapping[str, RemoteCommand]] = {c.name: c for c in (
    RemoteCommand("reload", "reload", on_view=True, summary="load the provider again (signing in again)"),
    RemoteCommand("go", "go", ("path",), summary="open a path inside the provider, e.g. /channel/general"),
    RemoteCommand("logout", "logout", summary="sign out of the provider's site"),
    RemoteCommand("set_user_status", "set_user_status", ("status", "message"), optional=1,
                  summary="set your status (online, away, busy, offline) and an optional message"),
    RemoteCommand("set_toolbar_button", "set_toolbar_button", ("id", "label"),
                  summary="Rocket.Chat before 6.4: add a room-toolbar button (its clicks reach plugins)"),
    RemoteCommand("remove_toolbar_button", "remove_toolbar_button", ("id",),
                  summary="Rocket.Chat before 6.4: remove a button added with set_toolbar_button"),
    RemoteCommand("try_iframe_login", "try_iframe_login",
                  summary="Rocket.Chat with iframe auth: try the server's own sign-in page again"),
    RemoteCommand("set_page", "set_page", ("page",), summary="Spoki: open chats, templates or chats/<uuid>"),
    RemoteCommand("open_chat_link", "open_chat_link", ("link",), summary="Spoki: open a chat link"),
)}


def available(provider: Provider, view: Any) -> list[Any]:
    """The commands this provider (and its view) implements: Portico's own, then its kind's."""
    own = [c for c in COMMANDS.values() if _bound(c, provider, view) is not None]
    return own + [c for c in provider.kind_commands() if c.name not in COMMANDS]


def _bound(command: RemoteCommand, provider: Provider, view: Any) -> Callable[..., Any] | None:
    target: Any = view if command.on_view else provider
    if target is None or not callable(getattr(type(target), command.method, None)):
        return None
    method: Callable[..., Any] = getattr(target, command.method)
    return method


def _run_kind_command(provider: Provider, name: str, *args: str) -> None:
    provider.run_command(name, tuple(args))


class RemoteControl:
    """Answers :class:`~desktop.instance.single_instance.Request` objects against a running Shell.

    ``activate()`` raises the window; ``select(id)`` shows a provider (waking it if hibernated).
    """

    def __init__(self, providers: Mapping[str, Provider], views: Mapping[str, Any],
                 activate: Callable[[], None], select: Callable[[str], None]) -> None:
        self._providers = providers
        self._views = views
        self._activate = activate
        self._select = select

    def handle(self, request: Request) -> tuple[bool, str, Any]:
        """Run one request; ``(ok, message for the user, result)``."""
        if request.op == "activate":
            self._activate()
            return True, "", None
        provider = self._providers.get(request.provider)
        if provider is None:
            known = ", ".join(sorted(self._providers)) or "none"
            return False, f"no provider {request.provider!r} (configured: {known})", None
        view = self._views.get(request.provider)
        if request.op == "open":
            self._select(provider.id)
            self._activate()
            return True, "", None
        if request.op == "commands":
            return True, "", [{"name": c.name, "usage": c.usage(), "summary": c.summary}
                              for c in available(provider, view)]
        command: Any = COMMANDS.get(request.command)
        method: Callable[..., Any] | None = None
        if command is not None:
            method = _bound(command, provider, view)
        else:
            command = next((c for c in provider.kind_commands() if c.name == request.command), None)
            if command is not None:
                method = functools.partial(_run_kind_command, provider, command.name)
        if command is None or method is None:
            names = ", ".join(c.name for c in available(provider, view))
            what = "has no command" if command is not None else "takes no command; unknown command"
            return False, f"a {provider.config.kind} provider {what} {request.command!r} (it has: {names})", None
        count = len(request.args)
        if not len(command.arguments) - command.optional <= count <= len(command.arguments):
            return False, f"usage: {command.usage()}", None
        try:
            method(*request.args)
        except ValueError as exc:  # the provider's own validation (a bad path, link, status …)
            return False, f"{command.name}: {exc}", None
        log.info("remote command %s for provider %s", command.name, provider.id)
        return True, "", None
