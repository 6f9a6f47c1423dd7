"""The first run's page: what Portico is, and a button per kind of provider to add (or the demo)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.kinds import BUILTIN_KINDS, KINDS


def _add_text(kind: str) -> str:
    """What a kind's button says (the kind's title is the provider's default name)."""
    known = {"rocketchat": QCoreApplication.translate("WelcomePage", "Add a Rocket.Chat server"),
             "spoki": QCoreApplication.translate("WelcomePage", "Add a Spoki account"),
             "spatialchat": QCoreApplication.translate("WelcomePage", "Add a SpatialChat site"),
             "postmessage": QCoreApplication.translate("WelcomePage", "Add another web app")}
    return known.get(kind) or QCoreApplication.translate("WelcomePage", "Add {kind}").format(kind=KINDS[kind].title)


def _describe(kind: str) -> str:
    """A button's tooltip: what the kind is (a kind from a package describes itself, in its words)."""
    known = {"rocketchat": QCoreApplication.translate("WelcomePage", "Your Rocket.Chat workspace, signed in with your "
                                                                     "password, a personal access token or SSO."),
             "spoki": QCoreApplication.translate("WelcomePage", "Spoki's WhatsApp inbox, signed in with your API key "
                                                                "and private key."),
             "spatialchat": QCoreApplication.translate("WelcomePage", "A site made for SpatialChat rooms."),
             "postmessage": QCoreApplication.translate("WelcomePage", "Any web app that sends messages to its window: "
                                                                      "badges and notifications without code.")}
    return known.get(kind) or KINDS[kind].summary


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
        title = QLabel(self.tr("Welcome to Portico"), self)
        title.setObjectName("status-title")
        text = QLabel(self.tr("Your team's web apps, each signed in once, in one window: add the first one. "
                              "Passwords and keys go to your system keyring, never to a file."), self)
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
            button = QPushButton(_add_text(kind), self)
            button.setObjectName(f"welcome-add-{kind}")
            button.setToolTip(_describe(kind))
            button.setMinimumWidth(280)
            button.clicked.connect(lambda _=False, k=kind: self.add_requested.emit(k))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
            self.add_buttons[kind] = button
        layout.addSpacing(12)
        self.demo_button = QPushButton(self.tr("Try the demo first (no account needed)"), self)
        self.demo_button.setObjectName("welcome-demo")
        self.demo_button.setFlat(True)
        self.demo_button.clicked.connect(self.demo_requested)
        layout.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(8)
