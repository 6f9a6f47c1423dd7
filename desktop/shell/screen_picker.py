"""The picker a page's getDisplayMedia opens: which screen or window to share, or nothing."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWebEngineCore import QWebEngineDesktopMediaRequest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

log = logging.getLogger("portico.screen")

#: Item data: ("screen" | "window", row in its model).
_SOURCE = Qt.ItemDataRole.UserRole


class ScreenPicker(QDialog):
    """Lists the screens and windows Chromium can capture (its own models, as they are when the
    request comes) and answers the request: the chosen one, or a cancel (the page gets an error).
    Every way out answers exactly once; an unanswered request would leave the page waiting.

    Signals:
        chosen(str): what was shared (``screen: Entire screen``), or "" when cancelled.
    """

    chosen = Signal(str)

    def __init__(self, request: QWebEngineDesktopMediaRequest, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen-picker")
        self.setWindowTitle(self.tr("Share your screen with {title}").format(title=title))
        self._request = request
        self._answered = False
        self.sources = QListWidget(self)
        self.sources.setObjectName("screen-sources")
        for kind, model in (("screen", request.screensModel()), ("window", request.windowsModel())):
            for row in range(model.rowCount()):
                name = str(model.data(model.index(row, 0), Qt.ItemDataRole.DisplayRole) or f"{kind} {row + 1}")
                item = QListWidgetItem(f"{'🖥' if kind == 'screen' else '🗔'}  {name}", self.sources)
                item.setData(_SOURCE, (kind, row))
        explanation = QLabel(self.tr("{title} asks to see one of your screens or windows. Choose what it may "
                                     "see; it sees nothing else.").format(title=title), self)
        explanation.setWordWrap(True)
        if not self.sources.count():
            explanation.setText(self.tr("There is no screen or window Portico can share here (no display "
                                        "server, or the desktop does not allow capture)."))
        self.buttons = QDialogButtonBox(self)
        self.share_button = self.buttons.addButton(self.tr("Share"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.share_button.setEnabled(False)
        self.sources.currentRowChanged.connect(lambda row: self.share_button.setEnabled(row >= 0))
        self.sources.itemDoubleClicked.connect(lambda _item: self.accept())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.sources, 1)
        layout.addWidget(self.buttons)
        self.resize(420, 320)
        if self.sources.count():
            self.sources.setCurrentRow(0)

    def names(self) -> list[str]:
        return [self.sources.item(i).text().split("  ", 1)[1] for i in range(self.sources.count())]

    @Slot()
    def accept(self) -> None:
        item = self.sources.currentItem()
        if item is None:
            return
        kind, row = item.data(_SOURCE)
        if not self._answered:
            self._answered = True
            model = self._request.screensModel() if kind == "screen" else self._request.windowsModel()
            index: QModelIndex = model.index(row, 0)
            if kind == "screen":
                self._request.selectScreen(index)
            else:
                self._request.selectWindow(index)
            name = item.text().split("  ", 1)[1]
            log.info("sharing %s %r", kind, name)
            self.chosen.emit(f"{kind}: {name}")
        super().accept()

    @Slot()
    def reject(self) -> None:
        self.cancel()
        super().reject()

    def cancel(self) -> None:
        """Answer "nothing" (when the picker closes any other way, or its page goes away)."""
        if not self._answered:
            self._answered = True
            self._request.cancel()
            log.info("screen sharing cancelled")
            self.chosen.emit("")
