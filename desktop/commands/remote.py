"""``portico open ID`` and ``portico send ID COMMAND [ARGS...]``: talk to the running Portico."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Final

from desktop import paths
from desktop.instance.control import COMMANDS

#: The subcommands this module adds (``desktop.cli`` dispatches on them).
COMMAND_NAMES: Final = ("open", "send")
COMMAND: Final = "send"


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    open_parser = subparsers.add_parser(
        "open", parents=parents, help="show a provider in the running Portico",
        description="Bring the running Portico forward with this provider selected (woken if it hibernates).")
    open_parser.add_argument("provider", metavar="ID", help="the provider id from the config")
    lines = "\n".join(f"  {c.usage():<34} {c.summary}" for c in COMMANDS.values())
    send_parser = subparsers.add_parser(
        "send", parents=parents, help="send a command to a provider in the running Portico",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Send a command to a provider of the running Portico, e.g.\n"
                    "  portico send work go /channel/general\n\n"
                    f"Commands (each provider takes those its kind implements):\n{lines}\n\n"
                    "Without COMMAND, lists the commands this provider takes.")
    send_parser.add_argument("provider", metavar="ID", help="the provider id from the config")
    send_parser.add_argument("remote_command", metavar="COMMAND", nargs="?", help="what to do")
    send_parser.add_argument("args", metavar="ARGS", nargs="*", help="the command's arguments")


def run(args: argparse.Namespace) -> int:
    # Here, not at the top: every `portico` start builds this module's parser, and the socket
    # needs Qt (QtNetwork), which `portico credentials …` never loads.
    from desktop.instance.single_instance import Request, send_request, server_name  # noqa: PLC0415
    config = getattr(args, "config", None) or paths.default_config_file()
    if args.command == "open":
        request = Request("open", args.provider)
    elif args.remote_command is None:
        request = Request("commands", args.provider)
    else:
        request = Request("send", args.provider, args.remote_command, tuple(args.args))
    reply = send_request(server_name(config), request)
    if reply is None:
        print(f"portico: no running Portico for {config}; start it with `portico` first", file=sys.stderr)
        return 3
    if not reply.get("ok"):
        print(f"portico: {reply.get('error', 'the running Portico refused the request')}", file=sys.stderr)
        return 1
    if request.op == "commands":
        for command in reply.get("result") or []:
            print(f"{command.get('usage', ''):<34} {command.get('summary', '')}")
    return 0
