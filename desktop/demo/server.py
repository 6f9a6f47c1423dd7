"""A tiny threaded HTTP server on loopback that the provider simulators build on."""

from __future__ import annotations

import contextlib
import dataclasses
import http.server
import json
import logging
import os
import socket
import sys
import threading
import urllib.parse
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

from desktop.bridge.envelope import is_loopback_host
from desktop.redact import redact_url

log = logging.getLogger("portico.demo")


def redact_url_in_text(text: str) -> str:
    """Redact secret query parameters of the path inside an access-log line."""
    return " ".join(redact_url("http://x" + w)[len("http://x"):] if w.startswith("/") else w
                    for w in text.split(" "))


@dataclasses.dataclass
class Request:
    """One parsed HTTP request as a route handler sees it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """Parse the body as JSON (raises ValueError on garbage)."""
        return json.loads(self.body.decode("utf-8"))

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default


@dataclasses.dataclass
class Response:
    """What a route handler answers."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> "Response":
        return cls(status, json.dumps(payload).encode(), "application/json", dict(headers or {}))

    @classmethod
    def html(cls, text: str, status: int = 200, headers: dict[str, str] | None = None) -> "Response":
        return cls(status, text.encode("utf-8"), "text/html; charset=utf-8", dict(headers or {}))


Handler = Callable[[Request], Response]

#: What :attr:`LoopbackServer.page_cache_control` applies to: documents, scripts, style sheets.
_PAGE_TYPES = ("text/html", "text/javascript", "application/javascript", "text/css")


def boot_page(name: str, placeholder: str, boot: Any) -> str:
    """The simulator page ``desktop/demo/pages/<name>.html`` with ``placeholder`` replaced by ``boot``
    as JSON that is safe inside its ``<script>`` element (no ``</script>``, ``<!--`` or line separators)."""
    template = resources.files("desktop.demo").joinpath(f"pages/{name}.html").read_text(encoding="utf-8")
    text = json.dumps(boot, ensure_ascii=False)
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return template.replace(placeholder, text)


class _Server(http.server.ThreadingHTTPServer):
    """A threading HTTP server that knows its open connections, to cut them on stop."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client gone mid-request (a page closed, a Portico or bench process killed) is normal
        here and says nothing; anything else is printed as ``socketserver`` does."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            log.debug("client %s went away mid-request", client_address)
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        with self._lock:
            connections, self._connections = list(self._connections), set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class LoopbackServer:
    """Serve a routing function on ``127.0.0.1`` (or another loopback address) in a thread.

    ``route(request) -> Response`` decides everything; exceptions become a 500 so that a
    simulator bug shows as an HTTP error, not as a hung test. Like a real server it sends no
    caching header of its own, so a browser may store what it serves; with
    :attr:`page_cache_control` set (the tests set ``public, max-age=86400``) every page and
    script or style sheet whose route does not choose its own says it may be cached for a day,
    as a server's static files would (API answers stay as they are).
    """

    #: The ``Cache-Control`` of pages whose route sets none ("": no header, as most servers).
    page_cache_control: str = ""

    def __init__(self, route: Handler, host: str = "127.0.0.1", port: int = 0,
                 tls: tuple[str | os.PathLike[str], str | os.PathLike[str]] | None = None) -> None:
        """``tls``: the (certificate, key) PEM files to serve https with (plain http without)."""
        if not is_loopback_host(host):
            raise ValueError("simulators only listen on loopback")
        self._route = route
        server = self

        class _Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    method=self.command,
                    path=parsed.path,
                    query=urllib.parse.parse_qs(parsed.query, keep_blank_values=True),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                try:
                    response = server._route(request)
                except Exception:  # noqa: BLE001 - a simulator bug must answer, not hang
                    log.exception("simulator route failed for %s %s", self.command, parsed.path)
                    response = Response(500, b"simulator error", "text/plain")
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                if (server.page_cache_control and response.content_type.startswith(_PAGE_TYPES)
                        and not any(key.lower() == "cache-control" for key in response.headers)):
                    self.send_header("Cache-Control", server.page_cache_control)
                for key, value in response.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
                # The request line can carry a token in its query string: redact before logging.
                log.debug("%s %s", self.address_string(), redact_url_in_text(format % args))

        self._httpd = _Server((host, port), _Handler)
        self._scheme = "http"
        if tls is not None:
            import ssl  # noqa: PLC0415 - only a test's https server needs it
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self._scheme = "https"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="portico-sim", daemon=True)

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def origin(self) -> str:
        """The canonical origin ``http(s)://127.0.0.1:PORT`` of this server."""
        return f"{self._scheme}://{self.host}:{self.port}"

    def start(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and cut every open connection (a browser's keep-alive connection
        would otherwise go on being served, and a stopped server must look down)."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.close_connections()
        self._thread.join(timeout=5)

    def __enter__(self) -> "LoopbackServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
