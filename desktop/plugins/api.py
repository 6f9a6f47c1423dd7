"""The versioned plugin API: the hook specifications, their marker, and the objects hooks receive."""

from __future__ import annotations

import dataclasses
from typing import Any, Final

import pluggy

from desktop.contract import Notification

#: The plugin API's version. A plugin declares the version it was written for (``api_version``);
#: Portico loads it when that is between :data:`MIN_API_VERSION` and this. Adding a hook, or an
#: argument to a hook, does not change it (pluggy passes a hook only the arguments it names).
API_VERSION: Final = 1
#: The oldest ``api_version`` this Portico still loads.
MIN_API_VERSION: Final = 1
#: The pluggy project name: marks hook implementations (``@hookimpl``).
PROJECT: Final = "portico"
#: The entry-point group third-party packages register their plugins in.
ENTRY_POINT_GROUP: Final = "portico.plugins"

hookspec = pluggy.HookspecMarker(PROJECT)
#: Decorate a plugin's hook methods with this (``tryfirst=True`` / ``trylast=True`` order them).
hookimpl = pluggy.HookimplMarker(PROJECT)


class SettingsError(ValueError):
    """A plugin's settings are wrong: raised from a ``Settings.validate()`` method; names the key."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclasses.dataclass
class NotificationRequest:
    """A notification on its way to the desktop, handed to every ``portico_notification`` hook.

    Attributes:
        provider_id: who raised it ("" for a plugin's own notification).
        kind: that provider's kind ("" for a plugin's own notification).
        notification: what will be shown; assign a new :class:`Notification` to rewrite it
            (``dataclasses.replace(request.notification, body="…")``). Hooks later in the chain see
            the rewritten one.
        source: the plugin that raised it (e.g. ``notifications``).
        suppressed_by: the plugin that suppressed it, "" while it will be shown.
        reason: why it was suppressed (for the log).
    """

    provider_id: str
    kind: str
    notification: Notification
    source: str
    suppressed_by: str = ""
    reason: str = ""

    @property
    def suppressed(self) -> bool:
        return bool(self.suppressed_by)

    def suppress(self, reason: str = "") -> None:
        """Do not show it. (Set by the hook's own plugin name; later hooks still see it.)"""
        self.suppressed_by = self._current or "?"
        self.reason = reason

    _current: str = dataclasses.field(default="", repr=False, compare=False)


class HookSpecs:
    """What Portico calls on plugins. Every hook is optional; each runs on the Qt (UI) thread."""

    @hookspec
    def portico_activate(self, context: Any) -> None:
        """The plugin is enabled: ``context`` is its :class:`desktop.plugins.PluginContext`;
        subscribe to ``context.hub`` signals, add menu actions, etc.

        Everything registered through ``context`` is undone when the plugin is disabled.
        """

    @hookspec
    def portico_deactivate(self) -> None:
        """The plugin is being disabled or Portico is quitting: release what you hold."""

    @hookspec
    def portico_notification(self, request: NotificationRequest) -> None:
        """A notification is about to be shown: rewrite ``request.notification`` or call
        ``request.suppress(reason)``. Called for suppressed requests too (check ``request.suppressed``)."""

    @hookspec
    def portico_external_link(self, provider_id: str, url: str) -> Any:
        """A provider asks to open ``url`` in the system browser. Return False to veto it;
        None (or anything else) lets it through. One veto is enough."""
