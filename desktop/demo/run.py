"""``portico demo``: start the simulators on loopback and a config that points at them."""

from __future__ import annotations

import contextlib
import dataclasses
import pathlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import tomlkit

from desktop import paths
from desktop.config import Config, atomic_write, load_config
from desktop.demo import rocketchat, spoki
from desktop.demo.rocketchat_releases import DEFAULT_RELEASE
from desktop.demo.server import LoopbackServer
from desktop.demo.spatialchat import SPACE_PATH, start_site, start_space
from desktop.secret import Secret


def _spatialchat(doc: tomlkit.TOMLDocument, servers: list[LoopbackServer], previous: dict) -> None:  # type: ignore[type-arg]
    space = start_space()
    servers.append(space)
    space_url = space.origin + SPACE_PATH
    site = start_site(space_url=space_url)
    servers.append(site)
    table = tomlkit.table()
    table.update({"id": "demo-room", "kind": "spatialchat", "title": "Team Board",
                  "url": f"{site.origin}/", "space_id": "Xq2AbcDeFgHiJkLmNoPq",
                  "room_id": "Rm7ZyXwVuTsRqPoNmLkJ", "space_slug": "portico-demo", "space_url": space_url})
    user = previous.get("demo-room") or {"id": "u-demo", "name": "Ada Lovelace", "about": "Trying out Portico",
                                         "pronoun": "she/her", "avatar_url": ""}
    table["user"] = user
    doc["provider"].append(table)
    # The space itself as a provider: the board's room cards (navigate_room) open in it.
    doc["provider"].append({"id": "demo-space", "kind": "spatialchat", "title": "Demo space", "url": space_url})


def _plain(value: Any) -> Any:
    """A config value as plain dicts and lists (a parsed config holds read-only mappings)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@dataclasses.dataclass(frozen=True)
class Demo:
    """A running demo: the config pointing at the simulators, and their fake secrets.

    The fake secrets are handed to the providers directly; the demo never touches the user's keyring.
    """

    config: Config
    get_secret: Callable[[str, str], Secret | None]


def demo_secret(provider_id: str, field: str) -> Secret | None:
    """The simulators' fake credentials, by demo provider id."""
    if provider_id == "demo-spoki":
        return spoki.demo_get_secret(provider_id, field)
    if provider_id == rocketchat.DEMO_PROVIDER_ID:
        return rocketchat.demo_get_secret(provider_id, field)
    return None


@contextlib.contextmanager
def demo_config(directory: pathlib.Path | None = None, rocketchat_release: str = DEFAULT_RELEASE,
                plugins: Mapping[str, Any] | None = None) -> Iterator[Demo]:
    """Start every simulator (Rocket.Chat playing ``rocketchat_release``) and yield a Config for
    them; stop them on exit. ``plugins`` is the user's ``[plugins]`` table: the demo runs the
    plugins the user enabled, with their settings, so a plugin can be tried against the simulators.

    The config lives in ``<data dir>/demo/config.toml`` so that edits (e.g. the SpatialChat
    profile) survive from one demo run to the next; ports are new each run.
    """
    directory = directory or paths.data_dir() / "demo"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / "config.toml"
    previous: dict[str, dict[str, str]] = {}
    if path.exists():
        with contextlib.suppress(Exception):
            for p in load_config(path).providers:
                if p.kind == "spatialchat":
                    previous[p.id] = dict(p.options["user"])
    servers: list[LoopbackServer] = []
    try:
        doc = tomlkit.document()
        doc.add(tomlkit.comment("Written by `portico demo` on each start; points at local simulators."))
        doc["provider"] = tomlkit.aot()
        _spatialchat(doc, servers, previous)
        spoki.add_to_demo(doc, servers)
        rocketchat.add_to_demo(doc, servers, release=rocketchat_release)
        if plugins:
            doc["plugins"] = _plain(plugins)
        atomic_write(path, tomlkit.dumps(doc))
        yield Demo(load_config(path), demo_secret)
    finally:
        for server in servers:
            server.stop()
