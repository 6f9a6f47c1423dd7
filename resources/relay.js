// Portico bridge relay. Injected by desktop/bridge/scripts.py into the host page's
// ApplicationWorld (isolated from page scripts and from every frame), top frame only,
// at DocumentCreation, after qwebchannel.js. PORTICO_CONFIG is prepended by Python:
//   {origin: "<exact provider origin>", frameId: "provider", maxBytes: N}
"use strict";
(function () {
  const cfg = PORTICO_CONFIG;
  let bridge = null;
  let frameLoaded = false;
  const inbound = [];           // [origin, json] received before the channel was up
  const outbound = [];          // JSON texts waiting for the frame's load event
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

  function post(json) {
    const f = frame();
    if (!f || !f.contentWindow) return;
    let msg;
    try { msg = JSON.parse(json); } catch (e) { return; }
    // Exact origin: if another document is in the frame, the browser drops the message.
    f.contentWindow.postMessage(msg, cfg.origin);
  }

  window.addEventListener("message", function (ev) {
    const f = frame();
    if (!f || ev.source === null || ev.source !== f.contentWindow) { drop("wrong-source"); return; }
    if (ev.origin !== cfg.origin) { drop("wrong-origin"); return; }
    if (ev.ports && ev.ports.length) { drop("transfer"); return; }
    let json;
    try { json = JSON.stringify(ev.data); } catch (e) { drop("unserializable"); return; }
    if (typeof json !== "string") { drop("unserializable"); return; }
    if (json.length > cfg.maxBytes) { drop("too-large"); return; }
    if (bridge) bridge.from_frame(ev.origin, json);
    else if (inbound.length < 256) inbound.push([ev.origin, json]);
    else drop("queue-full");
  }, true);

  function setLoaded(f, loaded) {
    const label = document.querySelector(".loading");
    if (label) label.hidden = loaded;
    if (loaded) f.setAttribute("data-loaded", ""); else f.removeAttribute("data-loaded");
  }

  function onFrameLoad() {
    frameLoaded = true;
    setLoaded(frame(), true);
    if (bridge) bridge.frame_loaded();
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
        if (frameLoaded) post(json);
        else if (outbound.length < 256) outbound.push(json);
      });
      bridge.navigate_frame.connect(function (url) {
        const f = frame();
        if (!f) return;
        frameLoaded = false;
        outbound.length = 0;
        setLoaded(f, false);
        f.setAttribute("src", url);
      });
      while (inbound.length) { const m = inbound.shift(); bridge.from_frame(m[0], m[1]); }
      bridge.relay_ready();
    });
  }

  if (!attachFrame()) {
    document.addEventListener("DOMContentLoaded", attachFrame, { once: true });
  }
  start();
})();
