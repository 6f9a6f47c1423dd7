"""Builds the running app: Chromium flags, QApplication, and the Shell wiring window, hub and providers."""

from __future__ import annotations

import logging
import os
import pathlib
import signal
import sys
from collections.abc import Callable
from importlib import resources

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWebEngineCore import QWebEngineNotification, QWebEngineProfile
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import credentials, paths
from desktop.bridge.envelope import canonical_origin
from desktop.config import Config, ConfigError, ProviderConfig, UserInfo, update_provider
from desktop.eventlog import EventLog
from desktop.plugins.discovery import discover
from desktop.plugins.manager import PluginManager, validate_plugins
from desktop.hub import ProviderHub
from desktop.providers.base import Notification, Provider, ProviderState
from desktop.providers.kinds import KINDS, secret_fields
from desktop.providers.registry import provider_class
from desktop.providers.spatialchat import SpatialChatProvider
from desktop.secret import Secret
from desktop.shell.credential_store import CredentialRequest, CredentialStore
from desktop.shell.integration import DesktopIntegration
from desktop.shell.notifications import NotificationPresenter
from desktop.shell.profile_dialog import ProfileDialog
from desktop.shell.profiles import create_profile
from desktop.shell.provider_view import ProviderView
from desktop.shell.scheme import SCHEME, HostPage, HostSchemeHandler, register_scheme
from desktop.shell.sidebar import kind_icon
from desktop.shell.single_instance import Request, send_request, server_name
from desktop.shell.state import default_state_path
from desktop.shell.window import MainWindow

log = logging.getLogger("portico.app")

APP_ID = "io.github.portico.Portico"


def chromium_flags(headless: bool) -> list[str]:
    """Chromium flags Portico always passes (after ``--webEngineArgs``)."""
    # Site isolation: Qt WebEngine turns strict isolation off; without it the provider frame
    # would share a renderer with the host page and its bridge (qtwebengine-notes §2.1).
    flags = ["--site-per-process"]
    if headless:
        flags.append("--disable-gpu")
    return flags


def qt_argv(headless: bool, argv0: str | None = None) -> list[str]:
    return [argv0 or sys.argv[0] or "portico", "--webEngineArgs", *chromium_flags(headless)]


class Shell(QObject):
    """Everything one running Portico is made of, built from a :class:`Config`.

    Attributes:
        hub: the app-wide :class:`ProviderHub`.
        window: the :class:`MainWindow`.
        providers, views, profiles: per provider id.
        desktop: the :class:`DesktopIntegration` (state, hibernation, recovery, single instance …).
        plugins: the :class:`PluginManager`; notifications, the tray and the event log are plugins.

    Signals:
        external_url_opened(QUrl): a provider link was handed to the system browser.
    """

    external_url_opened = Signal(QUrl)

    def __init__(self, config: Config, event_log: pathlib.Path | None = None,
                 profile_root: pathlib.Path | None = None, parent: QObject | None = None,
                 get_secret: Callable[[str, str], Secret | None] | None = None,
                 plugin_folder: pathlib.Path | None = None) -> None:
        """Build everything; ConfigError if the ``[plugins]`` settings are wrong.

        ``event_log`` enables the ``event-log`` plugin writing to that file; ``plugin_folder`` is
        where the user's own plugins are looked for (None: nowhere; ``run`` passes the config dir's).
        """
        super().__init__(parent)
        # A mistake in [plugins] stops here, before any window or profile exists.
        plugin_sources = discover(plugin_folder)
        overrides = {"event-log": {"path": str(event_log)}} if event_log is not None else {}
        validate_plugins(config, plugin_sources, overrides)
        self.config = config
        #: Where providers read secrets from; None = the OS keyring (the demo passes its fake keys).
        self._get_secret = get_secret
        #: Secrets typed into a sign-in form for this session only (never written anywhere).
        self._session_secrets: dict[tuple[str, str], Secret] = {}
        #: Keyring calls off the Qt thread: an unlock prompt can keep one waiting for minutes.
        self.credential_store = CredentialStore(self)
        #: What the last keyring read found per (provider, field): the Secret, or the error to raise.
        self._keyring_values: dict[tuple[str, str], Secret | Exception] = {}
        self.hub = ProviderHub(self)
        self.window = MainWindow()
        self.presenter = NotificationPresenter(self.window.banner, parent=self)
        self.providers: dict[str, Provider] = {}
        self.views: dict[str, ProviderView] = {}
        self.profiles: dict[str, QWebEngineProfile] = {}
        #: Providers whose browser data cannot be written (they run off the record): id -> why.
        self.storage_errors: dict[str, str] = {}
        self._host_pages: dict[str, HostPage] = {}
        self._web_notifications: list[QWebEngineNotification] = []
        self._profile_root = profile_root
        self._scheme_handler = HostSchemeHandler(self._host_pages.get, self._take_frame_url, self)
        #: Hands a URL to the system; replaceable (tests, plugins that veto links).
        self.open_external: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.hub.unread_changed.connect(self._on_unread)
        self.hub.total_unread_changed.connect(self._on_total_unread)
        self.hub.error_occurred.connect(lambda pid, _e: self.window.sidebar.set_error(pid, True))
        self.hub.state_changed.connect(self._on_state)
        self.presenter.activated.connect(self._on_notification_activated)
        self.plugins = PluginManager(self.hub, self.providers, self.window, self.presenter, plugin_sources,
                                     overrides, parent=self)
        for provider_config in config.providers:
            self._add(provider_config)
        self.desktop = DesktopIntegration(self)
        self.plugins.start(config)
        if self.storage_errors:
            titles = ", ".join(self.providers[pid].title for pid in self.storage_errors)
            first = next(iter(self.storage_errors.values()))
            self.window.notice.present(f"Portico cannot save the browser data of {titles} ({first}). They work, "
                                       "but their sign-in is forgotten when Portico closes.", with_action=False,
                                       sticky=True)

    def _add(self, pc: ProviderConfig) -> None:
        provider = provider_class(pc.kind)(pc, parent=self)
        if hasattr(provider, "get_secret"):
            provider.get_secret = self.secret
            provider.prefetch_secrets = self.prefetch_secrets
        root = self._profile_root / pc.id if self._profile_root is not None else None
        try:
            profile = create_profile(pc.id, storage=root, in_memory=not provider.keeps_browser_data)
        except OSError as exc:
            # The disk is full, read-only or the folder is not ours: run from memory and say so.
            where = exc.filename or root or "the data folder"
            self.storage_errors[pc.id] = f"{where}: {exc.strerror or exc}"
            log.error("provider %s: cannot store browser data (%s); it runs off the record", pc.id,
                      self.storage_errors[pc.id])
            profile = create_profile(pc.id, in_memory=True)
        profile.installUrlSchemeHandler(SCHEME, self._scheme_handler)
        profile.setNotificationPresenter(lambda n, pid=pc.id: self._on_web_notification(pid, n))
        self._host_pages[pc.id] = HostPage(pc.id, pc.title, pc.origin, KINDS[pc.kind].permissions)
        view = ProviderView(provider, profile)
        view.external_url_requested.connect(lambda url, pid=pc.id: self._on_external_url(pid, url))
        view.credentials_submitted.connect(lambda values, remember, pid=pc.id: self.sign_in(pid, values, remember))
        self.hub.add(provider, view.bridge)
        self.providers[pc.id] = provider
        self.views[pc.id] = view
        self.profiles[pc.id] = profile
        self.window.add_view(view, kind_icon(pc.kind, pc.option("icon", "")),
                             actions=lambda p=provider: self._menu_actions(p))

    def _take_frame_url(self, provider_id: str) -> str | None:
        view = self.views.get(provider_id)
        return view.bridge.take_pending_url() if view is not None else None

    # --- running ------------------------------------------------------------------------

    def start(self, show: bool = True) -> None:
        for view in self.views.values():
            view.start()
        if show:
            self.window.show()

    def close(self) -> None:
        """Stop the plugins, then tear down views, then pages, then profiles (Qt's required order)."""
        self.plugins.close()
        self.desktop.close()
        for view in self.views.values():
            view.shutdown()
            view.deleteLater()
        for profile in self.profiles.values():
            profile.deleteLater()
        self.window.deleteLater()
        # Run the deferred deletes now, in the order they were posted (pages before profiles);
        # after the event loop has ended nothing else would run them.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    @property
    def event_log(self) -> EventLog | None:
        """The event log the ``event-log`` plugin writes (None while it is off)."""
        plugin = self.plugins.get("event-log")
        return getattr(plugin, "log", None)

    # --- wiring -------------------------------------------------------------------------

    def _menu_actions(self, provider: Provider) -> list[tuple[str, Callable[[], None]]]:
        actions: list[tuple[str, Callable[[], None]]] = []
        if isinstance(provider, SpatialChatProvider):
            actions.append(("Edit your profile…", lambda: self.edit_profile(provider.id)))
        extra = getattr(provider, "menu_actions", None)
        if callable(extra):
            actions.extend(extra())
        actions.extend(self.plugins.provider_actions(provider.id))
        return actions

    def edit_profile(self, provider_id: str) -> ProfileDialog:
        """Open the profile dialog of a SpatialChat provider (non-modal; returns it for tests)."""
        provider = self.providers[provider_id]
        assert isinstance(provider, SpatialChatProvider)
        dialog = ProfileDialog(provider.user, self.window)
        dialog.accepted.connect(lambda: self.save_profile(provider_id, dialog.user()))
        dialog.open()
        return dialog

    def save_profile(self, provider_id: str, user: UserInfo) -> None:
        provider = self.providers[provider_id]
        assert isinstance(provider, SpatialChatProvider)
        provider.set_user(user)
        if self.config.path is None:
            return
        changes = {"id": user.id, "name": user.name, "about": user.about, "pronoun": user.pronoun,
                   "avatar_url": user.avatar_url}
        try:
            self.config = update_provider(self.config.path, provider_id, changes, subtable="user")
        except (ConfigError, OSError, KeyError) as exc:
            log.error("could not save the profile to %s: %s", self.config.path, exc)
            QMessageBox.warning(self.window, "Profile not saved",
                                f"Your profile is used for this session, but it could not be saved:\n{exc}")

    def secret(self, provider_id: str, field: str) -> Secret:
        """A provider's secret: typed this session, else the demo's, else what
        :meth:`prefetch_secrets` read from the OS keyring (else the keyring, waiting for it)."""
        stored = field in secret_fields(self.providers[provider_id].config.kind)
        value = self._session_secrets.get((provider_id, field))
        if value is not None:
            if not stored:
                # A one-time value the kind never stores (a two-factor code) serves one sign-in.
                del self._session_secrets[(provider_id, field)]
            return value
        if self._get_secret is not None:
            demo = self._get_secret(provider_id, field)
            if demo is None:
                raise credentials.CredentialMissing(f"No {field} for {provider_id!r} in the demo.")
            return demo
        if not stored:
            raise credentials.CredentialMissing(f"No {field} was entered for {provider_id!r}.")  # never in the keyring
        read = self._keyring_values.get((provider_id, field))
        if isinstance(read, Exception):
            raise read
        if read is not None:
            return read
        return credentials.get_secret(provider_id, field)

    def prefetch_secrets(self, provider_id: str) -> CredentialRequest | None:
        """Read the provider's keyring fields on the keyring thread, so that its sign-in finds them
        in memory instead of blocking the window (an unlock prompt can take minutes). The request
        answers after :meth:`secret` can serve them; None when no keyring read is needed."""
        if self._get_secret is not None:
            return None
        kind = self.providers[provider_id].config.kind
        fields = tuple(f for f in secret_fields(kind) if (provider_id, f) not in self._session_secrets)
        if not fields:
            return None
        request = self.credential_store.get_secrets(provider_id, fields, kind)
        # Connected before the provider's own slot, so these run first.
        request.finished.connect(lambda values, pid=provider_id: self._on_secrets_read(pid, values))
        request.failed.connect(lambda error, pid=provider_id, names=fields: self._keyring_values.update(
            {(pid, f): error for f in names}))
        return request

    def _on_secrets_read(self, provider_id: str, values: dict[str, Secret | Exception]) -> None:
        for field, value in values.items():
            self._keyring_values[(provider_id, field)] = value

    def sign_in(self, provider_id: str, values: dict[str, Secret], remember: bool) -> None:
        """Use what the user typed now; with ``remember``, also store the kind's secret fields."""
        provider = self.providers[provider_id]
        for field, value in values.items():
            self._session_secrets[(provider_id, field)] = value
        storable = {f: v for f, v in values.items() if f in secret_fields(provider.config.kind)}
        if remember and storable and self._get_secret is None:
            request = self.credential_store.set_secrets(provider_id, storable, provider.config.kind)
            request.failed.connect(lambda error, pid=provider_id: self._on_store_failed(pid, error))
        self.views[provider_id].retry()

    def _on_store_failed(self, provider_id: str, error: credentials.CredentialError) -> None:
        # CredentialRequest.failed always carries a CredentialError (it wraps anything else).
        message = error.user_message()
        log.warning("provider %s: the sign-in was not remembered: %s", provider_id, message)
        QMessageBox.warning(self.window, "Not remembered",
                            f"Signed in for this session, but the keyring refused to store it:\n{message}")

    def _on_external_url(self, provider_id: str, url: QUrl) -> None:
        if self.plugins.allow_external(provider_id, url) and self.open_external(url):
            self.external_url_opened.emit(url)

    def _on_web_notification(self, provider_id: str, notification: QWebEngineNotification) -> None:
        provider = self.providers.get(provider_id)
        try:
            allowed = provider is not None and canonical_origin(notification.origin().toString()) == provider.origin
        except ValueError:
            allowed = False
        if not allowed:
            return
        notification.show()
        self._web_notifications = [n for n in self._web_notifications[-20:] if n is not None] + [notification]
        self.hub.notification_requested.emit(provider_id, Notification(
            title=notification.title(), body=notification.message(), tag=notification.tag()))

    @Slot(str, object)
    def _on_notification_activated(self, provider_id: str, action: object) -> None:
        self.window.select(provider_id)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        provider = self.providers.get(provider_id)
        if provider is not None and action is not None:
            provider.activate_notification(action)

    @Slot(str, object)
    def _on_state(self, provider_id: str, state: object) -> None:
        if state in (ProviderState.READY, ProviderState.LOADING):
            self.window.sidebar.set_error(provider_id, False)

    @Slot(str, int)
    def _on_unread(self, provider_id: str, count: int) -> None:
        self.window.sidebar.set_unread(provider_id, self.plugins.badge(provider_id, count))

    @Slot(int)
    def _on_total_unread(self, total: int) -> None:
        # setBadgeNumber is a member in PySide6 6.11, not a static method.
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.setBadgeNumber(total)
        self.window.setWindowTitle(f"({total}) Portico" if total else "Portico")


def app_icon() -> QIcon:
    path = resources.files("desktop.resources").joinpath("icons/portico.svg")
    with resources.as_file(path) as file:
        return QIcon(str(file))


def create_application(headless: bool) -> QApplication:
    """Register the scheme, then create the QApplication with Portico's Chromium flags."""
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    register_scheme()
    app = QApplication(qt_argv(headless))
    app.setApplicationName("Portico")
    app.setOrganizationName("Portico")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def run(config: Config, headless: bool = False, quit_after: float | None = None,
        event_log: pathlib.Path | None = None,
        get_secret: Callable[[str, str], Secret | None] | None = None, select: str | None = None) -> int:
    """Run Portico until the window closes (or ``quit_after`` seconds pass), showing provider
    ``select`` first (else the one shown last time).

    If a Portico already runs for this user and config, its window comes forward instead (showing
    ``select``).
    """
    instance = server_name(config.path)
    reply = send_request(instance, Request("open", select) if select else Request("activate"), timeout_ms=2000)
    if reply is not None:
        if not reply.get("ok", False):
            print(f"portico: the running Portico says: {reply.get('error', 'no reason given')}", file=sys.stderr)
            return 1
        print("portico: already running; brought its window forward", file=sys.stderr)
        return 0
    app = QApplication.instance() or create_application(headless)
    try:
        shell = Shell(config, event_log=event_log, get_secret=get_secret, plugin_folder=paths.plugins_dir())
    except ConfigError as exc:
        print(f"portico: config error: {exc}", file=sys.stderr)
        return 2
    shell.desktop.use_state_file(default_state_path())
    if select in shell.views:
        shell.window.select(select)
    elif select is not None:
        print(f"portico: no provider {select!r} in {config.path or 'the config'}; showing the last one",
              file=sys.stderr)
    shell.desktop.listen(instance)
    shell.window.closing.connect(app.quit)
    _quit_on_signals(app)
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    shell.start(show=True)
    code = app.exec()
    shell.close()
    return code


def _quit_on_signals(app: QApplication) -> None:
    """Let SIGINT/SIGTERM end the event loop cleanly (Qt blocks Python's handlers otherwise)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    timer = QTimer(app, interval=250)
    timer.timeout.connect(lambda: None)  # wake the interpreter so the handlers run
    timer.start()
