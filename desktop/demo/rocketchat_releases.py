"""How each supported Rocket.Chat release's web client behaves towards its parent (the simulator's profiles)."""

from __future__ import annotations

import dataclasses
from typing import Any, Final


@dataclasses.dataclass(frozen=True)
class Release:
    """What one release's web client does, as far as an embedding parent can see.

    Attributes:
        name: the profile's name (``--rocketchat-version``), a release line such as ``7.10``.
        version: what ``GET /api/info`` reports.
        startup_event: the client posts ``startup`` when its layout mounts.
        logged_out_on_mount: the client posts ``Custom_Script_Logged_Out`` on mount, before a sign-in.
        commands: the client handles ``externalCommand`` messages at all.
        toolbar: ``set-toolbar-button`` / ``remove-toolbar-button`` and ``click-toolbar-button``.
        override_ui: ``{event: 'overrideUi', hideActions}`` hides parts of the UI.
        legacy_unread: ``unread-changed`` carries the old strings (``''``, ``'•'``, ``'999+'``) and
            every subscription is fired on each recompute.
        sources: where each difference comes from (Rocket.Chat issues and PRs).
    """

    name: str
    version: str
    startup_event: bool = True
    logged_out_on_mount: bool = True
    commands: bool = True
    toolbar: bool = False
    override_ui: bool = True
    legacy_unread: bool = False
    sources: tuple[str, ...] = ()

    def boot(self) -> dict[str, Any]:
        """The flags the simulated web client reads from its boot data."""
        return {"release": self.name, "startup": self.startup_event, "loggedOutOnMount": self.logged_out_on_mount,
                "commands": self.commands, "toolbar": self.toolbar,
                "overrideUi": self.override_ui, "legacyUnread": self.legacy_unread}


RELEASES: Final[dict[str, Release]] = {r.name: r for r in (
    Release("6.3", "6.3.12", toolbar=True, override_ui=False, legacy_unread=True, sources=(
        "toolbar commands: client/startup/iframeCommands.ts (PR #7525, views/room/lib/Toolbox/IframeButtons); "
        "absent from the router-based version, probably since the RoomToolbox redesign (PR #29982, 6.4)",
        "no overrideUi before 6.6.0 (PR #31184)",
        "legacy unread strings: client/startup/unread.ts",
    )),
    Release("6.6", "6.6.10", legacy_unread=True, sources=(
        "overrideUi from 6.6.0 (PR #31184, meteor CHANGELOG: hide elements through postMessage)",
    )),
    Release("7.8", "7.8.3", sources=(
        "the last line with a startup event before the 7.9 regression (RocketChat/Rocket.Chat#36657)",
    )),
    Release("7.9", "7.9.3", startup_event=False, logged_out_on_mount=False, sources=(
        "no startup event from 7.9.0 (RocketChat/Rocket.Chat#36657, #36881; fix PR #37718, Dec 2025)",
        "commands handled: only the startup regression",
    )),
    Release("7.10", "7.10.1", startup_event=False, logged_out_on_mount=False, commands=False, sources=(
        "no startup event from 7.9.0 (#36657, #36881; fix PR #37718, Dec 2025): fireGlobalEvent returns while "
        "the send setting is undefined, and the events of the first render come before the settings",
        "Custom_Script_Logged_Out goes the same way (useCustomScript.ts fires on mount)",
        "external commands not handled until PR #37829 (Dec 2025; the handler read its settings with "
        "settings.peek): only ?resumeToken=&userId= signs in",
    )),
    Release("8.0", "8.0.1", sources=(
        "startup and commands as before 7.9 (PRs #37718, #37829)",
    )),
)}

#: The release ``portico demo`` plays unless told otherwise.
DEFAULT_RELEASE: Final = "8.0"
