"""The JSONL event log of the external contract: one redacted line per message in or out."""

from __future__ import annotations

import datetime
import json
import logging
import pathlib
from typing import IO, Any

from desktop.contract import OutboundMessage, ProviderEvent
from desktop.redact import redact, scrub_text

log = logging.getLogger("portico.eventlog")


def record(provider: str, kind: str, direction: str, name: str, data: Any) -> dict[str, Any]:
    """One event as the contract shapes it: ``{time, provider, kind, direction, name, data}``, redacted."""
    return {
        "time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds"),
        "provider": provider, "kind": kind, "direction": direction, "name": name,
        "data": redact(data),
    }


def to_json(item: dict[str, Any]) -> str:
    """A record as one line of JSON, with every live secret Portico holds scrubbed out."""
    return scrub_text(json.dumps(item, ensure_ascii=False, default=str))


class EventLog:
    """Appends ``{time, provider, kind, direction, name, data}`` lines to a file, flushed per line.

    Secrets are replaced by ``"***"`` twice over: by the events' own ``log_data`` and by a final
    scrub of every live secret Portico holds in memory. The ``event-log`` plugin feeds it from the hub.
    """

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh: IO[str] | None = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open
        self.lines = 0

    def write(self, provider: str, kind: str, direction: str, name: str, data: Any) -> None:
        if self._fh is None:
            return
        line = to_json(record(provider, kind, direction, name, data))
        try:
            self._fh.write(line + "\n")
            self._fh.flush()
            self.lines += 1
        except OSError as exc:
            log.error("event log %s cannot be written (%s); it is switched off", self.path, exc.strerror)
            self.close()

    def on_event(self, provider: str, kind: str, event: ProviderEvent) -> None:
        self.write(provider, kind, "in", event.name, event.log_data())

    def on_sent(self, provider: str, kind: str, message: OutboundMessage) -> None:
        self.write(provider, kind, "out", message.name, message.log_data())

    def on_dropped(self, provider: str, kind: str, reason: str, count: int) -> None:
        # One line per refusal batch: "count" says how many messages it stands for.
        self.write(provider, kind, "in", "dropped", {"reason": reason, "count": count})

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
