"""A small dialog to edit the profile a SpatialChat site sees (name, about, pronoun, avatar)."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.config import UserInfo

_MAX_CHARS = 1000


class ProfileDialog(QDialog):
    """Edits a :class:`UserInfo`; ``user()`` returns the edited value when accepted."""

    def __init__(self, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your profile")
        self._id = user.id
        self.name = QLineEdit(user.name, self)
        self.about = QLineEdit(user.about, self)
        self.pronoun = QLineEdit(user.pronoun, self)
        self.avatar_url = QLineEdit(user.avatar_url, self)
        self.avatar_url.setPlaceholderText("https://…")
        for edit in (self.name, self.about, self.pronoun, self.avatar_url):
            edit.setMaxLength(_MAX_CHARS)
            edit.textChanged.connect(self._validate)
        self.error = QLabel(self)
        self.error.setObjectName("profile-error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel("What sites in this room see about you:"))
        form.addRow("Name", self.name)
        form.addRow("About", self.about)
        form.addRow("Pronoun", self.pronoun)
        form.addRow("Avatar URL", self.avatar_url)
        form.addRow(self.error)
        form.addRow(self.buttons)
        self._validate()

    def _validate(self) -> None:
        url = self.avatar_url.text().strip()
        ok = not url or (QUrl(url).isValid() and QUrl(url).scheme() in {"http", "https"})
        self.error.setText("" if ok else "The avatar URL must start with https:// or http://")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(ok)

    def user(self) -> UserInfo:
        return UserInfo(id=self._id, name=self.name.text().strip(), about=self.about.text().strip(),
                        pronoun=self.pronoun.text().strip(), avatar_url=self.avatar_url.text().strip())
