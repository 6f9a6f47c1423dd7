"""Built-in plugin ``event-log``: the JSONL event log of the contract (``--event-log FILE`` turns it on)."""

from __future__ import annotations

import dataclasses
import pathlib

from desktop.plugins import API_VERSION, EventLog, PluginContext, SettingsError, hookimpl


class EventLogPlugin:
    """Writes every accepted inbound event, outbound message and dropped batch as one JSON line."""

    api_version = API_VERSION

    @dataclasses.dataclass(frozen=True)
    class Settings:
        """``[plugins.event-log]``: ``path``, the file appended to (``--event-log`` sets it)."""

        path: str = ""

        def validate(self) -> None:
            if not self.path:
                raise SettingsError("path", "is required (the file the event log is appended to)")

    def __init__(self) -> None:
        self.log: EventLog | None = None

    @hookimpl
    def portico_activate(self, context: PluginContext) -> None:
        self.log = EventLog(pathlib.Path(context.settings.path).expanduser())
        context.hub.event_received.connect(self.log.on_event)
        context.hub.message_sent.connect(self.log.on_sent)
        context.hub.message_dropped.connect(self.log.on_dropped)

    @hookimpl
    def portico_deactivate(self) -> None:
        if self.log is not None:
            self.log.close()
