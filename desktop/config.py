"""The TOML config: parsed into frozen dataclasses; every error names file, line and key."""

from __future__ import annotations

import dataclasses
import math
import os
import pathlib
import re
import tomllib
import urllib.parse
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from desktop import paths
from desktop.bridge.envelope import canonical_origin, is_loopback_host, secret_may_travel_to
from desktop.kinds import INSTALLED, KINDS, Option, load_installed

_ID_RE: Final = re.compile(r"[a-z0-9-]{1,40}")


def is_provider_id(value: object) -> bool:
    """A provider id as the config allows it: 1-40 of ``[a-z0-9-]``, the whole string (the state
    file, the single-instance socket and the keyring check theirs with this)."""
    return isinstance(value, str) and _ID_RE.fullmatch(value) is not None


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


#: The keyring's provider-id slot of the ``[network]`` table's secrets (no provider may take it).
NETWORK_ID: Final = "network"
#: What ``[network] proxy`` may say besides a proxy URL.
PROXY_MODES: Final = ("system", "none")


@dataclasses.dataclass(frozen=True)
class NetworkConfig:
    """The ``[network]`` table.

    Attributes:
        proxy: ``system`` (the desktop's proxy settings, as Chromium reads them), ``none``
            (direct), or ``http://host:port`` / ``socks5://host:port``.
        proxy_user: the user name for a proxy that asks for one; its password is the keyring's
            ``network/proxy_password``. Only for a proxy on this machine (a password would
            otherwise cross the network in clear text).
    """

    proxy: str = "system"
    proxy_user: str = ""

    @property
    def manual(self) -> bool:
        return self.proxy not in PROXY_MODES

    @property
    def scheme(self) -> str:
        return urllib.parse.urlsplit(self.proxy).scheme if self.manual else ""

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.proxy).hostname or "" if self.manual else ""

    @property
    def port(self) -> int:
        return urllib.parse.urlsplit(self.proxy).port or 0 if self.manual else 0


def _network(path: pathlib.Path | str, text: str, table: Any) -> NetworkConfig:
    def error(key: str, message: str) -> ConfigError:
        return ConfigError(path, key_line(text, "network", key), f"network.{key}", message)

    if not isinstance(table, dict):
        raise ConfigError(path, key_line(text, "network"), "network", "must be a table")
    unknown = sorted(set(table) - {"proxy", "proxy_user"})
    if unknown:
        raise error(unknown[0], "is not a known key of [network] (proxy, proxy_user)")
    proxy, user = table.get("proxy", "system"), table.get("proxy_user", "")
    if not isinstance(proxy, str):
        raise error("proxy", "must be a string: system, none, or http://host:port or socks5://host:port")
    if not isinstance(user, str) or len(user) > 256:
        raise error("proxy_user", "must be a string of at most 256 characters")
    if proxy not in PROXY_MODES:
        parts = urllib.parse.urlsplit(proxy)
        try:
            port = parts.port
        except ValueError:
            port = None
        if parts.scheme not in ("http", "socks5") or not parts.hostname or not port:
            raise error("proxy", f"must be system, none, or http://host:port or socks5://host:port, not {proxy!r}")
        if parts.username or parts.password:
            raise error("proxy", "must not hold a user or password: set proxy_user, and the password with "
                                 f"`portico credentials set {NETWORK_ID} proxy_password`")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise error("proxy", "must be only scheme://host:port")
        if user and not is_loopback_host(parts.hostname):
            raise error("proxy_user", "is only for a proxy on this machine (127.0.0.1, e.g. cntlm or px): Portico "
                                      "does not send a password in clear text across the network; a company proxy "
                                      "authenticates you with your system login (Kerberos/Negotiate) instead")
    elif user:
        raise error("proxy_user", "needs a proxy URL in proxy")
    return NetworkConfig(proxy=proxy, proxy_user=user)


@dataclasses.dataclass(frozen=True)
class Config:
    """The whole config file.

    Attributes:
        path: the file it came from (None for a config built in memory).
        providers: the providers in file order.
        plugins: the ``[plugins]`` table as written (the plugin manager validates it).
        settings: the ``[settings]`` table as written (app-wide preferences).
        network: the validated ``[network]`` table (the proxy).
        managed: the administrator's file this config was merged with (None: there is none).
        sources: ``provider.<id>``, ``provider.<id>.<key>``, ``settings.<key>``, ``network.<key>``,
            ``plugins.<key>`` -> ``managed`` or ``user`` (a key absent here has its default).
        skipped: the providers left out because their kind's package is installed but broken
            (each a located error naming the package; Portico starts without them).
    """

    path: pathlib.Path | None
    providers: tuple[ProviderConfig, ...]
    plugins: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    settings: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    skipped: tuple[ConfigError, ...] = ()
    network: NetworkConfig = dataclasses.field(default_factory=NetworkConfig)
    managed: Managed | None = None
    sources: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def locked(self) -> frozenset[str]:
        return self.managed.locked if self.managed is not None else frozenset()

    def is_locked(self, key: str) -> bool:
        """Whether the administrator locked ``key`` (see :meth:`Managed.is_locked`)."""
        return self.managed is not None and self.managed.is_locked(key)

    def is_managed(self, provider_id: str) -> bool:
        return self.sources.get(f"provider.{provider_id}") == "managed"

    def source(self, key: str) -> str:
        """``managed``, ``user`` or ``default``: where the value of ``key`` comes from."""
        return self.sources.get(key, "default")

    def provider(self, provider_id: str) -> ProviderConfig:
        for p in self.providers:
            if p.id == provider_id:
                return p
        raise KeyError(provider_id)


#: What ``locked`` may name: a ``[settings]``, ``[network]`` or ``[plugins]`` key, a whole provider,
#: or one key of a provider.
_LOCK_RE: Final = re.compile(r"(?:settings|network|plugins)\.[a-z_]{1,64}|provider\.[a-z0-9-]{1,40}(?:\.[a-z_]{1,64})?")


@dataclasses.dataclass(frozen=True)
class Managed:
    """The administrator's ``managed.toml``, valid on its own.

    Attributes:
        path: the file. data: its TOML tables (without ``locked``). config: it alone, validated.
        locked: what users cannot change (see :meth:`is_locked`).
    """

    path: pathlib.Path
    data: Mapping[str, Any]
    config: Config
    locked: frozenset[str]

    def is_locked(self, key: str) -> bool:
        """Whether ``key`` (``settings.theme``, ``provider.work`` or ``provider.work.server``) is
        locked: named in ``locked``, or a key of a provider locked whole."""
        parts = key.split(".")
        return key in self.locked or (parts[0] == "provider" and len(parts) > 2
                                      and ".".join(parts[:2]) in self.locked)

    def table(self, provider_id: str) -> dict[str, Any] | None:
        for table in self.data.get("provider", []):
            if table.get("id") == provider_id:
                return dict(table)
        return None


def load_managed(path: pathlib.Path | None = None) -> Managed | None:
    """Read and check the managed file (``path``, else :func:`paths.managed_config_file`); None
    when there is none. A broken one raises :class:`ConfigError` with its path and line: it is
    never ignored."""
    path = path if path is not None else paths.managed_config_file()
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(path, None, None, "is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(path, None, None, f"cannot be read ({exc.strerror})") from None
    config = parse_config(text, path, _managed_file=True)
    data = tomllib.loads(text)
    locked = data.pop("locked", [])
    line = key_line(text, "", "locked") if "locked" in text else None
    if not isinstance(locked, list) or not all(isinstance(k, str) for k in locked):
        raise ConfigError(path, line, "locked", "must be a list of keys, e.g. [\"settings.theme\", \"provider.work\"]")
    ids = {p.id for p in config.providers}
    for key in locked:
        if not _LOCK_RE.fullmatch(key):
            raise ConfigError(path, line, "locked", f"{key!r} is not a lockable key (settings.KEY, network.KEY, "
                                                    "plugins.KEY, provider.ID or provider.ID.KEY)")
        if key.startswith("provider.") and key.split(".")[1] not in ids:
            raise ConfigError(path, line, "locked", f"{key!r} names no provider of this file")
    return Managed(path=pathlib.Path(path), data=MappingProxyType(data), config=config, locked=frozenset(locked))


def _merge_tables(path: pathlib.Path | str, text: str, name: str, managed: Managed | None,
                  user: Any, sources: dict[str, str]) -> Any:
    """One of ``[settings]``/``[network]``/``[plugins]``: the administrator's keys, then the user's
    (a locked one is an error at the user's line)."""
    if managed is None or not isinstance(user, dict):
        sources.update({f"{name}.{k}": "user" for k in (user if isinstance(user, dict) else {})})
        return user
    merged = dict(managed.data.get(name, {}))
    sources.update({f"{name}.{k}": "managed" for k in merged})
    for key, value in user.items():
        if managed.is_locked(f"{name}.{key}"):
            raise ConfigError(path, key_line(text, name, key), f"{name}.{key}",
                              f"is set by your administrator ({managed.path}) and cannot be changed here")
        merged[key] = value
        sources[f"{name}.{key}"] = "user"
    return merged


def _override(path: pathlib.Path | str, loc: _Locator, index: int, table: dict[str, Any], managed: Managed,
              sources: dict[str, str]) -> dict[str, Any]:
    """The user's table for a managed provider: only keys the administrator did not lock, merged
    over the managed table."""
    pid = table["id"]
    base = managed.table(pid) or {}
    if managed.is_locked(f"provider.{pid}"):
        raise ConfigError(path, loc.key_line(index, "id"), f"provider[{index}].id",
                          f"{pid!r} is set by your administrator ({managed.path}) and locked: remove this table")
    for key in table:
        if key == "kind" and table[key] != base.get("kind"):
            raise ConfigError(path, loc.key_line(index, key), f"provider[{index}].kind",
                              f"must be {base.get('kind')!r}, as your administrator set it ({managed.path})")
        if managed.is_locked(f"provider.{pid}.{key}"):
            raise ConfigError(path, loc.key_line(index, key), f"provider[{index}].{key}",
                              f"is set by your administrator ({managed.path}) and cannot be changed here")
        if key != "id":
            sources[f"provider.{pid}.{key}"] = "user"
    return {**base, **table}


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


_SPECIAL_KEYS: Final = frozenset({"id", "kind"})


class _Reader:
    """Validates one provider table against its kind's schema, raising located ConfigErrors."""

    def __init__(self, path: pathlib.Path | str, loc: _Locator, index: int, table: dict[str, Any]) -> None:
        self.path, self.loc, self.index, self.table = path, loc, index, table

    def error(self, key: str, message: str, table: str | None = None) -> ConfigError:
        line = self.loc.key_line(self.index, key, table) or self.loc.provider_line(self.index)
        name = f"provider[{self.index}].{table.split('.', 1)[1] + '.' if table else ''}{key}"
        return ConfigError(self.path, line, name, message)

    def get(self, key: str, typ: type | tuple[type, ...], default: Any = dataclasses.MISSING,
            table: dict[str, Any] | None = None, table_name: str | None = None) -> Any:
        source = self.table if table is None else table
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

    def option(self, option: Option, source: dict[str, Any] | None = None, table_name: str | None = None) -> Any:
        """The validated value of one schema option (its default when absent)."""
        default = dataclasses.MISSING if option.required else option.default
        if option.type == "table":
            return self.table_option(option)
        typ = _PY_TYPES[option.type]
        value = self.get(option.key, typ, default, source, table_name)
        if option.key not in (self.table if source is None else source):
            return value
        if source is not None and value == "" and option.default == "":
            return value  # a sub-table field left empty (the table editor writes every field)
        if option.type in ("url", "server"):
            try:
                canonical_origin(value)
            except ValueError as exc:
                raise self.error(option.key, f"is not a usable http(s) URL ({exc})", table_name) from None
            if option.type == "server":
                if not secret_may_travel_to(value):
                    raise self.error(option.key, "must be an https:// URL (http is accepted only for a loopback "
                                                 "address: 127.0.0.1, [::1] or localhost)", table_name)
                value = value.rstrip("/")
        elif option.type == "choice" and value not in option.choices:
            raise self.error(option.key, f"must be one of {', '.join(option.choices)}, not {value!r}", table_name)
        elif option.type == "number":
            value = float(value)
            low, high = option.bounds or (-math.inf, math.inf)
            if not low <= value <= high:
                raise self.error(option.key, f"must be between {low} and {high}", table_name)
        elif option.type == "list":
            for i, item in enumerate(value):
                if not isinstance(item, str) or (option.pattern and not re.fullmatch(option.pattern, item)):
                    raise self.error(option.key, f"item {i + 1} ({item!r}): "
                                     + (option.pattern_help or "must be a string"), table_name)
            if option.max_length is not None and len(value) > option.max_length:
                raise self.error(option.key, f"has more than {option.max_length} items", table_name)
            value = tuple(value)
        elif option.type == "string":
            if option.pattern and not re.fullmatch(option.pattern, value):
                raise self.error(option.key, option.pattern_help or f"must match {option.pattern}", table_name)
            if option.max_length is not None and len(value) > option.max_length:
                raise self.error(option.key, f"is longer than {option.max_length} characters", table_name)
        return value

    def table_option(self, option: Option) -> Mapping[str, Any]:
        name = f"provider.{option.key}"
        sub = self.get(option.key, dict, {})
        known = {f.key for f in option.fields}
        unknown = sorted(set(sub) - known)
        if unknown:
            raise self.error(unknown[0], f"is not a known key of [{name}]", name)
        return MappingProxyType({f.key: self.option(f, sub, name) for f in option.fields})


_PY_TYPES: Final[dict[str, type | tuple[type, ...]]] = {
    "string": str, "url": str, "server": str, "choice": str, "boolean": bool, "number": (int, float), "list": list,
}


class _BrokenKind(Exception):
    """A provider of an installed kind that failed to load: skipped, not fatal."""

    def __init__(self, error: ConfigError) -> None:
        super().__init__(str(error))
        self.error = error


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
        broken = INSTALLED.get(kind)
        if broken is not None:
            raise _BrokenKind(r.error("kind", f"{kind!r} comes from {broken.origin}, which cannot be used "
                                              f"({broken.error}): this provider is skipped"))
        raise r.error("kind", f"{kind!r} is not one of {', '.join(sorted(KINDS))}")
    spec = KINDS[kind]
    schema = spec.all_options()
    known = _SPECIAL_KEYS | {o.key for o in schema}
    for key in table:  # a typo is reported as itself, before "is required" for the key meant
        if key not in known:
            raise r.error(key, f"is not a known key for a {kind} provider")
    options: dict[str, Any] = {o.key: r.option(o) for o in schema}
    title = options.pop("title") or spec.title
    broken = spec.check(options)
    if broken is not None:
        raise r.error(*broken)
    if options["remember_session"] and spec.signs_in_from_keyring:
        raise r.error("remember_session", f"cannot be true for a {spec.title} provider: Portico signs it "
                                          "in from the keyring at every start, and its session stays in memory")
    url = spec.frame_url(options)
    return ProviderConfig(id=pid, kind=kind, title=title, url=url, origin=canonical_origin(url),
                          options=MappingProxyType(options), line=loc.provider_line(index) or 0)


def parse_config(text: str, path: pathlib.Path | str = "<config>", managed: Managed | None = None,
                 _managed_file: bool = False) -> Config:
    """Parse and validate config text, merged over ``managed`` (the administrator's file: its
    providers come first, a user's table with the same id changes its unlocked keys); raise
    :class:`ConfigError` naming file, line and key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        if line is None and "(at end of document)" in str(exc):  # a truncated file: its last line
            line = max(1, len(text.splitlines()))
        reason = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", str(exc))
        raise ConfigError(path, line, None, f"invalid TOML: {reason}") from None
    load_installed()
    loc = _Locator(text)
    allowed = {"provider", "plugins", "settings", "network"} | ({"locked"} if _managed_file else set())
    for key in data:
        if key not in allowed:
            raise ConfigError(path, loc.key_line(None, key), key, "is not a known top-level key "
                              "(expected [[provider]], [plugins], [settings], [network])")
    origin = "managed" if _managed_file else "user"
    sources: dict[str, str] = {}
    settings = _merge_tables(path, text, "settings", managed, data.get("settings", {}), sources)
    plugins = _merge_tables(path, text, "plugins", managed, data.get("plugins", {}), sources)
    network_table = _merge_tables(path, text, "network", managed, data.get("network", {}), sources)
    network = _network(path, text, network_table)
    tables = data.get("provider", [])
    if not isinstance(tables, list):
        raise ConfigError(path, loc.key_line(None, "provider"), "provider", "must be an array of tables ([[provider]])")
    providers = []
    skipped = []
    seen: dict[str, int] = {}
    overrides: dict[str, ProviderConfig] = {}
    managed_ids = {p.id for p in managed.config.providers} if managed is not None else set()
    for index, table in enumerate(tables):
        pid = table.get("id") if isinstance(table, dict) else None
        if managed is not None and pid in managed_ids:
            if pid in overrides:
                raise ConfigError(path, loc.key_line(index, "id"), f"provider[{index}].id",
                                  f"{pid!r} is already changed by an earlier table")
            overrides[pid] = _provider(path, loc, index, _override(path, loc, index, table, managed, sources))
            continue
        try:
            p = _provider(path, loc, index, table)
        except _BrokenKind as exc:
            skipped.append(exc.error)
            continue
        sources[f"provider.{p.id}"] = origin
        sources.update({f"provider.{p.id}.{key}": origin for key in table if key != "id"})
        if p.id == NETWORK_ID:
            raise ConfigError(path, loc.key_line(index, "id"), f"provider[{index}].id",
                              f"{NETWORK_ID!r} is reserved for the [network] table's secrets; choose another id")
        if p.id in seen:
            raise ConfigError(path, loc.key_line(index, "id"), f"provider[{index}].id",
                              f"{p.id!r} is already used by provider[{seen[p.id]}]")
        seen[p.id] = index
        providers.append(p)
    for name in ("plugins", "settings"):
        if not isinstance(data.get(name, {}), dict):
            raise ConfigError(path, loc.key_line(None, name), name, "must be a table")
    if managed is not None:
        for p in managed.config.providers:
            sources.setdefault(f"provider.{p.id}", "managed")
            for key in (managed.table(p.id) or {}):
                if key != "id":
                    sources.setdefault(f"provider.{p.id}.{key}", "managed")
        providers = [overrides.get(p.id, p) for p in managed.config.providers] + providers
        skipped = [*managed.config.skipped, *skipped]
    return Config(path=pathlib.Path(path) if path != "<config>" else None, providers=tuple(providers),
                  plugins=MappingProxyType(plugins), settings=MappingProxyType(settings), skipped=tuple(skipped),
                  network=network, managed=managed, sources=MappingProxyType(sources))


def load_config(path: pathlib.Path | None = None) -> Config:
    """Load the config file (default: the platformdirs one; missing default file: no providers of
    the user's own), merged over the administrator's managed file when there is one."""
    managed = load_managed()
    explicit = path is not None
    path = pathlib.Path(path) if path is not None else paths.default_config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            raise ConfigError(path, None, None, "no such file") from None
        return parse_config("", path, managed)
    except UnicodeDecodeError:
        raise ConfigError(path, None, None, "is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(path, None, None, f"cannot be read ({exc.strerror})") from None
    return parse_config(text, path, managed)


def atomic_write(path: pathlib.Path, text: str) -> None:
    """Write a file so that a crash leaves either the old or the new content, never half."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    import tempfile  # noqa: PLC0415 - only when the config is written (docs/startup.md)
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
                    subtable: str | None = None, managed: Managed | None = None) -> Config:
    """Change keys of one provider (optionally inside a sub-table such as ``user``), keeping comments.

    A provider of the administrator's ``managed`` file gets (or changes) the user's table of
    overrides; a locked key raises :class:`ConfigError`. The new text is validated before it
    replaces the file; on any error the file is unchanged.
    """
    import tomlkit  # noqa: PLC0415 - only edits need it; kept out of start-up (docs/startup.md)

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    doc = tomlkit.parse(text)
    tables = [t for t in doc.get("provider", []) if t.get("id") == provider_id]
    if not tables:
        if managed is None or managed.table(provider_id) is None:
            raise KeyError(provider_id)
        if "provider" not in doc:
            doc["provider"] = tomlkit.aot()
        table = tomlkit.table()
        table["id"] = provider_id
        doc["provider"].append(table)
        tables = [table]
    table = tables[0]
    target = table
    if subtable:
        if subtable not in table:
            table[subtable] = tomlkit.table()
        target = table[subtable]
    for key, value in changes.items():
        target[key] = value
    new_text = tomlkit.dumps(doc)
    config = parse_config(new_text, path, managed)
    atomic_write(path, new_text)
    return config
