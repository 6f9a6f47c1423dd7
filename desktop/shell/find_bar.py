"""Find in the shown provider's page: a bar with the text, next/previous and the match count."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWebEngineCore import QWebEngineFindTextResult, QWebEnginePage
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

log = logging.getLogger("portico.find")


class FindBar(QFrame):
    """Searches one page at a time (the shown provider's, frames included: Chromium's find covers
    the provider's frame inside the host page). Enter finds the next match, Shift+Enter the
    previous one, Esc closes the bar and clears the highlights.

    Signals:
        counted(int, int): Chromium counted the matches: the active one (1-based, 0: none) and
            how many there are.
        closed(): the bar was closed.
    """

    counted = Signal(int, int)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("find-bar")
        self.edit = QLineEdit(self)
        self.edit.setObjectName("find-text")
        self.edit.setPlaceholderText(self.tr("Find in page"))
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("find-count")
        self.count.setMinimumWidth(90)
        self.previous_button = QPushButton("▲", self)
        self.previous_button.setToolTip(self.tr("Previous match (Shift+Enter, Shift+F3)"))
        self.next_button = QPushButton("▼", self)
        self.next_button.setToolTip(self.tr("Next match (Enter, F3)"))
        close_button = QPushButton("✕", self)
        close_button.setToolTip(self.tr("Close (Esc)"))
        for button in (self.previous_button, self.next_button, close_button):
            button.setFlat(True)
            button.setFixedWidth(32)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(close_button)
        self.edit.installEventFilter(self)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.returnPressed.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.next_button.clicked.connect(self.find_next)
        close_button.clicked.connect(self.close_bar)
        self._page: QWebEnginePage | None = None
        self.hide()

    def open(self, page: QWebEnginePage) -> None:
        """Show the bar for ``page`` (another page's search is cleared first), its text selected."""
        if page is not self._page:
            self._detach()
            self._page = page
            page.findTextFinished.connect(self._on_found)
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
        if self.edit.text():
            self._find(backward=False)

    @Slot()
    def find_next(self) -> None:
        self._find(backward=False)

    @Slot()
    def find_previous(self) -> None:
        self._find(backward=True)

    @Slot()
    def close_bar(self) -> None:
        self._detach()
        self.hide()
        self.closed.emit()

    def _detach(self) -> None:
        page, self._page = self._page, None
        if page is not None:
            page.findTextFinished.disconnect(self._on_found)
            page.findText("")  # clears the highlights
        self.count.clear()

    def _find(self, backward: bool) -> None:
        if self._page is None:
            return
        flags = QWebEnginePage.FindFlag.FindBackward if backward else QWebEnginePage.FindFlag(0)
        self._page.findText(self.edit.text(), flags)

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        if not text:
            self.count.clear()
        self._find(backward=False)

    @Slot(QWebEngineFindTextResult)
    def _on_found(self, result: QWebEngineFindTextResult) -> None:
        total, active = result.numberOfMatches(), result.activeMatch()
        if not self.edit.text():
            self.count.clear()
        else:
            self.count.setText(self.tr("{active} of {total}").format(active=active, total=total) if total
                               else self.tr("No matches"))
        self.counted.emit(active, total)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # On the text field: QLineEdit takes Return with any modifier as returnPressed.
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.find_previous()
                return True
        return super().eventFilter(watched, event)
