"""Screen sharing end to end on a real X server: a page's getDisplayMedia opens Portico's picker, which answers it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from desktop.demo.server import LoopbackServer, Request, Response
from tests.helpers.paths import ROOT
from tests.helpers.xserver import x_env

# A page written as a conferencing site writes it: ask at load, report the track it got.
PAGE = """<!doctype html><title>Share</title><p>Sharing test</p><script>
navigator.mediaDevices.getDisplayMedia({video: true}).then(stream => {
  const track = stream.getVideoTracks()[0], s = track.getSettings();
  window.shared = {ok: true, surface: s.displaySurface || "", width: s.width || 0, state: track.readyState};
  track.stop();
}, error => { window.shared = {ok: false, error: error.name}; });
</script>"""


@pytest.fixture(scope="module")
def site() -> Iterator[LoopbackServer]:
    def route(request: Request) -> Response:
        return Response.html(PAGE) if request.path == "/share" else Response(404, b"", "text/plain")
    with LoopbackServer(route) as server:
        yield server


def run_harness(display: str, url: str, answer: str, home: Any) -> tuple[list[str], dict[str, Any]]:
    child = subprocess.run([sys.executable, "-m", "tests.helpers.screen_harness", url, "--answer", answer],
                           cwd=ROOT, env=x_env(display, home), capture_output=True, text=True, timeout=90)
    picker = next((json.loads(line[7:]) for line in child.stdout.splitlines() if line.startswith("PICKER ")), None)
    result = next((json.loads(line[7:]) for line in child.stdout.splitlines() if line.startswith("RESULT ")), None)
    assert picker is not None and result is not None, child.stdout[-2000:] + child.stderr[-3000:]
    return picker, result


def test_the_picker_shares_the_chosen_screen(xvfb, site, tmp_path):
    picker, result = run_harness(xvfb, f"{site.origin}/share", "share", tmp_path)
    assert picker and picker[0] == "Entire screen"
    assert result["chosen"] == ["screen: Entire screen"]
    assert result["shared"]["ok"] is True, result
    assert result["shared"]["surface"] == "monitor" and result["shared"]["width"] == 1280
    assert result["shared"]["state"] == "live"


def test_cancelling_the_picker_gives_the_page_an_error(xvfb, site, tmp_path):
    _picker, result = run_harness(xvfb, f"{site.origin}/share", "cancel", tmp_path)
    assert result["chosen"] == [""]
    assert result["shared"]["ok"] is False and result["shared"]["error"] in ("NotAllowedError", "AbortError")
