"""The first run's page: what Portico is, and a button per kind of provider to add (or the demo)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.kinds import BUILTIN_KINDS, KINDS

#: What the buttons call each built-in kind (the kind's title is the provider's default name).
_ADD_TEXT = {"rocketchat": "Add a Rocket.Chat server", "spoki": "Add a Spoki account",
             "spatialchat": "Add a SpatialChat site", "postmessage": "Add another web app"}


class WelcomePage(QFrame):
    """Shown instead of a provider while none is configured.

    Signals:
        add_requested(str): the user wants to add a provider of this kind (the settings editor opens).
        demo_requested(): the user wants to try the demo (simulated servers, no account).
    """

    add_requested = Signal(str)
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = QLabel("Welcome to Portico", self)
        title.setObjectName("status-title")
        text = QLabel("Your team's web apps, each signed in once, in one window: add the first one. Passwords and "
                      "keys go to your system keyring, never to a file.", self)
        text.setObjectName("status-message")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for label in (title, text):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(label)
        layout.addSpacing(12)
        self.add_buttons: dict[str, QPushButton] = {}
        kinds = [*BUILTIN_KINDS, *(k for k in KINDS if k not in BUILTIN_KINDS)]
        for kind in kinds:
            button = QPushButton(_ADD_TEXT.get(kind, f"Add {KINDS[kind].title}"), self)
            button.setObjectName(f"welcome-add-{kind}")
            button.setToolTip(KINDS[kind].summary)
            button.setMinimumWidth(280)
            button.clicked.connect(lambda _=False, k=kind: self.add_requested.emit(k))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
            self.add_buttons[kind] = button
        layout.addSpacing(12)
        self.demo_button = QPushButton("Try the demo first (no account needed)", self)
        self.demo_button.setObjectName("welcome-demo")
        self.demo_button.setFlat(True)
        self.demo_button.clicked.connect(self.demo_requested)
        layout.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(8)
