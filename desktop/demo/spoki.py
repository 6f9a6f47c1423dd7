"""A local Spoki: the token endpoint with its error answers, and the embedded app posting iframe events."""

from __future__ import annotations

import dataclasses
import random
import re
import secrets
import threading
import time
import uuid
from typing import Any, Final

import tomlkit

from desktop.demo.server import LoopbackServer, Request, Response, boot_page
from desktop.secret import Secret

AUTH_PATH: Final = "/api/1/auth/get_authentication_token/"

#: What ``portico demo`` stores for its Spoki panel (fake values the simulator accepts).
DEMO_EMAIL: Final = "service.user@demo.spoki.test"
DEMO_API_KEY: Final = "demo-spoki-api-key-7f3a9c"
DEMO_PRIVATE_KEY: Final = "demo-spoki-private-key-41d2e8"
DEMO_SECRETS: Final = {"api_key": DEMO_API_KEY, "private_key": DEMO_PRIVATE_KEY}

#: ``SpokiSimulator.auth_mode`` values. ``ok`` checks the request like Spoki would (and answers
#: 401/403/400 for wrong keys, an unapproved key, an unknown email or a wrong private key);
#: the others force one answer whatever the request says.
AUTH_MODES: Final = ("ok", "401", "403", "400-field", "400-detail", "400-code", "429", "500",
                     "garbage", "no-token", "redirect", "huge")

_PAGE_RE: Final = re.compile(r"/(chats|templates|chats/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
_NAMESPACE: Final = uuid.UUID("6a1b2c3d-0000-4000-8000-5b0c1a11ce00")

_FIRST = ["Giulia", "Marco", "Sofia", "Luca", "Elena", "Pablo", "Lucía", "Ada", "Tomás", "Chiara",
          "Mateo", "Valentina", "Noah", "Emma", "Diego"]
_LAST = ["Rossi", "Bianchi", "García", "Ferrari", "López", "Romano", "Martín", "Colombo", "Ricci", "Moreno"]
_TEXTS = ["Hi! Is my order on its way?", "Can I change the delivery address?", "Thanks, all good 👍",
          "Do you open on Sunday?", "I'd like to book for 4 people", "<b>bold?</b> <script>alert(1)</script>",
          "Ciao, avete ancora la taglia M?", "¿Puedo pagar con PayPal?", "Perfect, see you tomorrow"]


@dataclasses.dataclass
class _Token:
    uid: str
    email: str
    issued: float
    used: bool = False


class SpokiSimulator:
    """The state behind one simulated Spoki (API and app on the same loopback server).

    Attributes:
        auth_mode: one of :data:`AUTH_MODES`; switch it at any time.
        retry_after: the ``Retry-After`` header sent with 429 (empty: none).
        approved: whether the API key is approved (``ok`` mode answers 403 when not).
        cadence_ms: how often the app simulates an incoming WhatsApp message (0: never; tests
            drive the app through ``window.spokiSim`` instead).
        token_ttl: seconds an unused token stays valid.
        auth_requests: every token request received (method, headers, parsed body), for tests.
        page_loads: every app page request, as ``(path, query)``.
    """

    def __init__(self, api_key: str = DEMO_API_KEY, accounts: dict[str, str] | None = None,
                 cadence_ms: int = 0, token_ttl: float = 60.0, seed: int = 7) -> None:
        self.api_key = api_key
        self.accounts: dict[str, str] = dict(accounts or {DEMO_EMAIL: DEMO_PRIVATE_KEY})
        self.auth_mode = "ok"
        self.retry_after = "1"
        self.approved = True
        self.cadence_ms = cadence_ms
        self.token_ttl = token_ttl
        self.seed = seed
        self.auth_requests: list[dict[str, Any]] = []
        self.page_loads: list[tuple[str, dict[str, list[str]]]] = []
        self._tokens: dict[str, _Token] = {}
        #: Every auth_token and auth_uid handed out: what tests look for on disk.
        self.issued: list[str] = []
        self._lock = threading.Lock()

    # --- the API ------------------------------------------------------------------------

    def issue_token(self, email: str = DEMO_EMAIL) -> tuple[str, str]:
        """Mint a token as the auth endpoint would (tests use it to build URLs by hand)."""
        token, uid = secrets.token_urlsafe(24), "u" + secrets.token_hex(6)
        with self._lock:
            self._tokens[token] = _Token(uid=uid, email=email, issued=time.monotonic())
            self.issued += [token, uid]
        return token, uid

    def _auth(self, request: Request) -> Response:
        try:
            body: Any = request.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        with self._lock:
            self.auth_requests.append({"method": request.method, "headers": dict(request.headers),
                                       "body": body, "query": dict(request.query)})
            mode = self.auth_mode
        if request.method != "POST":
            return Response.json({"detail": f'Method "{request.method}" not allowed.'}, 405)
        forced = self._forced(mode)
        if forced is not None:
            return forced
        key = request.headers.get("x-spoki-api-key", "")
        if not key or not secrets.compare_digest(key, self.api_key):
            return Response.json({"detail": "Invalid API key."}, 401)
        if not self.approved:
            return Response.json({"detail": "Your API key has not been approved yet."}, 403)
        if not request.headers.get("content-type", "").startswith("application/json") or not isinstance(body, dict):
            return Response.json({"detail": "JSON parse error - Expecting value: line 1 column 1 (char 0)"}, 400)
        errors: dict[str, list[str]] = {}
        email, private_key = body.get("email"), body.get("private_key")
        if not isinstance(email, str) or not email:
            errors["email"] = ["This field is required."]
        elif "@" not in email:
            errors["email"] = ["Enter a valid email address."]
        elif email not in self.accounts:
            errors["email"] = ["No service user with this email."]
        if not isinstance(private_key, str) or not private_key:
            errors["private_key"] = ["This field is required."]
        elif not errors and not secrets.compare_digest(private_key, self.accounts[email]):
            errors["private_key"] = ["Invalid private key."]
        if errors:
            return Response.json(errors, 400)
        token, uid = self.issue_token(email)
        return Response.json({"token": token, "uid": uid})

    def _forced(self, mode: str) -> Response | None:
        if mode == "401":
            return Response.json({"detail": "Authentication credentials were not provided."}, 401)
        if mode == "403":
            return Response.json({"detail": "You do not have permission to perform this action."}, 403)
        if mode == "400-field":
            return Response.json({"email": ["Enter a valid email address."]}, 400)
        if mode == "400-detail":
            return Response.json({"detail": "Malformed request."}, 400)
        if mode == "400-code":
            return Response.json({"code": "spoki::3014", "detail": "Service user not found."}, 400)
        if mode == "429":
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            return Response.json({"detail": "Request was throttled."}, 429, headers)
        if mode == "500":
            return Response(500, b"<h1>Server Error (500)</h1>", "text/html")
        if mode == "garbage":
            return Response(200, b"{\"token\": \"abc\", \"uid\": ", "application/json")
        if mode == "no-token":
            return Response.json({"token": "", "uid": "u1"})
        if mode == "huge":
            return Response.json({"token": "t" * 200_000, "uid": "u1"})
        if mode == "redirect":
            return Response(307, b"", "text/plain", {"Location": "http://127.0.0.2:9/api/1/auth/steal/"})
        return None

    # --- the app ------------------------------------------------------------------------

    def _app(self, request: Request) -> Response:
        with self._lock:
            self.page_loads.append((request.path, dict(request.query)))
        language = request.arg("language", "en") or "en"
        token, uid = request.arg("auth_token") or "", request.arg("auth_uid") or ""
        with self._lock:
            entry = self._tokens.get(token)
            problem = None
            if entry is None or not secrets.compare_digest(entry.uid, uid):
                problem = "invalid"
            elif entry.used or time.monotonic() - entry.issued > self.token_ttl:
                problem = "expired"
            else:
                entry.used = True
        if problem is not None:
            return Response.html(_error_page(problem, language), 401)
        boot = {
            "page": request.path.lstrip("/"),
            "language": language if language in ("it", "en", "es") else "en",
            "canViewChatList": request.arg("can_view_chat_list", "true") != "false",
            "canReplyInChat": request.arg("can_reply_in_chat", "true") != "false",
            "canSendPaypalInChat": request.arg("can_send_paypal_in_chat", "true") != "false",
            "cadenceMs": int(self.cadence_ms),
            "account": entry.email if entry else "",
            "chats": self.chats(),
            "templates": ["order_shipped", "appointment_reminder", "welcome_message", "review_request"],
        }
        text = boot_page("spoki", "__SPOKI_BOOT__", boot)
        return Response.html(text, headers={"Referrer-Policy": "no-referrer"})

    def chats(self) -> list[dict[str, Any]]:
        """The seeded chat list (45 chats, three of them unread)."""
        rng = random.Random(self.seed)
        chats = []
        for i in range(45):
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            chats.append({
                "uuid": str(uuid.uuid5(_NAMESPACE, f"{self.seed}-{i}")),
                "contact": {"first_name": name.split()[0], "last_name": name.split()[1],
                            "phone": f"+39 3{rng.randint(10, 99)} {rng.randint(100000, 999999)}"},
                "last_message": {"text": rng.choice(_TEXTS), "minutes_ago": 7 * i + rng.randint(0, 6)},
                "unread_count": rng.randint(1, 3) if i in (0, 4, 11) else 0,
            })
        return chats

    def route(self, request: Request) -> Response:
        if request.path == AUTH_PATH:
            return self._auth(request)
        if request.path.startswith("/api/"):
            return Response.json({"detail": "Not found."}, 404)
        if request.method in {"GET", "HEAD"} and _PAGE_RE.fullmatch(request.path):
            return self._app(request)
        if request.path == "/favicon.ico":
            return Response(204, b"", "image/x-icon")
        return Response.html("<!doctype html><title>Spoki</title><h1>Page not found</h1>", 404)


_ERRORS: Final = {
    "en": ("Session expired", "This sign-in link is not valid any more. Reload to sign in again."),
    "it": ("Sessione scaduta", "Questo link di accesso non è più valido. Ricarica per accedere di nuovo."),
    "es": ("Sesión caducada", "Este enlace de acceso ya no es válido. Recarga para iniciar sesión de nuevo."),
}


def _error_page(problem: str, language: str) -> str:
    title, text = _ERRORS.get(language, _ERRORS["en"])
    return (f'<!doctype html><html lang="{language if language in _ERRORS else "en"}"><head><meta charset="utf-8">'
            f"<title>Spoki</title></head><body style=\"font-family:sans-serif;padding:2em\">"
            f'<h1 id="spoki-error" data-problem="{problem}">{title}</h1><p>{text}</p></body></html>')


def start_app(host: str = "127.0.0.1", port: int = 0, **options: Any) -> tuple[LoopbackServer, SpokiSimulator]:
    """Start a simulated Spoki (API and app) on loopback; stop it with ``server.stop()``."""
    simulator = SpokiSimulator(**options)
    return LoopbackServer(simulator.route, host, port).start(), simulator


def demo_table(server: LoopbackServer, provider_id: str = "demo-spoki") -> dict[str, Any]:
    """The ``[[provider]]`` table ``portico demo`` writes for its Spoki panel."""
    return {"id": provider_id, "kind": "spoki", "title": "Spoki (WhatsApp)",
            "api_base": server.origin, "app_base": server.origin, "email": DEMO_EMAIL,
            "page": "chats", "language": "en", "can_view_chat_list": True, "can_reply_in_chat": True,
            "can_send_paypal_in_chat": True}


def demo_get_secret(provider_id: str, field: str) -> Secret | None:
    """The ``get_secret`` of the demo's Spoki panel: the simulator's fake keys, no keyring involved."""
    value = DEMO_SECRETS.get(field)
    return Secret(value) if value is not None else None


def add_to_demo(doc: tomlkit.TOMLDocument, servers: list[LoopbackServer], cadence_ms: int = 12_000) -> None:
    """Start the demo Spoki (a customer message every ``cadence_ms``) and add its provider table.

    The panel needs :func:`demo_get_secret` as its provider's ``get_secret``.
    """
    server, _ = start_app(cadence_ms=cadence_ms)
    servers.append(server)
    table = tomlkit.table()
    table.update(demo_table(server))
    doc["provider"].append(table)
