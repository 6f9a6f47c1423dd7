"""The JSONL event log of the external contract: one redacted line per message in or out."""

from __future__ import annotations

import datetime
import json
import logging
import pathlib
from typing import IO, Any

from PySide6.QtCore import QObject, Slot

from desktop.hub import ProviderHub
from desktop.providers.base import OutboundMessage, ProviderEvent
from desktop.redact import redact, scrub_text

log = logging.getLogger("portico.eventlog")


class EventLog(QObject):
    """Appends ``{time, provider, kind, direction, name, data}`` lines to a file, flushed per line.

    Secrets are replaced by ``"***"`` twice over: by the events' own ``log_data`` and by a final
    scrub of every live secret Portico holds in memory.
    """

    def __init__(self, hub: ProviderHub, path: pathlib.Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh: IO[str] | None = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open
        self.lines = 0
        hub.event_received.connect(self._on_event)
        hub.message_sent.connect(self._on_sent)
        hub.message_dropped.connect(self._on_dropped)

    def write(self, provider: str, kind: str, direction: str, name: str, data: Any) -> None:
        if self._fh is None:
            return
        record = {
            "time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds"),
            "provider": provider, "kind": kind, "direction": direction, "name": name,
            "data": redact(data),
        }
        line = scrub_text(json.dumps(record, ensure_ascii=False, default=str))
        try:
            self._fh.write(line + "\n")
            self._fh.flush()
            self.lines += 1
        except OSError as exc:
            log.error("event log %s cannot be written (%s); it is switched off", self.path, exc.strerror)
            self.close()

    @Slot(str, str, object)
    def _on_event(self, provider: str, kind: str, event: ProviderEvent) -> None:
        self.write(provider, kind, "in", event.name, event.log_data())

    @Slot(str, str, object)
    def _on_sent(self, provider: str, kind: str, message: OutboundMessage) -> None:
        self.write(provider, kind, "out", message.name, message.log_data())

    @Slot(str, str, str, int)
    def _on_dropped(self, provider: str, kind: str, reason: str, count: int) -> None:
        # One line per refusal batch: "count" says how many messages it stands for.
        self.write(provider, kind, "in", "dropped", {"reason": reason, "count": count})

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
