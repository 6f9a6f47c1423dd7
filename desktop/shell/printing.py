"""Printing the shown provider's page (Ctrl+P): the system print dialog, then Chromium's printing."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QDialog, QWidget

log = logging.getLogger("portico.print")


class PagePrinter(QObject):
    """Prints one view at a time (Chromium renders the page, frames included, for the printer).

    Signals:
        finished(bool): the print job ended (True: sent to the printer or written to the file).
    """

    finished = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._printer: QPrinter | None = None  # kept until Chromium has finished with it
        self._view: QWebEngineView | None = None

    @property
    def busy(self) -> bool:
        return self._printer is not None

    def ask_and_print(self, view: QWebEngineView, parent: QWidget) -> None:
        """Open the print dialog for ``view``'s page and print it if the user accepts."""
        if self.busy:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("Print")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(view, printer)

    def print_to(self, view: QWebEngineView, printer: QPrinter) -> None:
        """Print ``view``'s page on ``printer`` (a real one, or a PDF file); ``finished`` follows."""
        if self.busy:
            raise RuntimeError("a print job is still running")
        self._printer, self._view = printer, view
        view.printFinished.connect(self._on_finished)
        view.print(printer)

    @Slot(bool)
    def _on_finished(self, ok: bool) -> None:
        view, self._view, self._printer = self._view, None, None
        if view is not None:
            view.printFinished.disconnect(self._on_finished)
        log.info("print job %s", "done" if ok else "failed")
        self.finished.emit(ok)
