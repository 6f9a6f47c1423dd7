"""A small dialog that edits one sub-table of a provider (a SpatialChat profile), built from its schema."""

from __future__ import annotations

import logging
import pathlib
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QWidget

from desktop.config import Config, ConfigError, Managed, update_provider
from desktop.kinds import KINDS, Option
from desktop.providers.base import Provider

log = logging.getLogger("portico.settings")

#: Longest text any field takes (the config refuses longer values anyway).
_MAX_CHARS = 1000


class TableDialog(QDialog):
    """Edits the string fields of a ``table`` option; ``values()`` holds the edits once accepted.

    Fields the schema does not mark ``editable`` are kept as they were (a profile's ``id``).
    """

    def __init__(self, option: Option, values: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(option.label)
        self._option = option
        self._kept = {f.key: values.get(f.key, f.default) for f in option.fields if f.key == "id"}
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.addRow(QLabel(option.help, self))
        for field in option.fields:
            if field.key in self._kept:
                continue
            edit = QLineEdit(str(values.get(field.key, field.default)), self)
            edit.setMaxLength(field.max_length or _MAX_CHARS)
            if field.type == "url":
                edit.setPlaceholderText(field.help)
            edit.textChanged.connect(self._validate)
            self.edits[field.key] = edit
            form.addRow(field.label, edit)
        self.error = QLabel(self)
        self.error.setObjectName("table-error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.error)
        form.addRow(self.buttons)
        self._validate()

    def _validate(self) -> None:
        wrong = ""
        for field in self._option.fields:
            edit = self.edits.get(field.key)
            url = edit.text().strip() if edit is not None and field.type == "url" else ""
            if url and not (QUrl(url).isValid() and QUrl(url).scheme() in {"http", "https"} and QUrl(url).host()):
                wrong = f"The {field.label.lower()} must start with https:// or http://"
        self.error.setText(wrong)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not wrong)

    def values(self) -> dict[str, Any]:
        return {**self._kept, **{key: edit.text().strip() for key, edit in self.edits.items()}}


def open_table_editor(window: QWidget, path: pathlib.Path | None, provider: Provider, key: str,
                      saved: Callable[[Config], None], managed: Managed | None = None) -> TableDialog:
    """Open a :class:`TableDialog` on the provider's ``key`` table. Saving hands the values to the
    provider at once (``apply_table``) and writes them to the config at ``path`` (comments kept),
    then calls ``saved`` with the new config; a failed write keeps them for the session and says so."""
    dialog = TableDialog(KINDS[provider.kind].option(key), provider.config.options[key], window)

    def save() -> None:
        values = dialog.values()
        provider.apply_table(key, values)
        if path is None:
            return
        try:
            saved(update_provider(path, provider.id, values, subtable=key, managed=managed))
        except (ConfigError, OSError, KeyError) as exc:
            log.error("could not save [provider.%s] to %s: %s", key, path, exc)
            QMessageBox.warning(window, "Not saved",
                                f"Your changes are used for this session, but they could not be saved:\n{exc}")
    dialog.accepted.connect(save)
    dialog.open()
    return dialog
