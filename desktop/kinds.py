"""One declarative schema per provider kind: options, secrets, permissions, provider class (no Qt)."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

log = logging.getLogger("portico.kinds")

#: The entry-point group through which an installed package adds a provider kind: the entry
#: point's name is the kind, its object a :class:`KindSpec` (or a callable returning one).
KIND_ENTRY_POINT_GROUP: Final = "portico.kinds"
#: What a kind's name may be (it is written as ``kind = "…"`` in the config).
KIND_NAME_RE: Final = re.compile(r"[a-z][a-z0-9-]{0,39}")
#: What a command's name may be (``portico send ID NAME``; the control socket checks it too).
COMMAND_NAME_RE: Final = r"[A-Za-z][A-Za-z0-9_.:\-]{0,63}"


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: The ``default`` of an option that must be written in the config.
REQUIRED: Final = _Required()

#: Option types, as the config file, the settings editor and the docs name them.
#: ``url``: an http(s) URL; ``server``: an https URL (http only for a loopback address), trailing
#: ``/`` dropped; ``choice``: one of ``choices``; ``table``: a sub-table of ``fields``; ``list``: a
#: list of strings, each matching ``pattern``, at most ``max_length`` of them.
OPTION_TYPES: Final = frozenset({"string", "boolean", "number", "url", "server", "choice", "table", "list"})


@dataclasses.dataclass(frozen=True)
class Option:
    """One key of a ``[[provider]]`` table.

    Attributes:
        key: the config key. type: one of :data:`OPTION_TYPES`.
        default: the value when the key is absent; :data:`REQUIRED` when it must be written.
        label: what the settings editor shows. help: one sentence for the docs and the editor's
            placeholder.
        choices: the allowed values of a ``choice``.
        pattern, pattern_help: a regular expression a ``string`` must match whole, and what to
            say when it does not.
        bounds: inclusive (low, high) of a ``number``. max_length: longest ``string``.
        fields: the keys of a ``table``.
        editable: shown in the settings editor (a sub-table is edited from the provider's menu).
    """

    key: str
    type: str
    default: Any = REQUIRED
    label: str = ""
    help: str = ""
    choices: tuple[str, ...] = ()
    pattern: str = ""
    pattern_help: str = ""
    bounds: tuple[float, float] | None = None
    max_length: int | None = None
    fields: tuple[Option, ...] = ()
    editable: bool = True

    def __post_init__(self) -> None:
        assert self.type in OPTION_TYPES, self.type

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclasses.dataclass(frozen=True)
class SecretField:
    """A keyring field of a kind (``<provider-id>/<field>``) and what the sign-in form calls it."""

    field: str
    label: str


@dataclasses.dataclass(frozen=True)
class KindCommand:
    """A command a kind's providers take from ``portico send ID NAME [ARGS...]`` and from plugins,
    carried out by the provider's ``run_command(name, args)`` (nothing is looked up by name).

    Attributes:
        name: what the user types. arguments: the names of its string arguments.
        optional: how many of the last arguments may be left out. summary: one line of help.
    """

    name: str
    arguments: tuple[str, ...] = ()
    optional: int = 0
    summary: str = ""

    def usage(self) -> str:
        return command_usage(self.name, self.arguments, self.optional)


def command_usage(name: str, arguments: tuple[str, ...], optional: int) -> str:
    """``NAME ARG [OPTIONAL]``: how a command is typed (Portico's own and the kinds')."""
    required = arguments[:len(arguments) - optional]
    rest = arguments[len(required):]
    return " ".join([name, *(a.upper() for a in required), *(f"[{a.upper()}]" for a in rest)])


@dataclasses.dataclass(frozen=True)
class KindSpec:
    """The static declaration of one provider kind.

    Attributes:
        kind: the config value of ``kind``. title: the default provider title.
        options: the kind's own keys (the common ones are :data:`COMMON_OPTIONS`).
        secrets: keyring fields this kind may read.
        permissions: web permissions the provider's own origin may be granted
            (names from :data:`PERMISSION_NAMES`); anything else is denied.
        provider_class: ``"module:Class"`` of its Provider, imported only when one is configured.
        frame_url: the validated options -> what the provider frame loads.
        check: cross-key rules on the validated options: ``(key, message)`` of the first broken
            one, or None.
        signs_in_from_keyring: Portico signs this kind in from the keyring at every start, so its
            browser profile lives in memory only and ``remember_session`` cannot be set: the web
            app would store a session token on disk that Portico does not need.
        summary: one sentence for the docs.
        menu_tables: ``table`` options the provider's menu edits ("Edit your details…"); the
            provider's ``apply_table`` takes the new values at once.
        commands: the :class:`KindCommand` s every provider of the kind takes (a provider may
            add its own from its options: ``Provider.kind_commands``).
    """

    kind: str
    title: str
    options: tuple[Option, ...]
    secrets: tuple[SecretField, ...]
    permissions: frozenset[str]
    provider_class: str
    frame_url: Callable[[Mapping[str, Any]], str]
    check: Callable[[Mapping[str, Any]], tuple[str, str] | None] = lambda _options: None
    signs_in_from_keyring: bool = False
    summary: str = ""
    menu_tables: tuple[str, ...] = ()
    commands: tuple[KindCommand, ...] = ()

    @property
    def secret_fields(self) -> tuple[str, ...]:
        return tuple(s.field for s in self.secrets)

    def option(self, key: str) -> Option:
        for option in (*COMMON_OPTIONS, *self.options):
            if option.key == key:
                return option
        raise KeyError(key)

    def all_options(self) -> tuple[Option, ...]:
        return (*COMMON_OPTIONS, *self.options)


#: The web permissions Portico knows how to decide on, as the config and docs name them.
PERMISSION_NAMES: Final = frozenset(
    {"camera", "microphone", "notifications", "clipboard-read", "clipboard-write", "screen-share"}
)

#: A spell-check language as its dictionary is named (``en-US``: ``en-US.bdic``).
LANGUAGE_RE: Final = r"[a-z]{2,3}(?:-[A-Z]{2})?"

#: Keys every provider table has besides ``id`` and ``kind`` (``title`` defaults to the kind's).
COMMON_OPTIONS: Final = (
    Option("title", "string", "", "Title", "What the sidebar shows (default: the kind's name)."),
    Option("icon", "string", "", "Icon", "An image file for the sidebar (default: the site's icon).",
           editable=False),
    Option("zoom", "number", 1.0, "Zoom", "The page zoom factor.", bounds=(0.25, 5.0), editable=False),
    Option("trusted_certificates", "list", (), "Trusted certificates (SHA-256)",
           "Fingerprints of self-signed or private certificates you trusted for this provider's server "
           "(the certificate prompt adds them); any other certificate error is refused.",
           pattern=r"[0-9A-Fa-f]{64}|[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31}",
           pattern_help="must be a SHA-256 fingerprint: 64 hex digits, with or without ':' between pairs",
           max_length=16),
    Option("spellcheck", "list", None, "Spell-check languages",
           "e.g. en-US, it-IT; empty: the General setting ([settings] spellcheck); [] in the file: off",
           pattern=LANGUAGE_RE, max_length=8,
           pattern_help="must be a language tag such as en-US, it-IT or es-ES"),
    Option("download_folder", "string", "", "Download folder",
           "where this provider's downloads go (default: your Downloads folder); ~ is your home",
           pattern=r"(?:~|/|[A-Za-z]:[\\/]).*", max_length=1024,
           pattern_help="must be an absolute folder path (or start with ~ for your home)"),
    Option("remember_session", "boolean", False, "Remember the sign-in across restarts (kept on disk)",
           "Keep the browser profile (cookies, storage, cache) on disk; only for kinds Portico does not "
           "sign in from the keyring."),
)

_ID64: Final = r"[A-Za-z0-9_\-]{0,64}"
_ID64_HELP: Final = "may hold only letters, digits, '-' and '_' (at most 64)"
_UUID: Final = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def rocketchat_url(o: Mapping[str, Any], embedded: bool = True) -> str:
    """The web client's address for a rocketchat provider's options: its channel or home, in the
    embedded layout for a frame (desktop mode shows the whole client)."""
    url = f"{o['server']}/channel/{o['channel']}" if o["channel"] else f"{o['server']}/home"
    return url + "?layout=embedded" if embedded else url


def _rocketchat_check(o: Mapping[str, Any]) -> tuple[str, str] | None:
    if o["sign_in"]:
        if o["username"] or o["user_id"]:
            return "sign_in", "signs in through SSO: leave out username and user_id (no password is used)"
        return None
    if not o["username"] and not o["user_id"]:
        return "username", "is required (or user_id, for a personal access token; or sign_in, for SSO)"
    return None


def _spatialchat_check(o: Mapping[str, Any]) -> tuple[str, str] | None:
    if "#" in o["space_url"]:
        return "space_url", "must not have a #fragment (the room goes in its query)"
    return None


_USER_FIELD_HELP: Final = "answered to the page's get_user_info"

_PATH: Final = r"([A-Za-z0-9_$\-]{1,64}(\.[A-Za-z0-9_$\-]{1,64}){0,7})?"
_PATH_HELP: Final = "must be a dotted path of keys, e.g. data.count (at most 8 keys)"
_NAMES: Final = dict(pattern=r"[A-Za-z0-9_.:$\-]{1,64}", max_length=50,
                     pattern_help="each must be a message name (letters, digits, '.', ':', '_', '-', '$')")


def _postmessage_check(o: Mapping[str, Any]) -> tuple[str, str] | None:
    if o["unread_events"] and not o["unread_count"]:
        return "unread_count", "is required with unread_events: the path of the count (a number or true/false)"
    if o["notify_events"] and not (o["notify_title"] or o["notify_body"]):
        return "notify_body", "is required with notify_events (or notify_title): the path of the text"
    named = [*o["unread_events"], *o["notify_events"], *o["events"]]
    if not named:
        return "events", "names no message: list what the page sends in unread_events, notify_events or events"
    if set(o["commands"]) & set(named):
        return "commands", f"{sorted(set(o['commands']) & set(named))[0]!r} is also an event name"
    return None


POSTMESSAGE_KIND: Final = KindSpec(
    kind="postmessage",
    title="Web app",
    summary="Any web app that posts messages to its parent window, mapped without code: which messages "
            "set the badge, which raise a notification, which commands may be sent.",
    options=(
        Option("url", "url", REQUIRED, "Site URL", "https://app.example.com/"),
        Option("name_key", "string", "type", "Name key", "the path of a message's name, e.g. type or event",
               pattern=_PATH, pattern_help=_PATH_HELP),
        Option("unread_events", "list", (), "Unread messages", "names of the messages that carry the unread "
               "count", **_NAMES),
        Option("unread_count", "string", "", "Unread count path", "where the count is in them, e.g. data.count",
               pattern=_PATH, pattern_help=_PATH_HELP),
        Option("notify_events", "list", (), "Notifying messages", "names of the messages that raise a "
               "notification", **_NAMES),
        Option("notify_title", "string", "", "Notification title path", "e.g. data.from (default: the title)",
               pattern=_PATH, pattern_help=_PATH_HELP),
        Option("notify_body", "string", "", "Notification text path", "e.g. data.text",
               pattern=_PATH, pattern_help=_PATH_HELP),
        Option("events", "list", (), "Other messages", "names of further messages to accept (for plugins "
               "and the event log); any other message is dropped", **_NAMES),
        Option("commands", "list", (), "Commands", "names of the messages `portico send` and plugins may "
               "post to the page", pattern=COMMAND_NAME_RE, max_length=50,
               pattern_help="each must be a command name (a letter, then letters, digits, '.', ':', '_', '-')"),
        Option("data_key", "string", "data", "Command data key", "where a command's argument goes in the "
               "message posted", pattern=_PATH, pattern_help=_PATH_HELP),
    ),
    secrets=(),
    permissions=frozenset({"notifications", "clipboard-write"}),
    provider_class="desktop.providers.postmessage:PostMessageProvider",
    frame_url=lambda o: str(o["url"]),
    check=_postmessage_check,
)

#: The kinds Portico ships.
BUILTIN_KINDS: Final[Mapping[str, KindSpec]] = {
    "rocketchat": KindSpec(
        kind="rocketchat",
        title="Rocket.Chat",
        summary="A Rocket.Chat server's web client, signed in from the keyring (password or personal "
                "access token) or through the server's SSO.",
        options=(
            Option("server", "server", REQUIRED, "Server", "https://chat.example.com"),
            Option("channel", "string", "", "Channel", "optional: the whole workspace without it",
                   pattern=r"[A-Za-z0-9._\-]{0,100}",
                   pattern_help="must be a channel name (letters, digits, '.', '_', '-')"),
            Option("username", "string", "", "Username", "the account's username or e-mail"),
            Option("user_id", "string", "", "User id", "for a personal access token"),
            Option("sign_in", "string", "", "SSO sign-in", "oauth:<service> to sign in through the server's "
                   "OAuth service, iframe for its own iframe sign-in page (no password either way)",
                   pattern=r"(oauth:[A-Za-z0-9._\-]{1,100}|iframe)?",
                   pattern_help="must be empty, iframe, or oauth:<service> (the service's name in Rocket.Chat)"),
            Option("integration", "choice", "auto", "Integration",
                   "auto: the server's Iframe Integration where it is on, else desktop mode (the web "
                   "client on its own, as Rocket.Chat Desktop shows it); iframe or desktop forces one",
                   choices=("auto", "iframe", "desktop")),
            Option("hide_actions", "table", {}, "Hidden actions",
                   "action ids the web client hides (overrideUi, Rocket.Chat 6.6 and later)", editable=False,
                   fields=tuple(Option(group, "list", (), f"{group.title()} actions",
                                       f"ids of the {group} toolbox's actions, e.g. {example}",
                                       pattern=r"[A-Za-z0-9._\-]{1,64}", max_length=100,
                                       pattern_help="each must be an action id (letters, digits, '.', '_', '-')")
                                for group, example in (("room", '["start-call"]'),
                                                       ("message", '["reply-in-thread"]'),
                                                       ("composer", '["video-message"]'),
                                                       ("user", '["logout"]')))),
        ),
        secrets=(SecretField("password", "Password"), SecretField("token", "Personal access token")),
        permissions=frozenset({"notifications", "camera", "microphone", "screen-share", "clipboard-write"}),
        provider_class="desktop.providers.rocketchat.provider:RocketChatProvider",
        frame_url=rocketchat_url,
        check=_rocketchat_check,
        signs_in_from_keyring=True,
    ),
    "spoki": KindSpec(
        kind="spoki",
        title="Spoki",
        summary="A Spoki account's chats (WhatsApp Business), signed in with a service user's API key "
                "and private key.",
        options=(
            Option("email", "string", REQUIRED, "Service user e-mail", "the Spoki service user"),
            Option("page", "string", "chats", "Page", "chats, templates or chats/<uuid>",
                   pattern=rf"chats|templates|chats/{_UUID}", pattern_help="must be chats, templates or chats/<uuid>"),
            Option("language", "choice", "window", "Language", "the embedded app's language (window: the "
                   "language Portico's window speaks)", choices=("window", "it", "en", "es")),
            Option("can_view_chat_list", "boolean", True, "Can view the chat list", "show the list of chats"),
            Option("can_reply_in_chat", "boolean", True, "Can reply in chats", "allow replies"),
            Option("can_send_paypal_in_chat", "boolean", False, "Can send PayPal links", "allow PayPal links"),
            Option("api_base", "server", "https://app.spoki.it", "API base", "https://app.spoki.it"),
            Option("app_base", "server", "https://spoki.app", "App base", "https://spoki.app"),
        ),
        secrets=(SecretField("api_key", "API key"), SecretField("private_key", "Service user's private key")),
        permissions=frozenset({"notifications", "clipboard-write"}),
        provider_class="desktop.providers.spoki.provider:SpokiProvider",
        frame_url=lambda o: str(o["app_base"]),
        signs_in_from_keyring=True,
    ),
    "spatialchat": KindSpec(
        kind="spatialchat",
        title="SpatialChat site",
        summary="A site written for SpatialChat rooms (its iFrame API): Portico answers as the host.",
        options=(
            Option("url", "url", REQUIRED, "Site URL", "https://board.example.com/"),
            Option("space_id", "string", "", "Space id", "answered to get_space_ids", pattern=_ID64,
                   pattern_help=_ID64_HELP),
            Option("room_id", "string", "", "Room id", "answered to get_space_ids", pattern=_ID64,
                   pattern_help=_ID64_HELP),
            Option("space_slug", "string", "", "Space slug", "answered to get_space_ids", pattern=_ID64,
                   pattern_help=_ID64_HELP),
            Option("space_url", "url", "", "Space URL",
                   "optional: https://app.spatial.chat/s/<id>, for room links"),
            Option("user", "table", {}, "Your details", "What sites in this room see about you:",
                   editable=False, fields=(
                Option("id", "string", "", "Id", _USER_FIELD_HELP, max_length=1000),
                Option("name", "string", "", "Name", _USER_FIELD_HELP, max_length=1000),
                Option("about", "string", "", "About", _USER_FIELD_HELP, max_length=1000),
                Option("pronoun", "string", "", "Pronoun", _USER_FIELD_HELP, max_length=1000),
                Option("avatar_url", "url", "", "Avatar URL", "https://…"),
            )),
        ),
        secrets=(),
        permissions=frozenset({"camera", "microphone", "screen-share", "clipboard-write"}),
        provider_class="desktop.providers.spatialchat:SpatialChatProvider",
        frame_url=lambda o: str(o["url"]),
        check=_spatialchat_check,
        menu_tables=("user",),
    ),
    "postmessage": POSTMESSAGE_KIND,
}



#: Every kind that can be configured: the built-ins, and the installed ones once
#: :func:`load_installed` ran (``desktop.config`` runs it before reading a config).
KINDS: Final[dict[str, KindSpec]] = dict(BUILTIN_KINDS)


@dataclasses.dataclass(frozen=True)
class InstalledKind:
    """A kind an installed package registers (``portico.kinds`` entry point).

    Attributes:
        kind: the entry point's name. distribution, version: the package that declares it.
        error: why it could not be used (empty when it is registered in :data:`KINDS`).
    """

    kind: str
    distribution: str
    version: str
    error: str = ""

    @property
    def active(self) -> bool:
        return not self.error

    @property
    def origin(self) -> str:
        """``<distribution> <version>``, for people."""
        return f"{self.distribution} {self.version}".strip()


#: What :func:`load_installed` found, by kind (the broken ones too: doctor and ``plugins list`` show them).
INSTALLED: Final[dict[str, InstalledKind]] = {}
_scanned = False


def spec_problem(spec: Any, name: str) -> str:
    """Why an installed kind's declaration cannot be used, or ``""``: the rules every built-in
    kind keeps too (the tests check them on the built-ins)."""
    if not isinstance(spec, KindSpec):
        return f"the entry point gives a {type(spec).__name__}, not a KindSpec"
    if spec.kind != name:
        return f"the KindSpec says kind={spec.kind!r} but its entry point is named {name!r}"
    if not KIND_NAME_RE.fullmatch(name):
        return "a kind's name must match [a-z][a-z0-9-]* (at most 40 characters)"
    keys = [o.key for o in spec.all_options()]
    clash = sorted({k for k in keys if keys.count(k) > 1} | ({"id", "kind"} & set(keys)))
    if clash:
        return f"option {clash[0]!r} is declared twice (or is one of the common keys)"
    unknown = sorted(spec.permissions - PERMISSION_NAMES)
    if unknown:
        return f"permission {unknown[0]!r} is not one of {', '.join(sorted(PERMISSION_NAMES))}"
    module, _, cls = spec.provider_class.partition(":")
    if not module or not cls:
        return f"provider_class {spec.provider_class!r} is not \"module:Class\""
    fields = [s.field for s in spec.secrets]
    if any(not re.fullmatch(r"[a-z0-9_]{1,40}", f) for f in fields) or len(set(fields)) != len(fields):
        return "each secret field must be a unique name of [a-z0-9_] (at most 40 characters)"
    names = [c.name for c in spec.commands]
    if any(not re.fullmatch(COMMAND_NAME_RE, n) for n in names) or len(set(names)) != len(names):
        return f"each command must have a unique name matching {COMMAND_NAME_RE}"
    return ""


def load_installed(entry_points: bool = True, rescan: bool = False) -> Mapping[str, InstalledKind]:
    """Register the kinds installed packages declare (once; ``rescan`` forgets them and looks
    again). A kind that fails to import or to validate is recorded with its error and left out:
    Portico starts without it."""
    global _scanned
    if _scanned and not rescan:
        return INSTALLED
    for name in list(KINDS):
        if name not in BUILTIN_KINDS:
            del KINDS[name]
    INSTALLED.clear()
    _scanned = True
    if not entry_points:
        return INSTALLED
    import importlib.metadata  # noqa: PLC0415 - slow to import; only once a config is read (docs/startup.md)
    for ep in importlib.metadata.entry_points(group=KIND_ENTRY_POINT_GROUP):
        dist = ep.dist
        found = InstalledKind(ep.name, dist.name if dist is not None else ep.value,
                              dist.version if dist is not None else "")
        origin = found.origin
        if ep.name in BUILTIN_KINDS or ep.name in INSTALLED:
            taken = "built-in" if ep.name in BUILTIN_KINDS else INSTALLED[ep.name].origin
            log.warning("kind %s from %s skipped: %s has that name", ep.name, origin, taken)
            if ep.name not in INSTALLED:
                INSTALLED[ep.name] = dataclasses.replace(found, error=f"the name is taken by the {taken} kind")
            continue
        try:
            target = ep.load()
            spec = target() if callable(target) and not isinstance(target, KindSpec) else target
            problem = spec_problem(spec, ep.name)
            if not problem:
                module, _, cls = spec.provider_class.partition(":")
                getattr(importlib.import_module(module), cls)
        except Exception as exc:  # noqa: BLE001 - a broken package must not stop Portico
            problem = f"{type(exc).__name__}: {exc}"
        if problem:
            log.warning("kind %s from %s skipped: %s", ep.name, origin, problem)
            INSTALLED[ep.name] = dataclasses.replace(found, error=problem)
        else:
            INSTALLED[ep.name] = found
            KINDS[ep.name] = spec
    return INSTALLED


def secret_fields(kind: str) -> tuple[str, ...]:
    """Return the keyring fields a provider kind declares (empty for an unknown kind)."""
    spec = KINDS.get(kind)
    return spec.secret_fields if spec else ()


def secret_label(field: str) -> str:
    """What the sign-in form calls a secret field (``totp``, asked by a server, is never stored)."""
    for spec in KINDS.values():
        for secret in spec.secrets:
            if secret.field == field:
                return secret.label
    return {"totp": "Two-factor code"}.get(field, field)
