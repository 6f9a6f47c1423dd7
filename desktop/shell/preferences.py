"""The app-wide preferences of the config's ``[settings]`` table, typed and validated."""

from __future__ import annotations

import dataclasses
import logging
import pathlib
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from desktop.config import Config, ConfigError
from desktop.i18n import LANGUAGE_SETTINGS
from desktop.kinds import LANGUAGE_RE

log = logging.getLogger("portico.preferences")

#: ``theme`` values: follow the desktop, or force one.
THEMES: Final = ("system", "light", "dark")
#: The keys this module reads; other ``[settings]`` keys belong to other parts (plugins …).
KEYS: Final = frozenset({"hibernate_after_minutes", "discard_after_minutes", "theme", "spellcheck", "language"})
_MAX_MINUTES: Final = 7 * 24 * 60


@dataclasses.dataclass(frozen=True)
class Preferences:
    """App-wide preferences.

    Attributes:
        hibernate_after_minutes: freeze a provider not shown for this long (0: never).
        discard_after_minutes: discard (unload) a provider not shown for this long (0: never).
        theme: ``system``, ``light`` or ``dark``.
        spellcheck: the spell-check languages of providers that set none (None: the desktop's
            language, when it has a dictionary; empty: off).
        language: the window's language: ``system`` (the desktop's, if Portico speaks it), or
            ``en``, ``it``, ``es``.
    """

    hibernate_after_minutes: float = 0
    discard_after_minutes: float = 0
    theme: str = "system"
    spellcheck: tuple[str, ...] | None = None
    language: str = "system"

    @classmethod
    def from_config(cls, config: Config) -> Preferences:
        """Read ``[settings]``; raise :class:`ConfigError` (file, line, key) for a bad value (in
        the administrator's file when the value is theirs)."""
        def where(key: str) -> pathlib.Path | None:
            managed = config.managed
            return managed.path if managed is not None and config.source(f"settings.{key}") == "managed" \
                else config.path
        return cls.from_settings(config.settings, where)

    @classmethod
    def or_defaults(cls, config: Config) -> Preferences:
        """:meth:`from_config`, but a bad value is logged and the defaults are used (a running
        Portico never stops over a preference)."""
        try:
            return cls.from_config(config)
        except ConfigError as exc:
            log.error("%s; using the defaults", exc)
            return cls()

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any],
                      path: pathlib.Path | None | Callable[[str], pathlib.Path | None] = None) -> Preferences:
        """``path``: the file the values come from, or a key -> its file."""
        def error(key: str, message: str) -> ConfigError:
            file = path(key) if callable(path) else path
            return ConfigError(file or "<config>", _settings_line(file, key), f"settings.{key}", message)

        values: dict[str, Any] = {}
        for key in ("hibernate_after_minutes", "discard_after_minutes"):
            value = settings.get(key, 0)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise error(key, "must be a number of minutes (0 = never)")
            if not 0 <= value <= _MAX_MINUTES:
                raise error(key, f"must be between 0 and {_MAX_MINUTES} minutes")
            values[key] = float(value)
        hibernate, discard = values["hibernate_after_minutes"], values["discard_after_minutes"]
        if hibernate and discard and discard < hibernate:
            raise error("discard_after_minutes", "must not be shorter than hibernate_after_minutes")
        theme = settings.get("theme", "system")
        if theme not in THEMES:
            raise error("theme", f"must be one of {', '.join(THEMES)}, not {theme!r}")
        spellcheck = settings.get("spellcheck")
        if spellcheck is not None:
            if not isinstance(spellcheck, list) or len(spellcheck) > 8:
                raise error("spellcheck", "must be a list of at most 8 language tags, e.g. [\"en-US\", \"it-IT\"]")
            for i, language in enumerate(spellcheck):
                if not isinstance(language, str) or not re.fullmatch(LANGUAGE_RE, language):
                    raise error("spellcheck", f"item {i + 1} ({language!r}) must be a language tag such as en-US")
            spellcheck = tuple(spellcheck)
        language = settings.get("language", "system")
        if language not in LANGUAGE_SETTINGS:
            raise error("language", f"must be one of {', '.join(LANGUAGE_SETTINGS)}, not {language!r}")
        return cls(hibernate_after_minutes=hibernate, discard_after_minutes=discard, theme=theme,
                   spellcheck=spellcheck, language=language)


def _settings_line(path: pathlib.Path | None, key: str) -> int | None:
    """The line of ``key`` inside the ``[settings]`` table of the file (None if not found)."""
    if path is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    inside = False
    for number, line in enumerate(lines, 1):
        header = re.match(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$", line)
        if header:
            inside = header.group(1) == "settings"
        elif inside and re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return None
