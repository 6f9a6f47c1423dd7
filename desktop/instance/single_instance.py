"""One Portico per user and config: a private local socket that takes one line-JSON request per connection."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import pathlib
import re
import struct
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import QByteArray, QCryptographicHash, QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from desktop.config import is_provider_id
from desktop.kinds import COMMAND_NAME_RE

log = logging.getLogger("portico.instance")

#: The protocol's version; a request of another version is refused with an explanation.
PROTOCOL_VERSION: Final = 1
#: The operations a request may name.
OPS: Final = frozenset({"activate", "open", "send", "commands", "plugins"})
#: The operations that name no provider.
_APP_OPS: Final = frozenset({"activate", "plugins"})
#: Limits of one request: its line, its arguments.
MAX_LINE_BYTES: Final = 16 * 1024
MAX_ARGS: Final = 8
MAX_ARG_CHARS: Final = 2048
#: How long a client may take to send its line before the server hangs up.
CLIENT_TIMEOUT_MS: Final = 3000
_COMMAND_RE: Final = re.compile(COMMAND_NAME_RE)


class ProtocolError(ValueError):
    """A request that is not valid; the message says why (it is sent back to the client)."""


@dataclasses.dataclass(frozen=True)
class Request:
    """One validated request.

    Attributes:
        op: ``activate`` (raise the window), ``open`` (show a provider), ``send`` (a command to a
            provider), ``commands`` (list the commands a provider takes), ``plugins`` (the
            plugins' states).
        provider: the provider id (empty for ``activate`` and ``plugins``).
        command, args: for ``send``.
    """

    op: str
    provider: str = ""
    command: str = ""
    args: tuple[str, ...] = ()

    def to_line(self) -> bytes:
        data: dict[str, Any] = {"portico": PROTOCOL_VERSION, "op": self.op}
        if self.provider:
            data["provider"] = self.provider
        if self.command:
            data["command"] = self.command
            data["args"] = list(self.args)
        return json.dumps(data, ensure_ascii=True).encode("ascii") + b"\n"


def parse_request(line: bytes) -> Request:
    """Validate one request line (version, op, ids, argument count and size); raise :class:`ProtocolError`."""
    if len(line) > MAX_LINE_BYTES:
        raise ProtocolError("request too long")
    try:
        data = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError("not a JSON line") from None
    if not isinstance(data, dict):
        raise ProtocolError("not a JSON object")
    if data.get("portico") != PROTOCOL_VERSION:
        raise ProtocolError(f"unsupported protocol version {data.get('portico')!r} (this Portico speaks "
                            f"{PROTOCOL_VERSION}); run the same version of portico")
    unknown = set(data) - {"portico", "op", "provider", "command", "args"}
    if unknown:
        raise ProtocolError(f"unknown field {sorted(unknown)[0]!r}")
    op = data.get("op")
    if op not in OPS:
        raise ProtocolError(f"unknown op {op!r}")
    provider = data.get("provider", "")
    if op not in _APP_OPS and not is_provider_id(provider):
        raise ProtocolError("a provider id ([a-z0-9-]+) is required")
    if op in _APP_OPS and provider:
        raise ProtocolError(f"{op} takes no provider")
    command, args = data.get("command", ""), data.get("args", [])
    if op == "send":
        if not isinstance(command, str) or not _COMMAND_RE.fullmatch(command):
            raise ProtocolError("a command name is required")
        if not isinstance(args, list) or len(args) > MAX_ARGS:
            raise ProtocolError(f"args must be a list of at most {MAX_ARGS} strings")
        for arg in args:
            if not isinstance(arg, str) or len(arg) > MAX_ARG_CHARS or not arg.isprintable():
                raise ProtocolError(f"every argument must be printable text of at most {MAX_ARG_CHARS} characters")
    elif command or args:
        raise ProtocolError(f"{op} takes no command")
    return Request(op=op, provider=provider, command=command if op == "send" else "",
                   args=tuple(args) if op == "send" else ())


def reply_line(ok: bool, message: str = "", result: Any = None) -> bytes:
    data: dict[str, Any] = {"portico": PROTOCOL_VERSION, "ok": ok}
    if message:
        data["message" if ok else "error"] = message
    if result is not None:
        data["result"] = result
    return json.dumps(data, ensure_ascii=True).encode("ascii") + b"\n"


def server_name(config_path: pathlib.Path | None) -> str:
    """The socket of the Portico running for this user and config file.

    In ``$XDG_RUNTIME_DIR`` (private to the user) when there is one, else a name Qt puts in the
    temp dir; either way the socket itself is made user-only (``UserAccessOption``).
    """
    where = str(config_path.resolve()) if config_path is not None else "<no config>"
    # Qt's SHA-256 (the same digest as hashlib's): Qt is loaded already, hashlib would load
    # OpenSSL at every start (docs/startup.md).
    sha256 = QCryptographicHash.hash(QByteArray(where.encode("utf-8")), QCryptographicHash.Algorithm.Sha256)
    digest = bytes(sha256.toHex().data()).decode("ascii")[:16]
    if hasattr(os, "getuid"):
        user = str(os.getuid())
    else:
        import getpass  # noqa: PLC0415 - only where there are no uids
        user = re.sub(r"[^A-Za-z0-9]", "_", getpass.getuser())
    name = f"portico-{user}-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime) and os.path.isdir(runtime):
        return os.path.join(runtime, name + ".sock")
    return name


def _peer_uid(descriptor: int) -> int | None:
    """The uid of the process at the other end of a Unix socket (Linux), None where unknown."""
    import socket  # noqa: PLC0415 - only when a request comes in (docs/startup.md)
    if not hasattr(socket, "SO_PEERCRED") or descriptor < 0:
        return None
    sock = socket.socket(fileno=os.dup(descriptor))
    try:
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return None
    finally:
        sock.close()
    return int(struct.unpack("3i", creds)[1])


Handler = Callable[[Request], tuple[bool, str, Any]]


class InstanceServer(QObject):
    """Listens on :func:`server_name` and answers each connection's one request with ``handler``.

    ``handler(request) -> (ok, message, result)`` runs in the GUI thread.

    Signals:
        request_handled(object, bool): a valid :class:`Request` was handled (and whether it succeeded).
    """

    request_handled = Signal(object, bool)

    def __init__(self, name: str, handler: Handler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._handler = handler
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        self._buffers: dict[QLocalSocket, bytearray] = {}

    def listen(self) -> bool:
        """Start listening; False if another Portico already listens on this name.

        Probe first: with ``UserAccessOption`` Qt binds in a private temp dir and renames the
        socket into place, which would silently replace a live instance's socket.
        """
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        alive = probe.waitForConnected(500)
        probe.abort()
        if alive:
            return False
        QLocalServer.removeServer(self.name)  # a socket left by a Portico that crashed
        if not self._server.listen(self.name):
            log.warning("cannot listen on %s: %s", self.name, self._server.errorString())
            return False
        log.debug("listening on %s", self._server.fullServerName())
        return True

    def is_listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()
        for sock in list(self._buffers):
            sock.abort()
        self._buffers.clear()

    @Slot()
    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            uid = _peer_uid(int(sock.socketDescriptor()))
            if uid is not None and hasattr(os, "getuid") and uid != os.getuid():
                log.warning("refused a connection from uid %d", uid)
                sock.abort()
                sock.deleteLater()
                continue
            self._buffers[sock] = bytearray()
            sock.readyRead.connect(lambda s=sock: self._on_ready_read(s))
            sock.disconnected.connect(lambda s=sock: self._forget(s))
            QTimer.singleShot(CLIENT_TIMEOUT_MS, sock, lambda s=sock: self._timeout(s))

    def _on_ready_read(self, sock: QLocalSocket) -> None:
        buffer = self._buffers.get(sock)
        if buffer is None:
            return
        buffer += bytes(sock.readAll().data())
        newline = buffer.find(b"\n")
        if newline < 0:
            if len(buffer) > MAX_LINE_BYTES:
                self._answer(sock, reply_line(False, "request too long"))
            return
        line = bytes(buffer[:newline])
        try:
            request = parse_request(line)
        except ProtocolError as exc:
            self._answer(sock, reply_line(False, str(exc)))
            return
        try:
            ok, message, result = self._handler(request)
        except Exception:  # noqa: BLE001 - a bad command must not take the app down
            log.exception("remote request %s failed", request.op)
            ok, message, result = False, "Portico failed handling the request (see its log)", None
        self._answer(sock, reply_line(ok, message, result))
        self.request_handled.emit(request, ok)

    def _answer(self, sock: QLocalSocket, line: bytes) -> None:
        self._buffers.pop(sock, None)
        sock.write(line)
        sock.flush()
        sock.disconnectFromServer()

    def _timeout(self, sock: QLocalSocket) -> None:
        if sock in self._buffers:
            self._answer(sock, reply_line(False, "timed out waiting for the request"))

    def _forget(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()


def send_request(name: str, request: Request, timeout_ms: int = 5000) -> dict[str, Any] | None:
    """Send one request to the running Portico and wait for its answer.

    Returns the reply object, or None when no Portico listens on ``name``. Works without a
    QCoreApplication (blocking calls only), so the CLI stays light.
    """
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(timeout_ms):
        return None
    sock.write(request.to_line())
    sock.waitForBytesWritten(timeout_ms)
    data = bytearray()
    while b"\n" not in data and len(data) <= MAX_LINE_BYTES:
        if not sock.waitForReadyRead(timeout_ms):
            if sock.bytesAvailable() <= 0:
                break
        data += bytes(sock.readAll().data())
    sock.abort()
    try:
        reply = json.loads(bytes(data).split(b"\n", 1)[0].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {"portico": PROTOCOL_VERSION, "ok": False, "error": "the running Portico sent no valid answer"}
    if not isinstance(reply, dict):
        return {"portico": PROTOCOL_VERSION, "ok": False, "error": "the running Portico sent no valid answer"}
    return reply
