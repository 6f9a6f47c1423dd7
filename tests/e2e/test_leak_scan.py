"""The leak scan itself: it finds a secret in every encoding it claims, and it does fail on a real leak."""

from __future__ import annotations

import base64
import json
import secrets
import urllib.parse

import pytest

from desktop.demo.server import LoopbackServer, Request, Response
from tests.helpers.fixtures import frame_eval, frame_poll, spatialchat_toml, wait_ready, write_config
from tests.helpers.leak_scan import encodings, find_leaks

SECRET = "s3cr+t/tök=n" + secrets.token_urlsafe(20)


@pytest.mark.parametrize("form", [
    lambda s: s.encode(), lambda s: urllib.parse.quote(s, safe="").encode(), lambda s: urllib.parse.quote_plus(s).encode(),
    lambda s: json.dumps(s).encode(), lambda s: json.dumps(s, ensure_ascii=False).encode(),
    lambda s: s.encode("utf-16-le"),
    *[lambda s, p=prefix: base64.b64encode(p + s.encode()) for prefix in (b"", b"x", b"xy", b"xyz", b"id=1&t=")],
    *[lambda s, p=prefix: base64.urlsafe_b64encode(p + s.encode()) for prefix in (b"", b"a", b"ab")],
], ids=["plain", "url", "form", "json", "json-utf8", "utf16", "b64-0", "b64-1", "b64-2", "b64-3", "b64-7",
        "b64url-0", "b64url-1", "b64url-2"])
def test_every_encoding_of_a_secret_is_found(tmp_path, form):
    (tmp_path / "blob").write_bytes(b"\x00garbage before " + form(SECRET) + b" and after\xff")
    (tmp_path / "clean").write_bytes(b"nothing here " + SECRET[:8].encode())
    hits = find_leaks([tmp_path], [SECRET])
    assert [path.name for path, _ in hits] == ["blob"] and all(SECRET[:6] in what for _, what in hits)


def test_encodings_are_distinct_and_long_enough():
    forms = encodings("\xff\xfe\xfd>>>???~~~ é")  # each form differs for these characters
    names = sorted(forms.values())
    assert names == sorted(["plain", "URL-encoded", "form-encoded", "JSON-escaped", "UTF-16LE"]
                           + [f"{b} (offset {n})" for b in ("base64", "base64url") for n in (0, 1, 2)])
    assert all(len(needle) >= 8 for needle in forms)


TOKEN_PAGE = """<!doctype html><html><body><p id="status">?</p><script>
localStorage.setItem("session", new URLSearchParams(location.search).get("token"));
document.getElementById("status").textContent = "stored";
</script></body></html>"""


@pytest.mark.parametrize("remember", [True, False], ids=["remember_session", "in-memory"])
def test_a_session_token_reaches_the_disk_only_when_the_session_is_remembered(run_shell, tmp_path, qtbot,
                                                                               xdg_root, remember):
    """A site that takes its token in the URL and keeps it in localStorage, served cacheable:
    with ``remember_session`` the scan finds it (so it can fail); by default nothing is written."""
    token = secrets.token_urlsafe(24)

    def route(request: Request) -> Response:
        return Response.html(TOKEN_PAGE) if request.path == "/app" else Response(404, b"", "text/plain")

    with LoopbackServer(route) as site:
        config = write_config(tmp_path, spatialchat_toml(f"{site.origin}/app?token={token}",
                                                         remember_session=remember))
        shell = run_shell(config)
        view = shell.views["room"]
        wait_ready(qtbot, view)
        frame_poll(qtbot, view, "document.getElementById('status').textContent", "stored")
        assert frame_eval(qtbot, view, "localStorage.getItem('session')") == token
        run_shell.close()
        run_shell.shells.clear()
    hits = find_leaks([xdg_root, tmp_path], [token])
    # The config file holds the URL: that is the user's own choice of where to write it.
    hits = [(path, what) for path, what in hits if path.name != "config.toml"]
    if remember:
        stores = {path.relative_to(tmp_path).parts[2] for path, _ in hits}
        assert stores == {"cache", "storage"}, hits  # the HTTP cache and Local Storage
        assert any("UTF-16LE" in what or "plain" in what for _, what in hits)
    else:
        assert hits == []


def test_what_the_simulators_hand_out_is_watched():
    from desktop.demo.rocketchat import RocketChatSimulator
    from desktop.demo.spoki import SpokiSimulator
    from tests.helpers.leak_scan import watched
    rc = RocketChatSimulator()
    token, pat = rc.issue_login_token(rc.user("ada").id), rc.issue_pat(rc.user("ada").id)
    spoki_token, uid = SpokiSimulator().issue_token()
    assert {token, pat, spoki_token, uid} <= set(watched())
