"""Sessions: what a run leaves on disk, and what signing in afresh at every start costs.

``python -m bench.sessions [--runs N] [--write]`` runs in a private temporary HOME, with the
simulators serving their pages as cacheable as a server may (``public, max-age=86400``):

1. **Stores.** One Shell with a Rocket.Chat provider (password sign-in), a Spoki provider, and
   two copies of the SpatialChat demo site, one with ``remember_session = true``. After it has
   signed in, shown every page and closed, every file under HOME is listed by store, and searched
   for the passwords, keys and every token the simulators handed out (plain and UTF-16LE).
2. **Start-up cost.** The time from ``Shell.start()`` to the Rocket.Chat web client reporting
   its user signed in, alternating a memory-only profile (what Portico does) with a disk profile
   warmed by an earlier run (what a profile kept on disk would give: the HTTP cache and Local
   Storage of the last run), in the same process, ``--runs`` times each.

With ``--write`` the result replaces the generated part of ``docs/security.md``.
"""

from __future__ import annotations

import argparse
import collections
import os
import pathlib
import shutil
import statistics
import sys
import tempfile
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"
BEGIN, END = "<!-- bench.sessions: begin -->", "<!-- bench.sessions: end -->"


def _private_home() -> pathlib.Path:
    home = pathlib.Path(tempfile.mkdtemp(prefix="portico-sessions-"))
    os.environ["HOME"] = str(home)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ.pop(name, None)
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    return home


def _store(path: pathlib.Path, home: pathlib.Path) -> str:
    """The store a file belongs to: for a profile, ``profiles/<id>/<storage|cache>/<store>``."""
    parts = path.relative_to(home).parts
    if "profiles" in parts:
        i = parts.index("profiles")
        return "/".join(("profiles", "<id>", *parts[i + 2:i + 4]))
    return "/".join(parts[:-1]) or parts[0]


def _leaks(home: pathlib.Path, secrets: list[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = collections.defaultdict(set)
    needles = [(s, s.encode(), s.encode("utf-16-le")) for s in secrets if s]
    for path in home.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            for secret, plain, wide in needles:
                if plain in data or wide in data:
                    found[secret[:6] + "…"].add(str(path.relative_to(home)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sessions", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="start-ups per profile kind (default 7)")
    parser.add_argument("--write", action="store_true", help="update docs/security.md")
    args = parser.parse_args(argv)
    home = _private_home()
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1" if os.geteuid() == 0 else "0")

    from desktop.qtargs import create_application  # noqa: PLC0415 - after HOME is private
    app = create_application(headless=True)
    from bench.rig import spin, wait_until  # noqa: PLC0415
    from desktop.demo import rocketchat, spoki  # noqa: PLC0415
    from desktop.demo.server import LoopbackServer  # noqa: PLC0415
    from desktop.demo.spatialchat import start_site  # noqa: PLC0415
    LoopbackServer.page_cache_control = "public, max-age=86400"
    rc_server, rc_sim = rocketchat.start_server(settings=rocketchat.INTEGRATION_SETTINGS)
    sp_server, sp_sim = spoki.start_app()
    site = start_site()
    try:
        stores, leaks = _stores(home, rc_server, rc_sim, sp_server, sp_sim, site, wait_until, spin)
        cost = _cost(home, rc_server, rc_sim, args.runs, wait_until)
    finally:
        for server in (rc_server, sp_server, site):
            server.stop()
        shutil.rmtree(home, ignore_errors=True)  # the disk variant's profile holds a token
    del app
    text = _report(stores, leaks, cost, args.runs)
    print(text)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
        DOC.write_text(doc[:start] + "\n" + text + "\n" + doc[end:], encoding="utf-8")
    return 0


def _secrets(pid: str, field: str) -> Any:
    from desktop.demo import rocketchat, spoki  # noqa: PLC0415
    from desktop.secret import Secret  # noqa: PLC0415
    table = {("rc", "password"): rocketchat.DEMO_PASSWORD, ("sp", "api_key"): spoki.DEMO_API_KEY,
             ("sp", "private_key"): spoki.DEMO_PRIVATE_KEY}
    return Secret(table[(pid, field)]) if (pid, field) in table else None


def _rc_toml(server: str) -> str:
    return f'[[provider]]\nid = "rc"\nkind = "rocketchat"\nserver = "{server}"\nchannel = "general"\nusername = "ada"\n'


def _stores(home: pathlib.Path, rc_server: Any, rc_sim: Any, sp_server: Any, sp_sim: Any, site: Any,
            wait_until: Any, spin: Any) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    from desktop.app import Shell  # noqa: PLC0415
    from desktop.config import parse_config  # noqa: PLC0415
    from desktop.demo import rocketchat, spoki  # noqa: PLC0415
    rooms = "".join(f'''
[[provider]]
id = "{pid}"
kind = "spatialchat"
url = "{site.origin}/"
remember_session = {str(remember).lower()}
''' for pid, remember in (("kept", True), ("room", False)))
    text = _rc_toml(rc_server.origin) + f'''
[[provider]]
id = "sp"
kind = "spoki"
api_base = "{sp_server.origin}"
app_base = "{sp_server.origin}"
email = "{spoki.DEMO_EMAIL}"
''' + rooms
    config = parse_config(text, home / "config.toml")
    shell = Shell(config, get_secret=_secrets)
    shell.open_external = lambda url: True
    shell.start(show=True)
    try:
        for pid in shell.views:
            shell.window.select(pid)
            if not wait_until(lambda p=pid: shell.views[p].bridge._frame_ready, 30):
                raise TimeoutError(f"{pid} never became ready")
        if not wait_until(lambda: shell.providers["rc"].signed_in, 30):
            raise TimeoutError("Rocket.Chat never signed in")
        spin(2.0)
    finally:
        shell.close()
        spin(0.5)
    stores: dict[str, list[str]] = collections.defaultdict(list)
    for path in sorted(home.rglob("*")):
        if path.is_file() and "runtime" not in path.relative_to(home).parts:
            stores[_store(path, home)].append(path.name)
    secrets = [rocketchat.DEMO_PASSWORD, spoki.DEMO_API_KEY, spoki.DEMO_PRIVATE_KEY, *rc_sim.issued, *sp_sim.issued]
    return dict(stores), _leaks(home, secrets)


def _cost(home: pathlib.Path, rc_server: Any, rc_sim: Any, runs: int, wait_until: Any) -> dict[str, list[float]]:
    from desktop.app import Shell  # noqa: PLC0415
    from desktop.config import parse_config  # noqa: PLC0415
    from desktop.providers.rocketchat.provider import RocketChatProvider  # noqa: PLC0415
    config = parse_config(_rc_toml(rc_server.origin), home / "cost.toml")
    disk_root = home / "cost-profiles"
    times: dict[str, list[float]] = {"memory": [], "disk": []}
    original = RocketChatProvider.keeps_browser_data

    def start_once(kind: str) -> float:
        rc_sim.limiter.clear()  # the server's login rate limit (10 a minute) is not what is measured
        # The disk variant is what Portico would do if it kept this profile: not a user option.
        RocketChatProvider.keeps_browser_data = property(lambda self: kind == "disk")  # type: ignore[assignment]
        try:
            shell = Shell(config, get_secret=_secrets, profile_root=disk_root if kind == "disk" else None)
            shell.open_external = lambda url: True
            began = time.perf_counter()
            shell.start(show=True)
            if not wait_until(lambda: shell.providers["rc"].signed_in, 30):
                raise TimeoutError(f"{kind}: Rocket.Chat never signed in")
            took = time.perf_counter() - began
            shell.close()
            return took
        finally:
            RocketChatProvider.keeps_browser_data = original  # type: ignore[assignment]

    start_once("disk")  # warms the disk profile (its cache and storage) and the process
    start_once("memory")
    for i in range(runs):
        for kind in (("memory", "disk") if i % 2 else ("disk", "memory")):
            times[kind].append(start_once(kind))
    return times


def _report(stores: dict[str, list[str]], leaks: dict[str, set[str]], cost: dict[str, list[float]],
            runs: int) -> str:
    lines = ["Files under HOME after one run (generated by `python -m bench.sessions --write`):", "",
             "| store | files |", "|---|---|"]
    for store, names in sorted(stores.items()):
        lines.append(f"| `{store}` | {len(names)} |")
    lines += ["", "Secrets and tokens found in them: " + (
        "; ".join(f"`{s}` in {', '.join(sorted(paths))}" for s, paths in sorted(leaks.items())) if leaks
        else "none (the passwords, keys and every token the simulators handed out, plain and UTF-16LE).")]
    mem, disk = (statistics.median(cost[k]) for k in ("memory", "disk"))
    lines += ["", f"Start-up to signed in, Rocket.Chat simulator on loopback, {runs} runs each, alternating:", "",
              "| profile | median | min | max |", "|---|---|---|---|"]
    for kind, label in (("memory", "in memory (signs in afresh)"), ("disk", "on disk, warm (cache + storage)")):
        values = cost[kind]
        lines.append(f"| {label} | {statistics.median(values):.3f} s | {min(values):.3f} s | {max(values):.3f} s |")
    lines += ["", f"In memory / on disk: ×{mem / disk:.2f} ({(mem - disk) * 1000:+.0f} ms)."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
