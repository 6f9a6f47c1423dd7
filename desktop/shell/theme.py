"""Light and dark chrome that follows the desktop's colour scheme (or the ``theme`` setting)."""

from __future__ import annotations

import functools
import logging
import string
from importlib import resources
from typing import Final

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

log = logging.getLogger("portico.theme")

#: The stylesheet's ${names}, per scheme. Quiet greys, one accent, a red badge.
PALETTES: Final[dict[str, dict[str, str]]] = {
    "light": {
        "window": "#ffffff", "sidebar": "#f3f4f6", "separator": "#e2e4e9", "selection": "#e2e8f5",
        "hover": "#e9ebef", "accent": "#3b63d9", "accent_hover": "#2f52bd", "text": "#374151",
        "text_strong": "#111827", "muted": "#8a919e", "error": "#c2410c", "badge": "#e0245e",
        "banner": "#eef3ff", "banner_border": "#d4defa", "notice": "#effaf3", "notice_border": "#cdebd8",
    },
    "dark": {
        "window": "#1e1f22", "sidebar": "#18191b", "separator": "#2e3035", "selection": "#2c3444",
        "hover": "#25272b", "accent": "#5b82f0", "accent_hover": "#7094f5", "text": "#c9ccd3",
        "text_strong": "#f1f2f4", "muted": "#7d828c", "error": "#f08a5d", "badge": "#e0245e",
        "banner": "#222a3b", "banner_border": "#2f3a52", "notice": "#1f2f27", "notice_border": "#2c4336",
    },
}


@functools.cache
def _template() -> string.Template:
    text = resources.files("desktop.resources").joinpath("style.qss").read_text(encoding="utf-8")
    return string.Template(text)


def stylesheet(scheme: str) -> str:
    """The window stylesheet for ``light`` or ``dark``."""
    return _template().substitute(PALETTES[scheme])


class Theme(QObject):
    """Styles one window and restyles it when the desktop switches between light and dark.

    ``preference`` is the ``theme`` setting: ``system`` follows ``QStyleHints.colorScheme()``;
    ``light``/``dark`` also ask Qt for that scheme, so menus and dialogs match.

    The window is styled at once, from the preference or (``system``) from the palette Qt derived
    from the desktop's scheme. :meth:`follow_system` then asks Qt itself and follows its changes:
    the Shell calls it after the first page, because the answer is a ``Qt.ColorScheme``, and the
    first page's path avoids the Qt namespace that holds it (docs/startup.md).

    Signals:
        changed(str): the scheme now applied (``light`` or ``dark``).
    """

    changed = Signal(str)

    def __init__(self, window: QWidget, preference: str = "system", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self.preference = preference
        self.scheme = ""
        self._following = False
        self.apply()

    def follow_system(self) -> None:
        """Take the scheme from Qt from now on (see the class docstring); idempotent."""
        if self._following:
            return
        self._following = True
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)
        self._tell_qt()

    def set_preference(self, preference: str) -> None:
        self.preference = preference
        if self._following:
            self._tell_qt()
        else:
            self.apply()

    def _tell_qt(self) -> None:
        """Ask Qt for the preferred scheme (menus and dialogs follow it), then restyle."""
        from PySide6.QtCore import Qt  # noqa: PLC0415 - see the class docstring
        hints = QGuiApplication.styleHints()
        if self.preference == "dark":
            hints.setColorScheme(Qt.ColorScheme.Dark)
        elif self.preference == "light":
            hints.setColorScheme(Qt.ColorScheme.Light)
        else:
            hints.unsetColorScheme()
        self.apply()

    def current_scheme(self) -> str:
        if self.preference in ("light", "dark"):
            return self.preference
        if not self._following:
            window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
            return "dark" if window.lightness() < 128 else "light"
        from PySide6.QtCore import Qt  # noqa: PLC0415 - see the class docstring
        scheme = QGuiApplication.styleHints().colorScheme()
        return "dark" if scheme == Qt.ColorScheme.Dark else "light"

    def apply(self) -> None:
        scheme = self.current_scheme()
        if scheme == self.scheme:
            return
        self.scheme = scheme
        try:
            sheet = stylesheet(scheme)
        except OSError as exc:  # a bundle built without resources/style.qss: plain Qt looks, still usable
            log.warning("the stylesheet is missing (%s); using Qt's default look", exc)
            return
        self._window.setStyleSheet(sheet)
        log.debug("applied the %s theme", scheme)
        self.changed.emit(scheme)

    @Slot()
    def _on_scheme_changed(self) -> None:
        self.apply()
