"""Plugin settings: a plugin's ``Settings`` dataclass filled from ``[plugins.<name>]``, errors located by file, line and key."""

from __future__ import annotations

import dataclasses
import pathlib
import re
import types
import typing
from collections.abc import Mapping
from typing import Any

from desktop.config import ConfigError, _toml_type, key_line
from desktop.plugins.api import SettingsError


class Locator:
    """Turns a plugin-settings problem into a :class:`ConfigError` naming file, line and key."""

    def __init__(self, path: pathlib.Path | str | None, text: str | None = None) -> None:
        self.path = str(path) if path is not None else "<config>"
        if text is None and path is not None:
            try:
                text = pathlib.Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = None
        self.text = text

    def error(self, table: str, key: str | None, message: str) -> ConfigError:
        line = None
        if self.text is not None:
            nested = re.match(r"([A-Za-z0-9_-]+)\[(\d+)\]\.([A-Za-z0-9_-]+)", key or "")
            if nested:  # a key inside entry N of an array of tables: [[plugins.<name>.<array>]]
                line = self._entry_line(f"{table}.{nested.group(1)}", int(nested.group(2)), nested.group(3))
            elif key:
                line = key_line(self.text, table, re.split(r"[.\[]", key)[0])
            line = line or key_line(self.text, table)
        return ConfigError(self.path, line, f"{table}.{key}" if key else table, message)

    def _entry_line(self, table: str, index: int, key: str) -> int | None:
        """The line of ``key`` in the ``index``-th ``[[table]]`` (else that header's line)."""
        assert self.text is not None
        header = re.compile(r"^\s*\[\[\s*" + re.escape(table) + r"\s*\]\]")
        assignment = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        seen, start = -1, None
        for number, line in enumerate(self.text.splitlines(), 1):
            if line.lstrip().startswith("["):
                if start is not None:
                    break
                if header.match(line):
                    seen += 1
                    if seen == index:
                        start = number
            elif start is not None and assignment.match(line):
                return number
        return start


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin in (list, tuple):
        return "array"
    if dataclasses.is_dataclass(tp):
        return "table"
    return _toml_type(getattr(tp, "__name__", str(tp)))


def _convert(value: Any, tp: Any, key: str, table: str, where: Locator) -> Any:
    """``value`` (from TOML) as ``tp``, or a located error."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for option in typing.get_args(tp):
            try:
                return _convert(value, option, key, table, where)
            except ConfigError as exc:
                errors.append(exc)
        raise errors[-1]
    if tp is type(None):
        if value is None:
            return None
        raise where.error(table, key, "must be empty")
    if origin in (list, tuple):
        if not isinstance(value, list):
            raise where.error(table, key, f"must be an array, not {_toml_type(type(value).__name__)}")
        args = typing.get_args(tp)
        item = args[0] if args else Any
        items = [_convert(v, item, f"{key}[{i}]", table, where) for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise where.error(table, key, f"must be a table, not {_toml_type(type(value).__name__)}")
        return build(tp, value, table, where, prefix=f"{key}.")
    if tp is Any:
        return value
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
        raise where.error(table, key, f"must be a {_type_name(tp)}, not {_toml_type(type(value).__name__)}")
    return value


def build(settings_type: type, values: Mapping[str, Any], table: str, where: Locator, prefix: str = "") -> Any:
    """An instance of the dataclass ``settings_type`` from a TOML table; ConfigError on any mistake.

    Unknown keys are errors (a typo is reported as itself); missing keys take the field default;
    a ``validate()`` method on the dataclass may raise :class:`SettingsError` for finer rules.
    """
    hints = typing.get_type_hints(settings_type)
    fields = {f.name: f for f in dataclasses.fields(settings_type)}
    for key in values:
        if key not in fields:
            known = ", ".join(sorted(fields)) or "none"
            raise where.error(table, f"{prefix}{key}", f"is not a known setting (known: {known})")
    kwargs = {}
    for name, field in fields.items():
        if name in values:
            kwargs[name] = _convert(values[name], hints[name], f"{prefix}{name}", table, where)
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise where.error(table, f"{prefix}{name}", "is required")
    instance = settings_type(**kwargs)
    validate = getattr(instance, "validate", None)
    if callable(validate):
        try:
            validate()
        except SettingsError as exc:
            raise where.error(table, f"{prefix}{exc.key}", exc.message) from None
    return instance


def plugin_settings(name: str, settings_type: type | None, plugins_table: Mapping[str, Any],
                    where: Locator) -> Any:
    """The validated settings of plugin ``name`` (None when it declares no ``Settings``)."""
    table = f"plugins.{name}"
    values = plugins_table.get(name, {})
    if not isinstance(values, Mapping):
        raise where.error("plugins", name, "must be a table of the plugin's settings")
    if settings_type is None:
        if values:
            raise where.error(table, next(iter(values)), "is not a known setting (this plugin takes none)")
        return None
    return build(settings_type, values, table, where)


def enabled_list(plugins_table: Mapping[str, Any], where: Locator, default: tuple[str, ...]) -> tuple[str, ...]:
    """``[plugins] enabled``: the names listed (the default when the key is absent)."""
    if "enabled" not in plugins_table:
        return default
    value = plugins_table["enabled"]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise where.error("plugins", "enabled", "must be an array of plugin names")
    return tuple(dict.fromkeys(value))


def to_toml(settings: Any) -> dict[str, Any]:
    """A settings instance as plain TOML values (for the settings dialog)."""
    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value
    return plain(settings)
