"""The panel a provider view shows instead of a blank page: what went wrong, a Retry button, maybe a second choice."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class StatusPanel(QWidget):
    """A centred message, a hint saying what to do, a Retry button and an optional second button.

    Signals:
        retry_requested(): the user pressed Retry (or what it is labelled for this problem).
        wait_requested(): the user pressed the second button ("Keep waiting").
        trust_requested(): the user pressed "Trust this certificate for …".
    """

    retry_requested = Signal()
    wait_requested = Signal()
    trust_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status-panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = QLabel(self)
        self.title.setObjectName("status-title")
        self.message = QLabel(self)
        self.message.setObjectName("status-message")
        self.hint = QLabel(self)
        self.hint.setObjectName("status-hint")
        self.about = QLabel(self)  # what is known of the server (its version), small and muted
        self.about.setObjectName("status-about")
        self.about.setStyleSheet("color: #8a8f98; font-size: 11px")
        for label in (self.title, self.message, self.hint, self.about):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setTextFormat(Qt.TextFormat.PlainText)  # provider text is never rendered as HTML
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(self.tr("Retry"), self)
        self.retry_button.setObjectName("status-retry")
        self.retry_button.clicked.connect(self.retry_requested)
        self.wait_button = QPushButton(self)
        self.wait_button.setObjectName("status-wait")
        self.wait_button.clicked.connect(self.wait_requested)
        self.wait_button.hide()
        self.trust_button = QPushButton(self)
        self.trust_button.setObjectName("status-trust")
        self.trust_button.clicked.connect(self.trust_requested)
        self.trust_button.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.trust_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.wait_button)
        buttons.addStretch(1)
        self.extra = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)
        layout.addLayout(self.extra)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addWidget(self.about)
        layout.addStretch(3)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(12)

    def show_error(self, title: str, message: str, hint: str = "", can_retry: bool = True,
                   retry_text: str = "", wait_text: str = "", about: str = "", trust_text: str = "") -> None:
        self.about.setText(about)
        self.about.setVisible(bool(about))
        self.title.setText(title)
        self.message.setText(message)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.retry_button.setText(retry_text or self.tr("Retry"))
        self.retry_button.setVisible(can_retry)
        self.wait_button.setText(wait_text)
        self.wait_button.setVisible(bool(wait_text))
        self.trust_button.setText(trust_text)
        self.trust_button.setVisible(bool(trust_text))
