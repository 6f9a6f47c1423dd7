"""``portico config show``: the effective configuration (managed file, user file, defaults), each value with its source."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any, Final

from desktop.config import Config, ConfigError, NetworkConfig, load_config
from desktop.kinds import KINDS

COMMAND: Final = "config"


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(COMMAND, parents=parents, help="show the effective configuration and its sources",
                                   description="Print the configuration Portico runs with: the administrator's "
                                               "managed file, then yours, then the defaults; each value says "
                                               "where it comes from, and which are locked.")
    parser.add_argument("config_action", choices=("show",), metavar="show")


def _value(value: Any) -> str:
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, dict) or hasattr(value, "items"):
        return "{" + ", ".join(f"{k} = {_value(v)}" for k, v in dict(value).items()) + "}"
    return json.dumps(value, ensure_ascii=False)


def _line(key: str, value: Any, source: str, locked: bool) -> str:
    text = f"{key} = {_value(value)}"
    return f"{text:<52} # {source}{', locked' if locked else ''}"


def effective_lines(config: Config) -> list[str]:
    """The effective configuration as TOML-like lines, each value followed by ``# managed``,
    ``# user`` or ``# default`` (and ``locked``). Secrets are never in it: they are not in files."""
    from desktop.shell.preferences import Preferences  # noqa: PLC0415 - the [settings] keys and defaults
    lines = [f"# {config.path or '(no config file)'}"
             + (f" over {config.managed.path}" if config.managed is not None else " (no managed file)")]
    if config.locked:
        lines.append(f"# locked: {', '.join(sorted(config.locked))}")
    defaults = Preferences()
    lines += ["", "[settings]"]
    for field in dataclasses.fields(Preferences):
        key = field.name
        value = config.settings.get(key, getattr(defaults, key))
        if value is None:
            value = "the desktop's language"
        lines.append(_line(key, value, config.source(f"settings.{key}"), config.is_locked(f"settings.{key}")))
    lines += ["", "[network]"]
    for field in dataclasses.fields(NetworkConfig):
        key = field.name
        lines.append(_line(key, getattr(config.network, key), config.source(f"network.{key}"),
                           config.is_locked(f"network.{key}")))
    for provider in config.providers:
        where = config.source(f"provider.{provider.id}")
        lines += ["", f"{'[[provider]]':<52} # {where}"
                      + (", locked" if config.is_locked(f"provider.{provider.id}") else "")]
        lines.append(_line("id", provider.id, where, config.is_locked(f"provider.{provider.id}")))
        lines.append(_line("kind", provider.kind, where, config.is_locked(f"provider.{provider.id}")))
        for option in KINDS[provider.kind].all_options():
            key = f"provider.{provider.id}.{option.key}"
            value = provider.title if option.key == "title" else provider.options.get(option.key)
            lines.append(_line(option.key, "the [settings] value" if value is None else value,
                               config.source(key), config.is_locked(key)))
    return lines


def run(args: argparse.Namespace) -> int:
    try:
        config = load_config(getattr(args, "config", None))
    except ConfigError as exc:
        print(f"portico: config error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(effective_lines(config)))
    return 0
