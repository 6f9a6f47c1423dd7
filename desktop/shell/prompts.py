"""Asks the user for what a provider's menu action needs: one line of text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from desktop.contract import TextRequest


def ask_for_text(parent: QWidget, request: TextRequest) -> Callable[[], None]:
    """The menu callback for ``request``: ask, hand the text to the provider, explain a refusal."""

    def ask() -> None:
        text, ok = QInputDialog.getText(parent, request.title, request.label)
        if not ok or not text.strip():
            return
        try:
            request.submit(text.strip())
        except ValueError as exc:
            QMessageBox.warning(parent, request.refusal_title or request.title, str(exc))
    return ask
