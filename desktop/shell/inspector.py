"""The event inspector (Ctrl+Shift+I): the live bridge traffic of the current provider, secrets redacted."""

from __future__ import annotations

import collections
import dataclasses
import datetime
import json
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.contract import OutboundMessage, ProviderEvent
from desktop.hub import ProviderHub
from desktop.redact import redact, scrub_text

#: Records kept per provider (the oldest go first).
MAX_RECORDS: Final = 500
#: Characters of data shown in the table cell (the tooltip holds more).
CELL_CHARS: Final = 300
TOOLTIP_CHARS: Final = 4000
_DIRECTION_COLORS: Final = {"in": "#2563eb", "out": "#16a34a", "dropped": "#dc2626"}


@dataclasses.dataclass(frozen=True)
class Record:
    """One message as the inspector shows it (data already redacted and serialised)."""

    time: str
    direction: str  # in | out | dropped
    name: str
    data: str


def _text(data: Any) -> str:
    """Compact JSON with secrets replaced: by the event's own ``log_data``, then by key, then by value."""
    return scrub_text(json.dumps(redact(data), ensure_ascii=False, separators=(",", ":"), default=str))


class EventInspector(QWidget):
    """A window listing what the current provider's frame sent (in), what Portico sent it (out), and
    what was refused (dropped, with the reason). Pause stops recording; Clear empties the list.

    It records from the moment it is created (no cost on the bridge before the first Ctrl+Shift+I).
    """

    def __init__(self, hub: ProviderHub, current: Callable[[], str | None], titles: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("inspector")
        self.setWindowTitle(self.tr("Event Inspector – Portico"))
        self.resize(820, 480)
        self._current = current
        self._titles = titles
        self._provider: str | None = None
        self.records: dict[str, collections.deque[Record]] = collections.defaultdict(
            lambda: collections.deque(maxlen=MAX_RECORDS))
        self.paused = False
        self.heading = QLabel(self)
        self.heading.setObjectName("inspector-heading")
        self.pause_button = QPushButton(self.tr("Pause"), self)
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._on_pause)
        self.clear_button = QPushButton(self.tr("Clear"), self)
        self.clear_button.clicked.connect(self.clear)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([self.tr("Time"), "", self.tr("Name"), self.tr("Data")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,) * 3):
            header.setSectionResizeMode(column, mode)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.table.setFont(mono)
        bar = QHBoxLayout()
        bar.addWidget(self.heading, 1)
        bar.addWidget(self.pause_button)
        bar.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        hub.event_received.connect(self._on_event)
        hub.message_sent.connect(self._on_sent)
        hub.message_dropped.connect(self._on_dropped)
        self.follow(current())

    @Slot(str)
    def follow(self, provider_id: str | None) -> None:
        """Show this provider's traffic (the window follows the selected provider)."""
        self._provider = provider_id
        title = self._titles.get(provider_id or "", provider_id or "no provider")
        self.heading.setText((self.tr("Bridge traffic of {title} (paused)") if self.paused
                              else self.tr("Bridge traffic of {title}")).format(title=title))
        self.table.setRowCount(0)
        for record in self.records.get(provider_id or "", ()):
            self._append_row(record)

    def rows(self) -> list[tuple[str, str, str]]:
        """(direction, name, data) of every row shown (tests, copying)."""
        return [(self.table.item(r, 1).text(), self.table.item(r, 2).text(), self.table.item(r, 3).toolTip())
                for r in range(self.table.rowCount())]

    @Slot()
    def clear(self) -> None:
        if self._provider is not None:
            self.records.pop(self._provider, None)
        self.table.setRowCount(0)

    @Slot(bool)
    def _on_pause(self, paused: bool) -> None:
        self.paused = paused
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self.follow(self._provider)

    def _record(self, provider_id: str, direction: str, name: str, data: Any) -> None:
        if self.paused:
            return
        stamp = datetime.datetime.now().strftime("%H:%M:%S.%f")[:-3]
        record = Record(stamp, direction, name, _text(data))
        self.records[provider_id].append(record)
        if provider_id == self._provider:
            self._append_row(record)

    def _append_row(self, record: Record) -> None:
        if self.table.rowCount() >= MAX_RECORDS:
            self.table.removeRow(0)
        row = self.table.rowCount()
        self.table.insertRow(row)
        cell = record.data if len(record.data) <= CELL_CHARS else record.data[:CELL_CHARS] + "…"
        items = [QTableWidgetItem(record.time), QTableWidgetItem(record.direction), QTableWidgetItem(record.name),
                 QTableWidgetItem(cell)]
        items[1].setForeground(QColor(_DIRECTION_COLORS.get(record.direction, "#6b7280")))
        items[3].setToolTip(record.data[:TOOLTIP_CHARS])
        for column, item in enumerate(items):
            self.table.setItem(row, column, item)
        if not self.table.underMouse():
            self.table.scrollToBottom()

    @Slot(str, str, object)
    def _on_event(self, provider_id: str, _kind: str, event: ProviderEvent) -> None:
        self._record(provider_id, "in", event.name, event.log_data())

    @Slot(str, str, object)
    def _on_sent(self, provider_id: str, _kind: str, message: OutboundMessage) -> None:
        self._record(provider_id, "out", message.name, message.log_data())

    @Slot(str, str, str, int)
    def _on_dropped(self, provider_id: str, _kind: str, reason: str, count: int) -> None:
        self._record(provider_id, "dropped", reason, {"reason": reason, "count": count})
