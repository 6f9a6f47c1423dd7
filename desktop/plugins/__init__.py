"""Portico's plugin API (version :data:`API_VERSION`), the only module a plugin imports; see docs/plugins.md.

A plugin is an object with ``api_version`` and ``@hookimpl`` methods (``portico_activate``,
``portico_deactivate``, ``portico_notification``, ``portico_external_link``), found through the
``portico.plugins`` entry-point group or the user's ``plugins/*.py`` folder. The built-in plugins
import nothing of Portico's but this module.

A provider kind is a :class:`KindSpec` (its options, secrets, permissions and commands) named by
a ``portico.kinds`` entry point, whose ``provider_class`` is a :class:`Provider` (or, for a kind
that signs in from the keyring, a :class:`SignInProvider`) subclass.
"""

from desktop.bridge.envelope import unwrap_json_string
from desktop.contract import (
    UNREAD_DOT,
    Drop,
    Notification,
    OutboundMessage,
    ProviderError,
    ProviderEvent,
    ProviderState,
)
from desktop.eventlog import EventLog
from desktop.eventlog import record as event_record
from desktop.eventlog import to_json as event_json
from desktop.kinds import KIND_ENTRY_POINT_GROUP, REQUIRED, KindCommand, KindSpec, Option, SecretField
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
from desktop.providers.base import Provider
from desktop.providers.signin import SignInProvider
from desktop.secret import Secret

__all__ = [
    "API_VERSION", "ENTRY_POINT_GROUP", "KIND_ENTRY_POINT_GROUP", "MIN_API_VERSION", "REQUIRED", "UNREAD_DOT",
    "Drop", "EventLog", "KindCommand", "KindSpec", "LatestOnlyAdapter", "Notification", "NotificationAdapter",
    "NotificationRequest", "Option", "OutboundMessage", "PluginContext", "Provider", "ProviderError",
    "ProviderEvent", "ProviderState", "Secret", "SecretField", "SettingsError", "SettingsPage", "SignInProvider",
    "event_json", "event_record", "hookimpl", "unwrap_json_string",
]
