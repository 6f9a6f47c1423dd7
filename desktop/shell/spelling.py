"""Spell check: where the dictionaries are, which languages have one, and a profile's languages."""

from __future__ import annotations

import logging
import os
import pathlib
import sys
from collections.abc import Iterable, Sequence

from PySide6.QtWebEngineCore import QWebEngineProfile

from desktop import paths

log = logging.getLogger("portico.spelling")

#: Qt WebEngine reads its dictionary folder from this variable when the first profile is made.
DICTIONARIES_ENV = "QTWEBENGINE_DICTIONARIES_PATH"


def dictionary_dirs() -> list[pathlib.Path]:
    """Where Portico looks for Chromium ``.bdic`` dictionaries, in order: the variable when set,
    the installed bundle's folder, the virtualenv's (``scripts/setup-dictionaries``), the user's."""
    found = [pathlib.Path(os.environ[DICTIONARIES_ENV])] if os.environ.get(DICTIONARIES_ENV) else []
    found.append(pathlib.Path(sys.executable).resolve().parent / "qtwebengine_dictionaries")
    found.append(pathlib.Path(getattr(sys, "_MEIPASS", sys.prefix)) / "share" / "portico" / "dictionaries")
    found.append(paths.data_dir() / "dictionaries")
    return found


def use_dictionaries() -> pathlib.Path | None:
    """Point Qt WebEngine at the first folder that holds dictionaries; call before the first
    profile exists (Qt reads the variable once). Returns the folder, or None if there is none."""
    for folder in dictionary_dirs():
        if any(folder.glob("*.bdic")):
            os.environ[DICTIONARIES_ENV] = str(folder)
            return folder
    return None


def available_languages() -> frozenset[str]:
    """The languages with a dictionary (``en-US``: the file ``en-US.bdic``)."""
    folder = os.environ.get(DICTIONARIES_ENV)
    return frozenset(p.stem for p in pathlib.Path(folder).glob("*.bdic")) if folder else frozenset()


def system_language() -> str:
    """The desktop's language as a dictionary is named (``it_IT`` -> ``it-IT``)."""
    from PySide6.QtCore import QLocale  # noqa: PLC0415
    return QLocale.system().name().replace("_", "-")


def default_languages() -> tuple[str, ...]:
    """What spell-checks when the config says nothing: the desktop's language, if it has a dictionary."""
    language = system_language()
    return (language,) if language in available_languages() else ()


def missing(languages: Iterable[str]) -> list[str]:
    have = available_languages()
    return [language for language in languages if language not in have]


def apply(profile: QWebEngineProfile, languages: Sequence[str]) -> list[str]:
    """Spell-check ``profile`` in those of ``languages`` that have a dictionary (none: off);
    returns the ones left out for want of one."""
    have = available_languages()
    usable = [language for language in languages if language in have]
    profile.setSpellCheckLanguages(usable)
    profile.setSpellCheckEnabled(bool(usable))
    left_out = [language for language in languages if language not in have]
    if left_out:
        log.warning("no spell-check dictionary for %s (see docs/spelling.md)", ", ".join(left_out))
    return left_out
