"""A local site written for SpatialChat's iFrame API, and a space for its room cards, for the demo and the tests."""

from __future__ import annotations

import html
from collections.abc import Callable
from importlib import resources
from typing import Final

from desktop.demo.server import LoopbackServer, Request, Response

#: The path of the demo space on its own server (as SpatialChat's are ``/s/<id>``).
SPACE_PATH: Final = "/s/portico-demo"


def _page(name: str) -> str:
    return resources.files("desktop.demo").joinpath(f"pages/{name}.html").read_text(encoding="utf-8")


def site_route_for(space_url: str) -> Callable[[Request], Response]:
    """``/`` serves the Team Board page, whose room cards link to ``space_url?room=…``."""
    page = _page("spatialchat").replace("{SPACE}", html.escape(space_url))

    def route(request: Request) -> Response:
        if request.method in {"GET", "HEAD"} and request.path in {"/", "/index.html"}:
            return Response.html(page)
        return Response(404, b"not found", "text/plain")
    return route


site_route: Final = site_route_for("https://app.spatial.chat/s/portico-demo")


def space_route(request: Request) -> Response:
    """:data:`SPACE_PATH` serves the space, showing the room its ``?room=`` names."""
    if request.method in {"GET", "HEAD"} and request.path == SPACE_PATH:
        return Response.html(_page("spatialchat-space"))
    return Response(404, b"not found", "text/plain")


def start_site(host: str = "127.0.0.1", port: int = 0, space_url: str | None = None) -> LoopbackServer:
    """Start the demo SpatialChat site on loopback; stop it with ``.stop()``."""
    route = site_route if space_url is None else site_route_for(space_url)
    return LoopbackServer(route, host, port).start()


def start_space(host: str = "127.0.0.1", port: int = 0) -> LoopbackServer:
    """Start the demo space (another origin than the site); its URL is ``origin + SPACE_PATH``."""
    return LoopbackServer(space_route, host, port).start()
