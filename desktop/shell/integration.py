"""Wires the all-day desktop features into a Shell: state, hibernation, recovery, single instance, inspector, downloads, zoom, theme (the tray and notifications are plugins)."""

from __future__ import annotations

import logging
import pathlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Slot
from PySide6.QtWebEngineCore import QWebEnginePage

from desktop.config import ConfigError, update_provider
from desktop.instance.control import RemoteControl
from desktop.instance.single_instance import InstanceServer
from desktop.instance.state import WindowState, load_state, restored_order, save_state
from desktop.shell.downloads import DownloadManager, default_download_dir
from desktop.shell.lifecycle import Hibernator
from desktop.shell.preferences import Preferences
from desktop.shell.reconnect import Reconnector
from desktop.shell.recovery import SleepWatcher, ViewWatchdog
from desktop.shell.theme import Theme

if TYPE_CHECKING:
    from desktop.shell.inspector import EventInspector
    from desktop.shell.printing import PagePrinter
    from desktop.shell.settings_dialog import SettingsDialog

log = logging.getLogger("portico.desktop")

#: Changes to the window state and zoom are written this long after the last one.
SAVE_DELAY_MS = 1000


class DesktopIntegration(QObject):
    """The parts of Portico that make it an app people keep open all day.

    Attributes:
        preferences: the ``[settings]`` this Shell started with.
        hibernator: freezes and discards hidden providers (see lifecycle.py).
        watchdogs: per provider id, the crash and hang watchdog (see recovery.py).
        reconnectors: per provider id, the automatic retry of a frame that could not load (reconnect.py).
        sleep_watcher: notices a suspend and has every provider checked.
        downloads: where providers' downloads go.
        theme: light or dark chrome.
        server: the single-instance socket (after ``Shell.listen``, which owns it).
        state_path: the window state file (after :meth:`use_state_file`).
    """

    def __init__(self, shell: Any) -> None:
        super().__init__(shell)
        self._shell = shell
        window = shell.window
        self.preferences: Preferences = shell.preferences
        #: Provider id -> title (the presenter's and the inspector's names).
        self.titles: dict[str, str] = {}

        self.hibernator = Hibernator(shell.views, window.current_id,
                                     self.preferences.hibernate_after_minutes * 60,
                                     self.preferences.discard_after_minutes * 60, parent=self)
        window.provider_selected.connect(self.hibernator.on_selected)
        self.hibernator.state_changed.connect(self._on_lifecycle)

        self.watchdogs: dict[str, ViewWatchdog] = {}
        self.reconnectors: dict[str, Reconnector] = {}
        self.sleep_watcher = SleepWatcher(parent=self)
        self.sleep_watcher.woke.connect(self._on_woke)

        self.downloads = DownloadManager(self.download_folder, parent=self)
        for pid in shell.views:
            self.attach(pid)
        self.downloads.finished.connect(self._on_download_finished)
        self.downloads.failed.connect(self._on_download_failed)
        self._notice_folder: pathlib.Path | None = None
        window.notice.clicked.connect(self._on_notice_clicked)

        self._zoom_pending: dict[str, float] = {}
        self._zoom_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._zoom_timer.timeout.connect(self.save_zoom)
        window.zoom_changed.connect(self._on_zoom)

        self.inspector: EventInspector | None = None
        self.settings_dialog: SettingsDialog | None = None
        window.inspector_requested.connect(self.show_inspector)
        window.settings_requested.connect(self.show_settings)
        self.printer: PagePrinter | None = None
        window.print_requested.connect(self.print_current)
        window.downloads_requested.connect(self.open_download_folder)

        #: Made by the Shell with the window: the first paint must have the right colours.
        self.theme: Theme = shell.theme

        self.state_path: pathlib.Path | None = None
        self._state_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._state_timer.timeout.connect(self.save_state)
        self.control = RemoteControl(shell.providers, shell.views, self.activate_window, window.select)

    def attach(self, provider_id: str) -> None:
        """Give one provider's view the desktop features: its name, the crash and hang watchdog,
        the automatic retry, its downloads (at start, or for a provider added while running)."""
        shell, window = self._shell, self._shell.window
        view = shell.views[provider_id]
        self.titles[provider_id] = shell.providers[provider_id].title
        shell.presenter.titles[provider_id] = self.titles[provider_id]
        watchdog = ViewWatchdog(view)
        watchdog.crashed.connect(lambda _what, p=provider_id: window.sidebar.set_error(p, True))
        watchdog.hung.connect(lambda p=provider_id: window.sidebar.set_error(p, True))
        watchdog.recovered.connect(lambda p=provider_id: window.sidebar.set_error(p, False))
        self.watchdogs[provider_id] = watchdog
        reconnector = Reconnector(view)
        reconnector.recovered.connect(lambda p=provider_id: window.sidebar.set_error(p, False))
        self.reconnectors[provider_id] = reconnector
        self.downloads.attach(provider_id, shell.profiles[provider_id])

    # --- window state ---------------------------------------------------------------------

    def use_state_file(self, path: pathlib.Path, state: WindowState | None = None) -> None:
        """Restore the sidebar order, the selection and the geometry from ``path``, and keep it up to date.

        ``state``: what ``app.run`` read from ``path`` and restored (geometry, selection) before
        the window was shown; then only its order is applied, and the file is not read again.
        """
        window = self._shell.window
        restored = state is not None
        if state is None:
            state = load_state(path)
        window.sidebar.set_order(restored_order(state.order, window.sidebar.ids()))
        if not restored:
            window.restore(state)
        self.state_path = path
        window.sidebar.order_changed.connect(self._state_timer.start)
        window.provider_selected.connect(self._state_timer.start)

    def current_state(self) -> WindowState:
        window = self._shell.window
        return WindowState(geometry=bytes(window.saveGeometry().data()), selected=window.current_id() or "",
                           order=tuple(window.sidebar.ids()))

    @Slot()
    def save_state(self) -> None:
        self._state_timer.stop()
        if self.state_path is not None:
            save_state(self.state_path, self.current_state())

    # --- single instance --------------------------------------------------------------------

    @property
    def server(self) -> InstanceServer | None:
        return self._shell.server

    @Slot()
    def activate_window(self) -> None:
        window = self._shell.window
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()

    # --- hibernation and recovery -----------------------------------------------------------

    @Slot(str, object)
    def _on_lifecycle(self, provider_id: str, state: QWebEnginePage.LifecycleState) -> None:
        self._shell.window.sidebar.set_asleep(provider_id, state != QWebEnginePage.LifecycleState.Active)

    @Slot(float)
    def _on_woke(self, _seconds: float) -> None:
        for watchdog in self.watchdogs.values():
            watchdog.check_after_sleep()

    # --- downloads --------------------------------------------------------------------------

    def download_folder(self, provider_id: str) -> pathlib.Path:
        """Where a provider's downloads go: its ``download_folder`` (``~`` is the home folder),
        else the user's Downloads folder."""
        provider = self._shell.providers.get(provider_id)
        own = str(provider.config.options.get("download_folder", "")) if provider is not None else ""
        return pathlib.Path(own).expanduser() if own else default_download_dir()

    @Slot()
    def open_download_folder(self) -> None:
        """Open the shown provider's download folder in the file manager."""
        pid = self._shell.window.current_id()
        if pid is not None:
            folder = self.download_folder(pid)
            folder.mkdir(parents=True, exist_ok=True)
            self._shell.open_external(QUrl.fromLocalFile(str(folder)))

    @Slot(str, str)
    def _on_download_finished(self, provider_id: str, path: str) -> None:
        file = pathlib.Path(path)
        self._notice_folder = file.parent
        title = self.titles.get(provider_id, provider_id)
        self._shell.window.notice.present(self.tr("Downloaded “{name}” from {title} to {folder}").format(
            name=file.name, title=title, folder=file.parent))

    @Slot(str, str, str)
    def _on_download_failed(self, provider_id: str, name: str, reason: str) -> None:
        self._notice_folder = None
        title = self.titles.get(provider_id, provider_id)
        self._shell.window.notice.present(self.tr("The download of “{name}” from {title} failed: {reason}").format(
            name=name, title=title, reason=reason), with_action=False)

    @Slot()
    def _on_notice_clicked(self) -> None:
        if self._notice_folder is not None:
            self._shell.open_external(QUrl.fromLocalFile(str(self._notice_folder)))

    # --- zoom -------------------------------------------------------------------------------

    @Slot(str, float)
    def _on_zoom(self, provider_id: str, factor: float) -> None:
        self._zoom_pending[provider_id] = round(factor, 2)
        self._zoom_timer.start()

    @Slot()
    def save_zoom(self) -> None:
        """Write pending zoom factors to the config's ``zoom`` keys (comments kept)."""
        self._zoom_timer.stop()
        pending, self._zoom_pending = self._zoom_pending, {}
        path = self._shell.config.path
        if path is None:
            return
        for provider_id, factor in pending.items():
            try:
                self._shell.config = update_provider(path, provider_id, {"zoom": factor},
                                                     managed=self._shell.config.managed)
            except (ConfigError, OSError, KeyError) as exc:
                log.error("could not save the zoom of %s to %s: %s", provider_id, path, exc)

    # --- windows ----------------------------------------------------------------------------

    @Slot()
    @Slot()
    def print_current(self) -> None:
        """Print the shown provider's page through the system print dialog (Ctrl+P)."""
        window = self._shell.window
        pid = window.current_id()
        if pid is None:
            return
        if self.printer is None:
            from desktop.shell.printing import PagePrinter  # noqa: PLC0415 - built on first use
            self.printer = PagePrinter(self)
        self.printer.ask_and_print(window.views[pid].web_view, window)

    def show_inspector(self) -> EventInspector:
        from desktop.shell.inspector import EventInspector  # noqa: PLC0415 - built on first use
        if self.inspector is None:
            window = self._shell.window
            self.inspector = EventInspector(self._shell.hub, window.current_id, self.titles, window)
            window.provider_selected.connect(self.inspector.follow)
        self.inspector.show()
        self.inspector.raise_()
        self.inspector.activateWindow()
        return self.inspector

    @Slot()
    def show_settings(self) -> SettingsDialog:
        from desktop.shell.settings_dialog import SettingsDialog  # noqa: PLC0415 - built on first use
        if self.settings_dialog is None:
            self.settings_dialog = SettingsDialog(self._shell.config, self._shell.window, plugins=self._shell.plugins,
                                                  permissions=self._shell.permission_answers)
            self.settings_dialog.saved.connect(self._on_settings_saved)
            self.settings_dialog.permissions_forgotten.connect(self._on_permissions_forgotten)
            self.settings_dialog.state_of = self.state_text
        self.settings_dialog.config = self._shell.config
        self.settings_dialog.fill_providers()
        self.settings_dialog.fill_plugins()
        self.settings_dialog.fill_permissions()
        self.settings_dialog.open()
        return self.settings_dialog

    def state_text(self, provider_id: str) -> str:
        """What a provider is doing, in a word or two (its settings card)."""
        from desktop.contract import ProviderState  # noqa: PLC0415
        view = self._shell.views[provider_id]
        if view.lifecycle_state() == QWebEnginePage.LifecycleState.Discarded:
            return self.tr("Unloaded (opens again when shown)")
        if view.lifecycle_state() == QWebEnginePage.LifecycleState.Frozen:
            return self.tr("Hibernating")
        return {ProviderState.IDLE: self.tr("Not started yet"), ProviderState.PREPARING: self.tr("Signing in…"),
                ProviderState.LOADING: self.tr("Loading…"), ProviderState.READY: self.tr("Running"),
                ProviderState.NEEDS_INPUT: self.tr("Needs you to sign in"),
                ProviderState.ERROR: self.tr("Has a problem")}[self._shell.providers[provider_id].state]

    @Slot(object)
    def _on_permissions_forgotten(self, provider_ids: Any) -> None:
        # WORKAROUND (Qt WebEngine 6.10/6.11): a document keeps a media decision for its lifetime
        # even with AskEveryTime, so a forgotten answer takes effect only in a new document.
        for pid in provider_ids:
            view = self._shell.views.get(pid)
            if view is not None:
                view.reload()

    @Slot(object)
    def _on_settings_saved(self, config: Any) -> None:
        self._shell.add_new_providers(config)  # added ones start now; edits apply at the next start
        self.preferences = Preferences.or_defaults(config)
        self.hibernator.configure(self.preferences.hibernate_after_minutes * 60,
                                  self.preferences.discard_after_minutes * 60)
        self.theme.set_preference(self.preferences.theme)
        self._shell.preferences = self.preferences
        self._shell.apply_spelling()
        try:
            self._shell.plugins.apply(config)
        except ConfigError as exc:  # the dialog validated it; a plugin installed since may disagree
            log.error("plugins not reconfigured: %s", exc)

    # --- teardown ---------------------------------------------------------------------------

    def close(self) -> None:
        """Save what is pending and stop every timer and the socket (before the views go)."""
        self.save_state()
        self.save_zoom()
        self.hibernator.stop()
        self.sleep_watcher.stop()
        for watchdog in self.watchdogs.values():
            watchdog.stop()
        for reconnector in self.reconnectors.values():
            reconnector.stop()
        self.downloads.cancel_all()

