"""The sign-in form a provider view shows when secrets are missing or were rejected."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from desktop.kinds import secret_fields, secret_label
from desktop.redact import register_secret
from desktop.secret import Secret


class SignInForm(QWidget):
    """One no-echo line per field, a "remember" choice, an error line and a Sign in button.

    Values never leave this widget except through ``submitted``, wrapped in :class:`Secret`; the
    typed text is cleared on submit. Fields the provider kind does not declare as secrets (a 2FA
    code) are never remembered; without a usable keyring "remember" is off and disabled. When it is unchecked the receiver must use the values for
    this session only; when checked it stores them through the keyring thread
    (:class:`desktop.shell.credential_store.CredentialStore`), never on the Qt thread.

    Signals:
        submitted(object, bool): ``{field: Secret}`` and whether to remember them in the keyring.
    """

    submitted = Signal(object, bool)

    def __init__(self, kind: str, fields: tuple[str, ...], parent: QWidget | None = None,
                 can_remember: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("signin-form")
        self._storable = set(secret_fields(kind))
        self.edits: dict[str, QLineEdit] = {}
        layout = QFormLayout(self)
        for field in fields:
            edit = QLineEdit(self)
            edit.setObjectName(f"signin-{field}")
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhNoPredictiveText
                                     | Qt.InputMethodHint.ImhSensitiveData)
            edit.textChanged.connect(self._update)
            edit.returnPressed.connect(self._submit)
            layout.addRow(secret_label(field), edit)
            self.edits[field] = edit
        self.error = QLabel(self)
        self.error.setObjectName("signin-error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setVisible(False)
        layout.addRow(self.error)
        self.remember = QCheckBox(self.tr("Remember in the system keyring"), self)
        self.remember.setChecked(can_remember)
        if not can_remember:
            self.remember.setEnabled(False)
            self.remember.setToolTip(self.tr("The system keyring cannot be used right now: this sign-in lasts "
                                             "until Portico closes."))
        self.remember.setVisible(any(f in self._storable for f in fields))
        layout.addRow(self.remember)
        self.button = QPushButton(self.tr("Sign in"), self)
        self.button.clicked.connect(self._submit)
        layout.addRow(self.button)
        self._update()

    @Slot()
    def _update(self) -> None:
        self.button.setEnabled(all(e.text() for e in self.edits.values()))

    @Slot()
    def _submit(self) -> None:
        if not self.button.isEnabled():
            return
        values = {field: Secret(edit.text()) for field, edit in self.edits.items()}
        for value in values.values():
            register_secret(value.reveal())  # scrubbed from logs and crash output from now on
        for edit in self.edits.values():
            edit.clear()  # do not keep the typed text around in the widget
        self.error.setVisible(False)
        self.submitted.emit(values, self.remember.isChecked())

    def storable(self, field: str) -> bool:
        """Whether ``field`` may be remembered in the keyring (the kind declares it)."""
        return field in self._storable

    @Slot(str)
    def show_error(self, message: str) -> None:
        """Say why the last sign-in was rejected (plain text; never the typed value)."""
        self.error.setText(message)
        self.error.setVisible(bool(message))
        first = next(iter(self.edits.values()), None)
        if first is not None:
            first.setFocus()

    @Slot()
    def clear_error(self) -> None:
        self.show_error("")
