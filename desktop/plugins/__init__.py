"""Portico's plugin API (version :data:`API_VERSION`), the only module a plugin imports; see docs/plugins.md.

A plugin is an object with ``api_version`` and ``@hookimpl`` methods (``portico_activate``,
``portico_deactivate``, ``portico_notification``, ``portico_external_link``), found through the
``portico.plugins`` entry-point group or the user's ``plugins/*.py`` folder. The built-in plugins
import nothing of Portico's but this module.
"""

from desktop.contract import (
    UNREAD_DOT,
    Notification,
    OutboundMessage,
    ProviderError,
    ProviderEvent,
    ProviderState,
)
from desktop.eventlog import EventLog
from desktop.eventlog import record as event_record
from desktop.eventlog import to_json as event_json
from desktop.plugins.adapter import LatestOnlyAdapter, NotificationAdapter
from desktop.plugins.api import (
    API_VERSION,
    ENTRY_POINT_GROUP,
    MIN_API_VERSION,
    NotificationRequest,
    SettingsError,
    hookimpl,
)
from desktop.plugins.context import PluginContext
from desktop.plugins.settings_page import SettingsPage

__all__ = [
    "API_VERSION", "ENTRY_POINT_GROUP", "MIN_API_VERSION", "UNREAD_DOT", "EventLog", "LatestOnlyAdapter",
    "Notification", "NotificationAdapter", "NotificationRequest", "OutboundMessage", "PluginContext",
    "ProviderError", "ProviderEvent", "ProviderState", "SettingsError", "SettingsPage", "event_json",
    "event_record", "hookimpl",
]
