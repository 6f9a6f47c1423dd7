"""A local site written for SpatialChat's iFrame API, for the demo and the tests."""

from __future__ import annotations

from importlib import resources

from desktop.demo.server import LoopbackServer, Request, Response


def _page() -> str:
    return resources.files("desktop.demo").joinpath("pages/spatialchat.html").read_text(encoding="utf-8")


def site_route(request: Request) -> Response:
    """``/`` serves the Team Board page; everything else is a 404."""
    if request.method in {"GET", "HEAD"} and request.path in {"/", "/index.html"}:
        return Response.html(_page())
    return Response(404, b"not found", "text/plain")


def start_site(host: str = "127.0.0.1", port: int = 0) -> LoopbackServer:
    """Start the demo SpatialChat site on loopback; stop it with ``.stop()``."""
    return LoopbackServer(site_route, host, port).start()
