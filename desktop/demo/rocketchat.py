"""A local Rocket.Chat: REST auth with its 2FA gate and rate limiter, and the embedded web client (iframe protocol)."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import hashlib
import hmac
import json
import random
import re
import secrets
import struct
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

import tomlkit

from desktop.demo.idp import IdentityProvider
from desktop.demo.rocketchat_releases import DEFAULT_RELEASE, RELEASES, Release
from desktop.demo.server import LoopbackServer, Request, Response, boot_page
from desktop.secret import Secret

# Section marks below (§1.x) name the Rocket.Chat source each rule follows: docs/rocketchat.md, section 6.

#: §1.1 (+ §1.8 REST, 2FA and rate-limiter settings): every setting with Rocket.Chat's REAL default.
#: With these defaults a cross-origin parent cannot frame the client (Iframe_Restrict_Access) and
#: the client neither posts events (send_enable) nor listens for commands (receive_enable).
DEFAULT_SETTINGS: Final[Mapping[str, Any]] = {
    "Iframe_Integration_send_enable": False,
    "Iframe_Integration_send_target_origin": "*",
    "Iframe_Integration_receive_enable": False,
    "Iframe_Integration_receive_origin": "*",
    "Accounts_iframe_enabled": False,
    "Accounts_iframe_url": "",
    "Accounts_Iframe_api_url": "",
    "Accounts_Iframe_api_method": "POST",
    "UI_Show_top_navbar_embedded_layout": False,
    "Iframe_Restrict_Access": True,
    "Iframe_X_Frame_Options": "sameorigin",
    "Custom_Script_On_Logout": "",
    "Site_Name": "Rocket.Chat",
    "Site_Url": "",
    "API_Enable_CORS": False,
    "API_Enable_Rate_Limiter": True,
    "API_Enable_Rate_Limiter_Limit_Calls_Default": 10,
    "API_Enable_Rate_Limiter_Limit_Time_Default": 60_000,
    "Accounts_TwoFactorAuthentication_Enabled": True,
    "Accounts_TwoFactorAuthentication_Enforce_Password_Fallback": True,
    "Accounts_TwoFactorAuthentication_RememberFor": 1800,
    "Accounts_LoginExpiration": 90,
}
#: §1.1 "Public" column: what the client may read (Iframe_Restrict_Access/X_Frame_Options are secret).
PUBLIC_SETTINGS: Final = frozenset({
    "Iframe_Integration_send_enable", "Iframe_Integration_send_target_origin",
    "Iframe_Integration_receive_enable", "Iframe_Integration_receive_origin", "Accounts_iframe_enabled",
    "Accounts_iframe_url", "Accounts_Iframe_api_url", "Accounts_Iframe_api_method",
    "UI_Show_top_navbar_embedded_layout", "Custom_Script_On_Logout", "Site_Name", "Site_Url",
})
#: What ``portico demo`` turns on so that Portico can frame and drive the client (the seed's list).
INTEGRATION_SETTINGS: Final[Mapping[str, Any]] = {
    "Iframe_Restrict_Access": False,
    "Iframe_Integration_send_enable": True,
    "Iframe_Integration_receive_enable": True,
    "Iframe_Integration_receive_origin": "portico://app",
    "API_Enable_CORS": True,
}
STATUSES: Final = ("online", "away", "busy", "offline")

#: The demo's accounts (fake; the simulator accepts them, nothing else does).
DEMO_USERNAME: Final = "ada"
DEMO_PASSWORD: Final = "demo-rocketchat-password-5e1f"
ADMIN_USERNAME: Final = "admin"
ADMIN_PASSWORD: Final = "demo-rocketchat-admin-pw-77c0"

_TOO_MANY: Final = ("Error, too many requests. Please slow down. You must wait {} seconds before trying this "
                    "endpoint again. [error-too-many-requests]")
_NOT_LOGGED_IN: Final = "You must be logged in to do this."
_ROOM_PREFIX: Final = {"c": "channel", "p": "group", "d": "direct", "l": "live"}
_CHATTER: Final = ["Morning all ☀️", "Has anyone seen the build dashboard?", "Deploy is green 🎉",
                   "Lunch at 12:30?", "I pushed the fix, please review", "<b>not bold</b> & <i>not italic</i>",
                   "Meeting moved to 3pm", "Who owns the release notes this week?", "Done ✅",
                   "Can someone look at #random later?"]


def hash_token(token: str) -> str:
    """Meteor's stored form of a login token: base64 of its SHA-256 (§1.7)."""
    return base64.b64encode(hashlib.sha256(token.encode()).digest()).decode()


def password_digest(password: str) -> str:
    """The lower-case SHA-256 hex of a password: the 2FA password-fallback code (§1.8)."""
    return hashlib.sha256(password.encode()).hexdigest()


def totp(secret_b32: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """An RFC 6238 TOTP code (SHA-1), as authenticator apps compute it."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return f"{value:0{digits}d}"


def _iso(ts: float) -> str:
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).isoformat(timespec="milliseconds") \
        .replace("+00:00", "Z")


@dataclasses.dataclass
class SimUser:
    """One account. ``password`` is kept as its digest only (the simulator never needs it back)."""

    id: str
    username: str
    name: str
    email: str
    password_digest: str = ""
    roles: tuple[str, ...] = ("user",)
    created_at: float = 0.0
    totp_secret: str = ""
    status: str = "offline"
    manual_status: bool = False
    active: bool = True

    def check_password(self, password: str) -> bool:
        return bool(self.password_digest) and hmac.compare_digest(password_digest(password), self.password_digest)

    def summary(self) -> dict[str, Any]:
        return {"_id": self.id, "username": self.username, "name": self.name}


@dataclasses.dataclass
class TokenEntry:
    """§1.7: one entry of ``services.resume.loginTokens`` (a login token or a PAT)."""

    user_id: str
    hashed: str
    when: float
    type: str = "resume"  # or "personalAccessToken"
    name: str = ""
    bypass_two_factor: bool = False


@dataclasses.dataclass
class Room:
    id: str
    t: str
    name: str
    fname: str
    members: list[str]
    topic: str = ""
    notify_all: bool = False  # every message notifies (DMs always do)


@dataclasses.dataclass
class Subscription:
    """§1.4 unread-changed-by-subscription: the fields the client fires."""

    id: str
    rid: str
    user_id: str
    unread: int = 0
    alert: bool = False
    ls: float = 0.0
    unread_alert: str = "default"

    def wire(self, room: Room) -> dict[str, Any]:
        return {"_id": self.id, "rid": self.rid, "t": room.t, "name": room.name, "fname": room.fname,
                "unread": self.unread, "alert": self.alert, "ls": _iso(self.ls) if self.ls else None,
                "unreadAlert": self.unread_alert, "prid": None}


class RateLimiter:
    """§1.8 rate limiting: N calls per window per route and client IP; reset is an absolute epoch in ms."""

    def __init__(self) -> None:
        self._windows: dict[tuple[str, str], tuple[float, int]] = {}

    def hit(self, key: tuple[str, str], limit: int, window_ms: int, now: float) -> tuple[bool, dict[str, str], float]:
        """Count one call: ``(allowed, headers, seconds to reset)``."""
        start, count = self._windows.get(key, (now, 0))
        if now - start >= window_ms / 1000:
            start, count = now, 0
        count += 1
        self._windows[key] = (start, count)
        reset_ms = int((start + window_ms / 1000) * 1000)
        headers = {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(max(0, limit - count)),
                   "X-RateLimit-Reset": str(reset_ms)}
        return count <= limit, headers, max(0.0, reset_ms / 1000 - now)

    def clear(self) -> None:
        self._windows.clear()


class ApiError(Exception):
    """A REST failure already in Rocket.Chat's envelope."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(body.get("error"))
        self.status, self.body, self.headers = status, body, headers or {}


def _failure(message: str, error_type: str | None = None, details: Any = None, status: int = 400) -> ApiError:
    """§1.8 ``failure``/thrown Meteor.Error: ``error`` is ``"<reason> [<errorType>]"``."""
    body: dict[str, Any] = {"success": False, "error": f"{message} [{error_type}]" if error_type else message}
    if error_type:
        body["errorType"] = error_type
    if details is not None:
        body["details"] = details
    return ApiError(status, body)


def _unauthorized() -> ApiError:
    # §1.8 header auth: both headers required; status/message are the pre-9.0 compatibility fields.
    return ApiError(401, {"success": False, "error": _NOT_LOGGED_IN, "status": "error", "message": _NOT_LOGGED_IN})


def _login_failure(error: Any, reason: str, details: Any = None) -> ApiError:
    """§1.8 POST /api/v1/login failure: 401 ``{success, error: error.error, status, message: reason, details}``."""
    body: dict[str, Any] = {"success": False, "error": error, "status": "error", "message": reason}
    if details is not None:
        body["details"] = details
    return ApiError(401, body)


class RocketChatSimulator:
    """The state behind one simulated Rocket.Chat server (REST API and web client on one origin).

    Settings (:data:`DEFAULT_SETTINGS`) can be changed at any time with :meth:`set_settings`; the
    web client reads the public ones when a page loads (§1.9 item 2).

    Attributes:
        release: the :class:`Release` the web client plays (``RELEASES``: startup event or not,
            commands honoured or ignored, toolbar, overrideUi, unread strings).
        version: what ``/api/info`` reports (the release's unless given); its major picks the
            users.createToken rules (§1.8).
        env: the server's environment (``CREATE_TOKENS_FOR_USERS``, ``CREATE_TOKENS_FOR_USERS_SECRET``).
        pat_web_login: whether the web client's resume login accepts a personal access token
            (§1.7 calls this unverified; real servers store PATs with the login tokens).
        oauth_services: custom OAuth services (name -> the :class:`IdentityProvider` behind it) for
            ``call-custom-oauth-login`` and the login page's buttons: the pop-up goes to
            ``/oauth/<name>``, the identity provider's form, then ``/_oauth/<name>``, whose page
            hands a login token to its opener (the Passport flow of current releases).
        iframe_auth_user: §1.6 iframe auth: the username ``/sim/iframe-api`` (a company's token
            endpoint, as ``Accounts_Iframe_api_url`` names it) answers a login token for; empty:
            nobody is signed in there, it answers 401.
        cadence_ms: a generated message every so often while a client is connected (0: never).
        legacy_unread: the client fires ``unread-changed`` with the ≤6.x strings (§1.4; the
            release's unless given).
        replay_notifications_s: a client that (re)connects fires the notifications of this many
            seconds before again, as real clients do after a reload or a renderer crash.
        poll_ms: how often the client polls its DDP stand-in stream.
        requests: ``(method, path)`` of every request, for tests.
        sent: messages the client sent (``chat.sendMessage``), for tests.
    """

    def __init__(self, settings: Mapping[str, Any] | None = None, *, release: str = DEFAULT_RELEASE,
                 version: str | None = None, env: Mapping[str, str] | None = None, cadence_ms: int = 0,
                 legacy_unread: bool | None = None, poll_ms: int = 200, replay_notifications_s: float = 30.0,
                 seed: int = 11) -> None:
        self.settings: dict[str, Any] = dict(DEFAULT_SETTINGS)
        self.settings.update(settings or {})
        self.release: Release = RELEASES[release]
        self.version = version or self.release.version
        self.replay_notifications_s = replay_notifications_s
        self.env: dict[str, str] = dict(env or {})
        self.pat_web_login = True
        self.oauth_services: dict[str, IdentityProvider] = {}
        self._oauth_states: dict[str, str] = {}  # state -> service
        self.iframe_auth_user = ""
        self.cadence_ms = cadence_ms
        self.legacy_unread = self.release.legacy_unread if legacy_unread is None else legacy_unread
        self.poll_ms = poll_ms
        self.requests: list[tuple[str, str]] = []
        self.sent: list[dict[str, Any]] = []
        self.limiter = RateLimiter()
        self.users: dict[str, SimUser] = {}
        self.tokens: dict[str, TokenEntry] = {}
        #: Every token handed out in plain (login tokens and PATs): what tests look for on disk.
        self.issued: list[str] = []
        self.rooms: dict[str, Room] = {}
        self.subscriptions: dict[tuple[str, str], Subscription] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.pats: dict[tuple[str, str], str] = {}  # (user id, token name) -> hashed
        self._events: list[tuple[int, str, str, dict[str, Any], float]] = []  # (seq, user id or "", kind, data, time)
        self._seq = 0
        self._remembered_2fa: dict[tuple[str, str], float] = {}
        self._2fa_failures: dict[str, int] = {}
        self._rng = random.Random(seed)
        self._last_generated = time.time()
        self._lock = threading.RLock()
        self._seed()

    # --- setup ---------------------------------------------------------------------------

    def set_settings(self, **values: Any) -> None:
        """Change settings (unknown names are refused: a typo would silently test nothing)."""
        unknown = set(values) - set(DEFAULT_SETTINGS)
        if unknown:
            raise KeyError(f"not a simulated setting: {', '.join(sorted(unknown))}")
        with self._lock:
            self.settings.update(values)

    def enable_integration(self) -> None:
        """Apply :data:`INTEGRATION_SETTINGS` (what the seed tells admins to change)."""
        self.set_settings(**INTEGRATION_SETTINGS)

    def add_user(self, username: str, password: str = "", *, name: str = "", email: str = "",
                 roles: tuple[str, ...] = ("user",), totp_secret: str = "", age_days: float = 30.0) -> SimUser:
        """Create an account directly (``age_days`` old: young accounts skip the 2FA gate, §1.8)."""
        with self._lock:
            user = SimUser(id=secrets.token_hex(9)[:17], username=username, name=name or username.title(),
                           email=email or f"{username}@rocket.test",
                           password_digest=password_digest(password) if password else "", roles=roles,
                           created_at=time.time() - age_days * 86400, totp_secret=totp_secret)
            self.users[user.id] = user
            for room in self.rooms.values():
                if room.t in ("c",) and room.name == "general":
                    self._join(room, user.id)
            return user

    def user(self, username: str) -> SimUser:
        for user in self.users.values():
            if user.username == username:
                return user
        raise KeyError(username)

    def issue_login_token(self, user_id: str) -> str:
        """A new resume token, as a successful login would create (§1.7)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self.tokens[hash_token(token)] = TokenEntry(user_id, hash_token(token), time.time())
            self.issued.append(token)
        return token

    def issue_pat(self, user_id: str, name: str = "portico", bypass_two_factor: bool = False) -> str:
        """A personal access token (§1.8: Random.secret(), stored hashed, never expires)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self.tokens[hash_token(token)] = TokenEntry(user_id, hash_token(token), time.time(),
                                                        "personalAccessToken", name, bypass_two_factor)
            self.pats[(user_id, name)] = hash_token(token)
            self.issued.append(token)
        return token

    def login_tokens(self, user_id: str) -> list[TokenEntry]:
        with self._lock:
            return [t for t in self.tokens.values() if t.user_id == user_id]

    def _seed(self) -> None:
        admin = self.add_user(ADMIN_USERNAME, ADMIN_PASSWORD, name="Administrator", roles=("admin", "user"))
        ada = self.add_user(DEMO_USERNAME, DEMO_PASSWORD, name="Ada Lovelace")
        others = [self.add_user(u, name=n) for u, n in
                  (("grace", "Grace Hopper"), ("linus", "Linus Torvalds"), ("margaret", "Margaret Hamilton"))]
        everyone = [admin.id, ada.id] + [u.id for u in others]
        self._room("GENERAL", "c", "general", "general", everyone, "Company-wide chatter")
        self._room("r4nd0m", "c", "random", "random", everyone, "Anything goes")
        self._room("d3vt34m", "p", "dev-team", "Dev team", [ada.id, others[0].id, others[1].id, admin.id],
                   notify_all=True)
        dm = self._room(ada.id + others[0].id, "d", "grace", "Grace Hopper", [ada.id, others[0].id])
        ts = time.time() - 3600
        script = [("GENERAL", others[1], "Welcome to the simulated Rocket.Chat!"),
                  ("GENERAL", others[2], "The release train leaves on Thursday."),
                  ("GENERAL", others[0], "Reminder: retro at 4pm, see #random for the link"),
                  ("GENERAL", others[1], "Build is green again"),
                  ("r4nd0m", others[2], "Retro link: https://example.org/retro"),
                  ("d3vt34m", others[0], "@ada can you review the parser change?"),
                  (dm.id, others[0], "Hi Ada, got a minute?"),
                  (dm.id, others[0], "It's about the compiler 🙂")]
        for i, (rid, sender, text) in enumerate(script):
            self._store_message(rid, sender, text, ts + i * 60)
        # Unread state for the demo user: general 3, dev-team 1 (a mention), the DM 2, random read.
        for rid, unread in (("GENERAL", 3), ("d3vt34m", 1), (dm.id, 2)):
            sub = self.subscriptions[(rid, ada.id)]
            sub.unread, sub.alert = unread, True
        for sub in self.subscriptions.values():
            if sub.unread == 0:
                sub.ls = time.time()
        action = self._store_message("GENERAL", others[1], "Approve the deploy of v2.3?", ts + 600)
        action["actionLinks"] = [{"icon": "icon-ok", "label": "Approve", "i18nLabel": "Approve",
                                  "method_id": "approveDeploy", "params": "v2.3"}]

    def _room(self, rid: str, t: str, name: str, fname: str, members: list[str], topic: str = "",
              notify_all: bool = False) -> Room:
        room = Room(rid, t, name, fname, [], topic, notify_all)
        self.rooms[rid] = room
        self.messages[rid] = []
        for member in members:
            self._join(room, member)
        return room

    def _join(self, room: Room, user_id: str) -> None:
        if user_id not in room.members:
            room.members.append(user_id)
            self.subscriptions[(room.id, user_id)] = Subscription(secrets.token_hex(8), room.id, user_id,
                                                                  ls=time.time())

    def _store_message(self, rid: str, sender: SimUser, text: str, ts: float | None = None) -> dict[str, Any]:
        ts = time.time() if ts is None else ts
        message = {"_id": secrets.token_hex(8), "rid": rid, "msg": text, "ts": _iso(ts),
                   "u": sender.summary(), "_updatedAt": _iso(ts),
                   "mentions": [{"_id": u.id, "username": u.username} for u in self.users.values()
                                if re.search(rf"@{re.escape(u.username)}\b", text)],
                   "channels": [{"_id": r.id, "name": r.name} for r in self.rooms.values()
                                if r.t == "c" and re.search(rf"#{re.escape(r.name)}\b", text)]}
        self.messages[rid].append(message)
        return message

    # --- what tests and the demo drive -----------------------------------------------------

    def room_named(self, name: str) -> Room:
        for room in self.rooms.values():
            if room.name == name:
                return room
        raise KeyError(name)

    def incoming(self, room: str, text: str, sender: str = "grace") -> dict[str, Any]:
        """Someone else posts ``text`` in ``room`` (a name); subscribers get unread, maybe a notification.

        §1.4: the client fires new-message for opened rooms, notification for each
        ``notify-user`` notification, unread-changed(-by-subscription) as subscriptions change.
        """
        with self._lock:
            target = self.room_named(room)
            author = self.user(sender)
            if author.id not in target.members:
                self._join(target, author.id)
            message = self._store_message(target.id, author, text)
            self._publish("", "message", {"message": message})
            for member in target.members:
                if member == author.id:
                    continue
                sub = self.subscriptions[(target.id, member)]
                sub.unread += 1
                sub.alert = True
                self._publish(member, "subscription", sub.wire(target))
                mentioned = any(m["_id"] == member for m in message["mentions"])
                if target.t == "d" or mentioned or target.notify_all:
                    self._publish(member, "notification", self._notification(target, author, message))
            return message

    def _notification(self, room: Room, sender: SimUser, message: dict[str, Any]) -> dict[str, Any]:
        """An INotificationDesktop (§1.4)."""
        title = sender.username if room.t == "d" else f"#{room.fname or room.name}"
        text = message["msg"] if room.t == "d" else f"{sender.username}: {message['msg']}"
        return {"title": title, "text": text, "duration": 4, "icon": f"/avatar/{sender.username}",
                "payload": {"_id": message["_id"], "rid": room.id, "sender": sender.summary(),
                            "type": room.t, "name": room.name, "message": {"msg": message["msg"]}}}

    def _publish(self, user_id: str, kind: str, data: dict[str, Any]) -> None:
        self._seq += 1
        self._events.append((self._seq, user_id, kind, data, time.time()))
        del self._events[:-2000]

    def _maybe_generate(self) -> None:
        if self.cadence_ms <= 0 or time.time() - self._last_generated < self.cadence_ms / 1000:
            return
        self._last_generated = time.time()
        room = self._rng.choice(["general", "general", "random", "dev-team", "grace"])
        sender = "grace" if room == "grace" else self._rng.choice(["grace", "linus", "margaret"])
        text = self._rng.choice(_CHATTER)
        if room == "dev-team" and self._rng.random() < 0.5:
            text = f"@{DEMO_USERNAME} {text}"
        self.incoming(room, text, sender)

    # --- HTTP ------------------------------------------------------------------------------

    def route(self, request: Request) -> Response:
        with self._lock:
            self.requests.append((request.method, request.path))
        if request.path.startswith("/api/"):
            response = self._api(request)
        elif request.path.startswith("/sim/ddp/"):
            response = self._ddp(request)
        elif request.path.startswith("/oauth/") and request.method == "GET":
            response = self._oauth_start(request, request.path.removeprefix("/oauth/"))
        elif request.path.startswith("/_oauth/") and request.method == "GET":
            response = self._oauth_callback(request, request.path.removeprefix("/_oauth/"))
        elif request.path == "/sim/iframe-api":
            response = self._iframe_api()
        elif request.path == "/sim/iframe-login":
            response = Response.html("<!doctype html><title>Company sign-in</title><h3>Company sign-in</h3>"
                                     "<p id='iframe-login-page'>Sign in with your company account.</p>")
        elif request.path == "/favicon.ico":
            response = Response(204, b"", "image/x-icon")
        elif request.path.startswith("/avatar/"):
            response = Response(200, _AVATAR, "image/svg+xml")
        elif request.method in ("GET", "HEAD"):
            response = self._page(request)
        else:
            response = Response(405, b"", "text/plain")
        # §1.1 / cors.ts: with Iframe_Restrict_Access every HTTP response carries X-Frame-Options.
        if self.settings["Iframe_Restrict_Access"]:
            response.headers["X-Frame-Options"] = str(self.settings["Iframe_X_Frame_Options"])
        return response

    def _page(self, request: Request) -> Response:
        """§1.9 item 1: the client is served at ``/`` and every route."""
        boot = {**self.release.boot(), "version": self.version, "pollMs": self.poll_ms,
                "legacyUnread": self.legacy_unread, "oauthServices": sorted(self.oauth_services)}
        text = boot_page("rocketchat", "__RC_BOOT__", boot)
        return Response.html(text, headers={"Referrer-Policy": "same-origin"})

    def _api(self, request: Request) -> Response:
        headers = {"Access-Control-Allow-Origin": "*"}  # §1.8: always on non-preflight REST answers
        if request.method == "OPTIONS":
            if not self.settings["API_Enable_CORS"]:
                return Response(405, b"CORS not enabled. Go to 'Admin > General > REST Api' to enable it.",
                                "text/plain")
            return Response(204, b"", "text/plain", {**headers, "Access-Control-Allow-Headers":
                                                     "Origin, X-Requested-With, Content-Type, Accept, "
                                                     "X-User-Id, X-Auth-Token, x-visitor-token, Authorization"})
        route = request.path
        handler = _ROUTES.get((request.method, route)) or _ROUTES.get(("*", route))
        if handler is None:
            if route.startswith("/api/v1/") and any(r == route for _, r in _ROUTES):
                return Response.json({"success": False, "error": "Method not allowed"}, 405, headers)
            return Response.json({"success": False, "error": "Resource not found"}, 404, headers)
        try:
            with self._lock:
                user, entry = self._authenticate(request, handler.auth)
                self._rate_limit(request, route, user, headers)
                if handler.two_factor and user is not None and entry is not None:
                    self._two_factor(request, user, entry)
                status, body = handler.fn(self, request, user, entry)
        except ApiError as exc:
            return Response.json(exc.body, exc.status, {**headers, **exc.headers})
        return Response.json({**body, "success": True} if status == 200 else body, status, headers)

    def _authenticate(self, request: Request, required: bool) -> tuple[SimUser | None, TokenEntry | None]:
        """§1.8: ``X-User-Id`` and ``X-Auth-Token`` both, matching a stored hashed token."""
        uid, token = request.headers.get("x-user-id", ""), request.headers.get("x-auth-token", "")
        if not uid or not token:
            if required:
                raise _unauthorized()
            return None, None
        entry = self.tokens.get(hash_token(token))
        user = self.users.get(uid)
        if entry is None or user is None or entry.user_id != uid or not self._token_alive(entry):
            if required:
                raise _unauthorized()
            return None, None
        return user, entry

    def _token_alive(self, entry: TokenEntry) -> bool:
        if entry.type == "personalAccessToken":
            return True  # §1.8: a PAT does not expire
        return time.time() - entry.when < float(self.settings["Accounts_LoginExpiration"]) * 86400

    def _rate_limit(self, request: Request, route: str, user: SimUser | None, headers: dict[str, str]) -> None:
        """§1.8 rate limiting (admins hold api-bypass-rate-limit)."""
        if not self.settings["API_Enable_Rate_Limiter"] or (user is not None and "admin" in user.roles):
            return
        limit = int(self.settings["API_Enable_Rate_Limiter_Limit_Calls_Default"])
        window = int(self.settings["API_Enable_Rate_Limiter_Limit_Time_Default"])
        ip = request.headers.get("x-forwarded-for", "127.0.0.1")
        allowed, limit_headers, wait = self.limiter.hit((route, ip), limit, window, time.time())
        headers.update(limit_headers)
        if not allowed:
            raise ApiError(429, {"success": False, "error": _TOO_MANY.format(max(1, round(wait)))}, limit_headers)

    def _two_factor(self, request: Request, user: SimUser, entry: TokenEntry) -> None:
        """§1.8 the 2FA gate of twoFactorRequired routes, its checks in the order 2fa/code/index.ts makes them."""
        s = self.settings
        if not s["Accounts_TwoFactorAuthentication_Enabled"] or entry.bypass_two_factor:
            return
        remember = float(s["Accounts_TwoFactorAuthentication_RememberFor"])
        if not user.totp_secret and time.time() - user.created_at < remember:
            return
        fingerprint = (entry.hashed, request.headers.get("user-agent", "") + "|127.0.0.1")
        if self._remembered_2fa.get(fingerprint, 0) > time.time():
            return
        if user.totp_secret:
            method = "totp"
        elif s["Accounts_TwoFactorAuthentication_Enforce_Password_Fallback"] and user.password_digest:
            method = "password"
        else:
            return
        details = {"method": method, "codeGenerated": False, "availableMethods": [method]}
        code = request.headers.get("x-2fa-code", "")
        if not code:
            raise _failure("TOTP Required", "totp-required", details)
        if method == "totp":
            ok = any(hmac.compare_digest(code, totp(user.totp_secret, time.time() + d)) for d in (-30, 0, 30))
        else:
            ok = hmac.compare_digest(code, user.password_digest)
        if not ok:
            failures = self._2fa_failures[user.id] = self._2fa_failures.get(user.id, 0) + 1
            if failures > 5:
                raise _failure("Too many attempts", "totp-max-attempts", details)
            raise _failure("TOTP Invalid", "totp-invalid", details)
        self._2fa_failures.pop(user.id, None)
        self._remembered_2fa[fingerprint] = time.time() + remember

    # --- REST handlers (§1.8) ----------------------------------------------------------------

    def _login(self, request: Request, *_: Any) -> tuple[int, dict[str, Any]]:
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            raise _failure("Invalid JSON", "invalid-params") from None
        if not isinstance(body, dict):
            raise _failure("Invalid JSON", "invalid-params")
        return self.login(body, request.headers.get("x-2fa-code", ""))

    def login(self, body: dict[str, Any], header_code: str = "") -> tuple[int, dict[str, Any]]:
        """§1.8 POST /api/v1/login: user/username/email + password (or {hashed}), code, or resume."""
        resume = body.get("resume")
        if isinstance(resume, str):
            entry = self.tokens.get(hash_token(resume))
            if entry is None or not self._token_alive(entry) or entry.user_id not in self.users:
                raise _login_failure(403, "You've been logged out by the server. Please log in again.")
            if entry.type == "personalAccessToken" and not self.pat_web_login:
                raise _login_failure(403, "You've been logged out by the server. Please log in again.")
            user = self.users[entry.user_id]
            return 200, self._login_answer(user, resume)
        who = body.get("user", body.get("username", body.get("email")))
        password = body.get("password")
        if isinstance(password, dict) and isinstance(password.get("hashed"), str):
            digest = password["hashed"].lower()
        elif isinstance(password, str):
            digest = password_digest(password)
        else:
            raise _failure("Match failed", "invalid-params")
        if not isinstance(who, str) or not who:
            raise _failure("Match failed", "invalid-params")
        by_email = "@" in who
        user = next((u for u in self.users.values()
                     if (u.email if by_email else u.username).lower() == who.lower()), None)
        if user is None:
            raise _login_failure("Unauthorized", "Unauthorized")  # §1.8: "User not found" is masked
        if not user.password_digest or not hmac.compare_digest(digest, user.password_digest):
            raise _login_failure(403, "Incorrect password")
        if user.totp_secret:
            code = body.get("code") or header_code
            details = {"method": "totp", "codeGenerated": False, "availableMethods": ["totp"]}
            if not code:
                raise _login_failure("totp-required", "TOTP Required", details)
            if not any(hmac.compare_digest(str(code), totp(user.totp_secret, time.time() + d)) for d in (-30, 0, 30)):
                raise _login_failure("totp-invalid", "TOTP Invalid", details)
        return 200, self._login_answer(user, self.issue_login_token(user.id))

    def _login_answer(self, user: SimUser, token: str) -> dict[str, Any]:
        return {"status": "success", "data": {"userId": user.id, "authToken": token, "me": self._me(user)}}

    def _me(self, user: SimUser) -> dict[str, Any]:
        """getUserInfo (§1.8): the user plus email, preferences, avatarUrl and reduced services."""
        services: dict[str, Any] = {"password": {"exists": bool(user.password_digest)}}
        if user.totp_secret:
            services["totp"] = {"enabled": True}
        return {"_id": user.id, "username": user.username, "name": user.name, "status": user.status,
                "statusConnection": "online" if user.status != "offline" else "offline", "active": user.active,
                "roles": list(user.roles), "emails": [{"address": user.email, "verified": True}],
                "email": user.email, "utcOffset": 0, "avatarUrl": f"/avatar/{user.username}",
                "isOAuthUser": False, "services": services,
                "settings": {"preferences": {"enableAutoAway": True, "idleTimeLimit": 300,
                                             "desktopNotificationRequireInteraction": False}}}

    def _logout(self, request: Request, user: SimUser | None, entry: TokenEntry | None) -> tuple[int, dict[str, Any]]:
        assert user is not None and entry is not None
        self.tokens.pop(entry.hashed, None)
        self._set_status(user, "offline", manual=False)
        return 200, {"status": "success", "data": {"message": "You've been logged out!"}}

    def _get_me(self, request: Request, user: SimUser | None, *_: Any) -> tuple[int, dict[str, Any]]:
        assert user is not None
        return 200, self._me(user)

    def _info(self, request: Request, *_: Any) -> tuple[int, dict[str, Any]]:
        return 200, {"version": self.version}

    def _settings_public(self, request: Request, *_: Any) -> tuple[int, dict[str, Any]]:
        """GET settings.public (unauthenticated): the public settings, ``_id`` a comma list filter."""
        wanted = [i for i in (request.arg("_id") or "").split(",") if i]
        found = [{"_id": k, "value": v} for k, v in self.settings.items()
                 if k in PUBLIC_SETTINGS and (not wanted or k in wanted)]
        return 200, {"settings": found, "count": len(found), "offset": 0, "total": len(found)}

    def _set_status_route(self, request: Request, user: SimUser | None, *_: Any) -> tuple[int, dict[str, Any]]:
        """users.setStatus ``{status, message?}`` (what ``set-user-status`` calls, §1.2)."""
        assert user is not None
        body = _json_object(request)
        status = body.get("status")
        if status not in STATUSES:
            raise _failure("The status is invalid", "error-invalid-status")
        self._set_status(user, str(status), manual=True)
        return 200, {}

    def _set_status(self, user: SimUser, status: str, manual: bool) -> None:
        user.manual_status = manual and status != "online"
        if user.status != status:
            user.status = status
            self._publish(user.id, "status", {"status": status})

    def _users_info(self, request: Request, *_: Any) -> tuple[int, dict[str, Any]]:
        uid, name = request.arg("userId"), request.arg("username")
        found = self.users.get(uid or "") if uid else next(
            (u for u in self.users.values() if u.username == name), None)
        if found is None:
            raise _failure("User not found.", "error-invalid-user")
        return 200, {"user": {"_id": found.id, "username": found.username, "name": found.name,
                              "status": found.status, "active": found.active, "type": "user"}}

    def _users_create(self, request: Request, user: SimUser | None, *_: Any) -> tuple[int, dict[str, Any]]:
        """users.create (§1.8): additionalProperties false; create-user (and assign-roles) needed."""
        assert user is not None
        body = _json_object(request)
        allowed = {"email", "name", "password", "username", "active", "bio", "nickname", "statusText", "roles",
                   "joinDefaultChannels", "requirePasswordChange", "setRandomPassword", "sendWelcomeEmail",
                   "verified", "customFields", "settings", "freeSwitchExtension", "phones"}
        extra = sorted(set(body) - allowed)
        if extra:
            raise _failure("must NOT have additional properties", "invalid-params")
        for key in ("email", "name", "password", "username"):
            if not isinstance(body.get(key), str) or not body[key]:
                raise _failure(f"must have required property '{key}'", "invalid-params")
        roles = body.get("roles", ["user"])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise _failure("must be array", "invalid-params")
        if "admin" not in user.roles:
            raise _failure("Adding user is not allowed", "error-action-not-allowed")
        if not re.fullmatch(r"[\w.\-]{1,64}", body["username"]):
            raise _failure(f"{body['username']} is not a valid username, use only letters, numbers, dots, "
                           "hyphens and underscores", "error-input-is-not-a-valid-field")
        if re.search(r"[<>]", body["name"]):
            raise _failure("Name contains invalid characters", "error-invalid-name")
        for existing in self.users.values():
            if existing.username.lower() == body["username"].lower():
                raise _failure(f"{body['username']} is already in use :(", "error-field-unavailable")
            if existing.email.lower() == body["email"].lower():
                raise _failure(f"{body['email']} is already in use :(", "error-field-unavailable")
        created = self.add_user(body["username"], body["password"], name=body["name"], email=body["email"],
                                roles=tuple(roles), age_days=0)
        created.active = bool(body.get("active", True))
        if body.get("joinDefaultChannels", True) is False:
            for room in self.rooms.values():
                if created.id in room.members:
                    room.members.remove(created.id)
                    self.subscriptions.pop((room.id, created.id), None)
        return 200, {"user": {"_id": created.id, "username": created.username, "name": created.name,
                              "emails": [{"address": created.email, "verified": bool(body.get("verified"))}],
                              "type": "user", "status": "offline", "active": created.active,
                              "roles": list(created.roles), "createdAt": _iso(created.created_at)}}

    def _create_token(self, request: Request, user: SimUser | None, entry: TokenEntry | None) -> tuple[int, dict[str, Any]]:
        """users.createToken: the version matrix of §1.8."""
        assert user is not None
        body = _json_object(request)
        major = int(self.version.split(".", 1)[0])
        not_authorized = _failure("Not authorized", "error-not-authorized")
        if major >= 8:
            assert entry is not None
            self._two_factor(request, user, entry)  # twoFactorRequired from 8.x on
            extra = sorted(set(body) - {"userId", "secret"})
            if extra:
                raise _failure("must NOT have additional properties", "invalid-params")
            for key in ("userId", "secret"):
                if not isinstance(body.get(key), str) or not body[key]:
                    raise _failure(f"must have required property '{key}'", "invalid-params")
            expected = self.env.get("CREATE_TOKENS_FOR_USERS_SECRET", "")
            if not expected or not hmac.compare_digest(body["secret"], expected):
                raise not_authorized
            target = self.users.get(body["userId"])
        else:
            if major >= 3 and self.env.get("CREATE_TOKENS_FOR_USERS", "").lower() not in ("yes", "true"):
                raise not_authorized
            if isinstance(body.get("userId"), str):
                target = self.users.get(body["userId"])
            else:
                name = body.get("username", body.get("user"))
                target = next((u for u in self.users.values() if u.username == name), None)
        if target is None:
            raise not_authorized if major >= 3 else ApiError(401, {"success": False, "error": "unauthorized"})
        if target.id != user.id and "admin" not in user.roles:
            raise not_authorized
        return 200, {"data": {"userId": target.id, "authToken": self.issue_login_token(target.id)}}

    def _generate_pat(self, request: Request, user: SimUser | None, *_: Any) -> tuple[int, dict[str, Any]]:
        assert user is not None
        body = _json_object(request)
        name = body.get("tokenName")
        if not isinstance(name, str) or not name:
            raise _failure("must have required property 'tokenName'", "invalid-params")
        if (user.id, name) in self.pats:
            raise _failure("A token with this name already exists", "error-token-already-exists")
        return 200, {"token": self.issue_pat(user.id, name, bool(body.get("bypassTwoFactor", False)))}

    # --- the client's DDP stand-ins ----------------------------------------------------------
    # The real client talks DDP over a websocket (login, methods, streams); these small JSON
    # endpoints stand in for it. They are not REST routes, so the REST rate limiter skips them.

    def _ddp(self, request: Request) -> Response:
        method = request.path.removeprefix("/sim/ddp/")
        try:
            body = request.json() if request.body else {}
        except (ValueError, UnicodeDecodeError):
            body = {}
        with self._lock:
            if method == "public-settings":
                return Response.json({k: v for k, v in self.settings.items() if k in PUBLIC_SETTINGS})
            if method == "login":  # Meteor's login method (resume or password)
                try:
                    _, answer = self.login(body if isinstance(body, dict) else {})
                except ApiError as exc:
                    return Response.json({"error": exc.body.get("error"), "reason": exc.body.get("message")}, 200)
                user = self.users[answer["data"]["userId"]]
                return Response.json({"id": user.id, "token": answer["data"]["authToken"],
                                      "me": answer["data"]["me"]})
            if method == "oauth-config":  # loginServices.loadLoginService
                return Response.json({"configured": body.get("service") in self.oauth_services})
            token = request.headers.get("x-auth-token", "")
            entry = self.tokens.get(hash_token(token)) if token else None
            user = self.users.get(entry.user_id) if entry else None
            if entry is None or user is None or not self._token_alive(entry):
                return Response.json({"error": 403, "reason": "You've been logged out by the server."}, 200)
            if method == "logout":
                self.tokens.pop(entry.hashed, None)
                self._set_status(user, "offline", manual=False)
                return Response.json({"ok": True})
            if method == "state":
                rooms = [r for r in self.rooms.values() if user.id in r.members]
                return Response.json({
                    "me": self._me(user),
                    "rooms": [self._room_wire(r, user) for r in rooms],
                    "subscriptions": [self.subscriptions[(r.id, user.id)].wire(r) for r in rooms],
                    "users": [u.summary() for u in self.users.values()],
                    "replay": self._recent_notifications(user.id),
                    "seq": self._seq})
            if method == "history":
                rid = str(body.get("rid", ""))
                if rid not in self.rooms or user.id not in self.rooms[rid].members:
                    return Response.json({"error": "error-not-allowed"}, 200)
                return Response.json({"messages": self.messages[rid][-50:]})
            if method == "read":  # readMessages
                rid = str(body.get("rid", ""))
                sub = self.subscriptions.get((rid, user.id))
                if sub is not None and (sub.unread or sub.alert):
                    sub.unread, sub.alert, sub.ls = 0, False, time.time()
                    self._publish(user.id, "subscription", sub.wire(self.rooms[rid]))
                return Response.json({"ok": True})
            if method == "send":  # sendMessage
                rid, text = str(body.get("rid", "")), body.get("msg")
                if rid not in self.rooms or user.id not in self.rooms[rid].members or not isinstance(text, str):
                    return Response.json({"error": "error-not-allowed"}, 200)
                message = self._store_message(rid, user, text[:5000])
                self.sent.append(message)
                self._publish("", "message", {"message": message})
                return Response.json({"message": message})
            if method == "stream":  # the stream-room-messages / stream-notify-user subscriptions
                # Presence: a connected client makes its user online unless a status was chosen.
                if user.status == "offline" and not user.manual_status:
                    self._set_status(user, "online", manual=False)
                self._maybe_generate()
                since = int(body.get("since", 0)) if isinstance(body.get("since", 0), int) else 0
                mine = {r.id for r in self.rooms.values() if user.id in r.members}
                events = [{"seq": seq, "kind": kind, "data": data} for seq, uid, kind, data, _ in self._events
                          if seq > since and (uid == user.id or (uid == "" and data["message"]["rid"] in mine))]
                return Response.json({"events": events, "seq": self._seq})
        return Response.json({"error": "unknown-method"}, 404)

    def _recent_notifications(self, user_id: str) -> list[dict[str, Any]]:
        """The user's notifications of the last ``replay_notifications_s`` seconds (a reconnecting
        client fires them again)."""
        cutoff = time.time() - self.replay_notifications_s
        return [{"seq": seq, "kind": kind, "data": data} for seq, uid, kind, data, at in self._events
                if kind == "notification" and uid == user_id and at >= cutoff]

    def _room_wire(self, room: Room, user: SimUser) -> dict[str, Any]:
        """The room document (IRoom) the client fires in room-opened (§1.4, minus ``usernames``)."""
        other = ""
        if room.t == "d":
            other = next((self.users[m].username for m in room.members if m != user.id), room.name)
        return {"_id": room.id, "t": room.t, "name": other or room.name, "fname": room.fname,
                "topic": room.topic, "usersCount": len(room.members), "msgs": len(self.messages[room.id]),
                "ro": False, "default": room.name == "general",
                "lm": self.messages[room.id][-1]["ts"] if self.messages[room.id] else None}

    def add_oauth_service(self, name: str, idp: IdentityProvider, origin: str) -> None:
        """Register the custom OAuth service ``name`` backed by ``idp`` (``origin``: this server's)."""
        self.oauth_services[name] = idp
        idp.clients[f"rocketchat-{name}"] = (f"{origin}/_oauth/{name}",)

    def _iframe_api(self) -> Response:
        """§1.6 step 4: 200 ``{loginToken}`` for the user signed in at the company, else 401, empty."""
        with self._lock:
            user = next((u for u in self.users.values() if u.username == self.iframe_auth_user), None)
            if user is None:
                return Response(401, b"", "text/plain")
            return Response.json({"loginToken": self.issue_login_token(user.id)})

    def _oauth_start(self, request: Request, service: str) -> Response:
        """``/oauth/<service>``: off to the identity provider's authorize page."""
        idp = self.oauth_services.get(service)
        if idp is None:
            return Response(404, b"OAuth service not found", "text/plain")
        state = secrets.token_urlsafe(16)
        with self._lock:
            self._oauth_states[state] = service
        origin = f"http://{request.headers.get('host', '')}"
        return Response(302, b"", "text/plain",
                        {"Location": idp.authorize_url(f"rocketchat-{service}", f"{origin}/_oauth/{service}", state)})

    def _oauth_callback(self, request: Request, service: str) -> Response:
        """``/_oauth/<service>?code=&state=``: redeem the code, then the pop-up's page posts a login
        token to its opener (same origin only) and closes itself."""
        idp = self.oauth_services.get(service)
        with self._lock:
            expected = self._oauth_states.pop(request.arg("state") or "", None)
        username = idp.redeem(request.arg("code") or "", f"rocketchat-{service}") if idp and expected == service \
            else None
        if username is None:
            return Response.html("<!doctype html><title>Sign-in failed</title><p>The sign-in did not work.</p>", 400)
        with self._lock:
            user = next((u for u in self.users.values() if u.username == username), None) or self.add_user(username)
            token = self.issue_login_token(user.id)
        script = json.dumps({"oauthPopupCommand": "oauth-login-with-token", "token": token}).replace("<", "\\u003c")
        return Response.html("<!doctype html><title>Signed in</title><p>Signed in; this window closes.</p>"
                             f"<script>if (window.opener) window.opener.postMessage({script}, location.origin);"
                             "window.close();</script>")


@dataclasses.dataclass(frozen=True)
class _Route:
    fn: Callable[..., tuple[int, dict[str, Any]]]
    auth: bool = True
    two_factor: bool = False


_ROUTES: Final[dict[tuple[str, str], _Route]] = {
    ("POST", "/api/v1/login"): _Route(RocketChatSimulator._login, auth=False),
    ("*", "/api/v1/logout"): _Route(RocketChatSimulator._logout),
    ("GET", "/api/v1/me"): _Route(RocketChatSimulator._get_me),
    ("GET", "/api/info"): _Route(RocketChatSimulator._info, auth=False),
    ("GET", "/api/v1/settings.public"): _Route(RocketChatSimulator._settings_public, auth=False),
    ("POST", "/api/v1/users.setStatus"): _Route(RocketChatSimulator._set_status_route),
    ("GET", "/api/v1/users.info"): _Route(RocketChatSimulator._users_info),
    ("POST", "/api/v1/users.create"): _Route(RocketChatSimulator._users_create, two_factor=True),
    ("POST", "/api/v1/users.createToken"): _Route(RocketChatSimulator._create_token),
    ("POST", "/api/v1/users.generatePersonalAccessToken"): _Route(RocketChatSimulator._generate_pat,
                                                                   two_factor=True),
}


def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = request.json()
    except (ValueError, UnicodeDecodeError):
        raise _failure("Invalid JSON", "invalid-params") from None
    if not isinstance(body, dict):
        raise _failure("must be object", "invalid-params")
    return body


_AVATAR: Final = (b'<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32" '
                  b'rx="6" fill="#f5455c"/></svg>')


class RocketChatServer(LoopbackServer):
    """A :class:`LoopbackServer` serving one :class:`RocketChatSimulator` (``Site_Url`` set to its origin)."""

    def __init__(self, simulator: RocketChatSimulator, host: str = "127.0.0.1", port: int = 0,
                 tls: tuple[Any, Any] | None = None) -> None:
        super().__init__(simulator.route, host, port, tls=tls)
        self.simulator = simulator
        simulator.settings["Site_Url"] = self.origin


def start_server(host: str = "127.0.0.1", port: int = 0, settings: Mapping[str, Any] | None = None,
                 tls: tuple[Any, Any] | None = None, **options: Any) -> tuple[RocketChatServer, RocketChatSimulator]:
    """Start a simulated Rocket.Chat on loopback (real default settings unless ``settings`` says
    otherwise; https with ``tls``, a (certificate, key) pair of PEM files); stop it with ``server.stop()``."""
    simulator = RocketChatSimulator(settings, **options)
    server = RocketChatServer(simulator, host, port, tls=tls)
    server.start()
    return server, simulator


# --- portico demo --------------------------------------------------------------------------

DEMO_PROVIDER_ID: Final = "demo-rocketchat"


def demo_table(server: LoopbackServer, provider_id: str = DEMO_PROVIDER_ID) -> dict[str, Any]:
    """The ``[[provider]]`` table ``portico demo`` writes for its Rocket.Chat panel."""
    return {"id": provider_id, "kind": "rocketchat", "title": "Rocket.Chat (team)", "server": server.origin,
            "channel": "general", "username": DEMO_USERNAME}


def demo_get_secret(provider_id: str, field: str) -> Secret | None:
    """The demo panel's ``get_secret``: the simulator's fake password, no keyring involved."""
    return Secret(DEMO_PASSWORD) if field == "password" else None


def add_to_demo(doc: tomlkit.TOMLDocument, servers: list[LoopbackServer], cadence_ms: int = 15_000,
                release: str = DEFAULT_RELEASE) -> None:
    """Start the demo Rocket.Chat (integration on, a message every ``cadence_ms``, playing
    ``release``) and add its table.

    The panel needs :func:`demo_get_secret` as its provider's ``get_secret``.
    """
    server, simulator = start_server(settings=INTEGRATION_SETTINGS, cadence_ms=cadence_ms, release=release)
    servers.append(server)
    table = tomlkit.table()
    table.update(demo_table(server))
    doc["provider"].append(table)
