"""The TOML config: parsed into frozen dataclasses; every error names file, line and key."""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import tomllib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from desktop import paths
from desktop.bridge.envelope import canonical_origin, secret_may_travel_to
from desktop.providers.kinds import KINDS

_ID_RE: Final = re.compile(r"[a-z0-9-]{1,40}")


def is_provider_id(value: object) -> bool:
    """A provider id as the config allows it: 1-40 of ``[a-z0-9-]``, the whole string (the state
    file, the single-instance socket and the keyring check theirs with this)."""
    return isinstance(value, str) and _ID_RE.fullmatch(value) is not None


_UUID_RE: Final = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class ConfigError(Exception):
    """A config problem, located: ``file:line: key: message``."""

    def __init__(self, path: pathlib.Path | str, line: int | None, key: str | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.key = key
        self.message = message
        where = self.path + (f":{line}" if line else "")
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


@dataclasses.dataclass(frozen=True)
class UserInfo:
    """The user's displayed profile answered to SpatialChat's ``get_user_info``."""

    id: str = ""
    name: str = ""
    about: str = ""
    pronoun: str = ""
    avatar_url: str = ""

    def to_wire(self) -> dict[str, str]:
        """The ``user_info`` data object as SpatialChat names its fields."""
        return {"id": self.id, "name": self.name, "about": self.about,
                "pronoun": self.pronoun, "avatarUrl": self.avatar_url}


@dataclasses.dataclass(frozen=True)
class ProviderConfig:
    """One ``[[provider]]`` table, validated.

    Attributes:
        id, kind, title: as in the file.
        url: what the provider frame loads (before any sign-in parameters are added).
        origin: the canonical origin of ``url``: the only origin the bridge talks to.
        options: the kind's own keys, validated and with defaults filled in.
        line: where the table starts in the file (for later error messages).
    """

    id: str
    kind: str
    title: str
    url: str
    origin: str
    options: Mapping[str, Any]
    line: int = 0

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


@dataclasses.dataclass(frozen=True)
class Config:
    """The whole config file.

    Attributes:
        path: the file it came from (None for a config built in memory).
        providers: the providers in file order.
        plugins: the ``[plugins]`` table as written (the plugin manager validates it).
        settings: the ``[settings]`` table as written (app-wide preferences).
    """

    path: pathlib.Path | None
    providers: tuple[ProviderConfig, ...]
    plugins: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    settings: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def provider(self, provider_id: str) -> ProviderConfig:
        for p in self.providers:
            if p.id == provider_id:
                return p
        raise KeyError(provider_id)


class _Locator:
    """Finds the line of ``[[provider]]`` number N and of a key inside it."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def _provider_blocks(self) -> list[tuple[int, int]]:
        starts = [i for i, ln in enumerate(self.lines) if re.match(r"^\s*\[\[\s*provider\s*\]\]", ln)]
        blocks = []
        for n, start in enumerate(starts):
            end = len(self.lines)
            for j in range(start + 1, len(self.lines)):
                m = self._HEADER.match(self.lines[j])
                if m and not m.group(1).strip().startswith("provider."):
                    end = j
                    break
            blocks.append((start, end))
        return blocks

    def provider_line(self, index: int) -> int | None:
        blocks = self._provider_blocks()
        return blocks[index][0] + 1 if index < len(blocks) else None

    def key_line(self, index: int | None, key: str, table: str | None = None) -> int | None:
        if index is None:
            start, end = 0, len(self.lines)
        else:
            blocks = self._provider_blocks()
            if index >= len(blocks):
                return None
            start, end = blocks[index]
        current: str | None = None if index is None else "provider"
        want = table or (None if index is None else "provider")
        for i in range(start, end):
            line = self.lines[i]
            h = self._HEADER.match(line)
            if h:
                current = h.group(1).strip()
                if index is None and key == current:
                    return i + 1
                continue
            k = self._KEY.match(line)
            if k and k.group(1).strip('"') == key and current == want:
                return i + 1
        return None


def key_line(text: str, table: str, key: str | None = None) -> int | None:
    """The line of ``key`` in the ``[table]`` of a config text (of the table's header when ``key`` is None)."""
    return _Locator(text).key_line(None, key or table, None if key is None else table)


_COMMON_KEYS: Final = frozenset({"id", "kind", "title", "icon", "zoom", "remember_session"})
_KIND_KEYS: Final = {
    "spatialchat": frozenset({"url", "space_id", "room_id", "space_slug", "space_url", "user"}),
    "rocketchat": frozenset({"server", "channel", "username", "user_id"}),
    "spoki": frozenset({"api_base", "app_base", "email", "page", "language", "can_view_chat_list",
                        "can_reply_in_chat", "can_send_paypal_in_chat"}),
}
_SPATIAL_ID_RE: Final = re.compile(r"[A-Za-z0-9_\-]{0,64}")


class _Reader:
    """Validates one provider table, raising located ConfigErrors."""

    def __init__(self, path: pathlib.Path | str, loc: _Locator, index: int, table: dict[str, Any]) -> None:
        self.path, self.loc, self.index, self.table = path, loc, index, table
        self.used: set[str] = set()

    def error(self, key: str, message: str, table: str | None = None) -> ConfigError:
        line = self.loc.key_line(self.index, key, table) or self.loc.provider_line(self.index)
        name = f"provider[{self.index}].{table.split('.', 1)[1] + '.' if table else ''}{key}"
        return ConfigError(self.path, line, name, message)

    def get(self, key: str, typ: type | tuple[type, ...], default: Any = dataclasses.MISSING,
            table: dict[str, Any] | None = None, table_name: str | None = None) -> Any:
        source = self.table if table is None else table
        if table is None:
            self.used.add(key)
        if key not in source:
            if default is dataclasses.MISSING:
                raise self.error(key, "is required", table_name)
            return default
        value = source[key]
        if typ is bool and not isinstance(value, bool) or not isinstance(value, typ) or (
                typ is int and isinstance(value, bool)):
            names = typ.__name__ if isinstance(typ, type) else " or ".join(t.__name__ for t in typ)
            raise self.error(key, f"must be a {_toml_type(names)}, not {_toml_type(type(value).__name__)}",
                             table_name)
        return value

    def url(self, key: str, default: Any = dataclasses.MISSING, https_only: bool = False) -> str:
        value = self.get(key, str, default)
        try:
            canonical_origin(value)
        except ValueError as exc:
            raise self.error(key, f"is not a usable http(s) URL ({exc})") from None
        if https_only and not secret_may_travel_to(value):
            raise self.error(key, "must be an https:// URL (http is accepted only for a loopback address: "
                                  "127.0.0.1, [::1] or localhost)")
        return value.rstrip("/") if key in {"server", "api_base", "app_base"} else value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.get(key, str, default)
        if value not in choices:
            raise self.error(key, f"must be one of {', '.join(choices)}, not {value!r}")
        return value


def _toml_type(name: str) -> str:
    return {"str": "string", "int": "integer", "bool": "boolean", "float": "float",
            "dict": "table", "list": "array"}.get(name, name)


def _provider(path: pathlib.Path | str, loc: _Locator, index: int, table: Any) -> ProviderConfig:
    if not isinstance(table, dict):
        raise ConfigError(path, loc.provider_line(index), f"provider[{index}]", "must be a table")
    r = _Reader(path, loc, index, table)
    pid = r.get("id", str)
    if not is_provider_id(pid):
        raise r.error("id", f"{pid!r} must match [a-z0-9-]+ (at most 40 characters)")
    kind = r.get("kind", str)
    if kind not in KINDS:
        raise r.error("kind", f"{kind!r} is not one of {', '.join(sorted(KINDS))}")
    for key in table:  # a typo is reported as itself, before "is required" for the key meant
        if key not in _COMMON_KEYS | _KIND_KEYS[kind]:
            raise r.error(key, f"is not a known key for a {kind} provider")
    title = r.get("title", str, KINDS[kind].title)
    options: dict[str, Any] = {"icon": r.get("icon", str, "")}
    if kind == "spatialchat":
        url = r.url("url")
        options["space_url"] = r.url("space_url") if "space_url" in table else ""
        if "#" in options["space_url"]:
            raise r.error("space_url", "must not have a #fragment (the room goes in its query)")
        for key in ("space_id", "room_id", "space_slug"):
            options[key] = r.get(key, str, "")
            if not _SPATIAL_ID_RE.fullmatch(options[key]):
                raise r.error(key, "may hold only letters, digits, '-' and '_' (at most 64)")
        user = r.get("user", dict, {})
        fields = {}
        for key in ("id", "name", "about", "pronoun", "avatar_url"):
            value = r.get(key, str, "", table=user, table_name="provider.user")
            if len(value) > 1000:
                raise r.error(key, "is longer than 1000 characters", "provider.user")
            fields[key] = value
        unknown = set(user) - set(fields)
        if unknown:
            key = sorted(unknown)[0]
            raise r.error(key, "is not a known key of [provider.user]", "provider.user")
        options["user"] = UserInfo(**fields)
    elif kind == "rocketchat":
        server = r.url("server", https_only=True)
        channel = r.get("channel", str, "")
        if channel and not re.fullmatch(r"[A-Za-z0-9._\-]{1,100}", channel):
            raise r.error("channel", "must be a channel name (letters, digits, '.', '_', '-')")
        options.update(server=server, channel=channel, username=r.get("username", str, ""),
                       user_id=r.get("user_id", str, ""))
        if not options["username"] and not options["user_id"]:
            raise r.error("username", "is required (or user_id, for a personal access token)")
        url = f"{server}/channel/{channel}?layout=embedded" if channel else f"{server}/home?layout=embedded"
    elif kind == "spoki":
        options.update(
            api_base=r.url("api_base", "https://app.spoki.it", https_only=True),
            app_base=r.url("app_base", "https://spoki.app", https_only=True),
            email=r.get("email", str),
            page=r.get("page", str, "chats"),
            language=r.choice("language", ("it", "en", "es"), "en"),
            can_view_chat_list=r.get("can_view_chat_list", bool, True),
            can_reply_in_chat=r.get("can_reply_in_chat", bool, True),
            can_send_paypal_in_chat=r.get("can_send_paypal_in_chat", bool, False),
        )
        page = options["page"]
        if page not in ("chats", "templates") and not (
                page.startswith("chats/") and _UUID_RE.fullmatch(page.removeprefix("chats/"))):
            raise r.error("page", "must be chats, templates or chats/<uuid>")
        url = options["app_base"]
    else:  # pragma: no cover - KINDS and this function are kept in step
        raise r.error("kind", "has no reader")
    options["zoom"] = float(r.get("zoom", (int, float), 1.0))
    if not 0.25 <= options["zoom"] <= 5.0:
        raise r.error("zoom", "must be between 0.25 and 5.0")
    options["remember_session"] = r.get("remember_session", bool, False)
    if options["remember_session"] and KINDS[kind].signs_in_from_keyring:
        raise r.error("remember_session", f"cannot be true for a {KINDS[kind].title} provider: Portico signs it "
                                          "in from the keyring at every start, and its session stays in memory")
    return ProviderConfig(id=pid, kind=kind, title=title, url=url, origin=canonical_origin(url),
                          options=MappingProxyType(options), line=loc.provider_line(index) or 0)


def parse_config(text: str, path: pathlib.Path | str = "<config>") -> Config:
    """Parse and validate config text; raise :class:`ConfigError` naming file, line and key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        if line is None and "(at end of document)" in str(exc):  # a truncated file: its last line
            line = max(1, len(text.splitlines()))
        reason = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", str(exc))
        raise ConfigError(path, line, None, f"invalid TOML: {reason}") from None
    loc = _Locator(text)
    for key in data:
        if key not in {"provider", "plugins", "settings"}:
            raise ConfigError(path, loc.key_line(None, key), key, "is not a known top-level key "
                              "(expected [[provider]], [plugins], [settings])")
    tables = data.get("provider", [])
    if not isinstance(tables, list):
        raise ConfigError(path, loc.key_line(None, "provider"), "provider", "must be an array of tables ([[provider]])")
    providers = []
    seen: dict[str, int] = {}
    for index, table in enumerate(tables):
        p = _provider(path, loc, index, table)
        if p.id in seen:
            raise ConfigError(path, loc.key_line(index, "id"), f"provider[{index}].id",
                              f"{p.id!r} is already used by provider[{seen[p.id]}]")
        seen[p.id] = index
        providers.append(p)
    for name in ("plugins", "settings"):
        if not isinstance(data.get(name, {}), dict):
            raise ConfigError(path, loc.key_line(None, name), name, "must be a table")
    return Config(path=pathlib.Path(path) if path != "<config>" else None, providers=tuple(providers),
                  plugins=MappingProxyType(data.get("plugins", {})),
                  settings=MappingProxyType(data.get("settings", {})))


def load_config(path: pathlib.Path | None = None) -> Config:
    """Load the config file (default: the platformdirs one; missing default file: no providers)."""
    explicit = path is not None
    path = pathlib.Path(path) if path is not None else paths.default_config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            raise ConfigError(path, None, None, "no such file") from None
        return Config(path=path, providers=())
    except UnicodeDecodeError:
        raise ConfigError(path, None, None, "is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(path, None, None, f"cannot be read ({exc.strerror})") from None
    return parse_config(text, path)


def atomic_write(path: pathlib.Path, text: str) -> None:
    """Write a file so that a crash leaves either the old or the new content, never half."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    import tempfile  # noqa: PLC0415 - only when the config is written (~4 ms at every start otherwise)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def update_provider(path: pathlib.Path, provider_id: str, changes: Mapping[str, Any],
                    subtable: str | None = None) -> Config:
    """Change keys of one provider (optionally inside a sub-table such as ``user``), keeping comments.

    The new text is validated before it replaces the file; on any error the file is unchanged.
    """
    import tomlkit  # noqa: PLC0415 - only edits need it; kept out of start-up (docs/benchmarks.md)

    text = path.read_text(encoding="utf-8")
    doc = tomlkit.parse(text)
    for table in doc.get("provider", []):
        if table.get("id") == provider_id:
            target = table
            if subtable:
                if subtable not in table:
                    table[subtable] = tomlkit.table()
                target = table[subtable]
            for key, value in changes.items():
                target[key] = value
            break
    else:
        raise KeyError(provider_id)
    new_text = tomlkit.dumps(doc)
    config = parse_config(new_text, path)
    atomic_write(path, new_text)
    return config
