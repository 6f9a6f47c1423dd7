"""Real X11 clicks (Xvfb + xdotool) on links that leave the provider frame: they never look like a failure.

Chromium lets a cross-origin frame navigate the top window only with a user gesture, and a
scripted ``click()`` is no gesture; so these tests run Portico on an X server in a child process
(``tests/helpers/click_harness.py``) and click with xdotool, as a user's mouse would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from desktop.demo.server import LoopbackServer, Request, Response
from tests.helpers.paths import ROOT
from tests.helpers.xserver import missing, x_env

PAGE = """<!doctype html><html><body style="margin:0;font:16px sans-serif">
<a data-click="parent-link" href="https://example.org/room?r=1" target="_parent"
   style="display:block;height:90px;background:#ddf">Room A (target=_parent)</a>
<button data-click="top-button" style="display:block;width:100%;height:90px"
        onclick="window.top.location = 'https://example.org/top?t=2'">Room B (top.location)</button>
<form target="_top" action="https://example.org/form" method="get"><input type="hidden" name="q" value="x">
  <button data-click="form-button" style="display:block;width:100%;height:90px">Form (target=_top)</button></form>
</body></html>"""


@pytest.fixture(scope="module")
def site() -> Iterator[LoopbackServer]:
    def route(request: Request) -> Response:
        return Response.html(PAGE) if request.path == "/app" else Response(404, b"", "text/plain")
    with LoopbackServer(route) as server:
        yield server


def test_trusted_clicks_on_links_that_leave_the_frame(xvfb, site, tmp_path):
    if not shutil.which("xdotool"):
        missing("xdotool")
    env = x_env(xvfb, tmp_path)
    child = subprocess.Popen([sys.executable, "-m", "tests.helpers.click_harness", f"{site.origin}/app", "--seconds", "14"],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    targets: dict[str, tuple[str, str]] = {}
    result = None
    try:
        for line in child.stdout:
            if line.startswith("TARGET "):
                _, name, x, y = line.split()
                targets[name] = (x, y)
                if len(targets) == 3:
                    for name in ("parent-link", "top-button", "form-button"):
                        subprocess.run(["xdotool", "mousemove", *targets[name], "click", "1"], env=env, check=True,
                                       timeout=10)
                        time.sleep(1.0)
            elif line.startswith("RESULT "):
                result = json.loads(line[len("RESULT "):])
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
    assert result is not None, child.stderr.read()[-3000:] if child.stderr else ""
    assert len(targets) == 3
    # The link, the gesture's top.location and the GET form (its data is in its URL, as a browser
    # would send it) go to the system browser, in the order clicked.
    assert result["opened"] == ["https://example.org/room?r=1", "https://example.org/top?t=2",
                                "https://example.org/form?q=x"]
    assert result["error"] is False, "a refused top-level navigation showed as a failure of the host page"
    assert result["host"] == "portico://app/provider/room"
    assert result["frame"] == f"{site.origin}/app"
