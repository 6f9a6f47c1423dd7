"""The settings dialog: providers (add, edit, remove), general preferences, plugins and their pages; every save validated."""

from __future__ import annotations

import pathlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import tomlkit
from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal, Slot
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
    QVBoxLayout,
    QWidget,
)

from desktop import credentials
from desktop.config import Config, ConfigError, Managed, atomic_write, parse_config
from desktop.kinds import KINDS, Option
from desktop.plugins import SettingsPage
from desktop.plugins import settings as plugin_settings
from desktop.plugins.discovery import BUILTINS, DEFAULT_ENABLED, PluginSource, discover
from desktop.shell.credential_store import CredentialStore
from desktop.shell.preferences import THEMES, Preferences
from desktop.shell.provider_removal import delete_provider_data
from desktop.shell.removal_dialog import RemoveProviderDialog

if TYPE_CHECKING:
    from desktop.instance.permissions import PermissionAnswers
    from desktop.plugins.manager import PluginManager


def editor_options(kind: str) -> tuple[Option, ...]:
    """The options the provider editor shows for a kind, in the schema's order (``remember_session``
    only where the config allows it)."""
    spec = KINDS[kind]
    shown = [spec.option("title"), *(o for o in spec.options if o.editable)]
    if not spec.signs_in_from_keyring:
        shown.append(spec.option("remember_session"))
    return tuple(shown)


def _read_document(path: pathlib.Path | None) -> tomlkit.TOMLDocument:
    if path is None or not path.exists():
        return tomlkit.document()
    return tomlkit.parse(path.read_text(encoding="utf-8"))


def _validated(doc: tomlkit.TOMLDocument, path: pathlib.Path | None,
               managed: Managed | None = None) -> tuple[str, Config]:
    """The document's text and its Config (merged over the administrator's ``managed`` file), or
    :class:`ConfigError` naming line and key."""
    text = tomlkit.dumps(doc)
    config = parse_config(text, path or "<config>", managed)
    Preferences.from_config(config)
    return text, config


def _kind_text(text: str) -> str:
    """A built-in kind's label or help in the window's language (desktop/shell/kind_strings.py
    marks them; a kind from a package shows its own words)."""
    return QCoreApplication.translate("kinds", text) if text else text


#: What a field set by the administrator says (greyed out, the user cannot change it).
MANAGED_TIP: Final = "Set by your administrator"


class ProviderEditor(QDialog):
    """Add or edit one ``[[provider]]`` table; OK only once the whole config parses.

    Signals:
        saved(object): the new :class:`Config` (already written).
    """

    saved = Signal(object)

    def __init__(self, path: pathlib.Path | None, provider_id: str | None, kind: str,
                 parent: QWidget | None = None, managed: Managed | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._provider_id = provider_id
        self._kind = kind
        self._managed = managed
        #: The administrator's table of this provider (None: the user's own provider).
        self._base = managed.table(provider_id) if managed is not None and provider_id else None
        self.setWindowTitle((self.tr("Edit a {kind} provider") if provider_id else self.tr("Add a {kind} provider"))
                            .format(kind=KINDS[kind].title))
        self.setMinimumWidth(560)  # the fields' hints (placeholders) fit
        doc = _read_document(path)
        table: dict[str, Any] = dict(self._base or {})
        for t in doc.get("provider", []):
            if t.get("id") == provider_id:
                table.update(dict(t))
        self.inputs: dict[str, QWidget] = {}
        form = QFormLayout()
        self._add_text(form, Option("id", "string", "", self.tr("Id"), self.tr("[a-z0-9-]+, e.g. work")), table)
        self.inputs["id"].setEnabled(provider_id is None)  # the id names the profile and the keyring entries
        for option in editor_options(kind):
            if option.type == "boolean":
                box = QCheckBox(_kind_text(option.label), self)
                box.setChecked(bool(table.get(option.key, option.default)))
                self.inputs[option.key] = box
                form.addRow("", box)
            elif option.type == "choice":
                combo = QComboBox(self)
                combo.addItems(list(option.choices))
                combo.setCurrentText(str(table.get(option.key, option.default)))
                self.inputs[option.key] = combo
                form.addRow(_kind_text(option.label), combo)
            else:
                self._add_text(form, option, table,
                               KINDS[kind].title if option.key == "title" else _kind_text(option.help))
        self.error = QLabel(self)
        self.error.setObjectName("settings-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c2410c")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        if self._base is not None:
            self._lock_fields(layout)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def locked(self, key: str) -> bool:
        """Whether the administrator locked this field of the provider (``key`` "" : the whole provider)."""
        full = f"provider.{self._provider_id}" + (f".{key}" if key else "")
        return self._managed is not None and self._base is not None and self._managed.is_locked(full)

    def _lock_fields(self, layout: QVBoxLayout) -> None:
        """A provider from the administrator's file: its locked fields greyed out, saying who set
        them; the rest the user may change (kept in the user's own file)."""
        whole = self.locked("")
        note = QLabel(f"{MANAGED_TIP}: this provider cannot be changed." if whole else
                      f"{MANAGED_TIP}: this provider comes from your organisation; greyed-out fields are locked.", self)
        note.setObjectName("managed-note")
        note.setWordWrap(True)
        layout.addWidget(note)
        for key, widget in self.inputs.items():
            if key != "id" and self.locked(key):
                widget.setEnabled(False)
                widget.setToolTip(MANAGED_TIP)
        self.save_button.setEnabled(not whole)

    def _add_text(self, form: QFormLayout, option: Option, table: dict[str, Any], placeholder: str = "") -> None:
        value = table.get(option.key, "")
        if option.type == "list":  # edited as comma-separated text
            value = ", ".join(str(v) for v in value) if isinstance(value, list) else value
        edit = QLineEdit(str(value), self)
        edit.setPlaceholderText(placeholder or _kind_text(option.help))
        self.inputs[option.key] = edit
        form.addRow(_kind_text(option.label), edit)

    def values(self) -> dict[str, Any]:
        """What the form holds; empty text fields are left out (their defaults apply)."""
        out: dict[str, Any] = {}
        lists = {o.key for o in editor_options(self._kind) if o.type == "list"}
        for key, widget in self.inputs.items():
            if isinstance(widget, QCheckBox):
                out[key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                out[key] = widget.currentText()
            elif isinstance(widget, QLineEdit) and widget.text().strip():
                text = widget.text().strip()
                out[key] = [v.strip() for v in text.split(",") if v.strip()] if key in lists else text
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
        elif self._base is not None:
            self._save_override(doc, values)
        else:
            table = next(t for t in doc["provider"] if t.get("id") == self._provider_id)
            values.pop("id", None)
        for option in editor_options(self._kind) if self._base is None else ():
            if option.key in values:
                table[option.key] = values[option.key]
            elif option.key in table:
                del table[option.key]
        try:
            text, config = _validated(doc, self._path, self._managed)
        except ConfigError as exc:
            self.show_error(exc)
            return
        if self._path is not None:
            atomic_write(self._path, text)
        self.saved.emit(config)
        self.accept()

    def _save_override(self, doc: tomlkit.TOMLDocument, values: dict[str, Any]) -> None:
        """A managed provider: the user's table holds only what differs from the administrator's
        (and nothing locked); none is left when nothing differs."""
        base = self._base or {}
        changed = {o.key: values[o.key] for o in editor_options(self._kind)
                   if o.key in values and not self.locked(o.key) and values[o.key] != base.get(o.key, o.default)}
        tables = doc["provider"]
        existing = next((t for t in tables if t.get("id") == self._provider_id), None)
        if existing is None and changed:
            existing = tomlkit.table()
            existing["id"] = self._provider_id
            tables.append(existing)
        if existing is None:
            return
        for option in editor_options(self._kind):
            if option.key in changed:
                existing[option.key] = changed[option.key]
            elif option.key in existing:
                del existing[option.key]
        if not changed:
            tables.remove(existing)

    def show_error(self, error: ConfigError) -> None:
        key = (error.key or "").rsplit(".", 1)[-1]
        self.error.setText(f"Not saved: {error.key}: {error.message}" if error.key else f"Not saved: {error.message}")
        self.error.show()
        widget = self.inputs.get(key)
        if widget is not None:
            widget.setFocus()


class SettingsDialog(QDialog):
    """Portico's settings. An added provider starts at once; edits and removals apply at the next
    start; preferences at once.

    Signals:
        saved(object): the config was written; the new :class:`Config`.
        permissions_forgotten(object): answers were forgotten; the set of provider ids (their
            open pages keep what they were granted until they load again).
    """

    saved = Signal(object)
    permissions_forgotten = Signal(object)

    def __init__(self, config: Config, parent: QWidget | None = None,
                 plugins: PluginManager | None = None, permissions: PermissionAnswers | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings")
        self.setWindowTitle(self.tr("Settings – Portico"))
        self.resize(680, 560)
        self.config = config
        self._plugins = plugins
        self._permissions = permissions
        #: A provider id -> what it is doing now ("Running", "Needs sign-in" …), for its card.
        self.state_of: Callable[[str], str] = lambda _pid: ""
        self._credentials = CredentialStore(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._providers_tab(), self.tr("Providers"))
        self.tabs.addTab(self._general_tab(), self.tr("General"))
        self.tabs.addTab(self._plugins_tab(), self.tr("Plugins"))
        self.tabs.addTab(self._permissions_tab(), self.tr("Permissions"))
        self.editor: ProviderEditor | None = None
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if config.path is None:
            layout.addWidget(QLabel(self.tr("This Portico runs without a config file: nothing here can be saved."),
                                    self))
        layout.addWidget(self.tabs)
        layout.addWidget(close)
        self.fill_providers()

    # --- providers ----------------------------------------------------------------------

    def _providers_tab(self) -> QWidget:
        tab = QWidget(self)
        self.provider_list = QListWidget(tab)
        self.provider_list.setObjectName("provider-cards")
        self.provider_list.setIconSize(QSize(36, 36))
        self.provider_list.setSpacing(3)
        self.provider_list.setWordWrap(True)
        self.add_kind = QComboBox(tab)
        for kind, spec in KINDS.items():
            self.add_kind.addItem(self.tr("Add {kind}…").format(kind=spec.title), kind)
        add = QPushButton(self.tr("Add"), tab)
        add.clicked.connect(lambda: self.edit_provider(None, self.add_kind.currentData()))
        edit = QPushButton(self.tr("Edit…"), tab)
        edit.clicked.connect(self._edit_selected)
        remove = QPushButton(self.tr("Remove"), tab)
        remove.clicked.connect(self._remove_selected)
        self.provider_list.itemDoubleClicked.connect(lambda _item: self._edit_selected())
        self.restart_note = QLabel(self.tr("Provider changes apply when Portico starts again."), tab)
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

    def fill_providers(self) -> None:
        """The provider cards: icon, title, kind, id and what each is doing now."""
        self.provider_list.clear()
        from desktop.shell.sidebar import kind_icon  # noqa: PLC0415 - the sidebar's icons, on cards
        for p in self.config.providers:
            managed = self.config.is_managed(p.id)
            facts = [KINDS[p.kind].title, p.id, *([self._state_of(p.id)] if self._state_of(p.id) else [])]
            item = QListWidgetItem(kind_icon(p.kind, str(p.options.get("icon", "")), p.title),
                                   f"{p.title}\n{' · '.join(facts)}"
                                   + (self.tr("  · set by your administrator") if managed else ""))
            item.setData(Qt.ItemDataRole.UserRole, (p.id, p.kind))
            if managed:
                item.setToolTip(f"{MANAGED_TIP} ({self.config.managed.path if self.config.managed else ''}): "
                                "it cannot be removed" + ("" if not self.config.is_locked(f"provider.{p.id}")
                                                          else " or changed"))
            self.provider_list.addItem(item)

    def _state_of(self, provider_id: str) -> str:
        try:
            return self.state_of(provider_id)
        except KeyError:
            return ""  # saved, not running yet

    def edit_provider(self, provider_id: str | None, kind: str) -> ProviderEditor:
        """Open the editor (``provider_id`` None: a new provider of ``kind``); returns it for tests."""
        self.editor = ProviderEditor(self.config.path, provider_id, kind, self, managed=self.config.managed)
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
        if self.config.is_managed(selected[0]):
            self.remove_provider(selected[0])  # refused, with why
            return
        question = RemoveProviderDialog(*selected, parent=self)
        if question.exec() == QDialog.DialogCode.Accepted:
            self.remove_provider(selected[0], delete_secrets=question.delete_secrets(),
                                 delete_profile=question.delete_browser_data())

    def remove_provider(self, provider_id: str, delete_secrets: bool = False, delete_profile: bool = False) -> bool:
        """Remove a provider from the config, and optionally its keyring secrets and its browser
        profile (removed at exit: Chromium holds it while Portico runs). A provider the
        administrator set cannot be removed (False, and the user is told)."""
        if self.config.is_managed(provider_id):
            where = self.config.managed.path if self.config.managed is not None else "the managed file"
            self.message = QMessageBox(QMessageBox.Icon.Information, "Not removed",
                                       f"{MANAGED_TIP}: this provider comes from {where} and cannot be removed.",
                                       parent=self)
            self.message.open()
            return False
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
        QMessageBox.warning(self, self.tr("Secrets not deleted"), error.user_message())

    # --- general ------------------------------------------------------------------------

    def _general_tab(self) -> QWidget:
        tab = QWidget(self)
        try:
            prefs = Preferences.from_config(self.config)
        except ConfigError:
            prefs = Preferences()  # the file has a bad value: show the defaults, saving fixes it
        self.theme = QComboBox(tab)
        names = {"system": self.tr("Follow the desktop"), "light": self.tr("Light"), "dark": self.tr("Dark")}
        for theme in THEMES:
            self.theme.addItem(names.get(theme, theme), theme)
        self.theme.setCurrentIndex(max(0, self.theme.findData(prefs.theme)))
        self.hibernate = self._minutes(tab, prefs.hibernate_after_minutes)
        self.discard = self._minutes(tab, prefs.discard_after_minutes)
        self.spellcheck = self._languages(tab, prefs.spellcheck)
        self.language = QComboBox(tab)
        self.language.setObjectName("window-language")
        for code, name in (("system", self.tr("The desktop's language")), ("en", "English"), ("it", "Italiano"),
                           ("es", "Español")):
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.language)))
        self.language.setToolTip(self.tr("Used from the next start"))
        from desktop.instance import autostart  # noqa: PLC0415
        self.autostart = QCheckBox(self.tr("Start Portico when I log in (in the tray)"), tab)
        self.autostart.setChecked(autostart.is_enabled())
        self.autostart.setToolTip(self.tr("Writes {path}").format(path=autostart.entry_path()))
        note = QLabel(self.tr("A hibernating provider runs no script: it sends no notifications and its badge "
                              "shows the last count until you open it again. 0 = never."), tab)
        note.setWordWrap(True)
        self.general_error = QLabel(tab)
        self.general_error.setStyleSheet("color: #c2410c")
        self.general_error.hide()
        save = QPushButton(self.tr("Save"), tab)
        save.clicked.connect(self.save_general)
        for key, widget in (("theme", self.theme), ("language", self.language),
                            ("hibernate_after_minutes", self.hibernate), ("discard_after_minutes", self.discard),
                            ("spellcheck", self.spellcheck)):
            if self.config.is_locked(f"settings.{key}"):
                widget.setEnabled(False)
                widget.setToolTip(MANAGED_TIP)
        form = QFormLayout(tab)
        form.addRow(self.tr("Theme"), self.theme)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Freeze a provider hidden for (minutes)"), self.hibernate)
        form.addRow(self.tr("Unload a provider hidden for (minutes)"), self.discard)
        form.addRow(self.tr("Spell check"), self.spellcheck)
        form.addRow("", self.autostart)
        form.addRow(note)
        form.addRow(self.general_error)
        form.addRow("", save)
        return tab

    @staticmethod
    def _languages(parent: QWidget, chosen: tuple[str, ...] | None) -> QListWidget:
        """The spell-check languages: one checkable row per dictionary (and per configured
        language that has none, marked so); a provider's own ``spellcheck`` overrides this."""
        from desktop.shell import spelling  # noqa: PLC0415
        have = spelling.available_languages()
        checked = set(chosen if chosen is not None else spelling.default_languages())
        box = QListWidget(parent)
        box.setObjectName("spellcheck-languages")
        for language in sorted(have | checked):
            item = QListWidgetItem(language if language in have else f"{language} (no dictionary)", box)
            item.setData(Qt.ItemDataRole.UserRole, language)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if language in checked else Qt.CheckState.Unchecked)
        if not have:
            none = QListWidgetItem(QCoreApplication.translate("SettingsDialog", "No dictionaries are installed "
                                                              "(see docs/spelling.md)"), box)
            none.setFlags(Qt.ItemFlag.NoItemFlags)
        box.setMaximumHeight(96)
        return box

    def chosen_languages(self) -> list[str]:
        items = (self.spellcheck.item(i) for i in range(self.spellcheck.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items
                if item.data(Qt.ItemDataRole.UserRole) and item.checkState() == Qt.CheckState.Checked]

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
        chosen = {"theme": self.theme.currentData(), "language": self.language.currentData(),
                  "hibernate_after_minutes": int(self.hibernate.value()),
                  "discard_after_minutes": int(self.discard.value()), "spellcheck": self.chosen_languages()}
        for key, value in chosen.items():
            if not self.config.is_locked(f"settings.{key}"):  # the administrator's stays theirs
                settings[key] = value
        if not self._write(doc, self.general_error):
            return False
        return self._apply_autostart()

    def _apply_autostart(self) -> bool:
        """Write or remove the login entry as the box says (it is the setting itself: no config key)."""
        from desktop import paths  # noqa: PLC0415
        from desktop.instance import autostart  # noqa: PLC0415
        try:
            if self.autostart.isChecked():
                own = self.config.path if self.config.path not in (None, paths.default_config_file()) else None
                autostart.enable(own)
            else:
                autostart.disable()
        except OSError as exc:
            self.general_error.setText(f"Start at login not changed: {exc}")
            self.general_error.show()
            return False
        return True

    # --- permissions --------------------------------------------------------------------

    def _permissions_tab(self) -> QWidget:
        """The camera and microphone answers Portico remembers, and a button to forget them."""
        tab = QWidget(self)
        note = QLabel(self.tr("What you answered when a provider asked for your camera or microphone. Forget an "
                              "answer and the provider's page loads again, then asks the next time. Screen sharing "
                              "is asked every time."), tab)
        note.setWordWrap(True)
        self.permission_list = QListWidget(tab)
        self.permission_list.setObjectName("permission-list")
        self.permission_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        forget = QPushButton(self.tr("Forget the selected answers"), tab)
        forget.clicked.connect(self.forget_permissions)
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addWidget(self.permission_list, 1)
        layout.addWidget(forget)
        self.fill_permissions()
        return tab

    def fill_permissions(self) -> None:
        self.permission_list.clear()
        if self._permissions is None:
            return
        titles = {p.id: p.title for p in self.config.providers}
        for answer in self._permissions.all():
            verdict = "Allow" if answer.allowed else "Don't allow"
            item = QListWidgetItem(f"{titles.get(answer.provider, answer.provider)} · {answer.origin} · "
                                   f"{answer.permission}: {verdict}", self.permission_list)
            item.setData(Qt.ItemDataRole.UserRole, (answer.provider, answer.origin, answer.permission))

    @Slot()
    def forget_permissions(self) -> None:
        if self._permissions is None:
            return
        providers = set()
        for item in self.permission_list.selectedItems():
            provider, origin, permission = item.data(Qt.ItemDataRole.UserRole)
            self._permissions.forget(provider, origin, permission)
            providers.add(provider)
        self.fill_permissions()
        if providers:
            self.permissions_forgotten.emit(providers)

    # --- plugins ------------------------------------------------------------------------

    def _plugins_tab(self) -> QWidget:
        """Which plugins run, and each plugin's own settings page (see ``desktop.plugins.SettingsPage``)."""
        tab = QWidget(self)
        self.plugin_list = QListWidget(tab)
        self.plugin_list.setObjectName("plugin-list")
        # Descriptions wrap instead of hiding behind a horizontal scroll bar.
        self.plugin_list.setWordWrap(True)
        self.plugin_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        plugins_box = QGroupBox("Plugins (changes apply at once)", tab)
        QVBoxLayout(plugins_box).addWidget(self.plugin_list)
        self._pages_parent = tab
        self._pages_layout = QVBoxLayout()
        #: Plugin name -> its settings page, as built for the config last shown.
        self.plugin_pages: dict[str, SettingsPage] = {}
        self.plugins_error = QLabel(tab)
        self.plugins_error.setObjectName("settings-error")
        self.plugins_error.setWordWrap(True)
        self.plugins_error.setStyleSheet("color: #c2410c")
        self.plugins_error.hide()
        save = QPushButton(self.tr("Save"), tab)
        save.clicked.connect(self.save_plugins)
        layout = QVBoxLayout(tab)
        layout.addWidget(plugins_box, 1)
        layout.addLayout(self._pages_layout, 1)
        layout.addWidget(self.plugins_error)
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignRight)
        self.fill_plugins()
        return tab

    def _sources(self) -> dict[str, PluginSource]:
        return dict(self._plugins.sources) if self._plugins is not None else discover(None, entry_points=False)

    def fill_plugins(self) -> None:
        """Show the config's plugin choices and what the plugins are doing now (called on each open)."""
        where = plugin_settings.Locator(None, "")
        try:
            enabled = plugin_settings.enabled_list(self.config.plugins, where, DEFAULT_ENABLED)
        except ConfigError:
            enabled = DEFAULT_ENABLED
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
        for page in self.plugin_pages.values():
            page.parentWidget().hide()
            page.parentWidget().deleteLater()
        self.plugin_pages.clear()
        titles = {p.id: p.title for p in self.config.providers}
        for name, source in self._sources().items():
            if not (source.builtin or name in enabled):
                continue
            try:
                target = source.loader()
            except Exception:  # noqa: BLE001 - a plugin that cannot load has no page (the list says why)
                continue
            page_class = getattr(target, "settings_page", None)
            if not (isinstance(page_class, type) and issubclass(page_class, SettingsPage)):
                continue
            settings_class = getattr(target, "Settings", None)
            try:
                settings = plugin_settings.plugin_settings(name, settings_class, self.config.plugins, where)
            except ConfigError:
                settings = None  # a bad value in the file: show the defaults, saving fixes it
            if settings is None and settings_class is not None:
                settings = settings_class()
            box = QGroupBox(page_class.title or name, self._pages_parent)
            page = page_class(settings, titles, box)
            QVBoxLayout(box).addWidget(page)
            self._pages_layout.addWidget(box)
            self.plugin_pages[name] = page
        self.plugins_error.hide()

    @staticmethod
    def _checked(widget: QListWidget) -> list[str]:
        return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]

    @Slot()
    def save_plugins(self) -> bool:
        """Write ``[plugins] enabled`` and each page's ``[plugins.<name>]`` (comments elsewhere kept)."""
        doc = _read_document(self.config.path)
        if "plugins" not in doc:
            doc["plugins"] = tomlkit.table()
        plugins = doc["plugins"]
        plugins["enabled"] = self._checked(self.plugin_list)
        for name, page in self.plugin_pages.items():
            if name not in plugins:
                plugins[name] = tomlkit.table()
            for key, value in page.values().items():
                plugins[name][key] = value
        return self._write(doc, self.plugins_error)

    # --- saving -------------------------------------------------------------------------

    def _write(self, doc: tomlkit.TOMLDocument, error_label: QLabel | None = None) -> bool:
        try:
            text, config = _validated(doc, self.config.path, self.config.managed)
            if self._plugins is not None:
                self._plugins.validate(config, text)
        except ConfigError as exc:
            if error_label is not None:
                error_label.setText(f"Not saved: {exc}")
                error_label.show()
            else:
                QMessageBox.warning(self, self.tr("Not saved"), str(exc))
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
        self.fill_providers()
        if providers_changed:
            self.restart_note.show()
        self.saved.emit(config)
