"""The ``portico`` command line: run, demo, doctor, and the subcommands in desktop/commands."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pathlib
import sys
from collections.abc import Sequence

from desktop import log as portico_log
from desktop.config import ConfigError, load_config
from desktop.demo.rocketchat_releases import DEFAULT_RELEASE, RELEASES

#: Subcommands implemented in their own modules (each has ``add_parser`` and ``run``).
COMMAND_MODULES: tuple[str, ...] = ("desktop.commands.remote", "desktop.commands.credentials",
                                   "desktop.commands.rocketchat", "desktop.commands.plugins",
                                   "desktop.commands.config")


def _positive_seconds(text: str) -> float:
    value = float(text)
    if not 0 < value <= 7 * 24 * 3600:
        raise argparse.ArgumentTypeError("must be a number of seconds greater than 0")
    return value


class _VersionAction(argparse.Action):
    """``--version``: reads the version only when asked (importlib.metadata is slow to import,
    and every start builds this parser: docs/startup.md)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str = "show the version and exit") -> None:  # noqa: A002
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from desktop import __version__  # noqa: PLC0415
        print(f"portico {__version__}")
        parser.exit()


def _options(sub: bool) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The shared options; on subcommands they default to SUPPRESS so that
    `portico --headless demo` and `portico demo --headless` both work."""
    d = {"default": argparse.SUPPRESS} if sub else {}
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=pathlib.Path, metavar="FILE",
                        help="config file (default: the user's portico/config.toml)", **d)
    common.add_argument("-v", "--verbose", action="store_true", help="log debug messages", **d)
    gui = argparse.ArgumentParser(add_help=False)
    gui.add_argument("--headless", action="store_true", help="no visible window (offscreen platform)", **d)
    gui.add_argument("--quit-after", type=_positive_seconds, metavar="SECONDS",
                     help="quit after this many seconds", **d)
    gui.add_argument("--event-log", type=pathlib.Path, metavar="FILE",
                     help="append every message in and out as JSON lines to FILE (secrets redacted)", **d)
    gui.add_argument("--minimized", action="store_true", help="start in the tray (minimized where there is "
                     "none), as the login autostart does", **d)
    gui.add_argument("--open", dest="open_provider", metavar="ID",
                     help="show this provider (in the running Portico, if there is one)", **d)
    return common, gui


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The command line; ``commands=False`` leaves out the subcommands of COMMAND_MODULES (and
    raises ArgumentError instead of exiting, see :func:`parse`)."""
    top_common, top_gui = _options(sub=False)
    common, gui = _options(sub=True)
    parser = argparse.ArgumentParser(prog="portico", parents=[top_common, top_gui], exit_on_error=commands,
                                     description="The web apps your team lives in, in one native window.")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", parents=[common, gui], help="open the configured providers (the default)")
    demo = sub.add_parser("demo", parents=[common, gui], help="open Portico against built-in local simulators")
    demo.add_argument("--rocketchat-version", choices=list(RELEASES), default=DEFAULT_RELEASE, metavar="RELEASE",
                      help="the Rocket.Chat release the simulator plays: " + ", ".join(RELEASES)
                      + f" (default {DEFAULT_RELEASE})")
    sub.add_parser("doctor", parents=[common], help="check Qt WebEngine, the keyring and the config")
    for name in COMMAND_MODULES if commands else ():
        importlib.import_module(name).add_parser(sub, parents=[common])
    return parser


def parse(argv: list[str]) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """Parse ``argv``. Nearly every start is ``portico [run|demo] [options]``: that is tried with
    the parser that leaves the other subcommands out (their modules and parsers take time); help,
    another subcommand or a mistake gets the full parser, and so its full help and messages."""
    if not {"-h", "--help"} & set(argv):
        parser = build_parser(commands=False)
        try:
            return parser, parser.parse_args(argv)
        except argparse.ArgumentError:
            pass
    parser = build_parser()
    return parser, parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) == 1:
        from desktop import links
        if links.is_link(argv[0]):
            return _follow_link(argv[0])
    parser, args = parse(argv)
    portico_log.setup(logging.DEBUG if args.verbose else logging.INFO)
    portico_log.install_crash_hooks()
    command = args.command or "run"
    if command == "doctor":
        from desktop.doctor import run_doctor
        return run_doctor(args.config)
    if command in {"run", "demo"}:
        return _run_gui(args, demo=command == "demo")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        if command in getattr(module, "COMMAND_NAMES", (getattr(module, "COMMAND", None),)):
            return int(module.run(args))
    parser.error(f"unknown command {command!r}")
    return 2


def _follow_link(link: str) -> int:
    """A ``portico://`` link (the .desktop entry's ``%u``): the running Portico shows the
    provider; with none running, Portico starts."""
    from desktop import links
    try:
        argv = links.link_argv(link)
    except links.LinkError as exc:
        print(f"portico: {exc}", file=sys.stderr)
        return 2
    return main(["--open", argv[1]] if argv else [])


def _users_plugins(path: pathlib.Path | None) -> dict | None:
    """The ``[plugins]`` table of the user's config (``--config`` or the default one), for the
    demo; None, with a warning, when that config cannot be read."""
    from desktop import paths
    from desktop.plugins.discovery import discover
    from desktop.plugins.manager import validate_plugins
    try:
        config = load_config(path)
        # Checked here, against the user's file: in the demo's copy an error would name the wrong file.
        validate_plugins(config, discover(paths.plugins_dir()))
    except ConfigError as exc:
        print(f"portico demo: your config has an error, so the demo runs without your plugins: {exc}",
              file=sys.stderr)
        return None
    return dict(config.plugins) or None


def _run_gui(args: argparse.Namespace, demo: bool) -> int:
    from desktop import pyside
    pyside.skip_feature_scan()
    from desktop import launch
    if not args.headless and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and sys.platform.startswith("linux") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        print("portico: no display found (DISPLAY and WAYLAND_DISPLAY are unset); use --headless "
              "to run without a window", file=sys.stderr)
        return 2
    if demo:
        from desktop.demo.run import demo_config
        with demo_config(rocketchat_release=args.rocketchat_version, plugins=_users_plugins(args.config)) as demo:
            print(f"portico demo: simulators on loopback, config in {demo.config.path}", file=sys.stderr)
            if demo.config.plugins.get("enabled"):
                print(f"portico demo: with your plugins: {', '.join(map(str, demo.config.plugins['enabled']))}",
                      file=sys.stderr)
            return launch.run(demo.config, args.headless, args.quit_after, args.event_log, demo.get_secret,
                              select=args.open_provider, minimized=args.minimized)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"portico: config error: {exc}", file=sys.stderr)
        return 2
    for skipped in config.skipped:
        print(f"portico: {skipped}", file=sys.stderr)
    if not config.providers:
        print(f"portico: {config.path} has no [[provider]] yet; try `portico demo`, or see README.md "
              "for the config format", file=sys.stderr)
    return launch.run(config, args.headless, args.quit_after, args.event_log, select=args.open_provider,
                      minimized=args.minimized)
