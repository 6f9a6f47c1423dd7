"""Loads the enabled plugins and runs their hooks and slots in isolation: caught, counted, timed, disabled after repeated failures."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

import pluggy
from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from desktop.config import Config, ConfigError
from desktop.contract import Notification
from desktop.plugins import settings as plugin_settings
from desktop.plugins.api import API_VERSION, MIN_API_VERSION, PROJECT, HookSpecs, NotificationRequest
from desktop.plugins.context import PluginContext, PluginRecord
from desktop.plugins.discovery import DEFAULT_ENABLED, PluginSource
from desktop.providers.base import Provider
from desktop.redact import scrub_text

log = logging.getLogger("portico.plugins")

#: A plugin that raises this many times (hooks and slots together) is disabled for the session.
MAX_FAILURES: Final = 3
#: A hook or slot running longer than this (on the UI thread) is logged as slow.
SLOW_CALL_MS: Final = 50.0
#: Slow calls logged one by one per plugin; after that, every 100th (the signal reports each).
SLOW_LOGGED: Final = 5


@dataclasses.dataclass(frozen=True)
class PluginInfo:
    """What the settings dialog shows about one available plugin.

    Attributes:
        name, origin: as discovered. description: the first line of its docstring ("" if not loaded).
        enabled: listed in the config. active: running now. failures, slow_calls: this session.
        disabled_reason: why Portico turned it off this session ("" if it did not).
    """

    name: str
    origin: str
    description: str
    enabled: bool
    active: bool
    failures: int = 0
    slow_calls: int = 0
    disabled_reason: str = ""


def validate_plugins(config: Config, sources: Mapping[str, PluginSource],
                     overrides: Mapping[str, Mapping[str, Any]] | None = None,
                     text: str | None = None) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The enabled plugin names and the validated settings of every enabled plugin (and of every
    built-in that has a table); ConfigError naming file, line and key on any mistake.

    ``overrides`` are settings forced by the command line (``--event-log`` -> ``event-log.path``);
    those plugins count as enabled. Loads the enabled plugins' code to read their ``Settings``; a
    plugin that cannot be loaded is reported when it is activated, not here.
    """
    overrides = overrides or {}
    where = plugin_settings.Locator(config.path, text)
    wanted = tuple(dict.fromkeys((*plugin_settings.enabled_list(config.plugins, where, DEFAULT_ENABLED),
                                  *overrides)))
    table = dict(config.plugins)
    for name, values in overrides.items():
        merged = dict(table[name]) if isinstance(table.get(name), Mapping) else {}
        merged.update(values)
        table[name] = merged
    settings: dict[str, Any] = {}
    for name, source in sources.items():
        if name not in wanted and not (source.builtin and name in table):
            continue
        try:
            target = source.loader()
        except Exception:  # noqa: BLE001 - reported at activation
            continue
        settings[name] = plugin_settings.plugin_settings(name, getattr(target, "Settings", None), table, where)
    return wanted, settings


def _description(obj: Any) -> str:
    text = getattr(obj, "description", "") or (type(obj).__doc__ if not isinstance(obj, type) else obj.__doc__) or ""
    return text.strip().splitlines()[0] if text.strip() else ""


class PluginManager(QObject):
    """The plugins of one Shell.

    Signals:
        plugin_failed(str, str): plugin name, what raised (each caught exception).
        plugin_disabled(str, str): plugin name, why Portico turned it off this session.
        slow_call(str, str, float): plugin name, what was slow, milliseconds.
        notification_suppressed(str, object, str): provider id, ``Notification``, the suppressing plugin.
    """

    plugin_failed = Signal(str, str)
    plugin_disabled = Signal(str, str)
    slow_call = Signal(str, str, float)
    notification_suppressed = Signal(str, object, str)

    def __init__(self, hub: Any, providers: Mapping[str, Provider], window: Any, presenter: Any,
                 sources: Mapping[str, PluginSource], overrides: Mapping[str, Mapping[str, Any]] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.providers = providers
        self.window = window
        self.presenter = presenter
        #: Settings forced by the command line (``--event-log`` -> ``event-log.path``); those plugins are enabled.
        self.overrides = {name: dict(values) for name, values in (overrides or {}).items()}
        #: Every available plugin (``discovery.discover``), by name.
        self.sources = dict(sources)
        self.loaded: dict[str, PluginRecord] = {}
        self.disabled: dict[str, str] = {}
        self.enabled: tuple[str, ...] = ()
        self._pm = pluggy.PluginManager(PROJECT)
        self._pm.add_hookspecs(HookSpecs)
        self._menu: QMenu | None = None
        self._badges: dict[str, int] = {}
        self._tried: dict[str, Any] = {}  # the settings each plugin was last activated with
        self._nested: list[float] = []  # per plugin call in progress: ms spent in nested plugin calls

    # --- configuration ----------------------------------------------------------------------

    def validate(self, config: Config, text: str | None = None) -> dict[str, Any]:
        """The settings of every enabled plugin and of every built-in with a table; ConfigError if any is wrong."""
        return validate_plugins(config, self.sources, self.overrides, text)[1]

    def _wanted(self, config: Config) -> tuple[str, ...]:
        return validate_plugins(config, {}, self.overrides)[0]

    def start(self, config: Config) -> None:
        """Validate the config (ConfigError on a mistake) and activate the enabled plugins."""
        settings = self.validate(config)
        self.enabled = self._wanted(config)
        for name in self.enabled:
            if name not in self.sources:
                self._notice(f"Plugin “{name}” is enabled in the config but is not installed.")
                continue
            self.activate(name, settings.get(name))

    def apply(self, config: Config) -> None:
        """Follow a changed config: stop plugins no longer enabled, (re)start those enabled or reconfigured.

        A plugin turned off this session stays off until it is enabled again or its settings change
        (saving, say, the theme does not bring it back).
        """
        settings = self.validate(config)
        previous, self.enabled = self.enabled, self._wanted(config)
        for name in list(self.loaded):
            if name not in self.enabled or settings.get(name) != self.loaded[name].settings:
                self.deactivate(name)
        for name in self.enabled:
            if name not in self.sources or name in self.loaded:
                continue
            if name in self.disabled and name in previous and settings.get(name) == self._tried.get(name):
                continue
            self.disabled.pop(name, None)
            self.activate(name, settings.get(name))

    # --- activation -------------------------------------------------------------------------

    def activate(self, name: str, settings: Any) -> bool:
        source = self.sources[name]
        self._tried[name] = settings
        try:
            obj = source.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop Portico
            log.exception("plugin %s (%s) could not be loaded", name, source.origin)
            return self._refuse(name, f"it could not be loaded ({type(exc).__name__}: {scrub_text(str(exc))})")
        version = getattr(obj, "api_version", None)
        if not isinstance(version, int) or not MIN_API_VERSION <= version <= API_VERSION:
            return self._refuse(name, f"it needs plugin API {version!r}; this Portico has "
                                      f"{MIN_API_VERSION}..{API_VERSION}")
        try:
            self._pm.register(obj, name=name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            return self._refuse(name, f"its hooks are invalid ({scrub_text(str(exc))})")
        unknown = [n for n in dir(obj) if n.startswith("portico_") and n not in vars(HookSpecs)]
        if unknown:
            self._pm.unregister(obj)
            return self._refuse(name, f"it implements unknown hooks: {', '.join(unknown)}")
        record = PluginRecord(name, source, obj, settings)
        self.loaded[name] = record
        context = PluginContext(self, record, settings)
        for impl in self._impls("portico_activate", obj):
            self.call(record, "portico_activate", impl.function, context)
        if record.failures:  # half-activated: undo what it registered
            if name in self.loaded:
                self.deactivate(name)
            return self._refuse(name, "its portico_activate raised (see the log)")
        log.info("plugin %s active (%s)", name, source.origin)
        return True

    def deactivate(self, name: str) -> None:
        record = self.loaded.pop(name, None)
        if record is None:
            return
        record.stopping = True
        for impl in self._impls("portico_deactivate", record.obj):
            self.call(record, "portico_deactivate", impl.function)
        record.active = False
        for signal, slot in record.connections:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # the sender is already gone
                pass
        record.connections.clear()
        for provider_id, action in record.actions:
            if provider_id is None and self._menu is not None:
                self._menu.removeAction(action)
            action.deleteLater()
        record.actions.clear()
        for provider_id in record.badges:
            self._badges.pop(provider_id, None)
            self.window.sidebar.set_unread(provider_id, self.hub.unread(provider_id))
        for adapter in record.adapters:
            self.presenter.remove_adapter(adapter)
        if self._pm.is_registered(record.obj):
            self._pm.unregister(record.obj)

    def close(self) -> None:
        """Deactivate every plugin (in reverse order of activation)."""
        for name in reversed(list(self.loaded)):
            self.deactivate(name)

    def _refuse(self, name: str, why: str) -> bool:
        self.disabled[name] = why
        log.error("plugin %s is not used: %s", name, why)
        self._notice(f"Plugin “{name}” is off: {why}.")
        self.plugin_disabled.emit(name, why)
        return False

    def _notice(self, text: str) -> None:
        notice = getattr(self.window, "notice", None)
        if notice is not None:
            notice.present(text, with_action=False)

    # --- isolation --------------------------------------------------------------------------

    def call(self, record: PluginRecord, what: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run plugin code: exceptions caught, logged with the plugin's name and counted; slow calls reported."""
        if not record.active:
            return None
        start = time.perf_counter()
        self._nested.append(0.0)
        try:
            return function(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - isolation is the point
            self._failed(record, what, exc)
            return None
        finally:
            total = (time.perf_counter() - start) * 1000
            # Time spent in other plugins' code called from here (ctx.notify runs their hooks) is theirs.
            elapsed = total - self._nested.pop()
            if self._nested:
                self._nested[-1] += total
            if elapsed > SLOW_CALL_MS:
                record.slow_calls += 1
                if record.slow_calls <= SLOW_LOGGED or record.slow_calls % 100 == 0:  # no log storm
                    log.warning("plugin %s: %s took %.0f ms (over %.0f ms blocks the window; slow call %d)",
                                record.name, what, elapsed, SLOW_CALL_MS, record.slow_calls)
                self.slow_call.emit(record.name, what, elapsed)

    def _failed(self, record: PluginRecord, what: str, exc: Exception) -> None:
        record.failures += 1
        log.error("plugin %s: %s raised %s (failure %d of %d)", record.name, what, type(exc).__name__,
                  record.failures, MAX_FAILURES, exc_info=exc)
        self.plugin_failed.emit(record.name, what)
        if record.failures >= MAX_FAILURES and not record.stopping:
            why = f"it failed {record.failures} times; last: {type(exc).__name__}: {scrub_text(str(exc))[:200]}"
            self.disabled[record.name] = why
            self.deactivate(record.name)
            log.error("plugin %s disabled for this session: %s", record.name, why)
            self._notice(f"Plugin “{record.name}” was turned off: {why}.")
            self.plugin_disabled.emit(record.name, why)

    def _impls(self, hook: str, obj: Any = None) -> list[pluggy.HookImpl]:
        """A hook's implementations in pluggy's call order (tryfirst … trylast, later registered first)."""
        impls = list(reversed(getattr(self._pm.hook, hook).get_hookimpls()))
        return [i for i in impls if obj is None or i.plugin is obj]

    def _record_of(self, impl: pluggy.HookImpl) -> PluginRecord | None:
        return self.loaded.get(impl.plugin_name)

    # --- decision hooks -----------------------------------------------------------------------

    def notify(self, source: str, provider_id: str, notification: Notification) -> bool:
        """Run the notification hooks, then show it unless one suppressed it. True if shown."""
        provider = self.providers.get(provider_id)
        request = NotificationRequest(provider_id, provider.kind if provider else "", notification, source)
        for impl in self._impls("portico_notification"):
            record = self._record_of(impl)
            if record is None:
                continue
            request._current = record.name
            before = request.notification
            self.call(record, "portico_notification", impl.function, request=request)
            if not isinstance(request.notification, Notification):  # a bad rewrite counts as a failure
                request.notification = before
                self._failed(record, "portico_notification", TypeError("rewrote the notification to a non-Notification"))
        request._current = ""
        if request.suppressed:
            log.info("notification from %s suppressed by plugin %s (%s)", provider_id or source,
                     request.suppressed_by, request.reason)
            self.notification_suppressed.emit(provider_id, request.notification, request.suppressed_by)
            return False
        self.presenter.present(provider_id, request.notification)
        return True

    def allow_external(self, provider_id: str, url: QUrl) -> bool:
        """Ask the navigation hooks whether ``url`` may open in the system browser (one False vetoes)."""
        text = url.toString()
        for impl in self._impls("portico_external_link"):
            record = self._record_of(impl)
            if record is None:
                continue
            if self.call(record, "portico_external_link", impl.function, provider_id=provider_id, url=text) is False:
                log.info("plugin %s vetoed opening a link from %s", record.name, provider_id)
                return False
        return True

    # --- what plugins add to the window --------------------------------------------------------

    def set_badge(self, record: PluginRecord, provider_id: str, count: int | None) -> None:
        if provider_id not in self.providers:
            raise KeyError(provider_id)
        if count is None:
            self._badges.pop(provider_id, None)
            record.badges.discard(provider_id)
        else:
            self._badges[provider_id] = int(count)
            record.badges.add(provider_id)
        self.window.sidebar.set_unread(provider_id, self.badge(provider_id, self.hub.unread(provider_id)))

    def badge(self, provider_id: str, count: int) -> int:
        """What the sidebar shows for a provider whose own unread count is ``count``."""
        return self._badges.get(provider_id, count)

    def add_menu_action(self, record: PluginRecord, text: str, callback: Callable[[], Any],
                        provider_id: str | None) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(lambda _checked=False: self.call(record, f"menu action {text!r}", callback))
        if provider_id is None:
            if self._menu is None:
                self._menu = self.window.menuBar().addMenu("P&lugins")
            self._menu.addAction(action)
        elif provider_id not in self.providers:
            raise KeyError(provider_id)
        record.actions.append((provider_id, action))
        return action

    def provider_actions(self, provider_id: str) -> list[tuple[str, Callable[[], None]]]:
        """The plugins' actions for one provider's menu."""
        return [(action.text(), action.trigger) for record in self.loaded.values()
                for pid, action in record.actions if pid == provider_id]

    # --- introspection ------------------------------------------------------------------------

    def get(self, name: str) -> Any:
        """The active plugin object called ``name`` (None if it is not active)."""
        record = self.loaded.get(name)
        return record.obj if record is not None else None

    def infos(self) -> list[PluginInfo]:
        out = []
        for name, source in self.sources.items():
            record = self.loaded.get(name)
            description = ""
            if record is not None:
                description = _description(record.obj)
            elif source.builtin:
                try:
                    description = _description(source.loader())
                except Exception:  # noqa: BLE001 - shown without a description
                    pass
            out.append(PluginInfo(name, source.origin, description, name in self.enabled, record is not None,
                                  record.failures if record else 0, record.slow_calls if record else 0,
                                  self.disabled.get(name, "")))
        return out


__all__ = ["MAX_FAILURES", "SLOW_CALL_MS", "ConfigError", "PluginInfo", "PluginManager"]
