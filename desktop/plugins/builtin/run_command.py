"""Built-in plugin ``run-command``: runs configured commands on chosen events, the event as JSON on stdin, no shell, killed at a timeout."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
from typing import Any, Final

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from desktop.plugins import (
    API_VERSION,
    Notification,
    PluginContext,
    ProviderEvent,
    SettingsError,
    event_json,
    event_record,
    hookimpl,
)

log = logging.getLogger("portico.plugin.run-command")

#: Commands running at once; events beyond this are skipped (and logged), so a burst cannot fork a storm.
MAX_RUNNING: Final = 4
#: Pseudo-event names, besides the providers' own event names (``unread_chats_changed``, ``notification`` …).
NOTIFICATION_REQUESTED: Final = "notification_requested"
UNREAD_CHANGED: Final = "unread_changed"


@dataclasses.dataclass(frozen=True)
class Command:
    """One ``[[plugins.run-command.commands]]`` entry.

    Attributes:
        argv: the program and its arguments, run without a shell (event data never reaches argv).
        events: event names that run it: a provider event's name as in the event log, or
            ``notification_requested`` / ``unread_changed``.
        providers: provider ids it applies to (empty: all).
        timeout_seconds: the process is killed (SIGKILL, with its process group) after this long.
    """

    argv: list[str]
    events: list[str]
    providers: list[str] = dataclasses.field(default_factory=list)
    timeout_seconds: float = 10.0

    def validate(self) -> None:
        if not self.argv or not self.argv[0]:
            raise SettingsError("argv", "must name a program")
        if not self.events:
            raise SettingsError("events", "must name at least one event")
        if not 0 < self.timeout_seconds <= 3600:
            raise SettingsError("timeout_seconds", "must be more than 0 and at most 3600")

    def matches(self, provider_id: str, name: str) -> bool:
        return name in self.events and (not self.providers or provider_id in self.providers)


class Runner(QObject):
    """Runs commands with QProcess, one JSON document on stdin each.

    Signals:
        started(str, int): the program, its process id.
        finished(str, int, bool): the program, its exit code (-1 if killed or crashed), whether it timed out.
        skipped(str): the program, not started because :data:`MAX_RUNNING` already run.
    """

    started = Signal(str, int)
    finished = Signal(str, int, bool)
    skipped = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.running: dict[QProcess, QTimer] = {}
        self.timed_out = 0

    def run(self, command: Command, stdin: str) -> QProcess | None:
        program = command.argv[0]
        if len(self.running) >= MAX_RUNNING:
            log.warning("%s not started: %d commands are still running", program, MAX_RUNNING)
            self.skipped.emit(program)
            return None
        process = QProcess(self)
        # Its own process group, so the timeout kills what it started too.
        params = QProcess.UnixProcessParameters()
        params.flags = QProcess.UnixProcessFlag.CreateNewSession
        process.setUnixProcessParameters(params)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        process.setStandardOutputFile(QProcess.nullDevice())
        timer = QTimer(process, singleShot=True, interval=int(command.timeout_seconds * 1000))
        timer.timeout.connect(lambda: self._kill(process, program))
        process.finished.connect(lambda code, status: self._finished(process, program, code, status))
        process.errorOccurred.connect(lambda error: self._error(process, program, error))
        process.started.connect(lambda: self._started(process, program, timer, stdin))
        self.running[process] = timer
        process.start(program, command.argv[1:])
        return process

    def _started(self, process: QProcess, program: str, timer: QTimer, stdin: str) -> None:
        timer.start()
        self.started.emit(program, int(process.processId()))
        process.write(stdin.encode("utf-8"))
        process.closeWriteChannel()

    def _kill(self, process: QProcess, program: str) -> None:
        if process not in self.running:
            return
        self.timed_out += 1
        process.setProperty("timed_out", True)
        log.warning("%s did not finish in time; killed", program)
        pid = int(process.processId())
        if pid > 0:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                process.kill()
        else:
            process.kill()

    def _finished(self, process: QProcess, program: str, code: int, status: QProcess.ExitStatus) -> None:
        timer = self.running.pop(process, None)
        if timer is None:
            return
        timer.stop()
        timed_out = bool(process.property("timed_out"))
        crashed = status != QProcess.ExitStatus.NormalExit
        if code != 0 and not crashed:
            log.warning("%s exited with status %d", program, code)
        self.finished.emit(program, -1 if crashed else int(code), timed_out)
        process.deleteLater()

    def _error(self, process: QProcess, program: str, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self.running.pop(process, None) is not None:
            log.error("%s could not be started: %s", program, process.errorString())
            self.finished.emit(program, -1, False)
            process.deleteLater()

    def stop(self) -> None:
        for process in list(self.running):
            self._kill(process, process.program())
            process.waitForFinished(1000)


class RunCommandPlugin:
    """Runs your commands on chosen provider events, the event as JSON on stdin (no shell), with a timeout."""

    api_version = API_VERSION

    @dataclasses.dataclass(frozen=True)
    class Settings:
        """``[plugins.run-command]``: ``[[plugins.run-command.commands]]`` entries (see :class:`Command`)."""

        commands: list[Command] = dataclasses.field(default_factory=list)

    def __init__(self) -> None:
        self.runner = Runner()
        self.commands: list[Command] = []

    @hookimpl
    def portico_activate(self, context: PluginContext) -> None:
        self.commands = list(context.settings.commands) if context.settings else []
        context.hub.event_received.connect(self._on_event)
        context.hub.notification_requested.connect(
            lambda pid, n: self._dispatch(pid, context.kind(pid), NOTIFICATION_REQUESTED, _notification_data(n)))
        context.hub.unread_changed.connect(
            lambda pid, count: self._dispatch(pid, context.kind(pid), UNREAD_CHANGED, {"count": count}))

    @hookimpl
    def portico_deactivate(self) -> None:
        self.runner.stop()

    def _on_event(self, provider_id: str, kind: str, event: ProviderEvent) -> None:
        self._dispatch(provider_id, kind, event.name, event.log_data())

    def _dispatch(self, provider_id: str, kind: str, name: str, data: Any) -> None:
        chosen = [c for c in self.commands if c.matches(provider_id, name)]
        if not chosen:
            return
        stdin = event_json(event_record(provider_id, kind, "in", name, data)) + "\n"
        for command in chosen:
            self.runner.run(command, stdin)


def _notification_data(notification: Notification) -> dict[str, Any]:
    return {"title": notification.title, "body": notification.body, "tag": notification.tag}
