"""A configured proxy end to end: `portico run` reaches a page only through it, with the password from the keyring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from desktop.demo.server import LoopbackServer, Response
from tests.helpers.leak_scan import watch
from tests.helpers.paths import ROOT
from tests.helpers.proxy import Proxy

pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

PASSWORD = "proxy-pass-5c1e9"  # noqa: S105 - a test secret, scanned for on disk
PAGE = "<!doctype html><title>App</title><script>parent.postMessage({type: 'hello'}, '*');</script>"
#: Not resolvable: only the proxy knows where it is.
HOST = "app.portico-proxy.test"


def test_pages_go_through_the_configured_proxy_with_the_keyring_password(gnome_keyring, tmp_path):
    watch([PASSWORD])
    site = LoopbackServer(lambda request: Response.html(PAGE)).start()
    proxy = Proxy(site.origin, "ada", PASSWORD)
    config = tmp_path / "config.toml"
    config.write_text(textwrap.dedent(f'''
        [network]
        proxy = "http://127.0.0.1:{proxy.port}"
        proxy_user = "ada"

        [[provider]]
        id = "app"
        kind = "postmessage"
        url = "http://{HOST}/page"
        events = ["hello"]
    '''), encoding="utf-8")
    env = dict(gnome_keyring.env, PYTHONPATH=str(ROOT), QTWEBENGINE_DISABLE_SANDBOX="1", HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_STATE_HOME=str(tmp_path / "state"))
    env.pop("DISPLAY", None)

    def portico(*args: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop", *args, "--config", str(config)], input=stdin,
                              capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT)

    try:
        stored = portico("credentials", "set", "network", "proxy_password", stdin=PASSWORD + "\n")
        assert stored.returncode == 0, stored.stderr
        assert gnome_keyring.lookup("network", "proxy_password") == PASSWORD
        events = tmp_path / "events.jsonl"
        run = portico("run", "--headless", "--quit-after", "10", "--event-log", str(events), timeout=90)
        assert run.returncode == 0, run.stderr[-3000:]
        log = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
        assert any(line["provider"] == "app" and line["data"].get("message_name") == "hello" for line in log), log
        assert (HOST, True) in proxy.seen  # the page came through the proxy, which had the password
        assert PASSWORD not in run.stdout + run.stderr
        # Without the password the proxy refuses, and Portico says which command stores it.
        assert portico("credentials", "delete", "network", "proxy_password").returncode == 0
        proxy.seen.clear()
        os.remove(events)
        run = portico("run", "--headless", "--quit-after", "6", "--event-log", str(events), timeout=90)
        assert proxy.seen and not any(authorized for _host, authorized in proxy.seen)
        assert not events.exists() or "hello" not in events.read_text(encoding="utf-8")
        assert "portico credentials set network proxy_password" in run.stderr
    finally:
        proxy.stop()
        site.stop()


def test_a_password_for_a_remote_proxy_is_refused_by_the_config(tmp_path):
    from desktop.config import ConfigError, parse_config  # noqa: PLC0415
    with pytest.raises(ConfigError) as info:
        parse_config('[network]\nproxy = "http://proxy.corp.example:3128"\nproxy_user = "ada"\n', "c.toml")
    assert str(info.value).startswith("c.toml:3: network.proxy_user:") and "clear text" in str(info.value)
