"""The Shell: wires the window, the hub, the providers and (once the first page shows) the plugins."""

from __future__ import annotations

import dataclasses
import logging
import pathlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from desktop.bridge.envelope import canonical_origin
from desktop.config import Config, ConfigError, ProviderConfig, update_provider
from desktop.contract import TextRequest
from desktop.hub import ProviderHub
from desktop.instance.permissions import PermissionAnswers
from desktop.instance.permissions import default_path as default_permissions_path
from desktop.instance.single_instance import InstanceServer, Request
from desktop.kinds import KINDS
from desktop.network import apply_proxy
from desktop.providers.base import Provider
from desktop.providers.pinning import display_fingerprint, pins_from
from desktop.providers.registry import provider_class
from desktop.qtargs import app_icon
from desktop.secret import Secret
from desktop.shell import spelling
from desktop.shell.page import EXTERNAL_SCHEMES
from desktop.shell.preferences import Preferences
from desktop.shell.profiles import provider_profile
from desktop.shell.prompts import ask_for_text
from desktop.shell.provider_view import ProviderView
from desktop.shell.quitting import end_sessions
from desktop.shell.scheme import SCHEME, HostPage, HostSchemeHandler
from desktop.shell.secrets import SessionSecrets
from desktop.shell.staging import Staging, import_steps
from desktop.shell.theme import Theme
from desktop.shell.web_notifications import WebNotifications
from desktop.shell.window import MainWindow

if TYPE_CHECKING:
    # Built by Shell.complete(), after the first page, or on first use: imported there.
    # (Even a Qt class named only in annotations is imported: PySide builds its type then.)
    from PySide6.QtWebEngineCore import QWebEngineProfile

    from desktop.eventlog import EventLog
    from desktop.plugins.discovery import PluginSource
    from desktop.shell.table_dialog import TableDialog

log = logging.getLogger("portico.app")

#: What :meth:`Shell.complete` imports, one ``module[:attribute]`` per event-loop step, the largest
#: first: PySide's ``Qt`` namespace, built on first access, and importlib.metadata for the plugins'
#: entry points (their costs: docs/benchmarks.md).
COMPLETION_IMPORTS: Final = (
    "PySide6.QtCore:Qt", "importlib.metadata", "pluggy", "desktop.plugins.manager",
    "desktop.shell.downloads", "desktop.shell.lifecycle", "desktop.shell.recovery", "desktop.shell.reconnect",
    "desktop.instance.control", "desktop.shell.integration", "desktop.shell.notifications", "desktop.shell.sidebar")
#: A Shell started with ``complete=False`` completes when its first page is ready, or after this.
COMPLETE_AFTER_MS: Final = 500
#: How long the page's first exchange gets after it is ready before the completion's first step.
FIRST_STEP_DELAY_MS: Final = 50
#: How long quitting waits for the servers to revoke the sessions Portico opened.
END_SESSIONS_WAIT_MS: Final = 2_000


def _start_detached(argv: list[str]) -> bool:
    from PySide6.QtCore import QProcess  # noqa: PLC0415 - only when the welcome page starts the demo
    return bool(QProcess.startDetached(argv[0], argv[1:])[0])


def _keyring_secret(provider_id: str, field: str) -> Secret | None:
    """A secret read from the keyring now (the proxy's, needed before the first page), or None."""
    from desktop import credentials  # noqa: PLC0415 - only when a proxy asks for a password
    from desktop.providers.signin import keyring_secret  # noqa: PLC0415
    try:
        return keyring_secret(provider_id, field)
    except credentials.CredentialMissing:
        return None
    except credentials.CredentialError as exc:
        log.error("the keyring cannot give %s/%s: %s", provider_id, field, exc)
        return None


class Shell(QObject):
    """Everything one running Portico is made of, built from a :class:`Config`.

    Built in two steps. The constructor makes what the first page needs: the hub, the window's
    frame and theme, and a profile, page and bridge for the provider shown first. :meth:`complete`
    adds the rest: the other providers, the sidebar and banners, notifications, plugins and the
    desktop integration. ``Shell(config)`` does both; ``app.run`` passes ``complete=False`` and
    :meth:`start` completes the Shell once the shown provider's page is ready (or after
    :data:`COMPLETE_AFTER_MS`), so that page waits neither for the chrome nor for the other
    providers (docs/startup.md). Until then the hub holds its signals, and anything that needs the chrome or
    another provider earlier (a link a plugin may veto, the Provider menu, a second ``portico``)
    completes the Shell on the spot.

    Attributes:
        hub: the app-wide :class:`ProviderHub`.
        window: the :class:`MainWindow`.
        providers, views, profiles: per provider id, in the config's order (until the Shell is
            complete, only the provider shown first).
        preferences, theme: the ``[settings]`` it started with, and the window's light/dark theme.
        desktop: the :class:`DesktopIntegration` (state, hibernation, recovery, single instance …).
        plugins: the :class:`PluginManager`; notifications, the tray and the event log are plugins.
        presenter: the :class:`NotificationPresenter`.
        (``desktop``, ``plugins`` and ``presenter`` exist once :attr:`is_complete`.)

    Signals:
        external_url_opened(QUrl): a provider link was handed to the system browser.
        completed(): :meth:`complete` has built the rest of the app.
    """

    external_url_opened = Signal(QUrl)
    completed = Signal()

    def __init__(self, config: Config, event_log: pathlib.Path | None = None,
                 profile_root: pathlib.Path | None = None, parent: QObject | None = None,
                 get_secret: Callable[[str, str], Secret | None] | None = None,
                 plugin_folder: pathlib.Path | None = None, complete: bool = True,
                 first: str | None = None, permissions_path: pathlib.Path | None = None) -> None:
        """Build the Shell (see the class); ConfigError if the ``[plugins]`` settings are wrong.

        ``event_log`` enables the ``event-log`` plugin writing to that file; ``plugin_folder`` is
        where the user's own plugins are looked for (None: nowhere; ``run`` passes the config dir's).
        ``first`` is the provider to show first (else the config's first). ``permissions_path``
        keeps the camera and microphone answers (default: the data dir's ``permissions.json``).
        """
        super().__init__(parent)
        self.config = config
        #: The user's camera and microphone answers per provider and origin.
        self.permission_answers = PermissionAnswers(permissions_path or default_permissions_path())
        self._plugin_folder = plugin_folder
        self._plugin_overrides: dict[str, dict[str, Any]] = (
            {"event-log": {"path": str(event_log)}} if event_log is not None else {})
        self._plugin_sources: Mapping[str, PluginSource] | None = None
        if complete or config.plugins or self._plugin_overrides:
            # A mistake in [plugins] stops here, before any window or profile exists. (Without a
            # [plugins] table nothing the user wrote can be wrong: the defaults load with the chrome.)
            self._plugin_sources = self._checked_plugin_sources()
        self._complete = False
        #: What complete() still has to do (one chain only).
        self.staging = Staging(self._completion_steps, lambda: self._complete or self._closed, self)
        self._closed = False
        self._started: set[str] = set()
        #: The single-instance socket (after :meth:`listen`).
        self.server: InstanceServer | None = None
        #: Where providers read secrets from (the demo passes its fake keys instead of the keyring).
        self.secrets = SessionSecrets(lambda pid: self.providers[pid].config.kind, get_secret, self)
        self.secrets.store_failed.connect(self._on_store_failed)
        self.hub = ProviderHub(self)
        self.hub.hold()  # until complete(): the sidebar and plugins then get everything, in order
        self.window = MainWindow()
        self.window.chrome_needed.connect(self.complete)
        self.preferences = Preferences.or_defaults(config)
        self.theme = Theme(self.window, self.preferences.theme, self)
        self.providers: dict[str, Provider] = {}
        self.views: dict[str, ProviderView] = {}
        self.profiles: dict[str, QWebEngineProfile] = {}
        #: Providers whose browser data cannot be written (they run off the record): id -> why.
        self.storage_errors: dict[str, str] = {}
        self._host_pages: dict[str, HostPage] = {}
        self._web_notifications = WebNotifications(self.hub.notify)
        self._profile_root = profile_root
        #: The provider editor the welcome page opened (tests reach it here).
        self.welcome_editor: Any = None
        #: Starts a program of its own (the demo); replaceable (tests).
        self.start_detached: Callable[[list[str]], bool] = _start_detached
        #: Spell-check languages a provider asked for that have no dictionary: id -> languages.
        self.spelling_missing: dict[str, list[str]] = {}
        spelling.use_dictionaries()  # before the first profile: Qt reads the folder once
        #: "" or why the configured proxy cannot sign in (shown with the chrome).
        self.proxy_problem = apply_proxy(config.network, get_secret or _keyring_secret)
        if self.proxy_problem:
            log.warning("%s", self.proxy_problem)
        self._scheme_handler = HostSchemeHandler(self._host_pages.get, self._take_frame_url, self)
        #: Hands a URL to the system; replaceable (tests, plugins that veto links).
        self.open_external: Callable[[QUrl], bool] = QDesktopServices.openUrl
        shown = next((pc for pc in config.providers if pc.id == first), None)
        if shown is None and config.providers:
            shown = config.providers[0]
        if shown is not None:
            self._add(shown)
        if complete:
            self.complete()

    def _checked_plugin_sources(self) -> Mapping[str, PluginSource]:
        from desktop.plugins.discovery import discover  # noqa: PLC0415 - see the class docstring
        from desktop.plugins.manager import validate_plugins  # noqa: PLC0415
        sources = discover(self._plugin_folder)
        validate_plugins(self.config, sources, self._plugin_overrides)
        return sources

    def listen(self, name: str) -> bool:
        """Answer ``portico``, ``portico open`` and ``portico send`` for this config on ``name``;
        False if another Portico does. Listening starts with the first page, so that a second
        ``portico`` started meanwhile finds this one; a request that comes before the window is
        complete completes it first."""
        server = InstanceServer(name, self._answer_remote, self)
        if not server.listen():
            return False
        self.server = server
        return True

    def _answer_remote(self, request: Request) -> tuple[bool, str, Any]:
        self.complete()
        if request.op == "plugins":
            return True, "", [dataclasses.asdict(info) for info in self.plugins.infos()]
        return self.desktop.control.handle(request)

    @property
    def is_complete(self) -> bool:
        return self._complete

    @Slot()
    def complete(self) -> None:
        """Build the rest of the app around the providers now (once; see the class docstring):
        the steps :meth:`start` has not run yet, all at once."""
        if self._complete or self.staging.in_step or self._closed:
            return
        self.staging.run_all()

    def _completion_steps(self) -> Iterator[None]:
        # What the first page does not wait for is imported here, a piece per step: together
        # as one step, they froze the window right after its page showed.
        yield from import_steps(COMPLETION_IMPORTS)
        from desktop.plugins.manager import PluginManager  # noqa: PLC0415
        from desktop.shell.integration import DesktopIntegration  # noqa: PLC0415
        from desktop.shell.notifications import NotificationPresenter  # noqa: PLC0415
        sources = self._plugin_sources if self._plugin_sources is not None else self._checked_plugin_sources()
        yield
        for provider_config in self.config.providers:
            if provider_config.id not in self.views:
                self._add(provider_config)
                yield
        self._in_config_order()
        self.window.build_chrome()
        self.theme.follow_system()
        app = QApplication.instance()
        if isinstance(app, QApplication) and app.windowIcon().isNull():
            app.setWindowIcon(app_icon())  # the first page does not wait for the SVG (docs/startup.md)
        yield
        self.presenter = NotificationPresenter(self.window.banner, parent=self)
        self.presenter.on_screen = self.window.showing
        self.window.follow(self.hub, badge=lambda pid, count: self.plugins.badge(pid, count))
        self.presenter.activated.connect(self._on_notification_activated)
        self.window.provider_selected.connect(self.presenter.provider_opened)
        self.plugins = PluginManager(self.hub, self.providers, self.window, self.presenter, sources,
                                     self._plugin_overrides, parent=self)
        self.desktop = DesktopIntegration(self)
        yield
        self.plugins.start(self.config)
        if self.proxy_problem:
            self.window.notice.present(self.proxy_problem, with_action=False, sticky=True)
        if self.spelling_missing:
            languages = sorted({lang for langs in self.spelling_missing.values() for lang in langs})
            self.window.notice.present(self.tr("Spell check has no dictionary for {languages}: those languages are "
                                               "not checked (see docs/spelling.md).").format(
                                                   languages=", ".join(languages)), with_action=False)
        if self.storage_errors:
            titles = ", ".join(self.providers[pid].title for pid in self.storage_errors)
            first = next(iter(self.storage_errors.values()))
            self.window.notice.present(self.tr("Portico cannot save the browser data of {titles} ({why}). They work, "
                                               "but their sign-in is forgotten when Portico closes.").format(
                                                   titles=titles, why=first), with_action=False, sticky=True)
        if self._started:
            for pid, view in self.views.items():
                if pid not in self._started:
                    self._started.add(pid)
                    view.start()
        self._complete = True
        self.hub.release()
        self.completed.emit()

    def _in_config_order(self) -> None:
        """Order the per-provider dicts (and so the sidebar) as the config lists the providers:
        the one shown first was added before the others."""
        order = [pc.id for pc in self.config.providers]
        self.providers = {pid: self.providers[pid] for pid in order}
        self.views = {pid: self.views[pid] for pid in order}
        self.profiles = {pid: self.profiles[pid] for pid in order}
        self.window.order_views(order)

    def _add(self, pc: ProviderConfig) -> None:
        provider = provider_class(pc.kind)(pc, parent=self)
        if hasattr(provider, "get_secret"):
            provider.get_secret = self.secrets.get
            provider.prefetch_secrets = self.secrets.prefetch
        if hasattr(provider, "open_url"):
            provider.open_url = lambda url, pid=pc.id: self.open_url(pid, url)
        root = self._profile_root / pc.id if self._profile_root is not None else None
        profile, storage_error = provider_profile(pc.id, provider.keeps_browser_data, root)
        if storage_error:
            self.storage_errors[pc.id] = storage_error
        profile.installUrlSchemeHandler(SCHEME, self._scheme_handler)
        self._apply_spelling(pc, profile)
        profile.setNotificationPresenter(self._web_notifications.presenter(provider))
        self._host_pages[pc.id] = HostPage(pc.id, pc.title, pc.origin, KINDS[pc.kind].permissions)
        view = ProviderView(provider, profile)
        view.external_url_requested.connect(lambda url, pid=pc.id: self._on_external_url(pid, url))
        view.credentials_submitted.connect(lambda values, remember, pid=pc.id: self.sign_in(pid, values, remember))
        view.certificate_trusted.connect(lambda fp, replace, pid=pc.id: self.trust_certificate(pid, fp, replace))
        answers = self.permission_answers
        view.page.remembered = lambda names, pid=pc.id, origin=pc.origin: answers.decision(pid, origin, names)
        view.permission_answered.connect(
            lambda names, allowed, pid=pc.id, origin=pc.origin: answers.answer(pid, origin, names, allowed))
        self.hub.add(provider, view.bridge)
        self.providers[pc.id] = provider
        self.views[pc.id] = view
        self.profiles[pc.id] = profile
        self.window.add_view(view, actions=lambda p=provider: self._menu_actions(p))

    def add_new_providers(self, config: Config) -> list[str]:
        """Take ``config`` (just saved by Settings or the welcome page) and start the providers it
        adds, the last one shown; edits and removals of running ones apply at the next start.
        Returns the ids added."""
        self.config = config
        added = [pc for pc in config.providers if pc.id not in self.providers]
        for pc in added:
            self._add(pc)
            if self._complete:
                self.desktop.attach(pc.id)
            self._started.add(pc.id)
            self.views[pc.id].start()
        if added:
            self.window.select(added[-1].id)
        return [pc.id for pc in added]

    def _welcome(self) -> None:
        """The first run: no provider yet, so the welcome page offers to add one or the demo."""
        page = self.window.show_welcome()
        page.add_requested.connect(self._add_from_welcome)
        page.demo_requested.connect(self._open_demo)

    @Slot(str)
    def _add_from_welcome(self, kind: str) -> None:
        from desktop.shell.settings_dialog import ProviderEditor  # noqa: PLC0415 - the settings' own editor
        editor = ProviderEditor(self.config.path, None, kind, self.window)
        editor.saved.connect(self.add_new_providers)
        editor.open()
        self.welcome_editor = editor

    @Slot()
    def _open_demo(self) -> None:
        """Start ``portico demo`` as its own process (its own config, simulators and window)."""
        from desktop.instance.autostart import launcher  # noqa: PLC0415
        argv = [*launcher(), "demo"]
        started = self.start_detached(argv)
        self.window.notice.present(self.tr("The demo opens in its own window: simulated servers, no account needed.")
                                   if started else self.tr("The demo could not be started."), with_action=False)

    def apply_spelling(self) -> None:
        """Spell-check every provider as the config now says (after the settings were saved)."""
        self.spelling_missing.clear()
        for pc in self.config.providers:
            if pc.id in self.profiles:
                self._apply_spelling(pc, self.profiles[pc.id])

    def _apply_spelling(self, pc: ProviderConfig, profile: QWebEngineProfile) -> None:
        missing = spelling.apply(profile, self.spelling_languages(pc))
        if missing:
            self.spelling_missing[pc.id] = missing

    def spelling_languages(self, pc: ProviderConfig) -> tuple[str, ...]:
        """A provider's spell-check languages: its own, else ``[settings] spellcheck``, else the
        desktop's language (when it has a dictionary)."""
        own = pc.options.get("spellcheck")
        if own is not None:
            return tuple(own)
        if self.preferences.spellcheck is not None:
            return self.preferences.spellcheck
        return spelling.default_languages()

    def _take_frame_url(self, provider_id: str) -> str | None:
        view = self.views.get(provider_id)
        return view.bridge.take_pending_url() if view is not None else None

    # --- running ------------------------------------------------------------------------

    def start(self, show: bool = True) -> None:
        """Start the providers and show the window. A Shell that is not complete yet starts only
        the shown provider, and completes (starting the others) once that one's page is ready."""
        shown = self.window.current_id()
        for pid, view in self.views.items():
            if self._complete or pid == shown:
                self._started.add(pid)
                view.start()
        if not self.views and self.window.welcome is None:
            self._welcome()
        if show:
            self.window.show()
        if self._complete:
            return
        view = self.views.get(shown) if shown is not None else None
        if view is None:
            self.staging.start()
            return
        # Ready, failed, or waiting for a sign-in: the page is as far as it gets without the user.
        view.frame_ready.connect(self._complete_soon)
        view.frame_failed.connect(self._complete_soon)
        view.provider.error_occurred.connect(self._complete_soon)
        QTimer.singleShot(COMPLETE_AFTER_MS, self._complete_soon)

    @Slot()
    def _complete_soon(self) -> None:
        self.staging.start_after(FIRST_STEP_DELAY_MS)  # the first of the page's signals and the deadline

    def close(self) -> None:
        """Revoke the server sessions Portico opened, stop the plugins, then tear down views, then
        pages, then profiles (Qt's required order)."""
        end_sessions(self.providers.values(), self.window, END_SESSIONS_WAIT_MS)
        self._closed = True
        self.staging.stop()
        built = vars(self)
        if "plugins" in built:
            self.plugins.close()
        if "desktop" in built:
            self.desktop.close()
        if self.server is not None:
            self.server.close()
        for view in self.views.values():
            view.shutdown()
            view.deleteLater()
        for profile in self.profiles.values():
            profile.deleteLater()
        self.window.deleteLater()
        # Run the deferred deletes now, in the order they were posted (pages before profiles);
        # after the event loop has ended nothing else would run them.
        from PySide6.QtCore import QEvent  # noqa: PLC0415 - its Python type is made on first use (docs/startup.md)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    @property
    def event_log(self) -> EventLog | None:
        """The event log the ``event-log`` plugin writes (None while it is off)."""
        if not self._complete:
            return None
        plugin = self.plugins.get("event-log")
        return getattr(plugin, "log", None)

    # --- wiring -------------------------------------------------------------------------

    def _menu_actions(self, provider: Provider) -> list[tuple[str, Callable[[], None]]]:
        self.complete()  # the plugins add actions
        spec = KINDS[provider.kind]
        actions: list[tuple[str, Callable[[], None]]] = [
            (f"Edit {spec.option(key).label[:1].lower()}{spec.option(key).label[1:]}…",
             lambda key=key: self.edit_table(provider.id, key)) for key in spec.menu_tables]
        extra = getattr(provider, "menu_actions", None)
        if callable(extra):
            actions.extend((text, ask_for_text(self.window, action) if isinstance(action, TextRequest) else action)
                           for text, action in extra())
        actions.extend(self.plugins.provider_actions(provider.id))
        return actions

    def edit_table(self, provider_id: str, key: str) -> TableDialog:
        """Open the editor of a provider's ``[provider.<key>]`` table (non-modal; returned for tests)."""
        from desktop.shell.table_dialog import open_table_editor  # noqa: PLC0415 - built on first use
        return open_table_editor(self.window, self.config.path, self.providers[provider_id], key, self._on_table_saved,
                                 self.config.managed)

    def _on_table_saved(self, config: Config) -> None:
        self.config = config

    def sign_in(self, provider_id: str, values: dict[str, Secret], remember: bool) -> None:
        """Use what the user typed now (with ``remember``, also store it) and sign in again."""
        self.secrets.enter(provider_id, values, remember)
        self.views[provider_id].retry()

    def trust_certificate(self, provider_id: str, fingerprint: str, replace: bool = False) -> None:
        """Trust one certificate (its SHA-256) for one provider from now on: written to the
        provider's ``trusted_certificates`` (``replace``: instead of the ones trusted before), then
        the provider starts again. Unsaved (no config file, or it cannot be written), it is trusted
        for this session only, and the user is told."""
        provider = self.providers[provider_id]
        kept = [] if replace else [display_fingerprint(p) for p in sorted(provider.trusted_certificates)]
        pins = [*kept, display_fingerprint(fingerprint)]
        provider.trusted_certificates = pins_from(pins)
        log.warning("provider %s: the user trusts the certificate %s", provider_id, display_fingerprint(fingerprint))
        path = self.config.path
        problem = "there is no config file" if path is None else ""
        if path is not None:
            try:
                self.config = update_provider(path, provider_id, {"trusted_certificates": pins},
                                              managed=self.config.managed)
            except (ConfigError, OSError, KeyError) as exc:
                problem = str(exc)
        if problem:
            log.error("provider %s: the trusted certificate was not saved: %s", provider_id, problem)
            self.window.notice.present(self.tr("The certificate is trusted until Portico closes: it could not be "
                                               "saved ({why}).").format(why=problem), with_action=False, sticky=True)
        self.views[provider_id].retry()

    @Slot(str, str)
    def _on_store_failed(self, _provider_id: str, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415 - only when it happens
        QMessageBox.warning(self.window, "Not remembered",
                            f"Signed in for this session, but the keyring refused to store it:\n{message}")

    def _on_external_url(self, provider_id: str, url: QUrl) -> None:
        self.open_url(provider_id, url.toString())

    def open_url(self, provider_id: str, url: str) -> bool:
        """Open a URL that provider ``provider_id``'s page sent out (a clicked link, a window, a
        navigation request): in another configured provider that serves its origin (shown, its
        frame sent there), else in the system browser unless a plugin vetoes it. Whether it opened."""
        self.complete()  # a plugin may veto it; the provider that serves it must be started
        try:
            origin = canonical_origin(url)
        except ValueError:
            origin = ""
        target = next((p for p in self.providers.values() if p.origin == origin and p.id != provider_id), None)
        if target is not None and provider_id in self.providers:
            log.info("provider %s: a link to %s opens in provider %s", provider_id, origin, target.id)
            self.window.select(target.id)
            target.load_frame(url)
            return True
        qurl = QUrl(url)
        if qurl.scheme() not in EXTERNAL_SCHEMES or not qurl.isValid():
            return False
        if self.plugins.allow_external(provider_id, qurl) and self.open_external(qurl):
            self.external_url_opened.emit(qurl)
            return True
        return False

    @Slot(str, object)
    def _on_notification_activated(self, provider_id: str, action: object) -> None:
        self.window.select(provider_id)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        provider = self.providers.get(provider_id)
        if provider is not None and action is not None:
            provider.activate_notification(action)
