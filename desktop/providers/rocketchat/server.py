"""What Portico checks of a Rocket.Chat server and of the commands it sends it: settings, framing, paths."""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any, Final

#: The host's origin as Rocket.Chat sees it in ``event.origin`` (Iframe_Integration_receive_origin).
HOST_ORIGIN: Final = "portico://app"
STATUSES: Final = ("online", "away", "busy", "offline")
#: What Administration ▸ Settings must say for Portico to drive the client (docs/rocketchat.md, section 1).
INTEGRATION_SETTINGS: Final = ("Iframe_Integration_send_enable", "Iframe_Integration_send_target_origin",
                               "Iframe_Integration_receive_enable", "Iframe_Integration_receive_origin")
#: The request that reads them (``GET``, no sign-in needed: they are public).
SETTINGS_PATH: Final = "/api/v1/settings.public?_id=" + ",".join(INTEGRATION_SETTINGS)
FRAMING_HINT: Final = ("In Rocket.Chat, Administration ▸ Workspace ▸ Settings ▸ General: turn off "
                       "“Restrict access inside any Iframe” (Iframe_Restrict_Access), then press Retry.")
_ROOM_PATHS: Final = {"c": "channel", "p": "group", "d": "direct", "l": "live"}


class CommandError(ValueError):
    """A command argument Portico refuses to send; the message says why (log-safe)."""


def check_path(path: str) -> str:
    """A path inside the workspace for ``go``: ``/`` then no scheme, host, backslash or control character."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//") or len(path) > 2048:
        raise CommandError("the path must start with a single / (e.g. /channel/general)")
    if any(ord(c) < 0x20 or c in "\\\x7f" for c in path):
        raise CommandError("the path contains control characters or a backslash")
    return path


def room_path(room_type: str, rid: str, name: str) -> str:
    """Where ``go`` opens a room: ``/channel/<name>``, ``/group/<name>``, ``/direct/<rid>``, ``/live/<rid>``."""
    kind = _ROOM_PATHS.get(room_type, "channel")
    key = name if room_type in ("c", "p") and name else rid
    return f"/{kind}/{urllib.parse.quote(key, safe='')}"


def public_settings(body: Any) -> dict[str, Any] | None:
    """``{id: value}`` from a ``settings.public`` answer's body (None: not such an answer)."""
    listed = body.get("settings") if isinstance(body, dict) else None
    if not isinstance(listed, list):
        return None
    return {s["_id"]: s.get("value") for s in listed if isinstance(s, dict) and isinstance(s.get("_id"), str)}


def framing_refused(x_frame_options: str) -> bool:
    """Whether Chromium refuses to show the page in Portico's frame (DENY or SAMEORIGIN)."""
    return x_frame_options.strip().lower() in ("deny", "sameorigin")


def integration_problems(settings: Mapping[str, Any]) -> list[str]:
    """What in the public Iframe Integration settings stops Portico (empty: all good or unknown)."""
    problems = []
    if settings.get("Iframe_Integration_send_enable") is False:
        problems.append("“Enable Send” is off, so Rocket.Chat tells Portico nothing (no unread count, no "
                        "notifications)")
    target = settings.get("Iframe_Integration_send_target_origin")
    if isinstance(target, str) and target not in ("*", HOST_ORIGIN):
        problems.append(f"“Send Target Origin” is {target!r}: it must be * or {HOST_ORIGIN}")
    if settings.get("Iframe_Integration_receive_enable") is False:
        problems.append("“Enable Receive” is off, so Rocket.Chat ignores Portico's sign-in and commands")
    allowed = settings.get("Iframe_Integration_receive_origin")
    if isinstance(allowed, str) and allowed != "*" and HOST_ORIGIN not in allowed.split(","):
        spaced = HOST_ORIGIN in [o.strip() for o in allowed.split(",")]
        problems.append(f"“Receive Origins” ({allowed!r}) does not list {HOST_ORIGIN}"
                        + (" exactly: Rocket.Chat does not trim the spaces after the commas" if spaced else ""))
    return problems


#: The two ways of hosting the web client (config ``integration``; docs/rocketchat.md, section 7).
IFRAME: Final = "iframe"
DESKTOP: Final = "desktop"


def choose_integration(option: str, settings: Mapping[str, Any], x_frame_options: str) -> tuple[str, str]:
    """How to host the client (:data:`IFRAME` or :data:`DESKTOP`) and why, in a few words for the
    status panel, the doctor and the log. ``option`` is the config's ``integration``; ``settings``
    what ``settings.public`` said (empty: unknown); ``x_frame_options`` the server's header."""
    if option == IFRAME:
        return IFRAME, "integration = \"iframe\" in the config"
    if option == DESKTOP:
        return DESKTOP, "integration = \"desktop\" in the config"
    if framing_refused(x_frame_options):
        return DESKTOP, f"the server refuses to be framed (X-Frame-Options: {x_frame_options.strip()})"
    if integration_problems(settings):
        return DESKTOP, "the server's Iframe Integration is not on for Portico"
    if not settings:
        return IFRAME, "the server's Iframe Integration settings could not be read"
    return IFRAME, "the server's Iframe Integration is on"


@dataclasses.dataclass(frozen=True)
class Release:
    """What Portico may expect of a server's web client, from the version ``/api/info`` reports
    (docs/rocketchat.md has the table and where each row comes from).

    Attributes:
        version: as reported ("" when unknown: then nothing is assumed, every way is tried).
        startup_event: the client posts ``startup`` (7.9 until PR #37718 did not, nor anything
            else before a sign-in).
        commands: the client handles external commands (some 7.x releases before PR #37829 did
            not: only the ``?resumeToken=`` URL signs in there).
        toolbar: ``set-toolbar-button`` / ``remove-toolbar-button`` exist (before 6.4).
        override_ui: ``{event: 'overrideUi'}`` is understood (PR #31184).
    """

    version: str = ""
    startup_event: bool = True
    commands: bool = True
    toolbar: bool = True
    override_ui: bool = True

    @property
    def known(self) -> bool:
        return bool(self.version)

    def describe(self) -> str:
        """One line for the status panel, the doctor and the log."""
        if not self.known:
            return "Rocket.Chat (version not reported)"
        notes = []
        if not self.commands:
            notes.append("ignores commands: signs in by URL")
        if not self.startup_event:
            notes.append("sends no startup event")
        return f"Rocket.Chat {self.version}" + (f" ({'; '.join(notes)})" if notes else "")


_VERSION_RE: Final = re.compile(r"(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?")


def release(version: Any) -> Release:
    """The :class:`Release` of a reported version (unknown or unparsable: ``Release()``)."""
    match = _VERSION_RE.match(version) if isinstance(version, str) else None
    if match is None:
        return Release()
    v = (int(match[1]), int(match[2]))
    return Release(version=match[0], startup_event=not (7, 9) <= v < (7, 13),
                   commands=not (7, 10) <= v < (7, 13), toolbar=v < (6, 4), override_ui=v >= (6, 6))
