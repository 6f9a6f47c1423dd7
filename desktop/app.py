"""Builds the running app: Chromium flags, QApplication, and the Shell wiring window, hub and providers."""

from __future__ import annotations

import importlib
import logging
import os
import pathlib
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop import paths
from desktop.bridge.envelope import canonical_origin
from desktop.config import Config, ConfigError, ProviderConfig, UserInfo, update_provider
from desktop.hub import ProviderHub
from desktop.providers.base import Notification, Provider, ProviderState
from desktop.providers.kinds import KINDS, secret_fields
from desktop.providers.registry import provider_class
from desktop.secret import Secret
from desktop.shell.page import EXTERNAL_SCHEMES
from desktop.shell.preferences import Preferences
from desktop.shell.profiles import create_profile, discard_stored_profile
from desktop.shell.provider_view import ProviderView
from desktop.shell.scheme import SCHEME, HostPage, HostSchemeHandler, register_scheme
from desktop.shell.single_instance import InstanceServer, Request, send_request, server_name
from desktop.shell.state import default_state_path, load_state
from desktop.shell.theme import Theme
from desktop.shell.window import MainWindow

if TYPE_CHECKING:
    # Built by Shell.complete(), after the first page, or on first use: imported there.
    # (Even a Qt class named only in annotations costs ~1-2 ms to import: PySide builds its type.)
    from PySide6.QtGui import QIcon
    from PySide6.QtWebEngineCore import QWebEngineNotification, QWebEngineProfile

    from desktop import credentials
    from desktop.eventlog import EventLog
    from desktop.plugins.discovery import PluginSource
    from desktop.plugins.manager import PluginManager
    from desktop.shell.credential_store import CredentialRequest, CredentialStore
    from desktop.shell.integration import DesktopIntegration
    from desktop.shell.notifications import NotificationPresenter
    from desktop.shell.profile_dialog import ProfileDialog

log = logging.getLogger("portico.app")

APP_ID = "io.github.portico.Portico"

#: What :meth:`Shell.complete` imports, one ``module[:attribute]`` per event-loop step (5–20 ms
#: each, measured). The largest come first: PySide's ``Qt`` namespace, built on first access
#: (~20 ms), and importlib.metadata for the plugins' entry points (~12 ms, ``email`` mostly).
COMPLETION_IMPORTS: Final = (
    "PySide6.QtCore:Qt", "importlib.metadata", "pluggy", "desktop.plugins.manager",
    "desktop.shell.downloads", "desktop.shell.lifecycle", "desktop.shell.recovery", "desktop.shell.reconnect",
    "desktop.shell.control", "desktop.shell.integration", "desktop.shell.notifications", "desktop.shell.sidebar")
#: A Shell started with ``complete=False`` completes when its first page is ready, or after this.
COMPLETE_AFTER_MS: Final = 500
#: How long the page's first exchange gets after it is ready before the completion's first step.
FIRST_STEP_DELAY_MS: Final = 50
#: How long quitting waits for the servers to revoke the sessions Portico opened.
END_SESSIONS_WAIT_MS: Final = 2_000


def chromium_flags(headless: bool) -> list[str]:
    """Chromium flags Portico always passes (after ``--webEngineArgs``)."""
    # Site isolation: Qt WebEngine turns strict isolation off; without it the provider frame
    # would share a renderer with the host page and its bridge (qtwebengine-notes §2.1).
    flags = ["--site-per-process"]
    if headless:
        flags.append("--disable-gpu")
    return flags


#: Chromium's switches for Qt WebEngine, from the environment (Qt's documented debugging knob).
CHROMIUM_FLAGS_ENV: Final = "QTWEBENGINE_CHROMIUM_FLAGS"


def merged_chromium_flags(env_flags: str, flags: Sequence[str]) -> str:
    """``env_flags`` (the user's text, kept as it is) with those of ``flags`` it lacks added."""
    words = env_flags.split()
    return " ".join([env_flags.strip(), *[flag for flag in flags if flag not in words]]).strip()


def pass_chromium_flags(flags: Sequence[str], argv0: str | None = None) -> list[str]:
    """Hand Chromium ``flags``; returns the argv to create the QApplication with.

    WORKAROUND (Qt WebEngine 6.10/6.11, measured with 6.11.3): when QTWEBENGINE_CHROMIUM_FLAGS is
    set, even to ``""``, Qt WebEngine takes Chromium's switches from it alone and ignores
    ``--webEngineArgs``, so a user's or a distribution's own flags would silently turn site
    isolation off and put the provider frame in the host page's renderer with the bridge
    (tests/test_startup.py). Then the flags go into that variable instead (and none on the command
    line, where Qt would warn that the variable overrides them).
    """
    argv = [argv0 or sys.argv[0] or "portico"]
    env_flags = os.environ.get(CHROMIUM_FLAGS_ENV)
    if env_flags is not None:
        os.environ[CHROMIUM_FLAGS_ENV] = merged_chromium_flags(env_flags, flags)
        return argv
    return [*argv, "--webEngineArgs", *flags]


class Shell(QObject):
    """Everything one running Portico is made of, built from a :class:`Config`.

    Built in two steps. The constructor makes what the first page needs: the hub, the window's
    frame and theme, and a profile, page and bridge for the provider shown first. :meth:`complete`
    adds the rest: the other providers, the sidebar and banners, notifications, plugins and the
    desktop integration. ``Shell(config)`` does both; ``app.run`` passes ``complete=False`` and
    :meth:`start` completes the Shell once the shown provider's page is ready (or after
    :data:`COMPLETE_AFTER_MS`), so that page does not wait for ~100 ms of chrome, nor ~8 ms per
    other provider. Until then the hub holds its signals, and anything that needs the chrome or
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
                 first: str | None = None) -> None:
        """Build the Shell (see the class); ConfigError if the ``[plugins]`` settings are wrong.

        ``event_log`` enables the ``event-log`` plugin writing to that file; ``plugin_folder`` is
        where the user's own plugins are looked for (None: nowhere; ``run`` passes the config dir's).
        ``first`` is the provider to show first (else the config's first).
        """
        super().__init__(parent)
        self.config = config
        self._plugin_folder = plugin_folder
        self._plugin_overrides: dict[str, dict[str, Any]] = (
            {"event-log": {"path": str(event_log)}} if event_log is not None else {})
        self._plugin_sources: Mapping[str, PluginSource] | None = None
        if complete or config.plugins or self._plugin_overrides:
            # A mistake in [plugins] stops here, before any window or profile exists. (Without a
            # [plugins] table nothing the user wrote can be wrong: the defaults load with the chrome.)
            self._plugin_sources = self._checked_plugin_sources()
        self._complete = False
        #: What complete() still has to do; made when the first step is scheduled (one chain only).
        self._steps: Iterator[None] | None = None
        self._in_step = False
        # One step per pass of the event loop. (Chained QTimer.singleShot(0) calls, posted events,
        # ran the first two steps back to back: a 46–70 ms stall in 3 of 3 traces. This timer
        # left none longer than the longest step.)
        self._step_timer = QTimer(self, interval=0)
        self._step_timer.timeout.connect(self._next_step)
        self._closed = False
        self._started: set[str] = set()
        #: The single-instance socket (after :meth:`listen`).
        self.server: InstanceServer | None = None
        #: Where providers read secrets from; None = the OS keyring (the demo passes its fake keys).
        self._get_secret = get_secret
        #: Secrets typed into a sign-in form for this session only (never written anywhere).
        self._session_secrets: dict[tuple[str, str], Secret] = {}
        self._credential_store: CredentialStore | None = None
        #: What the last keyring read found per (provider, field): the Secret, or the error to raise.
        self._keyring_values: dict[tuple[str, str], Secret | Exception] = {}
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
        self._web_notifications: list[QWebEngineNotification] = []
        self._profile_root = profile_root
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

    @property
    def credential_store(self) -> CredentialStore:
        """Keyring calls off the Qt thread (an unlock prompt can keep one waiting for minutes);
        made when a provider first needs the keyring."""
        if self._credential_store is None:
            from desktop.shell.credential_store import CredentialStore  # noqa: PLC0415
            self._credential_store = CredentialStore(self)
        return self._credential_store

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
        return self.desktop.control.handle(request)

    @property
    def is_complete(self) -> bool:
        return self._complete

    @Slot()
    def complete(self) -> None:
        """Build the rest of the app around the providers now (once; see the class docstring):
        the steps :meth:`start` has not run yet, all at once."""
        if self._complete or self._in_step or self._closed:
            return
        for _ in self._pending_steps():
            pass

    @Slot()
    def _start_steps(self) -> None:
        self._pending_steps()
        self._step_timer.start()

    @Slot()
    def _next_step(self) -> None:
        """One step of :meth:`complete` per pass of the event loop (``_step_timer``): input, and
        Chromium's own work for the pages (routing their messages, for one), run in between."""
        if self._complete or self._closed:
            self._step_timer.stop()
            return
        steps = self._pending_steps()
        self._in_step = True
        try:
            next(steps)
        except StopIteration:
            self._step_timer.stop()
        finally:
            self._in_step = False

    def _pending_steps(self) -> Iterator[None]:
        if self._steps is None:
            self._steps = self._completion_steps()
        return self._steps

    def _completion_steps(self) -> Iterator[None]:
        # What the first page does not wait for is imported here, a piece per step: together
        # they cost ~100 ms, which as one step froze the window right after its page showed.
        for name in COMPLETION_IMPORTS:
            module, _, attribute = name.partition(":")
            if attribute:
                getattr(importlib.import_module(module), attribute)
            else:
                importlib.import_module(module)
            yield
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
            app.setWindowIcon(app_icon())  # reading the SVG costs ~5 ms the first page does not wait for
        yield
        self.presenter = NotificationPresenter(self.window.banner, parent=self)
        self.hub.unread_changed.connect(self._on_unread)
        self.hub.total_unread_changed.connect(self._on_total_unread)
        self.hub.error_occurred.connect(lambda pid, _e: self.window.sidebar.set_error(pid, True))
        self.hub.state_changed.connect(self._on_state)
        self.presenter.activated.connect(self._on_notification_activated)
        self.window.provider_selected.connect(self.presenter.provider_opened)
        self.plugins = PluginManager(self.hub, self.providers, self.window, self.presenter, sources,
                                     self._plugin_overrides, parent=self)
        self.desktop = DesktopIntegration(self)
        yield
        self.plugins.start(self.config)
        if self.storage_errors:
            titles = ", ".join(self.providers[pid].title for pid in self.storage_errors)
            first = next(iter(self.storage_errors.values()))
            self.window.notice.present(f"Portico cannot save the browser data of {titles} ({first}). They work, "
                                       "but their sign-in is forgotten when Portico closes.", with_action=False,
                                       sticky=True)
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
            provider.get_secret = self.secret
            provider.prefetch_secrets = self.prefetch_secrets
        if hasattr(provider, "open_url"):
            provider.open_url = lambda url, pid=pc.id: self.open_url(pid, url)
        root = self._profile_root / pc.id if self._profile_root is not None else None
        try:
            if not provider.keeps_browser_data:
                discard_stored_profile(pc.id, root)
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
        self.window.add_view(view, actions=lambda p=provider: self._menu_actions(p))

    def _end_sessions(self) -> None:
        """Ask each provider to revoke its server session, and wait for the answers a bounded
        time with the window already hidden (a server that does not answer delays quitting by
        :data:`END_SESSIONS_WAIT_MS` at most; its token then expires on the server's schedule)."""
        pending = [r for r in (p.end_session() for p in self.providers.values()) if r is not None]
        if not pending:
            return
        self.window.hide()
        loop = QEventLoop()
        left = [len(pending)]

        def one_done() -> None:
            left[0] -= 1
            if left[0] == 0:
                loop.quit()
        for request in pending:
            request.finished.connect(one_done)
        QTimer.singleShot(END_SESSIONS_WAIT_MS, loop, loop.quit)
        loop.exec()

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
        if show:
            self.window.show()
        if self._complete:
            return
        view = self.views.get(shown) if shown is not None else None
        if view is None:
            self._start_steps()
            return
        # Ready, failed, or waiting for a sign-in: the page is as far as it gets without the user.
        view.frame_ready.connect(self._complete_soon)
        view.frame_failed.connect(self._complete_soon)
        view.provider.error_occurred.connect(self._complete_soon)
        QTimer.singleShot(COMPLETE_AFTER_MS, self._complete_soon)

    @Slot()
    def _complete_soon(self) -> None:
        if self._steps is None:  # the first of the page's signals and the deadline
            self._pending_steps()
            QTimer.singleShot(FIRST_STEP_DELAY_MS, self, self._start_steps)

    def close(self) -> None:
        """Revoke the server sessions Portico opened, stop the plugins, then tear down views, then
        pages, then profiles (Qt's required order)."""
        self._end_sessions()
        self._closed = True
        self._step_timer.stop()
        if self._steps is not None:
            self._steps.close()  # a completion cut short builds no more
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
        from PySide6.QtCore import QEvent  # noqa: PLC0415 - creating its Python type costs ~2 ms at start
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
        actions: list[tuple[str, Callable[[], None]]] = []
        if provider.kind == "spatialchat":
            actions.append(("Edit your profile…", lambda: self.edit_profile(provider.id)))
        extra = getattr(provider, "menu_actions", None)
        if callable(extra):
            actions.extend(extra())
        actions.extend(self.plugins.provider_actions(provider.id))
        return actions

    def edit_profile(self, provider_id: str) -> ProfileDialog:
        """Open the profile dialog of a SpatialChat provider (non-modal; returns it for tests)."""
        from desktop.providers.spatialchat import SpatialChatProvider  # noqa: PLC0415 - loaded with its provider
        from desktop.shell.profile_dialog import ProfileDialog  # noqa: PLC0415 - built on first use
        provider = self.providers[provider_id]
        assert isinstance(provider, SpatialChatProvider)
        dialog = ProfileDialog(provider.user, self.window)
        dialog.accepted.connect(lambda: self.save_profile(provider_id, dialog.user()))
        dialog.open()
        return dialog

    def save_profile(self, provider_id: str, user: UserInfo) -> None:
        from desktop.providers.spatialchat import SpatialChatProvider  # noqa: PLC0415 - loaded with its provider
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
            from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415 - only when it happens
            QMessageBox.warning(self.window, "Profile not saved",
                                f"Your profile is used for this session, but it could not be saved:\n{exc}")

    def secret(self, provider_id: str, field: str) -> Secret:
        """A provider's secret: typed this session, else the demo's, else what
        :meth:`prefetch_secrets` read from the OS keyring (else the keyring, waiting for it)."""
        from desktop import credentials  # noqa: PLC0415 - the keyring, only for providers that sign in
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
        self.hub.notify(provider_id, Notification(
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
    from PySide6.QtGui import QIcon  # noqa: PLC0415 - see the imports
    path = resources.files("desktop.resources").joinpath("icons/portico.svg")
    with resources.as_file(path) as file:
        return QIcon(str(file))


def create_application(headless: bool) -> QApplication:
    """Register the scheme, then create the QApplication with Portico's Chromium flags."""
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    register_scheme()
    app = QApplication(pass_chromium_flags(chromium_flags(headless)))
    app.setApplicationName("Portico")
    app.setOrganizationName("Portico")
    app.setDesktopFileName(APP_ID)  # the desktop shows the entry's icon; the window's own follows
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
    # The window opens where it was, on the provider it showed (or ``select``), which is the
    # one built first; the other providers and the sidebar's saved order follow with the chrome.
    state_path = default_state_path()
    state = load_state(state_path)
    ids = [pc.id for pc in config.providers]
    if select is not None and select not in ids:
        print(f"portico: no provider {select!r} in {config.path or 'the config'}; showing the last one",
              file=sys.stderr)
    first = select if select in ids else state.selected
    app = QApplication.instance() or create_application(headless)
    try:
        shell = Shell(config, event_log=event_log, get_secret=get_secret, plugin_folder=paths.plugins_dir(),
                      complete=False, first=first)
    except ConfigError as exc:
        print(f"portico: config error: {exc}", file=sys.stderr)
        return 2
    shell.window.restore(state)  # the geometry; the provider shown is ``first``, built alone

    shell.listen(instance)
    shell.completed.connect(lambda: shell.desktop.use_state_file(state_path, state))
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
