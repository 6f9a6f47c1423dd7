"""A forwarding HTTP proxy on loopback that asks for Basic credentials, as a company's proxy does."""

from __future__ import annotations

import base64
import http.server
import threading
import urllib.request
from typing import Any


class Proxy:
    """Answers absolute-form requests (``GET http://host/path``) with the page of ``upstream``
    (any host name maps to it), after a 407 for a request without the right credentials.

    Attributes:
        seen: (host, authorized) per request, in order.
    """

    def __init__(self, upstream: str, user: str, password: str) -> None:
        self.seen: list[tuple[str, bool]] = []
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                target = urllib.request.urlparse(self.path)
                authorized = self.headers.get("Proxy-Authorization", "") == expected
                proxy.seen.append((target.hostname or "", authorized))
                if not authorized:
                    self.send_response(407)
                    self.send_header("Proxy-Authenticate", 'Basic realm="portico-test"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with urllib.request.urlopen(upstream + target.path, timeout=10) as answer:  # noqa: S310 - loopback
                    body, kind = answer.read(), answer.headers.get("Content-Type", "text/html")
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
