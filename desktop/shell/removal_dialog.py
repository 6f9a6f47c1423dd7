"""The question asked before a provider is removed: also its secrets? also its browser data?"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.kinds import secret_fields


class RemoveProviderDialog(QDialog):
    """Asks whether to remove a provider, and whether to delete what Portico keeps for it.

    Both choices start unticked: deleting data is never the default. The secrets choice is shown
    only for kinds that have secrets.

    Attributes:
        secrets: "Also delete its saved secrets" (keyring entries).
        browser_data: "Also delete its browser data" (the provider's profile: cookies, storage, cache).
    """

    def __init__(self, provider_id: str, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Remove provider"))
        layout = QVBoxLayout(self)
        question = QLabel(self.tr("Remove {id} from the config?").format(id=provider_id), self)
        layout.addWidget(question)
        self._has_secrets = bool(secret_fields(kind))
        self.secrets = QCheckBox(self.tr("Also delete its saved secrets (keyring)"), self)
        self.secrets.setVisible(self._has_secrets)
        layout.addWidget(self.secrets)
        self.browser_data = QCheckBox(self.tr("Also delete its browser data (cookies, storage, cache)"), self)
        self.browser_data.setToolTip(self.tr("Added back later, it will have to sign in again."))
        layout.addWidget(self.browser_data)
        buttons = QDialogButtonBox(self)
        self.remove_button = buttons.addButton(self.tr("Remove"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def delete_secrets(self) -> bool:
        return self._has_secrets and self.secrets.isChecked()

    def delete_browser_data(self) -> bool:
        return self.browser_data.isChecked()
