"""The provider frame the benchmarks drive, served on loopback, and its "answered" beacon.

One page plays every role:

* inside Portico (or the raw baseline) it is the provider frame: ``burst(n)`` posts one-way
  ``bench_tick`` events, ``roundtrips(n, interval, warmup)`` sends SpatialChat ``get_space_ids``
  requests and times each answer with ``performance.now()``, ``storm(ms)`` floods its parent;
* with ``?report=ID`` it announces itself when ready: inside a host it asks ``get_space_ids``
  once and, when the answer arrives, requests ``/answered?id=ID``; loaded directly (a bare view,
  no parent) it requests ``/answered`` on ``load``. The bench server notes the arrival time,
  which is how the startup and memory phases know a frame is "loaded and answered".
"""

from __future__ import annotations

import threading
import time
import urllib.parse

from desktop.demo.server import LoopbackServer, Request, Response

#: The provider id of the in-process rigs, and the SpatialChat ids every bench provider answers.
PROVIDER_ID = "bench"
SPACE = {"spaceId": "Sp4ce0000000000000001", "roomId": "R00m00000000000000001", "spaceSlug": "bench"}

PAGE = r"""<!doctype html><html><head><meta charset="utf-8"><title>bench frame</title></head>
<body style="margin:0;font:14px sans-serif"><p>Portico bench frame</p>
<script>
"use strict";
const REPORT = new URLSearchParams(location.search).get("report");
const inHost = window.parent !== window;
const pendingRt = new Map();     // requestId -> send time (ms)
let rt = null;                   // the running round-trip series
window.benchReady = true;

function send(msg) { window.parent.postMessage(msg, "*"); }

function wallMs() { return performance.timeOrigin + performance.now(); }

window.burst = function (n) {
  for (let i = 0; i < n; i++) send({name: "bench_tick", seq: i});
  return n;
};

// One-way: n ticks paced every `interval` ms, each stamped with the wall clock (ms), which
// Python compares with time.time() on arrival (same machine clock; +-0.1 ms measured).
window.ticks = function (n, interval) {
  const t0 = performance.now();
  let i = 0;
  (function tick() {
    send({name: "bench_tick", seq: i, t: wallMs()});
    i++;
    if (i < n) setTimeout(tick, Math.max(0, t0 + i * interval - performance.now()));
  })();
  return true;
};

// Round trips: n requests, one at a time (interval 0) or paced every `interval` ms on an
// absolute schedule (a late answer does not delay the next request). Times from performance.now().
window.roundtrips = function (n, interval, warmup) {
  rt = {n: n + warmup, warmup: warmup, interval: interval, sent: 0, got: 0, samples: [],
        t0: performance.now(), done: false};
  pendingRt.clear();
  next();
  return true;
};
function next() {
  if (!rt || rt.sent >= rt.n) return;
  const id = "rt-" + rt.sent;
  rt.sent++;
  pendingRt.set(id, performance.now());
  send({name: "get_space_ids", requestId: id});
  if (rt.interval > 0 && rt.sent < rt.n) {
    const due = rt.t0 + rt.sent * rt.interval;
    setTimeout(next, Math.max(0, due - performance.now()));
  }
}
window.rtResult = function () {
  if (!rt || !rt.done) return "";
  return JSON.stringify({samples: rt.samples, elapsed: rt.elapsed, sent: rt.sent, got: rt.got});
};

// Storm: flood the parent for `ms` milliseconds, as fast as the page can post. Yields to its own
// event loop every 10 ms (MessageChannel: no setTimeout clamping) so that it stays scriptable.
// The count also goes to the bench server (every 100 ms, at the end, and when the document is
// unloaded: Portico's flood breaker may stop the frame before the storm ends).
window.storm = function (ms) {
  const s = window.stormState = {sent: 0, done: false, started: performance.now()};
  const end = s.started + ms;
  const yielder = new MessageChannel();
  yielder.port1.onmessage = pump;
  let reported = 0;
  function report() { navigator.sendBeacon("/storm?sent=" + s.sent + (s.done ? "&done=1" : "")); }
  window.addEventListener("pagehide", report);
  function pump() {
    const now = performance.now();
    if (now - reported >= 100) { reported = now; report(); }
    if (now >= end) { s.done = true; s.elapsed = now - s.started; report(); return; }
    const slice = Math.min(end, now + 10);
    let i = s.sent;
    while (performance.now() < slice) {
      send({name: "bench_tick", seq: i++, t: wallMs()});  // every 50th stamped: queueing delay
      for (let k = 1; k < 50; k++) send({name: "bench_tick", seq: i++});
    }
    s.sent = i;
    yielder.port2.postMessage(0);
  }
  pump();
  return true;
};

window.addEventListener("message", function (e) {
  if (e.source !== window.parent) return;
  let d = e.data;
  if (typeof d === "string") { try { d = JSON.parse(d); } catch (err) { return; } }
  if (!d || typeof d.requestId !== "string") return;
  if (d.requestId === "hello") { beacon(); return; }
  const t = pendingRt.get(d.requestId);
  if (t === undefined || !rt) return;
  pendingRt.delete(d.requestId);
  const idx = Number(d.requestId.slice(3));
  if (idx >= rt.warmup) rt.samples.push(performance.now() - t);
  rt.got++;
  if (rt.interval === 0) next();
  if (rt.got >= rt.n) { rt.done = true; rt.elapsed = performance.now() - rt.t0; }
});

let beaconed = false;
function beacon() {
  if (beaconed || !REPORT) return;
  beaconed = true;
  fetch("/answered?id=" + encodeURIComponent(REPORT), {cache: "no-store"}).catch(function () {});
}
// ?heap=N: hold N MB of JavaScript data, like a chat client's heap (real apps add 100–300 MB per
// renderer: qtwebengine-notes.md §4.4 in the shared reference); filled, so every page is the renderer's own.
const HEAP_MB = Number(new URLSearchParams(location.search).get("heap") || 0);
window.heap = [];
for (let i = 0; i < HEAP_MB; i++) window.heap.push(new Float64Array(131072).fill(i + 0.5));
window.addEventListener("load", function () {
  if (!REPORT) return;
  if (inHost) send({name: "get_space_ids", requestId: "hello"});
  else beacon();
});
</script></body></html>"""


class BenchSite:
    """The bench frame on ``http://127.0.0.1:PORT/frame`` and a record of ``/answered`` beacons.

    Attributes:
        answered: report id -> ``time.perf_counter()`` when its beacon arrived (first one only).
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.answered: dict[str, float] = {}
        #: The storm's latest count of posted messages, and whether the frame said it finished.
        self.storm_sent = 0
        self.storm_done = False
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._server = LoopbackServer(self._route, host)

    def _route(self, request: Request) -> Response:
        if request.path == "/frame":
            return Response.html(PAGE)
        if request.path == "/storm":
            with self._lock:
                self.storm_sent = max(self.storm_sent, int(request.arg("sent") or 0))
                self.storm_done = self.storm_done or request.arg("done") == "1"
            return Response(204, b"", "text/plain")
        if request.path == "/answered":
            now = time.perf_counter()
            with self._changed:
                self.answered.setdefault(request.arg("id") or "", now)
                self._changed.notify_all()
            return Response(204, b"", "text/plain")
        return Response(404, b"not found", "text/plain")

    def start(self) -> "BenchSite":
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    @property
    def origin(self) -> str:
        return self._server.origin

    def url(self, report: str | None = None, heap_mb: int = 0) -> str:
        """The frame's address; ``heap_mb`` makes it hold that much JavaScript memory, as a real app does."""
        params = {k: v for k, v in (("report", report), ("heap", str(heap_mb) if heap_mb else None)) if v}
        query = "?" + urllib.parse.urlencode(params) if params else ""
        return f"{self.origin}/frame{query}"

    def reset(self) -> None:
        with self._lock:
            self.answered.clear()
            self.storm_sent = 0
            self.storm_done = False

    def wait_answered(self, ids: set[str], timeout: float) -> dict[str, float] | None:
        """Block until every id in ``ids`` has beaconed; their arrival times, or None on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not ids <= self.answered.keys():
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)
            return {i: self.answered[i] for i in ids}


def provider_toml(url: str, pid: str = PROVIDER_ID) -> str:
    return f'''
[[provider]]
id = "{pid}"
kind = "spatialchat"
title = "Bench {pid}"
url = "{url}"
space_id = "{SPACE['spaceId']}"
room_id = "{SPACE['roomId']}"
space_slug = "{SPACE['spaceSlug']}"
[provider.user]
id = "u1"
name = "Bench"
about = ""
pronoun = ""
avatar_url = ""
'''
