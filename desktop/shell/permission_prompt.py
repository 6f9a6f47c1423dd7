"""The bar over a provider's page that asks once whether it may use the camera or microphone."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


def describe(names: frozenset[str]) -> str:
    """``camera and microphone``: what is asked for, for the question."""
    parts = [name for name in ("camera", "microphone", "screen-share") if name in names]
    return " and ".join(parts) if parts else ", ".join(sorted(names))


class PermissionPrompt(QFrame):
    """Asks one question at a time, over the top of its parent (the provider view); further
    requests wait in turn. The answer is remembered by whoever listens (see the Shell).

    Signals:
        answered(object, bool): the request (the object given to :meth:`ask`) and the answer.
    """

    answered = Signal(object, bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("permission-prompt")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#permission-prompt { background: #fff7e6; border-bottom: 1px solid #e0c080; }"
                           "#permission-prompt QLabel { color: #3d2f00; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.allow_button = QPushButton(self.tr("Allow"), self)
        self.allow_button.setObjectName("permission-allow")
        self.deny_button = QPushButton(self.tr("Don't allow"), self)
        self.deny_button.setObjectName("permission-deny")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.deny_button)
        layout.addWidget(self.allow_button)
        self.allow_button.clicked.connect(lambda: self._answer(True))
        self.deny_button.clicked.connect(lambda: self._answer(False))
        self._queue: list[tuple[object, str]] = []
        parent.installEventFilter(self)
        self.hide()

    @property
    def pending(self) -> int:
        return len(self._queue)

    def ask(self, request: object, question: str) -> None:
        """Queue ``question`` about ``request``; shown at once when nothing else is asked."""
        self._queue.append((request, question))
        if len(self._queue) == 1:
            self._show_first()

    def clear(self, answer: Callable[[object], None] | None = None) -> None:
        """Drop every question (the page went away); ``answer`` is called for each request."""
        queue, self._queue = self._queue, []
        for request, _question in queue:
            if answer is not None:
                answer(request)
        self.hide()

    def _show_first(self) -> None:
        self.label.setText(self._queue[0][1])
        self._place()
        self.show()
        self.raise_()

    @Slot()
    def _answer(self, allowed: bool) -> None:
        if not self._queue:
            return
        request, _question = self._queue.pop(0)
        if self._queue:
            self._show_first()
        else:
            self.hide()
        self.answered.emit(request, allowed)

    def _place(self) -> None:
        parent = self.parentWidget()
        self.setGeometry(0, 0, parent.width(), self.sizeHint().height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return super().eventFilter(watched, event)
