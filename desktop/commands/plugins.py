"""``portico plugins list`` and ``portico plugins new NAME``: what is installed, and a skeleton to start from."""

from __future__ import annotations

import argparse
import importlib.resources
import pathlib
import sys
from typing import Any, Final, TextIO

from desktop import kinds, paths
from desktop.config import ConfigError, load_config

COMMAND: Final = "plugins"


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(COMMAND, parents=parents, help="list plugins and provider kinds, or start one",
                                   description="Plugins react to what providers do; kinds add providers. "
                                               "See docs/plugins.md.")
    actions = parser.add_subparsers(dest="plugins_action", metavar="ACTION", required=True)
    actions.add_parser("list", parents=parents, help="each plugin and kind: where it comes from, its version, "
                                                     "its state (live from the running Portico, if any)")
    new = actions.add_parser("new", parents=parents, help="write a working plugin (or, with --kind, a provider "
                                                          "kind) project with its tests")
    new.add_argument("name", metavar="NAME", help="the plugin's or kind's name ([a-z][a-z0-9-]*)")
    new.add_argument("--kind", action="store_true", help="a provider kind instead of a plugin")
    new.add_argument("--dir", type=pathlib.Path, default=None, metavar="DIR",
                     help="where to write the portico-NAME folder (default: the current folder)")


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    if args.plugins_action == "new":
        return new_project(args.name, args.kind, args.dir or pathlib.Path.cwd(), out, err)
    return list_plugins(getattr(args, "config", None), out, err)


# --- list ---------------------------------------------------------------------------------------


def _live_states(config_path: pathlib.Path) -> dict[str, dict[str, Any]] | None:
    """The running Portico's plugin states, by name (None: no Portico runs for this config)."""
    from desktop.instance.single_instance import Request, send_request, server_name  # noqa: PLC0415 - Qt
    reply = send_request(server_name(config_path), Request("plugins"))
    if reply is None or not reply.get("ok"):
        return None
    return {info["name"]: info for info in reply.get("result") or [] if isinstance(info, dict)}


def _table(rows: list[tuple[str, ...]], out: TextIO) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1], file=out)


def list_plugins(config_path: pathlib.Path | None, out: TextIO, err: TextIO) -> int:
    from desktop.plugins.discovery import DEFAULT_ENABLED, discover  # noqa: PLC0415
    status = 0
    enabled: list[str] = list(DEFAULT_ENABLED)
    path = config_path or paths.default_config_file()
    try:
        config = load_config(config_path)
        listed = config.plugins.get("enabled", DEFAULT_ENABLED)
        enabled = [str(n) for n in listed] if isinstance(listed, list) else enabled
        skipped = config.skipped
    except ConfigError as exc:
        print(f"portico: config error: {exc}", file=err)
        skipped, status = (), 2
    kinds.load_installed()
    folder = paths.plugins_dir()
    sources = discover(folder)
    live = _live_states(path)
    print(f"Plugins (enabled in {path}; plugin files in {folder}"
          + ("; states from the running Portico" if live is not None else "") + "):", file=out)
    rows = [("NAME", "SOURCE", "VERSION", "STATE")]
    for name, source in sources.items():
        rows.append((name, source.origin, source.version or "-", _plugin_state(name, enabled, live)))
    for name in enabled:
        if name not in sources:
            rows.append((name, "-", "-", "enabled, not installed"))
            status = status or 1
    _table(rows, out)
    print("Provider kinds:", file=out)
    rows = [("KIND", "SOURCE", "VERSION", "STATE")]
    rows += [(k, "built-in", "-", "active") for k in kinds.BUILTIN_KINDS]
    for found in kinds.INSTALLED.values():
        rows.append((found.kind, found.distribution, found.version or "-",
                     "active" if found.active else f"broken: {found.error}"))
        if not found.active:
            status = status or 1
    _table(rows, out)
    for error in skipped:
        print(f"portico: {error}", file=err)
    return status


def _plugin_state(name: str, enabled: list[str], live: dict[str, dict[str, Any]] | None) -> str:
    if live is not None and name in live:
        info = live[name]
        if info.get("disabled_reason"):
            return f"disabled after failures: {info['disabled_reason']}"
        if info.get("active"):
            return "active" + (f" ({info['failures']} failures)" if info.get("failures") else "")
        return "enabled, not running" if info.get("enabled") else "not enabled"
    return "enabled" if name in enabled else "not enabled"


# --- new ----------------------------------------------------------------------------------------


def new_project(name: str, kind: bool, where: pathlib.Path, out: TextIO, err: TextIO) -> int:
    """Write ``portico-NAME/`` (pyproject with its entry point, the package, its tests, a README)."""
    if not kinds.KIND_NAME_RE.fullmatch(name):
        print(f"portico: {name!r} is not a usable name: use [a-z][a-z0-9-]* (at most 40 characters)", file=err)
        return 2
    if kind and name in kinds.BUILTIN_KINDS:
        print(f"portico: {name!r} is a built-in kind; choose another name", file=err)
        return 2
    project = where / f"portico-{name}"
    if project.exists():
        print(f"portico: {project} exists already; nothing written", file=err)
        return 2
    package = f"portico_{name.replace('-', '_')}"
    title = name.replace("-", " ").title()
    values = {"name": name, "package": package, "title": title}
    group, target = ("portico.kinds", f"{package}:KIND") if kind else ("portico.plugins", f"{package}:Plugin")
    files = {
        "pyproject.toml": _PYPROJECT.format(name=name, title=title, group=group, target=target, package=package,
                                            what="provider kind" if kind else "plugin"),
        f"{package}/__init__.py": _template("kind_init" if kind else "plugin_init", values),
        f"tests/test_{package}.py": _template("kind_test" if kind else "plugin_test", values),
        "README.md": _README.format(name=name, title=title, package=package,
                                    enable=_KIND_USE.format(name=name) if kind else _PLUGIN_USE.format(name=name)),
    }
    if kind:
        files[f"{package}/provider.py"] = _template("kind_provider", values)
    for relative, text in files.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"Wrote {project}/ ({', '.join(sorted(files))}).", file=out)
    print(f"Next: pip install -e {project}  (in Portico's Python), then see {project / 'README.md'}", file=out)
    return 0


def _template(name: str, values: dict[str, str]) -> str:
    text = importlib.resources.files("desktop.commands").joinpath(f"skeletons/{name}.py.txt").read_text("utf-8")
    return text.format(**values)


_PYPROJECT: Final = """[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "portico-{name}"
version = "0.1.0"
description = "{title}: a Portico {what}."
requires-python = ">=3.11"
# Portico is the host: the package imports desktop.plugins, which Portico provides at run time.

[project.entry-points."{group}"]
{name} = "{target}"

[tool.setuptools]
packages = ["{package}"]

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
"""

_README: Final = """# portico-{name}

{title}, written with `portico plugins new`. Its code imports only `desktop.plugins`, Portico's
public API (see Portico's docs/plugins.md).

- Test it: `python -m pytest` in this folder, with the Python that runs Portico.
- Install it: `pip install -e .` in this folder, with that same Python.
{enable}"""

_PLUGIN_USE: Final = """- Turn it on: add it to the config's `[plugins] enabled` list, e.g.
  `enabled = ["notifications", "tray", "{name}"]`, then run `portico demo` (the demo uses your
  `[plugins]`) or `portico`. `portico plugins list` shows it and its state.
"""

_KIND_USE: Final = """- Use it: add a provider of the new kind to the config, then run `portico`:

  ```toml
  [[provider]]
  id = "my-{name}"
  kind = "{name}"
  url = "https://app.example.com/"
  ```

  `portico plugins list` shows the kind; `portico send my-{name} ping` posts a ping to its page.
"""
