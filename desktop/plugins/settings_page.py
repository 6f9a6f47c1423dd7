"""What a plugin adds to the settings dialog: a page of its own settings, written to ``[plugins.<name>]``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6.QtWidgets import QWidget


class SettingsPage(QWidget):
    """A plugin's page in the settings dialog's Plugins tab.

    A plugin offers one by naming a subclass in its ``settings_page`` class attribute. The dialog
    builds it with the plugin's current ``Settings`` (validated, or the defaults when the config's
    table is wrong) and the providers' titles, and on Save writes :meth:`values` into
    ``[plugins.<name>]`` (other keys and comments kept), validated like the file itself.

    Attributes:
        title: the page's heading.
    """

    title: ClassVar[str] = ""

    def __init__(self, settings: Any, providers: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.providers = providers

    def values(self) -> dict[str, Any]:
        """The keys of ``[plugins.<name>]`` as the page holds them now."""
        raise NotImplementedError
