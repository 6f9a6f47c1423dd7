"""``portico rocketchat create-user|create-token``: provision Rocket.Chat users with an admin's token."""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import sys
import time
import urllib.parse
from collections.abc import Callable
from typing import Any, Final, TextIO

from desktop import credentials
from desktop.config import ConfigError, ProviderConfig, load_config
from desktop.redact import forget_secret, register_secret, scrub_text
from desktop.secret import Secret

COMMAND: Final = "rocketchat"
TIMEOUT_S: Final = 20.0

Ask = Callable[[str], Secret]


class RocketChatCliError(Exception):
    """A failure to report: the message and what to do (never a secret)."""

    def __init__(self, message: str, hint: str = "", code: int = 1) -> None:
        super().__init__(message)
        self.hint, self.code = hint, code


def add_parser(subparsers: Any, parents: list[argparse.ArgumentParser] | None = None) -> None:
    parents = parents or []
    parser = subparsers.add_parser(
        COMMAND, parents=parents, help="create Rocket.Chat users and their login tokens (admin)",
        description="Admin helpers for embedding: ADMIN_ID is a rocketchat provider of the config whose "
                    "user_id is an admin's and whose keyring `token` is that admin's personal access token "
                    "(create it with “Ignore Two Factor Authentication”, or answer the 2FA prompt).")
    actions = parser.add_subparsers(dest="rocketchat_action", metavar="ACTION", required=True)
    p = actions.add_parser("create-user", parents=parents, help="POST /api/v1/users.create",
                           description="Create a user; the password is read from stdin (one line) or asked for.")
    p.add_argument("admin", metavar="ADMIN_ID", help="the admin's provider id")
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--role", action="append", dest="roles", metavar="ROLE", help="a role (repeatable; default user)")
    p.add_argument("--no-default-channels", action="store_true", help="do not join the default channels")
    p.add_argument("--verified", action="store_true", help="mark the e-mail address verified")
    p.add_argument("--store", metavar="PROVIDER_ID", help="also store the password as PROVIDER_ID/password")
    p = actions.add_parser("create-token", parents=parents, help="POST /api/v1/users.createToken",
                           description="Create a login token for a user (printed, or stored with --store). "
                                       "Servers 3.x–7.x need CREATE_TOKENS_FOR_USERS=true in their environment; "
                                       "8.x need the value of CREATE_TOKENS_FOR_USERS_SECRET, which is asked for.")
    p.add_argument("admin", metavar="ADMIN_ID", help="the admin's provider id")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--user-id")
    who.add_argument("--username")
    p.add_argument("--store", metavar="PROVIDER_ID", help="store the token as PROVIDER_ID/token instead of printing it")


def line_prompt(stdin: TextIO) -> Ask:
    """Ask without echo on a terminal; from a pipe, read one line per question."""
    def ask(prompt: str) -> Secret:
        if stdin.isatty():
            return Secret(getpass.getpass(prompt))
        return Secret(stdin.readline().rstrip("\r\n"))
    return ask


def _opener() -> Any:
    """A urllib opener that follows no redirect (the 3xx comes back as an HTTPError): urllib's own
    resends X-Auth-Token to wherever Location points, another host or plain http included."""
    import urllib.request  # noqa: PLC0415 - see AdminClient._send

    class RefuseRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *_args: Any) -> None:
            return None

    return urllib.request.build_opener(RefuseRedirects)


class AdminClient:
    """REST calls as the admin (``X-User-Id`` + ``X-Auth-Token``), answering the 2FA gate once."""

    def __init__(self, server: str, user_id: str, token: Secret, ask: Ask) -> None:
        self.server, self.user_id, self.token, self.ask = server.rstrip("/"), user_id, token, ask
        self._two_factor: dict[str, str] = {}

    def call(self, method: str, path: str, body: Any = None, auth: bool = True) -> dict[str, Any]:
        for _ in range(2):
            status, answer, headers = self._send(method, path, body, auth)
            if status == 400 and answer.get("errorType") == "totp-required" and not self._two_factor:
                self._answer_2fa(answer.get("details"))
                continue
            return self._check(status, answer, headers)
        raise RocketChatCliError("Rocket.Chat asked for two-factor authentication again.")

    def _answer_2fa(self, details: Any) -> None:
        method = details.get("method") if isinstance(details, dict) else None
        if method == "password":
            password = self.ask("Rocket.Chat asks for the admin's password (2FA password fallback): ")
            code = hashlib.sha256(password.reveal().encode("utf-8")).hexdigest()
        elif method in ("totp", "email"):
            code = self.ask(f"Rocket.Chat asks for the admin's two-factor code ({method}): ").reveal().strip()
        else:
            raise RocketChatCliError(f"Rocket.Chat asks for two-factor authentication by {method!r}, which this "
                                     "command cannot answer.", "Use an admin token created with "
                                     "“Ignore Two Factor Authentication”.")
        if not code:
            raise RocketChatCliError("No two-factor answer was given.")
        register_secret(code)
        self._two_factor = {"x-2fa-method": str(method), "x-2fa-code": code}

    def _send(self, method: str, path: str, body: Any, auth: bool) -> tuple[int, dict[str, Any], Any]:
        # urllib.request (with http.client, email and ssl) is slow to import, and every `portico`
        # start imports this module to build its parser (docs/startup.md).
        import urllib.error  # noqa: PLC0415
        import urllib.request  # noqa: PLC0415
        headers = {"Accept": "application/json", **self._two_factor}
        if auth:
            headers.update({"X-User-Id": self.user_id, "X-Auth-Token": self.token.reveal()})
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.server + path, data=data, method=method, headers=headers)
        try:
            with _opener().open(request, timeout=TIMEOUT_S) as reply:  # http(s) from the config
                status, raw, reply_headers = reply.status, reply.read(1 << 20), reply.headers
        except urllib.error.HTTPError as exc:
            status, raw, reply_headers = exc.code, exc.read(1 << 20), exc.headers
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RocketChatCliError(f"{self.server} could not be reached ({reason}).",
                                     "Check server in the config and the network.") from None
        try:
            answer = json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, ValueError):
            answer = {}
        return status, answer if isinstance(answer, dict) else {}, reply_headers

    def _check(self, status: int, answer: dict[str, Any], headers: Any) -> dict[str, Any]:
        if status == 200 and answer.get("success") is not False:
            return answer
        if 300 <= status < 400:
            target = str(headers.get("Location", "")) if headers is not None else ""
            raise RocketChatCliError(
                f"Rocket.Chat answered with a redirect (HTTP {status}"
                f"{' to ' + scrub_text(target) if target else ''}); the admin's token is not sent on to it.",
                "Set server in the config to the address the server really answers on.")
        error = scrub_text(str(answer.get("error") or answer.get("message") or f"HTTP {status}"))
        if status == 429:
            reset = str(headers.get("X-RateLimit-Reset", "")) if headers is not None else ""
            wait = max(1, round(int(reset) / 1000 - time.time())) if reset.isdigit() else None
            raise RocketChatCliError(f"Rocket.Chat is limiting these calls (HTTP 429): {error}",
                                     f"Try again in {wait} seconds." if wait else "Try again in a minute.")
        if status == 401:
            raise RocketChatCliError(f"Rocket.Chat did not accept the admin's token (HTTP 401): {error}",
                                     "Store the admin's personal access token as ADMIN_ID/token and its user id "
                                     "as user_id of ADMIN_ID in the config.")
        if answer.get("errorType") in ("totp-invalid", "totp-max-attempts"):
            raise RocketChatCliError(f"The two-factor answer was refused: {error}")
        raise RocketChatCliError(f"Rocket.Chat refused the request (HTTP {status}): {error}",
                                 str(answer.get("errorType") or ""))


def _provider(config_providers: list[ProviderConfig], pid: str) -> ProviderConfig:
    for provider in config_providers:
        if provider.id == pid:
            if provider.kind != "rocketchat":
                raise RocketChatCliError(f"provider {pid!r} is a {provider.kind} provider, not rocketchat", code=2)
            return provider
    raise RocketChatCliError(f"no provider {pid!r} in the config",
                             "Add a rocketchat provider with the admin's user_id (see docs/rocketchat.md).", code=2)


def _major(version: Any) -> int:
    try:
        return int(str(version).split(".", 1)[0])
    except ValueError:
        return 0


def run(args: argparse.Namespace, stdin: TextIO | None = None, out: TextIO | None = None,
        err: TextIO | None = None, ask: Ask | None = None) -> int:
    """0 done, 1 Rocket.Chat or the keyring refused, 2 a wrong argument or config."""
    stdin = stdin if stdin is not None else sys.stdin
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    ask = ask or line_prompt(stdin)
    try:
        config = load_config(getattr(args, "config", None))
    except ConfigError as exc:
        print(f"portico: config error: {exc}", file=err)
        return 2
    live: list[str] = []
    try:
        admin = _provider(list(config.providers), args.admin)
        store = _provider(list(config.providers), args.store) if args.store else None
        if not admin.option("user_id"):
            raise RocketChatCliError(f"provider {admin.id!r} has no user_id",
                                     "Set user_id to the admin's user id (Administration ▸ Users).", code=2)
        try:
            token = credentials.get_secret(admin.id, "token", "rocketchat")
        except credentials.CredentialError as exc:
            raise RocketChatCliError(str(exc), exc.hint or f"portico credentials set {admin.id} token") from None
        register_secret(token.reveal())
        live.append(token.reveal())
        client = AdminClient(admin.option("server"), admin.option("user_id"), token, ask)
        if args.rocketchat_action == "create-user":
            return _create_user(args, client, store, ask, out)
        return _create_token(args, client, store, ask, out, live)
    except RocketChatCliError as exc:
        print(f"portico: {scrub_text(str(exc))}" + (f"\n→ {exc.hint}" if exc.hint else ""), file=err)
        return exc.code
    except credentials.CredentialError as exc:
        print(f"portico: {exc.user_message()}", file=err)
        return 1
    finally:
        for value in live:
            forget_secret(value)


def _create_user(args: argparse.Namespace, client: AdminClient, store: ProviderConfig | None, ask: Ask,
                 out: TextIO) -> int:
    password = ask(f"Password for the new user {args.username}: ")
    if not password:
        raise RocketChatCliError("nothing was created: the password is empty")
    body: dict[str, Any] = {"username": args.username, "name": args.name, "email": args.email,
                            "password": password.reveal(), "roles": args.roles or ["user"],
                            "joinDefaultChannels": not args.no_default_channels, "verified": bool(args.verified)}
    answer = client.call("POST", "/api/v1/users.create", body)
    user = answer.get("user") if isinstance(answer.get("user"), dict) else {}
    print(f"Created {args.username} (user id {user.get('_id', '?')}).", file=out)
    if store is not None:
        credentials.set_secret(store.id, "password", password, "rocketchat")
        print(f"Stored the password as {store.id}/password in the system keyring.", file=out)
    return 0


def _create_token(args: argparse.Namespace, client: AdminClient, store: ProviderConfig | None, ask: Ask,
                  out: TextIO, live: list[str]) -> int:
    version = client.call("GET", "/api/info", auth=False).get("version", "")
    major = _major(version)
    user_id = args.user_id
    if major >= 8:  # {userId, secret}: no username, and the server's CREATE_TOKENS_FOR_USERS_SECRET
        if not user_id:
            info = client.call("GET", "/api/v1/users.info?" + urllib.parse.urlencode({"username": args.username}))
            user_id = (info.get("user") or {}).get("_id")
        secret = ask("The server's CREATE_TOKENS_FOR_USERS_SECRET: ")
        register_secret(secret.reveal())
        live.append(secret.reveal())
        body: dict[str, Any] = {"userId": user_id, "secret": secret.reveal()}
    else:
        body = {"userId": user_id} if user_id else {"username": args.username}
    try:
        answer = client.call("POST", "/api/v1/users.createToken", body)
    except RocketChatCliError as exc:
        if "error-not-authorized" in str(exc) or "Not authorized" in str(exc):
            hint = ("the secret must equal CREATE_TOKENS_FOR_USERS_SECRET in the server's environment"
                    if major >= 8 else "the server must run with CREATE_TOKENS_FOR_USERS=true (3.x–7.x)"
                    if major >= 3 else "the admin needs the user-generate-access-token permission")
            raise RocketChatCliError(f"Rocket.Chat {version} did not create the token: not authorized.",
                                     hint[0].upper() + hint[1:] + ".") from None
        raise
    data = answer.get("data") if isinstance(answer.get("data"), dict) else {}
    token, uid = data.get("authToken"), data.get("userId")
    if not isinstance(token, str) or not token:
        raise RocketChatCliError("Rocket.Chat's answer had no token.")
    if store is not None:
        credentials.set_secret(store.id, "token", Secret(token), "rocketchat")
        print(f"Stored the token as {store.id}/token; set user_id = \"{uid}\" for {store.id} in the config "
              "(and remove its username).", file=out)
    else:
        print(f"{uid} {token}", file=out)
    return 0
