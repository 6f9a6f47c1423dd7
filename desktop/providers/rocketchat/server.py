"""What Portico checks of a Rocket.Chat server and of the commands it sends it: settings, framing, paths."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any, Final

#: The host's origin as Rocket.Chat sees it in ``event.origin`` (Iframe_Integration_receive_origin).
HOST_ORIGIN: Final = "portico://app"
STATUSES: Final = ("online", "away", "busy", "offline")
#: What Administration ▸ Settings must say for Portico to drive the client (docs/rocketchat.md, section 1).
INTEGRATION_SETTINGS: Final = ("Iframe_Integration_send_enable", "Iframe_Integration_send_target_origin",
                               "Iframe_Integration_receive_enable", "Iframe_Integration_receive_origin")
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
