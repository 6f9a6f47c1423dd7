"""An identity provider on its own loopback origin: the OAuth authorize page an SSO pop-up signs in at."""

from __future__ import annotations

import html
import secrets
import threading
import urllib.parse
from typing import Final

from desktop.demo.server import LoopbackServer, Request, Response

_PAGE: Final = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Corp SSO: sign in</title>
<style>
  body {{ font: 15px/1.5 system-ui, sans-serif; background: #eef1f5; margin: 0; display: flex; min-height: 100vh; }}
  form {{ margin: auto; background: #fff; padding: 28px 32px; border-radius: 8px; width: 300px;
         box-shadow: 0 2px 12px rgba(0,0,0,.12); display: flex; flex-direction: column; gap: 10px; }}
  h1 {{ font-size: 19px; margin: 0 0 4px; }} p {{ margin: 0; color: #555; font-size: 13px; }}
  input {{ font: inherit; padding: 7px; border: 1px solid #c8ccd2; border-radius: 4px; }}
  button {{ font: inherit; padding: 8px; border: 0; border-radius: 4px; background: #2b5fd9; color: #fff; }}
  .error {{ color: #c0392b; min-height: 1.2em; font-size: 13px; }}
</style></head><body>
<form method="post" action="/authorize" id="idp-form">
  <h1>Corp SSO</h1><p>Sign in to continue to {client}</p>
  <input name="username" id="idp-user" placeholder="Username" autocomplete="username">
  <input name="password" id="idp-password" type="password" placeholder="Password" autocomplete="current-password">
  <input type="hidden" name="redirect_uri" value="{redirect_uri}"><input type="hidden" name="state" value="{state}">
  <div class="error">{error}</div><button id="idp-submit">Sign in</button>
</form></body></html>"""


class IdentityProvider:
    """The authorize endpoint of an OAuth 2 provider, with a login form (a real user's typing).

    ``GET /authorize?client_id&redirect_uri&state`` shows the form; a right username and password
    redirect to ``redirect_uri?code=&state=``, where the client's server redeems the code
    (:meth:`redeem`, which a real server does with a request of its own).

    Attributes:
        users: username -> password.
        clients: client id -> the redirect URIs it registered (anything else is refused).
        signed_in: usernames in the order they signed in (tests).
    """

    def __init__(self) -> None:
        self.users: dict[str, str] = {}
        self.clients: dict[str, tuple[str, ...]] = {}
        self.signed_in: list[str] = []
        self._codes: dict[str, tuple[str, str]] = {}  # code -> (username, client id)
        self._lock = threading.Lock()
        self.server: LoopbackServer | None = None

    def start(self, host: str = "127.0.0.1", tls: tuple[str, str] | None = None) -> LoopbackServer:
        self.server = LoopbackServer(self.route, host, tls=tls).start()
        return self.server

    @property
    def origin(self) -> str:
        assert self.server is not None
        return self.server.origin

    def authorize_url(self, client_id: str, redirect_uri: str, state: str) -> str:
        query = urllib.parse.urlencode({"client_id": client_id, "redirect_uri": redirect_uri, "state": state})
        return f"{self.origin}/authorize?{query}"

    def redeem(self, code: str, client_id: str) -> str | None:
        """The username a code was issued for (once; None if unknown, used or another client's)."""
        with self._lock:
            found = self._codes.pop(code, None)
        return found[0] if found is not None and found[1] == client_id else None

    def route(self, request: Request) -> Response:
        if request.path != "/authorize":
            return Response(404, b"not found", "text/plain")
        fields = request.query if request.method == "GET" else urllib.parse.parse_qs(
            request.body.decode("utf-8", "replace"))
        arg = lambda name: (fields.get(name) or [""])[0]  # noqa: E731
        client, redirect_uri, state = arg("client_id"), arg("redirect_uri"), arg("state")
        if request.method == "GET":
            if redirect_uri not in self.clients.get(client, ()):
                return Response(400, b"unknown client or redirect_uri", "text/plain")
            return self._form(client, redirect_uri, state, "")
        client = next((c for c, uris in self.clients.items() if redirect_uri in uris), "")
        if not client:
            return Response(400, b"unknown redirect_uri", "text/plain")
        username, password = arg("username"), arg("password")
        if not username or self.users.get(username) != password or not password:
            return self._form(client, redirect_uri, state, "Wrong username or password.")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = (username, client)
            self.signed_in.append(username)
        sep = "&" if "?" in redirect_uri else "?"
        location = redirect_uri + sep + urllib.parse.urlencode({"code": code, "state": state})
        return Response(302, b"", "text/plain", {"Location": location})

    def _form(self, client: str, redirect_uri: str, state: str, error: str) -> Response:
        return Response.html(_PAGE.format(client=html.escape(client), redirect_uri=html.escape(redirect_uri),
                                          state=html.escape(state), error=html.escape(error)))
