"""The language of Portico's window: Qt translators for Portico's own strings and Qt's dialogs."""

from __future__ import annotations

import logging
import pathlib
from importlib import resources
from typing import Final

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("portico.i18n")

#: The languages Portico's window speaks (English is the source text; Italian and Spanish are
#: Spoki's languages too).
LANGUAGES: Final = ("en", "it", "es")
#: What ``[settings] language`` may say: one of :data:`LANGUAGES`, or ``system`` (the desktop's).
LANGUAGE_SETTINGS: Final = ("system", *LANGUAGES)

_installed: list[QTranslator] = []  # kept alive: Qt does not own them
_current = "en"


def current() -> str:
    """The language the window speaks now (what :func:`install` put in effect)."""
    return _current


def language_for(setting: str = "system", locale: QLocale | None = None) -> str:
    """The language to use: the setting's, or the desktop locale's when it is ``system`` and
    Portico speaks it; else English."""
    if setting in LANGUAGES:
        return setting
    name = (locale or QLocale.system()).name().split("_")[0]
    return name if name in LANGUAGES else "en"


def translations_dir() -> pathlib.Path:
    """Where the compiled ``portico_<lang>.qm`` files are (``scripts/setup-translations`` builds
    them from ``resources/translations/*.ts``)."""
    return pathlib.Path(str(resources.files("desktop.resources").joinpath("translations")))


def install(language: str, app: QCoreApplication | None = None) -> str:
    """Translate the window into ``language`` from now on (widgets made later speak it): Portico's
    strings and Qt's own (the standard buttons and dialogs). Returns the language in effect: one
    without its compiled file falls back to English, with a warning."""
    global _current  # noqa: PLW0603 - the one process-wide language, as Qt's translators are
    app = app or QCoreApplication.instance()
    _current = "en"
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == "en":
        return "en"
    ours = QTranslator()
    if not ours.load(f"portico_{language}", str(translations_dir())):
        log.warning("no translation for %s in %s (scripts/setup-translations builds it); using English",
                    language, translations_dir())
        return "en"
    qt = QTranslator()
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    app.installTranslator(ours)
    _installed.append(ours)
    _current = language
    log.info("the window speaks %s", language)
    return language
