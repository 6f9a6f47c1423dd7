"""Finds plugins: the built-ins, the ``portico.plugins`` entry points, and the user's plugins folder (nothing is imported until it is enabled)."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.metadata
import importlib.util
import logging
import pathlib
import re
import sys
from collections.abc import Callable
from typing import Any, Final

from desktop.plugins.api import ENTRY_POINT_GROUP

log = logging.getLogger("portico.plugins")

NAME_RE: Final = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")

#: The built-in plugins: name -> "module:attribute". They use the same public API as any other.
BUILTINS: Final[dict[str, str]] = {
    "notifications": "desktop.plugins.builtin.notifications:NotificationsPlugin",
    "tray": "desktop.plugins.builtin.tray:TrayPlugin",
    "event-log": "desktop.plugins.builtin.eventlog:EventLogPlugin",
    "run-command": "desktop.plugins.builtin.run_command:RunCommandPlugin",
}
#: Enabled when the config has no ``[plugins] enabled`` key.
DEFAULT_ENABLED: Final = ("notifications", "tray")


@dataclasses.dataclass(frozen=True)
class PluginSource:
    """Where a plugin comes from and how to load it.

    Attributes:
        name: the plugin's name (entry-point name, file stem, or built-in name).
        origin: for people: ``built-in``, ``entry point of <dist> <version>``, or the file path.
        loader: imports the module and returns the plugin object (a class is instantiated).
        version: the version of the package it comes from ("" for built-ins and files).
    """

    name: str
    origin: str
    loader: Callable[[], Any] = dataclasses.field(compare=False, repr=False)
    version: str = ""

    @property
    def builtin(self) -> bool:
        return self.origin == "built-in"

    def load(self) -> Any:
        """A fresh plugin object (a class or factory is called with no arguments)."""
        target = self.loader()
        return target() if isinstance(target, type) else target


def _import(reference: str) -> Any:
    module_name, _, attribute = reference.partition(":")
    target: Any = importlib.import_module(module_name)
    for part in filter(None, attribute.split(".")):
        target = getattr(target, part)
    return target


def _load_file(path: pathlib.Path) -> Any:
    module_name = f"portico_user_plugins.{path.stem.replace('-', '_')}"
    module = sys.modules.get(module_name)
    if module is None or getattr(module, "__file__", None) != str(path):
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(module_name, None)
            raise
    for attribute in ("Plugin", "plugin"):
        if hasattr(module, attribute):
            return getattr(module, attribute)
    raise ImportError(f"{path.name} defines neither a Plugin class nor a plugin object")


def discover(folder: pathlib.Path | None, entry_points: bool = True) -> dict[str, PluginSource]:
    """Every plugin available, by name. A name taken by a built-in or an earlier source is skipped (logged)."""
    found: dict[str, PluginSource] = {
        name: PluginSource(name, "built-in", lambda ref=ref: _import(ref)) for name, ref in BUILTINS.items()}

    def add(source: PluginSource) -> None:
        if not NAME_RE.fullmatch(source.name):
            log.warning("plugin %r from %s skipped: a name must match [a-z0-9-]+", source.name, source.origin)
        elif source.name in found:
            log.warning("plugin %s from %s skipped: %s already has that name", source.name, source.origin,
                        found[source.name].origin)
        else:
            found[source.name] = source

    if entry_points:
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = ep.dist
            origin = f"entry point of {dist.name} {dist.version}" if dist is not None else "entry point"
            add(PluginSource(ep.name, origin, ep.load, dist.version if dist is not None else ""))
    if folder is not None and folder.is_dir():
        for path in sorted(folder.glob("*.py")):
            if not path.name.startswith(("_", ".")):
                add(PluginSource(path.stem, str(path), lambda p=path: _load_file(p)))
    return found
