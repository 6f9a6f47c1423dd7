"""``portico credentials set|delete|list``: secrets into and out of the OS keyring, never printed."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, Final, TextIO

from desktop import credentials
from desktop.config import ConfigError, load_config
from desktop.providers.kinds import secret_fields
from desktop.secret import Secret

COMMAND: Final = "credentials"


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(COMMAND, parents=parents, help="store, delete or list secrets in the keyring")
    actions = parser.add_subparsers(dest="credentials_action", metavar="ACTION", required=True)
    for action, text in (("set", "store a secret (read from stdin when it is not a terminal, "
                                 "else asked for without echo)"),
                         ("delete", "delete a secret")):
        p = actions.add_parser(action, parents=parents, help=text)
        p.add_argument("provider_id", metavar="PROVIDER_ID")
        p.add_argument("field", metavar="FIELD")
    p = actions.add_parser("list", parents=parents, help="which secrets are stored (never their values)")
    p.add_argument("provider_id", metavar="PROVIDER_ID", nargs="?")


def _read_secret(field: str, stdin: TextIO) -> Secret:
    if stdin.isatty():
        value = getpass.getpass(f"{field}: ")
    else:
        value = stdin.readline()
        value = value[:-1] if value.endswith("\n") else value
        value = value[:-1] if value.endswith("\r") else value
    return Secret(value)


def run(args: argparse.Namespace, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    err = sys.stderr
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"portico: config error: {exc}", file=err)
        return 2
    kinds = {p.id: p.kind for p in config.providers}
    wanted = getattr(args, "provider_id", None)
    if wanted is not None and wanted not in kinds:
        known = ", ".join(kinds) or "none"
        print(f"portico: no provider {wanted!r} in {config.path} (providers: {known})", file=err)
        return 2
    try:
        if args.credentials_action == "list":
            for pid in [wanted] if wanted else list(kinds):
                stored = credentials.stored_fields(pid, kinds[pid])
                fields = secret_fields(kinds[pid])
                shown = ", ".join(f"{f} ({'stored' if f in stored else 'missing'})" for f in fields) or "no secrets"
                print(f"{pid} ({kinds[pid]}): {shown}", file=out)
            return 0
        credentials.check_field(kinds[wanted], args.field)
        if args.credentials_action == "set":
            secret = _read_secret(args.field, stdin)
            if not secret:
                print("portico: an empty secret was not stored", file=err)
                return 2
            credentials.set_secret(wanted, args.field, secret)
            print(f"Stored {args.field} for {wanted} in the system keyring.", file=out)
        else:
            credentials.delete_secret(wanted, args.field)
            print(f"Deleted {args.field} of {wanted} from the system keyring.", file=out)
        return 0
    except credentials.CredentialError as exc:
        print(f"portico: {exc.user_message()}", file=err)
        return 1
