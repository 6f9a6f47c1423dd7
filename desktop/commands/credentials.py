"""``portico credentials set|delete|list``: secrets into and out of the OS keyring, never printed."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, Final, TextIO

from desktop import credentials
from desktop.config import NETWORK_ID, ConfigError, load_config
from desktop.kinds import secret_fields
from desktop.secret import Secret

COMMAND: Final = "credentials"


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser] | None = None) -> None:
    """Add ``credentials`` and its actions; ``parents`` carry the shared options (``--config``)."""
    parents = parents or []
    parser = subparsers.add_parser(COMMAND, parents=parents, help="store, delete or list secrets in the keyring",
                                   description="Secrets live in the system keyring (service 'portico', "
                                               "user name PROVIDER_ID/FIELD), never in the config.")
    actions = parser.add_subparsers(dest="credentials_action", metavar="ACTION", required=True)
    for action, text in (("set", "store a secret: read from stdin when it is not a terminal (one trailing "
                                 "newline is dropped), else asked for without echo"),
                         ("delete", "delete a secret")):
        p = actions.add_parser(action, parents=parents, help=text, description=text)
        p.add_argument("provider_id", metavar="PROVIDER_ID", help="a provider id from the config")
        p.add_argument("field", metavar="FIELD", help="a secret field of the provider's kind, e.g. password")
    p = actions.add_parser("list", parents=parents, help="which secrets are stored (never their values)")
    p.add_argument("provider_id", metavar="PROVIDER_ID", nargs="?", help="only this provider")
    if not parents:  # used without the shared options of desktop.cli
        for sub in (parser, *actions.choices.values()):
            sub.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help="config file")


def read_secret(prompt: str, stdin: TextIO) -> Secret:
    """The secret from a pipe (all of it, minus one trailing newline) or typed without echo."""
    if stdin.isatty():
        return Secret(getpass.getpass(prompt))
    value = stdin.read()
    if value.endswith("\r\n"):
        value = value[:-2]
    elif value.endswith("\n"):
        value = value[:-1]
    return Secret(value)


def run(args: argparse.Namespace, stdin: TextIO | None = None, out: TextIO | None = None,
        err: TextIO | None = None) -> int:
    """Run one action: 0 done, 1 the keyring refused or failed, 2 a wrong argument or config."""
    stdin = stdin if stdin is not None else sys.stdin
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        config = load_config(getattr(args, "config", None))
    except ConfigError as exc:
        print(f"portico: config error: {exc}", file=err)
        return 2
    kinds = {p.id: p.kind for p in config.providers}
    wanted: str | None = getattr(args, "provider_id", None)
    network = wanted == NETWORK_ID and args.credentials_action != "list"  # the [network] table's proxy password
    if wanted is not None and wanted not in kinds and not network:
        print(f"portico: no provider {wanted!r} in {config.path} (providers: {', '.join(kinds) or 'none'})",
              file=err)
        return 2
    action = args.credentials_action
    try:
        if action == "list":
            for pid in [wanted] if wanted else list(kinds):
                fields = secret_fields(kinds[pid])
                stored = credentials.stored_fields(pid, kinds[pid]) if fields else []
                shown = ", ".join(f"{f} ({'stored' if f in stored else 'missing'})" for f in fields)
                print(f"{pid} ({kinds[pid]}): {shown or 'no secrets'}", file=out)
            return 0
        assert wanted is not None
        kind = kinds.get(wanted)
        if network:
            if args.field != "proxy_password":
                raise credentials.UnknownField(f"{args.field!r} is not a secret of [network]; its only one: "
                                               "proxy_password.")
        else:
            credentials.check_field(kinds[wanted], args.field, wanted)
    except credentials.UnknownField as exc:
        print(f"portico: {exc.user_message()}", file=err)
        return 2
    except credentials.CredentialError as exc:
        print(f"portico: {exc.user_message()}", file=err)
        return 1
    try:
        if action == "set":
            secret = read_secret(f"{args.field} for {wanted}: ", stdin)
            if not secret:
                print("portico: nothing was stored: the secret is empty", file=err)
                return 2
            credentials.set_secret(wanted, args.field, secret, kind)
            print(f"Stored {args.field} of {wanted} in the system keyring.", file=out)
        else:
            credentials.delete_secret(wanted, args.field, kind)
            print(f"Deleted {args.field} of {wanted} from the system keyring.", file=out)
        return 0
    except credentials.CredentialError as exc:
        print(f"portico: {exc.user_message()}", file=err)
        return 1

