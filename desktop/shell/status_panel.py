"""The panel a provider view shows instead of a blank page: what went wrong and a Retry button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class StatusPanel(QWidget):
    """A centred message, a hint saying what to do, and a Retry button.

    Signals:
        retry_requested(): the user pressed Retry.
    """

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status-panel")
        self.title = QLabel(self)
        self.title.setObjectName("status-title")
        self.message = QLabel(self)
        self.message.setObjectName("status-message")
        self.hint = QLabel(self)
        self.hint.setObjectName("status-hint")
        for label in (self.title, self.message, self.hint):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setTextFormat(Qt.TextFormat.PlainText)  # provider text is never rendered as HTML
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.setObjectName("status-retry")
        self.retry_button.clicked.connect(self.retry_requested)
        self.extra = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)
        layout.addLayout(self.extra)
        layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(12)

    def show_error(self, title: str, message: str, hint: str = "", can_retry: bool = True) -> None:
        self.title.setText(title)
        self.message.setText(message)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.retry_button.setVisible(can_retry)
