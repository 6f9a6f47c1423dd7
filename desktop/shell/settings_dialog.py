"""The settings dialog: providers (add, edit, remove), general preferences, plugins; every save validated by the config parser."""

from __future__ import annotations

import dataclasses
import pathlib
from typing import TYPE_CHECKING, Any, Final

import tomlkit
from PySide6.QtCore import Qt, QTime, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import credentials
from desktop.config import Config, ConfigError, atomic_write, parse_config
from desktop.plugins import settings as plugin_settings
from desktop.plugins.builtin.notifications import NotificationsPlugin
from desktop.plugins.discovery import BUILTINS, DEFAULT_ENABLED
from desktop.providers.kinds import KINDS
from desktop.shell.credential_store import CredentialStore
from desktop.shell.preferences import THEMES, Preferences
from desktop.shell.provider_removal import delete_provider_data
from desktop.shell.removal_dialog import RemoveProviderDialog

if TYPE_CHECKING:
    from desktop.plugins.manager import PluginManager


@dataclasses.dataclass(frozen=True)
class Field:
    """One editable key of a provider table.

    Attributes:
        key: the config key. kind: ``text``, ``bool`` or a tuple of choices.
        label: what the form shows. placeholder: a hint (or the default) in empty text fields.
    """

    key: str
    label: str
    kind: Any = "text"
    placeholder: str = ""


#: The form of each provider kind; config.py validates whatever is entered.
FIELDS: Final[dict[str, tuple[Field, ...]]] = {
    "spatialchat": (Field("url", "Site URL", placeholder="https://board.example.com/"),
                    Field("space_id", "Space id"), Field("room_id", "Room id"), Field("space_slug", "Space slug"),
                    Field("space_url", "Space URL", placeholder="optional: https://app.spatial.chat/s/<id>, for room links"),
                    Field("remember_session", "Remember the sign-in across restarts (kept on disk)", "bool")),
    "rocketchat": (Field("server", "Server", placeholder="https://chat.example.com"),
                   Field("channel", "Channel", placeholder="optional: the whole workspace without it"),
                   Field("username", "Username"), Field("user_id", "User id", placeholder="for a personal access token")),
    "spoki": (Field("email", "Service user e-mail"), Field("page", "Page", placeholder="chats"),
              Field("language", "Language", ("en", "it", "es")),
              Field("can_view_chat_list", "Can view the chat list", "bool"),
              Field("can_reply_in_chat", "Can reply in chats", "bool"),
              Field("can_send_paypal_in_chat", "Can send PayPal links", "bool"),
              Field("api_base", "API base", placeholder="https://app.spoki.it"),
              Field("app_base", "App base", placeholder="https://spoki.app")),
}
_BOOL_DEFAULTS: Final = {"can_view_chat_list": True, "can_reply_in_chat": True, "can_send_paypal_in_chat": False}


def _read_document(path: pathlib.Path | None) -> tomlkit.TOMLDocument:
    if path is None or not path.exists():
        return tomlkit.document()
    return tomlkit.parse(path.read_text(encoding="utf-8"))


def _validated(doc: tomlkit.TOMLDocument, path: pathlib.Path | None) -> tuple[str, Config]:
    """The document's text and its Config, or :class:`ConfigError` naming line and key."""
    text = tomlkit.dumps(doc)
    config = parse_config(text, path or "<config>")
    Preferences.from_config(config)
    return text, config


class ProviderEditor(QDialog):
    """Add or edit one ``[[provider]]`` table; OK only once the whole config parses.

    Signals:
        saved(object): the new :class:`Config` (already written).
    """

    saved = Signal(object)

    def __init__(self, path: pathlib.Path | None, provider_id: str | None, kind: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._provider_id = provider_id
        self._kind = kind
        self.setWindowTitle(f"{'Edit' if provider_id else 'Add'} a {KINDS[kind].title} provider")
        doc = _read_document(path)
        table: dict[str, Any] = {}
        for t in doc.get("provider", []):
            if t.get("id") == provider_id:
                table = dict(t)
        self.inputs: dict[str, QWidget] = {}
        form = QFormLayout()
        self._add_text(form, Field("id", "Id", placeholder="[a-z0-9-]+, e.g. work"), table)
        self.inputs["id"].setEnabled(provider_id is None)  # the id names the profile and the keyring entries
        self._add_text(form, Field("title", "Title", placeholder=KINDS[kind].title), table)
        for field in FIELDS[kind]:
            if field.kind == "bool":
                box = QCheckBox(field.label, self)
                box.setChecked(bool(table.get(field.key, _BOOL_DEFAULTS.get(field.key, False))))
                self.inputs[field.key] = box
                form.addRow("", box)
            elif isinstance(field.kind, tuple):
                combo = QComboBox(self)
                combo.addItems(list(field.kind))
                combo.setCurrentText(str(table.get(field.key, field.kind[0])))
                self.inputs[field.key] = combo
                form.addRow(field.label, combo)
            else:
                self._add_text(form, field, table)
        self.error = QLabel(self)
        self.error.setObjectName("settings-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c2410c")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _add_text(self, form: QFormLayout, field: Field, table: dict[str, Any]) -> None:
        edit = QLineEdit(str(table.get(field.key, "")), self)
        edit.setPlaceholderText(field.placeholder)
        self.inputs[field.key] = edit
        form.addRow(field.label, edit)

    def values(self) -> dict[str, Any]:
        """What the form holds; empty text fields are left out (their defaults apply)."""
        out: dict[str, Any] = {}
        for key, widget in self.inputs.items():
            if isinstance(widget, QCheckBox):
                out[key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                out[key] = widget.currentText()
            elif isinstance(widget, QLineEdit) and widget.text().strip():
                out[key] = widget.text().strip()
        return out

    @Slot()
    def save(self) -> None:
        doc = _read_document(self._path)
        if "provider" not in doc:
            doc["provider"] = tomlkit.aot()
        values = self.values()
        if self._provider_id is None:
            table = tomlkit.table()
            table["id"] = values.pop("id", "")
            table["kind"] = self._kind
            doc["provider"].append(table)
        else:
            table = next(t for t in doc["provider"] if t.get("id") == self._provider_id)
            values.pop("id", None)
        for field in (Field("title", ""), *FIELDS[self._kind]):
            if field.key in values:
                table[field.key] = values[field.key]
            elif field.key in table:
                del table[field.key]
        try:
            text, config = _validated(doc, self._path)
        except ConfigError as exc:
            self.show_error(exc)
            return
        if self._path is not None:
            atomic_write(self._path, text)
        self.saved.emit(config)
        self.accept()

    def show_error(self, error: ConfigError) -> None:
        key = (error.key or "").rsplit(".", 1)[-1]
        self.error.setText(f"Not saved: {error.key}: {error.message}" if error.key else f"Not saved: {error.message}")
        self.error.show()
        widget = self.inputs.get(key)
        if widget is not None:
            widget.setFocus()


class SettingsDialog(QDialog):
    """Portico's settings. Provider changes apply at the next start; preferences at once.

    Signals:
        saved(object): the config was written; the new :class:`Config`.
    """

    saved = Signal(object)

    def __init__(self, config: Config, parent: QWidget | None = None,
                 plugins: PluginManager | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings")
        self.setWindowTitle("Settings – Portico")
        self.resize(680, 560)
        self.config = config
        self._plugins = plugins
        self._credentials = CredentialStore(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._providers_tab(), "Providers")
        self.tabs.addTab(self._general_tab(), "General")
        self.tabs.addTab(self._plugins_tab(), "Plugins")
        self.editor: ProviderEditor | None = None
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if config.path is None:
            layout.addWidget(QLabel("This Portico runs without a config file: nothing here can be saved.", self))
        layout.addWidget(self.tabs)
        layout.addWidget(close)
        self._fill_providers()

    # --- providers ----------------------------------------------------------------------

    def _providers_tab(self) -> QWidget:
        tab = QWidget(self)
        self.provider_list = QListWidget(tab)
        self.add_kind = QComboBox(tab)
        for kind, spec in KINDS.items():
            self.add_kind.addItem(f"Add {spec.title}…", kind)
        add = QPushButton("Add", tab)
        add.clicked.connect(lambda: self.edit_provider(None, self.add_kind.currentData()))
        edit = QPushButton("Edit…", tab)
        edit.clicked.connect(self._edit_selected)
        remove = QPushButton("Remove", tab)
        remove.clicked.connect(self._remove_selected)
        self.provider_list.itemDoubleClicked.connect(lambda _item: self._edit_selected())
        self.restart_note = QLabel("Provider changes apply when Portico starts again.", tab)
        self.restart_note.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_kind)
        buttons.addWidget(add)
        buttons.addStretch(1)
        buttons.addWidget(edit)
        buttons.addWidget(remove)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.provider_list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.restart_note)
        return tab

    def _fill_providers(self) -> None:
        self.provider_list.clear()
        for p in self.config.providers:
            item = QListWidgetItem(f"{p.title}   ({p.id}, {KINDS[p.kind].title})")
            item.setData(Qt.ItemDataRole.UserRole, (p.id, p.kind))
            self.provider_list.addItem(item)

    def edit_provider(self, provider_id: str | None, kind: str) -> ProviderEditor:
        """Open the editor (``provider_id`` None: a new provider of ``kind``); returns it for tests."""
        self.editor = ProviderEditor(self.config.path, provider_id, kind, self)
        self.editor.saved.connect(self._on_saved)
        self.editor.open()
        return self.editor

    def _selected(self) -> tuple[str, str] | None:
        item = self.provider_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    @Slot()
    def _edit_selected(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.edit_provider(*selected)

    @Slot()
    def _remove_selected(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        question = RemoveProviderDialog(*selected, parent=self)
        if question.exec() == QDialog.DialogCode.Accepted:
            self.remove_provider(selected[0], delete_secrets=question.delete_secrets(),
                                 delete_profile=question.delete_browser_data())

    def remove_provider(self, provider_id: str, delete_secrets: bool = False, delete_profile: bool = False) -> bool:
        """Remove a provider from the config, and optionally its keyring secrets and its browser
        profile (removed at exit: Chromium holds it while Portico runs)."""
        doc = _read_document(self.config.path)
        tables = doc.get("provider", [])
        for index, table in enumerate(tables):
            if table.get("id") == provider_id:
                kind = str(table.get("kind", ""))
                del tables[index]
                break
        else:
            return False
        if not self._write(doc):
            return False
        if delete_profile:
            delete_provider_data(provider_id, kind, remove_secrets=False, remove_profile=True, profile_in_use=True)
        if delete_secrets:
            # On the keyring thread: an unlock prompt must not freeze the window.
            self._credentials.delete_provider_secrets(provider_id, kind).failed.connect(self._on_secrets_not_deleted)
        return True

    @Slot(object)
    def _on_secrets_not_deleted(self, error: credentials.CredentialError) -> None:
        # CredentialRequest.failed always carries a CredentialError (it wraps anything else).
        QMessageBox.warning(self, "Secrets not deleted", error.user_message())

    # --- general ------------------------------------------------------------------------

    def _general_tab(self) -> QWidget:
        tab = QWidget(self)
        try:
            prefs = Preferences.from_config(self.config)
        except ConfigError:
            prefs = Preferences()  # the file has a bad value: show the defaults, saving fixes it
        self.theme = QComboBox(tab)
        self.theme.addItems(list(THEMES))
        self.theme.setCurrentText(prefs.theme)
        self.hibernate = self._minutes(tab, prefs.hibernate_after_minutes)
        self.discard = self._minutes(tab, prefs.discard_after_minutes)
        note = QLabel("A hibernating provider runs no script: it sends no notifications and its badge shows "
                      "the last count until you open it again. 0 = never.", tab)
        note.setWordWrap(True)
        self.general_error = QLabel(tab)
        self.general_error.setStyleSheet("color: #c2410c")
        self.general_error.hide()
        save = QPushButton("Save", tab)
        save.clicked.connect(self.save_general)
        form = QFormLayout(tab)
        form.addRow("Theme", self.theme)
        form.addRow("Freeze a provider hidden for (minutes)", self.hibernate)
        form.addRow("Unload a provider hidden for (minutes)", self.discard)
        form.addRow(note)
        form.addRow(self.general_error)
        form.addRow("", save)
        return tab

    @staticmethod
    def _minutes(parent: QWidget, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox(parent)
        box.setRange(0, 7 * 24 * 60)
        box.setDecimals(0)
        box.setSpecialValueText("never")
        box.setValue(value)
        return box

    @Slot()
    def save_general(self) -> bool:
        doc = _read_document(self.config.path)
        if "settings" not in doc:
            doc["settings"] = tomlkit.table()
        settings = doc["settings"]
        settings["theme"] = self.theme.currentText()
        settings["hibernate_after_minutes"] = int(self.hibernate.value())
        settings["discard_after_minutes"] = int(self.discard.value())
        return self._write(doc, self.general_error)

    # --- plugins ------------------------------------------------------------------------

    def _plugins_tab(self) -> QWidget:
        """Which plugins run; do-not-disturb (now, and a daily schedule) and per-provider mute."""
        tab = QWidget(self)
        self.plugin_list = QListWidget(tab)
        self.plugin_list.setObjectName("plugin-list")
        # Descriptions wrap instead of hiding behind a horizontal scroll bar.
        self.plugin_list.setWordWrap(True)
        self.plugin_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        plugins_box = QGroupBox("Plugins (changes apply at once)", tab)
        QVBoxLayout(plugins_box).addWidget(self.plugin_list)
        self.dnd = QCheckBox("Do not disturb now", tab)
        self.quiet_hours = QCheckBox("Every day from", tab)
        self.quiet_from = QTimeEdit(tab)
        self.quiet_until = QTimeEdit(tab)
        for edit in (self.quiet_from, self.quiet_until):
            edit.setDisplayFormat("HH:mm")
        schedule = QHBoxLayout()
        schedule.addWidget(self.quiet_hours)
        schedule.addWidget(self.quiet_from)
        schedule.addWidget(QLabel("until", tab))
        schedule.addWidget(self.quiet_until)
        schedule.addStretch(1)
        self.mute_list = QListWidget(tab)
        self.mute_list.setObjectName("mute-list")
        dnd_box = QGroupBox("Do not disturb (notifications plugin)", tab)
        dnd_layout = QVBoxLayout(dnd_box)
        dnd_layout.addWidget(self.dnd)
        dnd_layout.addLayout(schedule)
        dnd_layout.addWidget(self.mute_list)
        self.plugins_error = QLabel(tab)
        self.plugins_error.setObjectName("settings-error")
        self.plugins_error.setWordWrap(True)
        self.plugins_error.setStyleSheet("color: #c2410c")
        self.plugins_error.hide()
        save = QPushButton("Save", tab)
        save.clicked.connect(self.save_plugins)
        layout = QVBoxLayout(tab)
        layout.addWidget(plugins_box, 1)
        layout.addWidget(dnd_box, 1)
        layout.addWidget(self.plugins_error)
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignRight)
        self.fill_plugins()
        return tab

    def fill_plugins(self) -> None:
        """Show the config's plugin choices and what the plugins are doing now (called on each open)."""
        where = plugin_settings.Locator(None, "")
        try:
            enabled = plugin_settings.enabled_list(self.config.plugins, where, DEFAULT_ENABLED)
        except ConfigError:
            enabled = DEFAULT_ENABLED
        try:
            dnd = plugin_settings.plugin_settings("notifications", NotificationsPlugin.Settings,
                                                  self.config.plugins, where)
        except ConfigError:
            dnd = NotificationsPlugin.Settings()  # a bad value in the file: show the defaults, saving fixes it
        infos = {info.name: info for info in self._plugins.infos()} if self._plugins is not None else {}
        self.plugin_list.clear()
        for name in infos or BUILTINS:
            info = infos.get(name)
            text = name
            if info is not None and info.description:
                text += f" – {info.description}"
            if info is not None and info.disabled_reason:
                text += f"  (turned off: {info.disabled_reason})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(info.origin if info is not None else "built-in")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in enabled else Qt.CheckState.Unchecked)
            self.plugin_list.addItem(item)
        self.dnd.setChecked(dnd.do_not_disturb)
        self.quiet_hours.setChecked(dnd.quiet_hours)
        self.quiet_from.setTime(QTime.fromString(dnd.quiet_from, "HH:mm"))
        self.quiet_until.setTime(QTime.fromString(dnd.quiet_until, "HH:mm"))
        self.mute_list.clear()
        for p in self.config.providers:
            item = QListWidgetItem(f"Mute {p.title}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if p.id in dnd.muted else Qt.CheckState.Unchecked)
            self.mute_list.addItem(item)
        self.plugins_error.hide()

    @staticmethod
    def _checked(widget: QListWidget) -> list[str]:
        return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]

    @Slot()
    def save_plugins(self) -> bool:
        """Write ``[plugins] enabled`` and ``[plugins.notifications]`` (comments elsewhere kept)."""
        doc = _read_document(self.config.path)
        if "plugins" not in doc:
            doc["plugins"] = tomlkit.table()
        plugins = doc["plugins"]
        plugins["enabled"] = self._checked(self.plugin_list)
        if "notifications" not in plugins:
            plugins["notifications"] = tomlkit.table()
        notifications = plugins["notifications"]
        notifications["do_not_disturb"] = self.dnd.isChecked()
        notifications["quiet_hours"] = self.quiet_hours.isChecked()
        notifications["quiet_from"] = self.quiet_from.time().toString("HH:mm")
        notifications["quiet_until"] = self.quiet_until.time().toString("HH:mm")
        notifications["muted"] = self._checked(self.mute_list)
        return self._write(doc, self.plugins_error)

    # --- saving -------------------------------------------------------------------------

    def _write(self, doc: tomlkit.TOMLDocument, error_label: QLabel | None = None) -> bool:
        try:
            text, config = _validated(doc, self.config.path)
            if self._plugins is not None:
                self._plugins.validate(config, text)
        except ConfigError as exc:
            if error_label is not None:
                error_label.setText(f"Not saved: {exc}")
                error_label.show()
            else:
                QMessageBox.warning(self, "Not saved", str(exc))
            return False
        if error_label is not None:
            error_label.hide()
        if self.config.path is not None:
            atomic_write(self.config.path, text)
        self._on_saved(config)
        return True

    @Slot(object)
    def _on_saved(self, config: Config) -> None:
        providers_changed = config.providers != self.config.providers
        self.config = config
        self._fill_providers()
        if providers_changed:
            self.restart_note.show()
        self.saved.emit(config)
