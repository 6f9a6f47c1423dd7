"""Portico's plugin API (version :data:`API_VERSION`); see docs/plugins.md.

A plugin is an object with ``api_version`` and ``@hookimpl`` methods (``portico_activate``,
``portico_deactivate``, ``portico_notification``, ``portico_external_link``), found through the
``portico.plugins`` entry-point group or the user's ``plugins/*.py`` folder.
"""

from desktop.plugins.api import (
    API_VERSION,
    ENTRY_POINT_GROUP,
    MIN_API_VERSION,
    NotificationRequest,
    SettingsError,
    hookimpl,
)
from desktop.plugins.context import PluginContext

__all__ = ["API_VERSION", "ENTRY_POINT_GROUP", "MIN_API_VERSION", "NotificationRequest", "PluginContext",
           "SettingsError", "hookimpl"]
