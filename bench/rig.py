"""In-process rigs: Portico's full path and the raw baseline, built on the same host page.

Both rigs run in a QApplication made by :func:`desktop.qtargs.create_application` (the portico
scheme, ``--site-per-process``, offscreen, ``--disable-gpu``), with a disk-backed profile from
:func:`desktop.shell.profiles.create_profile`, the same ``portico://app/provider/<id>`` host page
served by :class:`HostSchemeHandler` with its CSP, a :class:`ProviderPage`, and a script in the
same ApplicationWorld. What differs is only the bridge:

* :class:`PorticoRig` is a real :class:`desktop.app.Shell`: relay.js (source + origin checks, size
  cap), :class:`Bridge` (origin re-check, bounded parse, envelope limits), the provider's ``parse``
  into a typed event, ``handle``, and the hub's signal, which the rig counts.
* :class:`RawRig` injects qwebchannel.js plus a bare relay: every ``message`` event is stringified
  and handed to a QObject slot that ``json.loads`` it and counts it, with no check at all; a
  ``get_space_ids`` request is answered by ``json.dumps`` of the same reply SpatialChat sends.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
import time
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QEventLoop, QObject, QTimer, Qt, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEngineFrame, QWebEnginePage, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView

from desktop.bridge import scripts
from desktop.config import parse_config
from desktop.contract import Drop, ProviderEvent
from desktop.providers.spatialchat import SpatialChatProvider
from desktop.shell.page import ProviderPage
from desktop.shell.profiles import create_profile
from desktop.shell.scheme import SCHEME, HostPage, HostSchemeHandler, host_url

from bench.site import PROVIDER_ID, SPACE, provider_toml

APP_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
MAIN_WORLD = QWebEngineScript.ScriptWorldId.MainWorld


# --- the bench-only provider ------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Tick(ProviderEvent):
    """A one-way event from the bench frame (``{"name": "bench_tick", "seq": n}``)."""

    name: ClassVar[str] = "bench_tick"
    seq: int = 0
    t: float | None = None  # the frame's wall clock when it posted (ms), for one-way latency


class BenchProvider(SpatialChatProvider):
    """SpatialChat's host plus one typed one-way event, so bursts need no answers.

    Registered in-process only (see :func:`install_bench_provider`); never in the app.
    """

    def parse(self, message: Any) -> ProviderEvent:
        if isinstance(message, dict) and message.get("name") == "bench_tick":
            seq = message.get("seq")
            t = message.get("t")
            if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
                raise Drop("bad-seq")
            if t is not None and not isinstance(t, (int, float)):
                raise Drop("bad-time")
            return Tick(seq=seq, t=t)
        return super().parse(message)


def install_bench_provider() -> None:
    """Make the Shell build :class:`BenchProvider` for ``kind = "spatialchat"`` in this process."""
    import desktop.app
    desktop.app.provider_class = lambda kind: BenchProvider  # type: ignore[assignment]


# --- waiting without a test framework ---------------------------------------------------------

def wait_until(predicate: Callable[[], bool], timeout: float, poll_ms: int = 5) -> bool:
    """Run the Qt event loop until ``predicate()`` holds or ``timeout`` seconds pass."""
    if predicate():
        return True
    loop = QEventLoop()
    deadline = time.monotonic() + timeout

    def check() -> None:
        if predicate() or time.monotonic() > deadline:
            loop.quit()

    timer = QTimer(interval=poll_ms)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    return predicate()


def spin(seconds: float) -> None:
    """Run the event loop for ``seconds``."""
    end = time.monotonic() + seconds
    wait_until(lambda: time.monotonic() >= end, seconds + 1, poll_ms=20)


class LoopProbe(QObject):
    """Measures how late a 5 ms precise QTimer fires: the event loop's stalls.

    Attributes:
        lateness: every tick's delay beyond the interval, in ms.
        times: when each tick fired (``time.perf_counter()``), to place a stall on the timeline.
    """

    def __init__(self, interval_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.lateness: list[float] = []
        self.times: list[float] = []
        self._last = 0.0
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.lateness.clear()
        self.times.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness.append(max(0.0, (now - self._last) * 1000 - self.interval_ms))
        self.times.append(now)
        self._last = now


class Counter:
    """Counts accepted messages, when the first and latest arrived, and one-way latencies.

    Attributes:
        one_way: for stamped messages, arrival wall time minus the frame's stamp (ms).
    """

    def __init__(self) -> None:
        self.count = 0
        self.first = 0.0
        self.last = 0.0
        self.one_way: list[float] = []

    def reset(self) -> None:
        self.count = 0
        self.first = self.last = 0.0
        self.one_way = []

    def hit(self, stamp: float | None = None) -> None:
        now = time.perf_counter()
        if stamp is not None:
            self.one_way.append(time.time() * 1000 - stamp)
        if not self.count:
            self.first = now
        self.count += 1
        self.last = now


# --- the two rigs -----------------------------------------------------------------------------

class Rig:
    """What the phases need from either rig."""

    mode = ""
    counter: Counter
    page: QWebEnginePage

    def frame(self) -> QWebEngineFrame | None:
        for frame in self.page.mainFrame().children():
            if frame.htmlName() == scripts.FRAME_ID:
                return frame
        return None

    def frame_eval(self, js: str, timeout: float = 10.0) -> Any:
        """Run ``js`` in the provider frame's main world (as its own page would); its result."""
        frame = self.frame()
        if frame is None:
            raise RuntimeError("no provider frame")
        box: list[Any] = []
        frame.runJavaScript(js, MAIN_WORLD, box.append)
        if not wait_until(lambda: bool(box), timeout, poll_ms=2):
            raise TimeoutError(f"no answer from the frame to {js[:40]!r}")
        return box[0]

    def wait_frame(self, timeout: float = 30.0) -> None:
        """Wait until the bench page is loaded and scriptable in the provider frame."""
        def ready() -> bool:
            try:
                return self.frame() is not None and self.frame_eval("window.benchReady === true", 1.0) is True
            except (RuntimeError, TimeoutError):
                return False
        if not wait_until(ready, timeout, poll_ms=50):
            raise TimeoutError(f"{self.mode}: the bench frame did not load")

    def stats(self) -> dict[str, Any]:
        return {}

    def close(self) -> None:
        raise NotImplementedError


class PorticoRig(Rig):
    """A real Shell with one bench provider; counts the hub's ``event_received``."""

    mode = "portico"

    def __init__(self, url: str, root: pathlib.Path) -> None:
        from desktop.app import Shell
        install_bench_provider()
        config = parse_config(provider_toml(url), root / "config.toml")
        self.shell = Shell(config, profile_root=root / "profiles")
        self.view = self.shell.views[PROVIDER_ID]
        self.bridge = self.view.bridge
        self.page = self.view.page
        self.counter = Counter()
        self.shell.hub.event_received.connect(lambda _pid, _kind, event: self.counter.hit(getattr(event, "t", None)))
        self.shell.start(show=True)
        if not wait_until(lambda: self.bridge._frame_ready, 30):
            raise TimeoutError("portico: the provider frame never became ready")

    def stats(self) -> dict[str, Any]:
        return {"accepted": self.bridge.accepted, "dropped": dict(self.bridge.dropped)}

    def close(self) -> None:
        self.shell.close()


_RAW_RELAY = r"""
"use strict";
(function () {
  const cfg = RAW_CONFIG;
  let bridge = null;
  function frame() { return document.getElementById(cfg.frameId); }
  // No checks at all: every message from anywhere goes to Python.
  window.addEventListener("message", function (ev) {
    if (bridge) bridge.from_frame(ev.origin, JSON.stringify(ev.data));
  }, true);
  function start() {
    if (typeof qt === "undefined" || !qt.webChannelTransport) { setTimeout(start, 20); return; }
    new QWebChannel(qt.webChannelTransport, function (channel) {
      bridge = channel.objects.raw_bridge;
      bridge.to_frame.connect(function (json) { frame().contentWindow.postMessage(JSON.parse(json), "*"); });
      const go = function () { frame().setAttribute("src", cfg.url); };
      if (frame()) go(); else document.addEventListener("DOMContentLoaded", go, {once: true});
    });
  }
  start();
})();
"""


class RawBridge(QObject):
    """The baseline's channel object: parse, count, answer ``get_space_ids``; nothing checked."""

    to_frame = Signal(str)

    def __init__(self, on_message: Callable[[float | None], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_message = on_message
        self.received = 0

    @Slot(str, str)
    def from_frame(self, origin: str, text: str) -> None:
        message = json.loads(text)
        self.received += 1
        is_dict = isinstance(message, dict)
        self._on_message(message.get("t") if is_dict else None)
        if is_dict and message.get("name") == "get_space_ids":
            reply = {"name": "space_ids", "data": SPACE, "requestId": message.get("requestId")}
            self.to_frame.emit(json.dumps(reply, separators=(",", ":")))


class RawRig(Rig):
    """The same host page, profile, policy page and world as Portico, with a bare relay."""

    mode = "raw"

    def __init__(self, url: str, root: pathlib.Path) -> None:
        origin = url.split("/frame", 1)[0]
        self.counter = Counter()
        self.profile = create_profile(PROVIDER_ID, storage=root / "profiles" / PROVIDER_ID)
        host = HostPage(PROVIDER_ID, "Bench", origin, frozenset())
        self.handler = HostSchemeHandler({PROVIDER_ID: host}.get)
        self.profile.installUrlSchemeHandler(SCHEME, self.handler)
        self.view = QWebEngineView()
        self.page = ProviderPage(self.profile, origin, frozenset(), self.view)
        script = QWebEngineScript()
        script.setName("raw-relay")
        config = json.dumps({"frameId": scripts.FRAME_ID, "url": url})
        script.setSourceCode(f"{scripts._qwebchannel_js()}\nconst RAW_CONFIG = {config};\n{_RAW_RELAY}")
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
        script.setWorldId(APP_WORLD)
        script.setRunsOnSubFrames(False)
        self.page.scripts().insert(script)
        self.bridge = RawBridge(self.counter.hit)
        self.channel = QWebChannel(self.page)
        self.channel.registerObject("raw_bridge", self.bridge)
        self.page.setWebChannel(self.channel, APP_WORLD)
        self.view.setPage(self.page)
        self.view.resize(1000, 700)
        self.view.show()
        self.page.load(host_url(PROVIDER_ID))

    def stats(self) -> dict[str, Any]:
        return {"accepted": self.bridge.received, "dropped": {}}

    def close(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent
        self.view.setPage(None)  # type: ignore[arg-type]
        self.page.deleteLater()
        self.view.deleteLater()
        self.profile.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def make_rig(mode: str, url: str, root: pathlib.Path) -> Rig:
    rig: Rig = PorticoRig(url, root) if mode == "portico" else RawRig(url, root)
    rig.wait_frame()
    return rig
