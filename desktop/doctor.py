"""``portico doctor``: what works on this machine and what does not, with what to do."""

from __future__ import annotations

import dataclasses
import os
import pathlib
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from desktop import __version__


@dataclasses.dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str
    ok: bool
    detail: str
    hint: str = ""


_SMOKE = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QApplication
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
app = QApplication([sys.argv[0], "--webEngineArgs", "--disable-gpu"])
profile = QWebEngineProfile()
page = QWebEnginePage(profile)
def done(ok):
    page.runJavaScript("document.title", 0, lambda t: (print("TITLE=" + str(t)), app.quit()))
page.loadFinished.connect(done)
page.setHtml("<title>portico-ok</title>", QUrl("about:blank"))
QTimer.singleShot(20000, app.quit)
app.exec()
del page
"""


def check_pyside() -> Check:
    try:
        import PySide6
        from PySide6 import QtCore
    except ImportError as exc:
        return Check("PySide6", False, f"not importable ({exc})", "pip install 'PySide6>=6.10,<6.12'")
    version = PySide6.__version__
    major_minor = tuple(int(x) for x in version.split(".")[:2])
    if not (6, 10) <= major_minor < (6, 12):
        return Check("PySide6", False, f"{version} is outside the supported range >=6.10,<6.12",
                     "6.12.0 aborts after ~1,000 signal emissions on Python 3.11; install 6.11.x")
    return Check("PySide6", True, f"{version} (Qt {QtCore.qVersion()})")


def check_webengine() -> Check:
    try:
        from PySide6.QtCore import QLibraryInfo
        from PySide6.QtWebEngineCore import QWebEngineProfile  # noqa: F401
    except ImportError as exc:
        return Check("Qt WebEngine", False, f"not importable ({exc})",
                     "install the system libraries Qt WebEngine needs (see README: libnss3, libxkbfile1 …)")
    exe = pathlib.Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibraryExecutablesPath)) / "QtWebEngineProcess"
    if not exe.exists() and not getattr(sys, "frozen", False):
        return Check("Qt WebEngine", False, f"{exe} is missing", "reinstall PySide6-Addons")
    if os.geteuid() == 0 and not os.environ.get("QTWEBENGINE_DISABLE_SANDBOX") \
            and "--no-sandbox" not in os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", ""):
        return Check("Qt WebEngine", False, "running as root: Chromium refuses to start its sandbox",
                     "run Portico as a normal user (set QTWEBENGINE_DISABLE_SANDBOX=1 only in CI)")
    try:
        out = subprocess.run([sys.executable, "-c", _SMOKE], capture_output=True, text=True, timeout=40,
                             env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    except subprocess.TimeoutExpired:
        return Check("Qt WebEngine", False, "a test page did not render within 40 s", "run with -v and report")
    if "TITLE=portico-ok" not in out.stdout:
        tail = (out.stderr.strip().splitlines() or ["no output"])[-1]
        return Check("Qt WebEngine", False, f"a test page did not render (exit {out.returncode}: {tail})",
                     "install the libraries listed in README, or run `portico doctor -v`")
    return Check("Qt WebEngine", True, "renders a page offscreen")


def check_display() -> Check:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return Check("Display", True, "none (only `--headless` runs work here)")
    return Check("Display", True, os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY") or "native")


def check_keyring() -> Check:
    try:
        from desktop import credentials
    except ImportError as exc:
        return Check("Keyring", False, f"credentials module unavailable ({exc})")
    try:
        return Check("Keyring", True, credentials.backend_description())
    except credentials.CredentialError as exc:
        return Check("Keyring", False, str(exc), getattr(exc, "hint", ""))


def check_managed() -> Check:
    """The administrator's managed file: where it is, what it sets and locks; broken, it fails
    (Portico refuses to start with it, naming its line)."""
    from desktop import paths  # noqa: PLC0415
    from desktop.config import ConfigError, load_managed  # noqa: PLC0415
    try:
        managed = load_managed()
    except ConfigError as exc:
        return Check("Managed config", False, str(exc), "ask your administrator to fix it (docs/deployment.md)")
    if managed is None:
        return Check("Managed config", True, "none (an administrator may add "
                     f"{paths.APP_NAME}/managed.toml in $XDG_CONFIG_DIRS, by default /etc/xdg)")
    providers = ", ".join(p.id for p in managed.config.providers) or "none"
    return Check("Managed config", True, f"{managed.path}: providers {providers}; locked: "
                 f"{', '.join(sorted(managed.locked)) or 'nothing'}")


def check_config(path: pathlib.Path | None) -> Check:
    from desktop.config import ConfigError, load_config
    try:
        config = load_config(path)
    except ConfigError as exc:
        return Check("Config", False, str(exc), "fix the file; `portico run` refuses a broken config")
    names = ", ".join(f"{p.id} ({p.kind})" for p in config.providers) or "no providers yet"
    return Check("Config", True, f"{config.path}: {names}")


def check_secrets(path: pathlib.Path | None) -> Check:
    """For each provider whose kind signs in from the keyring, which of its kind's secret fields the
    keyring holds (names only, never values)."""
    from desktop import credentials
    from desktop.config import ConfigError, load_config
    from desktop.kinds import KINDS
    try:
        config = load_config(path)
    except ConfigError:
        return Check("Secrets", True, "not known until the config is fixed")
    parts, missing = [], []
    for p in config.providers:
        spec = KINDS[p.kind]
        if not spec.secrets:
            continue
        try:
            stored = credentials.stored_fields(p.id, p.kind)
        except credentials.CredentialError as exc:
            return Check("Secrets", False, f"the keyring cannot be read: {exc}", getattr(exc, "hint", ""))
        parts.append(f"{p.id}: {', '.join(stored) or 'none'}")
        if not stored:
            missing.append((p.id, spec))
    if not parts:
        return Check("Secrets", True, "no provider signs in from the keyring")
    detail = "stored in the keyring: " + "; ".join(parts)
    if missing:
        pid, spec = missing[0]
        fields = " or ".join(spec.secret_fields)
        return Check("Secrets", False, f"{detail}; nothing for {', '.join(m for m, _ in missing)}",
                     f"`portico credentials set {pid} {spec.secret_fields[0]}` (the kind reads {fields}), "
                     "or sign in from the provider's view")
    return Check("Secrets", True, detail)


def check_plugins(path: pathlib.Path | None) -> Check:
    from desktop import paths
    from desktop.config import ConfigError, load_config
    from desktop.plugins.discovery import discover
    from desktop.plugins.manager import validate_plugins
    try:
        config = load_config(path)
    except ConfigError:
        return Check("Plugins", True, "not known until the config is fixed")  # "Config" says why, once
    sources = discover(paths.plugins_dir())
    try:
        enabled, _settings = validate_plugins(config, sources)
    except ConfigError as exc:
        return Check("Plugins", False, str(exc), "fix the [plugins] tables; see docs/plugins.md")
    missing = [name for name in enabled if name not in sources]
    if missing:
        return Check("Plugins", False, f"enabled but not installed: {', '.join(missing)}",
                     "install them or remove them from [plugins] enabled")
    return Check("Plugins", True, f"enabled: {', '.join(enabled) or 'none'}; available: {', '.join(sources)}")


def check_kinds(path: pathlib.Path | None) -> Check:
    """The provider kinds installed packages add; a broken one, and the providers it leaves out."""
    from desktop import kinds
    from desktop.config import ConfigError, load_config
    found = kinds.load_installed()
    try:
        skipped = load_config(path).skipped
    except ConfigError:
        skipped = ()
    broken = [k for k in found.values() if not k.active]
    if broken or skipped:
        detail = "; ".join([f"{k.kind} from {k.origin}: {k.error}" for k in broken]
                           + [f"{e.path}:{e.line}: a provider is skipped" for e in skipped])
        return Check("Kinds", False, detail, "reinstall or update the package, or remove its providers; "
                                             "`portico plugins list` shows every kind")
    extra = [f"{k.kind} ({k.origin})" for k in found.values()]
    return Check("Kinds", True, f"built-in: {', '.join(kinds.BUILTIN_KINDS)}"
                 + (f"; installed: {', '.join(extra)}" if extra else ""))


def check_sessions(path: pathlib.Path | None) -> Check:
    """Which providers keep their browser session on disk (``remember_session``) and which run in
    memory; a stored profile an in-memory provider left behind; a profiles folder others can read."""
    from desktop import paths
    from desktop.config import ConfigError, load_config
    try:
        config = load_config(path)
    except ConfigError:
        return Check("Sessions", True, "not known until the config is fixed")
    kept = [p.id for p in config.providers if p.options["remember_session"]]
    memory = [p.id for p in config.providers if not p.options["remember_session"]]
    root = paths.data_dir() / "profiles"
    detail = (f"kept on disk (remember_session): {', '.join(kept) or 'none'}; in memory only, signed in "
              f"afresh at each start: {', '.join(memory) or 'none'}")
    stale = [pid for pid in memory if (root / pid).is_dir()]
    if stale:
        detail += f"; stored profiles deleted at the next start: {', '.join(stale)}"
    if root.is_dir() and root.stat().st_mode & 0o077:
        return Check("Sessions", False, f"{detail}; {root} can be read by other users",
                     f"chmod 700 {root} (Portico does it when it next starts)")
    return Check("Sessions", True, detail)


def check_spelling(path: pathlib.Path | None) -> Check:
    """Which spell-check dictionaries are installed, and whether every language the config asks
    for has one."""
    from desktop.config import ConfigError, load_config  # noqa: PLC0415
    from desktop.shell import spelling  # noqa: PLC0415
    from desktop.shell.preferences import Preferences  # noqa: PLC0415
    folder = spelling.use_dictionaries()
    have = sorted(spelling.available_languages())
    detail = f"dictionaries: {', '.join(have)} in {folder}" if folder else "no dictionaries installed"
    try:
        config = load_config(path)
        preferences = Preferences.from_config(config)
    except ConfigError:
        return Check("Spell check", True, detail + "; the config's languages are not known until it is fixed")
    default = preferences.spellcheck if preferences.spellcheck is not None else spelling.default_languages()
    wanted = {lang for p in config.providers for lang in (p.options.get("spellcheck") or ())} | set(default)
    missing = sorted(set(spelling.missing(wanted)))
    if missing:
        return Check("Spell check", False, f"{detail}; none for {', '.join(missing)}",
                     "install the hunspell package of each and run scripts/setup-dictionaries "
                     "(docs/spelling.md)")
    return Check("Spell check", True, f"{detail}; checking: {', '.join(sorted(wanted)) or 'nothing'}")


def check_rocketchat(path: pathlib.Path | None) -> Check:
    """Each Rocket.Chat server's version (``GET /api/info``), what Portico does differently there,
    and how it hosts the client (iframe or desktop mode, and why)."""
    import json  # noqa: PLC0415 - only the doctor needs these
    import urllib.error  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    from desktop.config import ConfigError, load_config  # noqa: PLC0415
    from desktop.providers.rocketchat.server import (  # noqa: PLC0415
        SETTINGS_PATH,
        choose_integration,
        public_settings,
        release,
    )
    try:
        config = load_config(path)
    except ConfigError:
        return Check("Rocket.Chat", True, "not known until the config is fixed")
    servers = [p for p in config.providers if p.kind == "rocketchat"]
    if not servers:
        return Check("Rocket.Chat", True, "no Rocket.Chat provider configured")
    found, failed = [], []
    for provider in servers:
        server = str(provider.options["server"])
        context = _pinned_context(server, provider.options.get("trusted_certificates", ()))
        try:
            with urllib.request.urlopen(server + "/api/info", timeout=5,  # noqa: S310 - http(s) only
                                        context=context) as answer:
                body = json.loads(answer.read(65536) or b"{}")
                x_frame_options = answer.headers.get("X-Frame-Options", "")
        except (OSError, ValueError) as exc:
            failed.append(f"{provider.id}: {server} did not answer /api/info ({exc})")
            continue
        settings: dict[str, Any] | None = None
        try:
            with urllib.request.urlopen(server + SETTINGS_PATH, timeout=5,  # noqa: S310 - http(s) only
                                        context=context) as answer:
                settings = public_settings(json.loads(answer.read(262144) or b"{}"))
        except (OSError, ValueError):
            pass  # unknown: the mode says so
        mode, why = choose_integration(str(provider.options["integration"]), settings or {}, x_frame_options)
        described = release(body.get("version") if isinstance(body, dict) else None).describe()
        found.append(f"{provider.id}: {described} · {mode} mode: {why}")
    detail = "; ".join(found + failed)
    if failed:
        return Check("Rocket.Chat", False, detail, "check server in the config and the network (a proxy?)")
    return Check("Rocket.Chat", True, detail)


def _pinned_context(server: str, pins: Any) -> Any:
    """An SSL context for the doctor's public requests to ``server``: the default verification,
    or, when the server's certificate is one the user trusted for the provider (its SHA-256 is
    pinned), one that accepts it as the app does. Only public endpoints are asked with it."""
    import hashlib  # noqa: PLC0415 - only the doctor needs these
    import ssl  # noqa: PLC0415
    import urllib.parse  # noqa: PLC0415

    from desktop.providers.pinning import pins_from  # noqa: PLC0415
    parts = urllib.parse.urlsplit(server)
    wanted = pins_from(pins)
    if parts.scheme != "https" or not wanted:
        return None
    try:
        pem = ssl.get_server_certificate((parts.hostname or "", parts.port or 443), timeout=5)
    except (OSError, ValueError):
        return None  # the request itself reports the failure
    if hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest() not in wanted:
        return None  # not the trusted certificate: verified as usual (and refused if invalid)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def run_doctor(config: pathlib.Path | None) -> int:
    """Print the report; exit 1 when any check failed."""
    checks: list[Callable[[], Check]] = [check_pyside, check_webengine, check_display, check_keyring,
                                         check_managed, lambda: check_config(config),
                                         lambda: check_secrets(config),
                                         lambda: check_sessions(config), lambda: check_spelling(config),
                                         lambda: check_rocketchat(config),
                                         lambda: check_plugins(config), lambda: check_kinds(config)]
    print(f"portico {__version__} on Python {sys.version.split()[0]} ({sys.platform})")
    failed = 0
    for make in checks:
        try:
            result = make()
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            result = Check(getattr(make, "__name__", "check"), False, f"the check itself failed: {exc!r}")
        failed += not result.ok
        print(f"  [{'ok' if result.ok else 'FAIL'}] {result.name}: {result.detail}")
        if result.hint and not result.ok:
            print(f"         → {result.hint}")
    print("All checks passed." if not failed else f"{failed} check(s) failed.")
    _print_effective(config)
    return 1 if failed else 0


def _print_effective(path: pathlib.Path | None) -> None:
    """The effective configuration with each value's source (as ``portico config show``)."""
    from desktop.commands.config import effective_lines  # noqa: PLC0415
    from desktop.config import ConfigError, load_config  # noqa: PLC0415
    try:
        config = load_config(path)
    except ConfigError:
        return  # "Config" above said why
    print("\nEffective configuration (managed, user, default):")
    print("\n".join(f"  {line}" if line else "" for line in effective_lines(config)))
