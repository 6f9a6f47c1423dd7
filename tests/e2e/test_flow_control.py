"""Flow control in the relay: bursts get through whole, a frame that floods is stopped and Retry brings it back."""

from __future__ import annotations

import contextlib

from desktop.providers.spatialchat import SpatialChatProvider
from desktop.shell.provider_view import LifecycleState
from tests.helpers.fixtures import frame_eval, frame_poll, spatialchat_toml, wait_ready, write_config
from tests.helpers.sites import probe_url

#: Posts ``get_space_ids`` requests from the provider frame as fast as it can for ``ms``
#: milliseconds, yielding to its own event loop every 10 ms, like bench/site.py's storm.
FLOOD = """(function (ms) {
  const end = performance.now() + ms;
  window.floodPosted = 0;
  (function tick() {
    const slice = performance.now() + 10;
    while (performance.now() < slice) {
      window.parent.postMessage({name: "get_space_ids", requestId: "f" + window.floodPosted}, "*");
      window.floodPosted++;
    }
    if (performance.now() < end) setTimeout(tick, 0);
  })();
  return "started";
})(%d)"""

#: ``n`` requests in one synchronous loop, ``count`` times, ``gap`` ms apart: busy chat traffic.
BURSTS = """(function (n, count, gap) {
  let left = count;
  (function burst() {
    for (let i = 0; i < n; i++)
      window.parent.postMessage({name: "get_space_ids", requestId: "b" + left + "-" + i}, "*");
    if (--left > 0) setTimeout(burst, gap);
  })();
  return "started";
})(%d, %d, %d)"""


def _requests(provider: SpatialChatProvider) -> list[str]:
    seen: list[str] = []
    provider.space_ids_requested.connect(lambda request_id: seen.append(request_id))
    return seen


def test_bursts_of_chat_traffic_all_arrive_and_the_frame_keeps_running(probe_server, run_shell, tmp_path, qtbot):
    shell = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server))))
    view = shell.views["room"]
    wait_ready(qtbot, view)
    seen = _requests(shell.providers["room"])
    stopped: list[bool] = []
    view.bridge.flood_stopped.connect(lambda: stopped.append(True))

    assert frame_eval(qtbot, view, BURSTS % (500, 4, 300)) == "started"
    qtbot.waitUntil(lambda: len(seen) == 2000, timeout=30_000)
    # One more request after the bursts: handled in order, it comes after any duplicate would have.
    frame_eval(qtbot, view, "window.sendToParent({name: 'get_space_ids', requestId: 'last'}); 'ok'")
    qtbot.waitUntil(lambda: "last" in seen, timeout=10_000)
    assert len(seen) == 2001 and len(set(seen)) == 2001 and seen[-1] == "last", "every request handled exactly once"
    assert not stopped and not view.showing_error()
    assert sum(view.bridge.dropped.values()) == 0
    frame_poll(qtbot, view, "window.received.filter(m => m.data.name === 'space_ids').length", 2001, timeout=30_000)


def test_a_frame_that_floods_is_stopped_counted_and_retry_loads_it_again(probe_server, run_shell, tmp_path, qtbot):
    shell = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server))))
    view = shell.views["room"]
    wait_ready(qtbot, view)
    seen = _requests(shell.providers["room"])

    with qtbot.waitSignal(view.bridge.flood_stopped, timeout=30_000):
        assert frame_eval(qtbot, view, FLOOD % 20_000) == "started"
    handled = len(seen)
    assert view.showing_error()
    # The removed frame's renderer would keep posting: the page is discarded, which ends it.
    assert view.lifecycle_state() == LifecycleState.Discarded
    shell.desktop.hibernator.on_selected("room")
    assert view.lifecycle_state() == LifecycleState.Discarded, "only Retry wakes a flooded page"
    assert "more messages than Portico can handle" in view.panel.message.text()
    # What the relay had queued was counted (and sent before the page went), not handled.
    assert view.bridge.dropped["flood-stopped"] > 0
    qtbot.wait(1000)  # a discarded page has nothing to signal: give a straggler time
    assert len(seen) == handled, "nothing from the stopped frame is handled any more"

    view.panel.retry_button.click()
    wait_ready(qtbot, view)
    assert view.lifecycle_state() == LifecycleState.Active

    # Waking a discarded page restores the frame's last document before the provider navigates
    # it again, so a request can be lost in between: ask until one is answered.
    def answered_again() -> bool:
        with contextlib.suppress(Exception):
            frame_eval(qtbot, view, "window.sendToParent({name: 'get_space_ids', requestId: 'again'}); 'ok'",
                       timeout=1000)
        qtbot.wait(200)
        return "again" in seen
    qtbot.waitUntil(answered_again, timeout=20_000)
    assert not view.showing_error()
    assert frame_eval(qtbot, view, "typeof window.floodPosted") == "undefined", "a fresh document"


#: ``per_tick`` requests every 100 ms for ``ms`` milliseconds: a steady stream, not a burst.
STREAM = """(function (perTick, ms) {
  const end = performance.now() + ms;
  window.streamPosted = 0;
  const timer = setInterval(function () {
    for (let i = 0; i < perTick; i++) {
      window.parent.postMessage({name: "get_space_ids", requestId: "s" + window.streamPosted}, "*");
      window.streamPosted++;
    }
    if (performance.now() > end) clearInterval(timer);
  }, 100);
  return "started";
})(%d, %d)"""


def test_a_steady_stream_above_the_rate_limit_is_stopped_after_seconds_and_every_message_is_accounted(
        probe_server, run_shell, tmp_path, qtbot):
    # 3,000 messages/s for up to 20 s: no chat client posts that many for seconds, so the relay's
    # rate breaker (2,000/s for 3 s) stops the frame within the stream, whether Portico keeps up
    # with it (a quiet machine) or queues part of it (a busy one, where the rest is dropped, counted).
    shell = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server))))
    view = shell.views["room"]
    wait_ready(qtbot, view)
    seen = _requests(shell.providers["room"])
    with qtbot.waitSignal(view.bridge.flood_stopped, timeout=30_000):
        assert frame_eval(qtbot, view, STREAM % (300, 20_000)) == "started"
    assert view.showing_error()
    dropped = view.bridge.dropped
    assert set(dropped) <= {"flood-stopped", "rate-limited"}, dropped
    arrived = len(seen) + dropped["flood-stopped"] + dropped["rate-limited"]
    # Not tripped early: the stream ran hot for the breaker's 3 s before it was stopped.
    assert arrived >= 2000 * 3, (len(seen), dict(dropped))
    assert len(seen) >= 1000, "the stream was handled while it ran, not only queued"
    assert len(set(seen)) == len(seen), "nothing handled twice"
