// Portico bridge relay. Injected by desktop/bridge/scripts.py into the ApplicationWorld
// (isolated from page scripts and from every frame) of each document the provider's page loads,
// top frame only, at DocumentCreation, after qwebchannel.js. PORTICO_CONFIG is prepended by Python:
//   {origin: "<exact provider origin>", frameId: "provider", maxBytes: N, events: ["name", ...]}
// In the host page (portico://app) it relays the provider frame's postMessage traffic. In the
// provider's own top-level document (a kind's desktop mode, cfg.events not empty) it relays the
// window CustomEvents named in cfg.events instead. In any other document it opens no channel.
"use strict";
(function () {
  const cfg = PORTICO_CONFIG;
  let bridge = null;
  let frameLoaded = false;
  // The frame posted a message that passed the source and origin checks: its document is the
  // provider's and runs script, so messages for it need not wait for its load event (which a
  // chat client's images and bundles can hold back for seconds).
  let frameTalking = false;
  const outbound = [];          // JSON texts waiting for the frame's load event (or first message)

  // Inbound flow control (a frame flooding messages must not bury Python's event loop, nor grow
  // Chromium's queues without end). Accepted messages wait in `inbound` and go to Python one
  // channel call at a time: the next call leaves only when Python has handled the previous one
  // (the call's reply). At chat rates a message goes alone and at once, as before; under a flood
  // the calls carry batches (up to BATCH_MAX messages / BATCH_BYTES), and what does not fit in
  // the queue is dropped and counted as "rate-limited": the frame sends faster than Portico
  // handles. Before the channel is up the queue holds PRE_CHANNEL_MAX ("queue-full" beyond).
  const BATCH_MAX = 100;                    // messages per call: bounds one call's time in Python
  const BATCH_BYTES = 1024 * 1024;          // JSON text per call (a single larger message goes alone)
  const QUEUE_MAX = 5000;                   // messages waiting for Python
  const QUEUE_BYTES = 8 * 1024 * 1024;      // their JSON text
  const PRE_CHANNEL_MAX = 256;
  const STUCK_MS = 10000;                   // a call never answered (should not happen): send again
  const inbound = [];                       // JSON texts (their origin is cfg.origin, checked)
  let queuedBytes = 0;
  let inFlightSince = -1;                   // performance.now() of the unanswered call, or -1

  // Flood breaker. Every cross-process postMessage passes Chromium's browser UI thread, which is
  // Portico's event loop; a frame posting faster than that thread routes them builds a backlog
  // inside Chromium, before this relay, where no rate limit can bound it (measured: about 30 MB/s).
  // Only stopping the sender does: a frame that keeps the queue overflowing for FLOOD_STOP_MS is
  // unloaded (about:blank) and Python shows an error with Retry (Bridge.relay_flooded).
  const FLOOD_STOP_MS = 1000;
  const FLOOD_GAP_MS = 500;                 // an overflow-free pause this long ends a streak
  let floodStart = -1;
  let lastOverflow = -1;
  // The queue overflows late, because most of the backlog builds up inside Chromium, before the
  // relay: in the storm benchmark the breaker tripped only after 6.6 s, and Chromium then took
  // 100 s to drain what it held (docs/benchmarks.md). So the arrival rate is watched too:
  // messages arriving faster than RATE_MAX per second (chat clients post a few per second, at
  // most bursts of hundreds) for RATE_STOP_MS in a row stop the frame the same way.
  const RATE_WINDOW_MS = 250;
  const RATE_MAX = 2000;
  const RATE_STOP_MS = 3000;
  let rateWindowStart = -1;
  let rateCount = 0;
  let hotSince = -1;                        // start of the current run of too-busy windows
  let stopped = false;                      // until Python navigates the frame again (Retry)
  const drops = Object.create(null);
  let dropTimer = null;

  function frame() { return document.getElementById(cfg.frameId); }

  function drop(reason) {
    drops[reason] = (drops[reason] || 0) + 1;
    if (dropTimer === null) {
      // Batch drop reports: a hostile frame flooding bad messages costs one call per 200 ms.
      dropTimer = setTimeout(flushDrops, 200);
    }
  }

  function flushDrops() {
    dropTimer = null;
    if (!bridge) { dropTimer = setTimeout(flushDrops, 200); return; }
    const counts = Object.assign({}, drops);
    for (const k of Object.keys(drops)) delete drops[k];
    bridge.relay_dropped(JSON.stringify(counts));
  }

  function enqueue(json) {
    const full = inbound.length >= QUEUE_MAX || queuedBytes + json.length > QUEUE_BYTES;
    if (!bridge && (full || inbound.length >= PRE_CHANNEL_MAX)) { drop("queue-full"); return; }
    if (full) { overflow(); return; }
    inbound.push(json);
    queuedBytes += json.length;
    sendInbound();
  }

  function overflow() {
    drop("rate-limited");
    const now = performance.now();
    if (floodStart < 0 || now - lastOverflow > FLOOD_GAP_MS) floodStart = now;
    lastOverflow = now;
    if (now - floodStart >= FLOOD_STOP_MS) stopFrame();
  }

  function countArrival() {
    const now = performance.now();
    if (rateWindowStart < 0 || now - rateWindowStart >= RATE_WINDOW_MS) {
      // Close the window that ended: too busy, and no quiet window skipped since.
      const busy = rateWindowStart >= 0 && now - rateWindowStart < 2 * RATE_WINDOW_MS &&
        rateCount > RATE_MAX * RATE_WINDOW_MS / 1000;
      if (!busy) hotSince = -1;
      else if (hotSince < 0) hotSince = rateWindowStart;
      rateWindowStart = now;
      rateCount = 0;
    }
    rateCount++;
    if (hotSince >= 0 && now - hotSince >= RATE_STOP_MS) stopFrame();
  }

  // Count every message waiting for Python as dropped for ``reason`` and empty the queue.
  function dropQueued(reason) {
    for (let i = 0; i < inbound.length; i++) drop(reason);
    inbound.length = 0;
    queuedBytes = 0;
  }

  function stopFrame() {
    floodStart = -1;
    hotSince = -1;
    rateWindowStart = -1;
    stopped = true;
    dropQueued("flood-stopped");  // what the frame posted and Python has not handled yet
    // Navigating the frame (to about:blank) did not stop the sender (measured: the old document
    // kept posting until its storm ended); an empty copy in its place does. A top-level
    // document cannot be replaced from here: Python discards the page on relay_flooded.
    if (!eventsMode) replaceFrame();
    if (bridge) {
      // Counts first: Python discards the page on relay_flooded, and these would die with it.
      if (dropTimer !== null) { clearTimeout(dropTimer); flushDrops(); }
      bridge.relay_flooded();
    }
  }

  function sendInbound() {
    if (!bridge || !inbound.length) return;
    if (inFlightSince >= 0 && performance.now() - inFlightSince < STUCK_MS) return;
    let n = 1;
    let bytes = inbound[0].length;
    while (n < inbound.length && n < BATCH_MAX && bytes + inbound[n].length <= BATCH_BYTES) {
      bytes += inbound[n].length;
      n++;
    }
    const batch = inbound.splice(0, n);
    queuedBytes -= bytes;
    inFlightSince = performance.now();
    if (n === 1) bridge.from_frame(cfg.origin, batch[0], handled);
    else bridge.from_frame_batch(cfg.origin, batch, handled);
  }

  function handled() {
    inFlightSince = -1;
    sendInbound();
  }

  function post(json) {
    if (eventsMode) { runCommand(json); return; }
    const f = frame();
    if (!f || !f.contentWindow) return;
    let msg;
    try { msg = JSON.parse(json); } catch (e) { return; }
    // Exact origin: if another document is in the frame, the browser drops the message.
    f.contentWindow.postMessage(msg, cfg.origin);
  }

  // An Error survives postMessage but JSON keeps nothing of it (Rocket.Chat answers a failed
  // command with one): a top-level Error becomes {name, message}.
  function withErrorMessages(data) {
    if (data === null || typeof data !== "object" || Array.isArray(data)) return data;
    let copy = null;
    for (const key in data) {
      const value = data[key];
      if (value instanceof Error) {
        copy = copy || Object.assign({}, data);
        copy[key] = {name: String(value.name), message: String(value.message)};
      }
    }
    return copy || data;
  }

  function onMessage(ev) {
    if (!stopped) countArrival();  // every sender counts: a nested frame floods through its parent
    const f = frame();
    if (!f || ev.source === null || ev.source !== f.contentWindow) { drop("wrong-source"); return; }
    if (ev.origin !== cfg.origin) { drop("wrong-origin"); return; }
    if (!frameTalking && !stopped) {
      frameTalking = true;
      flushOutbound();
    }
    if (ev.ports && ev.ports.length) { drop("transfer"); return; }
    relay(ev.data);
  }

  // Serialize an accepted message and queue it for Python (both sources end here).
  function relay(value) {
    let json;
    try { json = JSON.stringify(withErrorMessages(value)); } catch (e) { drop("unserializable"); return; }
    if (typeof json !== "string") { drop("unserializable"); return; }
    if (json.length > cfg.maxBytes) { drop("too-large"); return; }
    if (stopped) { drop("flood-stopped"); return; }  // the backlog of a stopped sender
    enqueue(json);
  }

  function setLoaded(f, loaded) {
    const label = document.querySelector(".loading");
    if (label) label.hidden = loaded;
    if (loaded) f.setAttribute("data-loaded", ""); else f.removeAttribute("data-loaded");
  }

  function onFrameLoad() {
    frameLoaded = true;
    setLoaded(frame(), true);
    if (bridge) bridge.frame_loaded();
    flushOutbound();
  }

  // Put an empty copy of the frame in its place and forget the old document's state. The old
  // document ends at once: navigating the same element leaves it running, and posting from the
  // same contentWindow, until the new one commits, so a message it sent meanwhile would pass as
  // the new document talking and what Python queued for that would go to the old one.
  function replaceFrame() {
    const f = frame();
    if (!f) return null;
    frameLoaded = false;
    frameTalking = false;
    outbound.length = 0;
    const empty = f.cloneNode(false);
    empty.removeAttribute("src");
    setLoaded(empty, false);
    f.replaceWith(empty);
    attachFrame();
    return empty;
  }

  function flushOutbound() {
    while (outbound.length) post(outbound.shift());
  }

  function attachFrame() {
    const f = frame();
    if (!f) return false;
    f.addEventListener("load", function () {
      if (f.getAttribute("src")) onFrameLoad();
    });
    return true;
  }

  function start() {
    if (typeof qt === "undefined" || !qt.webChannelTransport) { setTimeout(start, 20); return; }
    new QWebChannel(qt.webChannelTransport, function (channel) {
      bridge = channel.objects.portico_bridge;
      bridge.to_frame.connect(function (json) {
        if (eventsMode || frameLoaded || frameTalking) post(json);
        else if (outbound.length < 256) outbound.push(json);
      });
      bridge.navigate_frame.connect(function (url) {
        if (eventsMode) return;  // Python loads a top-level document itself
        // What the old document posted and Python has not had yet is its own business: counted,
        // not handled (an answer to it would reach the new document).
        dropQueued("old-document");
        const f = replaceFrame();
        // Everything from the relay after this call comes from the new document.
        bridge.frame_replaced();
        if (!f) return;
        stopped = false;
        f.setAttribute("src", url);
      });
      sendInbound();
      bridge.relay_ready();
      // A frame whose src came with the host page may have loaded before the channel was up.
      if (frameLoaded) bridge.frame_loaded();
    });
  }

  // --- desktop mode: the provider's own document, its window CustomEvents ---------------------
  // Page scripts fire them on window (Rocket.Chat's fireGlobalEventBase does for every event,
  // whatever its Iframe Integration settings). Read from this isolated world, a main-world
  // detail arrives as a structured clone: plain data only (a function, getter or toJSON makes it
  // null), so nothing of the page's objects runs here. Events of subframes never reach this
  // window; a cross-origin subframe cannot dispatch on it.
  function onWindowEvent(ev) {
    if (!stopped) countArrival();
    if (!(ev instanceof CustomEvent) || ev.target !== window) { drop("wrong-source"); return; }
    relay({eventName: ev.type, data: ev.detail});
  }

  // What Python sends a top-level document: {navigate: path} goes there the way a single-page
  // client's router goes itself (pushState, then a popstate carrying {path}, as Rocket.Chat's
  // RouterProvider does); {post: message} is posted to the document's own window, for listeners
  // that take messages from any sender.
  function runCommand(json) {
    let msg;
    try { msg = JSON.parse(json); } catch (e) { return; }
    if (msg && typeof msg.navigate === "string") {
      let url;
      try { url = new URL(msg.navigate, location.origin); } catch (e) { return; }
      if (url.origin !== location.origin) return;
      const path = url.pathname + url.search + url.hash;
      const state = {path: path};
      history.pushState(state, "", path);
      window.dispatchEvent(new PopStateEvent("popstate", {state: state}));
    } else if (msg && msg.post && typeof msg.post === "object") {
      window.postMessage(msg.post, cfg.origin);  // this document's own origin (checked at start)
    }
  }

  const eventsMode = location.protocol !== "portico:";
  if (!eventsMode) {
    window.addEventListener("message", onMessage, true);
    if (!attachFrame()) {
      document.addEventListener("DOMContentLoaded", attachFrame, { once: true });
    }
    start();
  } else if (cfg.events.length && location.origin === cfg.origin) {
    for (const name of cfg.events) window.addEventListener(name, onWindowEvent, true);
    start();
  }
})();
