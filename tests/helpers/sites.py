"""Small web pages served on loopback that play provider frames in the tests."""

from __future__ import annotations

import html
import time
import urllib.parse

from desktop.demo.server import LoopbackServer, Request, Response

#: A provider frame the tests drive: it records every message it receives and can post any.
PROBE = """<!doctype html><html><head><meta charset="utf-8"><title>probe</title></head>
<body style="margin:0">
<a id="top-link" href="{link}" target="_top" style="display:block;height:50vh;background:#ccd">top link</a>
<a id="blank-link" href="{link}" target="_blank" style="display:block;height:50vh;background:#dcc">blank link</a>
{nested}{hold}
<script>
window.received = [];
window.addEventListener("message", function (e) {{
  window.received.push({{origin: e.origin, fromParent: e.source === window.parent, data: e.data}});
}});
window.sendToParent = function (msg, target) {{ window.parent.postMessage(msg, target || "*"); }};
window.sendToTop = function (msg) {{ window.top.postMessage(msg, "*"); }};
if ({hello}) window.parent.postMessage({{name: "get_space_ids", requestId: "hello"}}, "*");
</script></body></html>"""


def probe_route(request: Request) -> Response:
    if request.path == "/probe":
        if request.arg("delay"):  # milliseconds before the document is served (a slow navigation)
            time.sleep(min(int(request.arg("delay") or 0), 10_000) / 1000)
        nested = request.arg("nested")
        frame = (f'<iframe id="nested" src="{html.escape(nested)}" style="width:10px;height:10px"></iframe>'
                 if nested else "")
        link = request.arg("link", "https://example.org/")
        hold = request.arg("hold")  # milliseconds an image holds the page's load event back
        image = f'<img src="/slow?ms={int(hold)}" alt="">' if hold else ""
        return Response.html(PROBE.format(nested=frame, link=html.escape(link or ""), hold=image,
                                          hello="true" if request.arg("hello") else "false"))
    if request.path == "/slow":
        time.sleep(min(int(request.arg("ms") or 0), 10_000) / 1000)
        return Response.html("<p>slow</p>")
    return Response(404, b"nope", "text/plain")


def hostile_route(request: Request) -> Response:
    """The probe's routes, plus ``/sandboxed``: the provider's own URL, but the document sandboxes
    itself, so its origin is null."""
    if request.path == "/sandboxed":
        page = PROBE.format(nested="", link="https://example.org/", hello="false", hold="")
        page = page.replace("<script>", "<script>window.parent.postMessage("
                            "{name: 'get_user_info', requestId: 'sandboxed-on-load'}, '*');", 1)
        return Response.html(page, headers={"Content-Security-Policy": "sandbox allow-scripts"})
    return probe_route(request)


def start_probe_server(host: str = "127.0.0.1") -> LoopbackServer:
    return LoopbackServer(probe_route, host).start()


def probe_url(server: LoopbackServer, **params: str) -> str:
    query = urllib.parse.urlencode(params)
    return f"{server.origin}/probe" + (f"?{query}" if query else "")
