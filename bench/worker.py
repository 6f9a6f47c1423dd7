"""One measurement in one fresh process: ``python -m bench.worker PHASE MODE PARAMS_JSON``.

PHASE ``storm``: MODE is ``portico`` (the full path) or ``raw`` (the baseline). PHASE ``bridge``
(MODE ``both``) measures the two paths in this one process, in alternating blocks.
PHASE ``hibernate`` (MODE ``portico``) measures its own baseline: see bench/hibernate.py.
The last line on stdout is ``@@BENCH <json>``: the result the orchestrator reads.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from typing import Any

from bench.stats import percentile

RESULT_PREFIX = "@@BENCH "


def _burst(rig: Any, n: int, timeout: float = 60.0) -> float:
    """Post ``n`` one-way events from the frame in one synchronous loop; msg/s until the last
    one reached the end of the path (the hub signal, or the raw slot)."""
    from bench.rig import wait_until
    rig.counter.reset()
    frame = rig.frame()
    start = time.perf_counter()
    frame.runJavaScript(f"burst({n})", rig_main_world(), lambda _r: None)
    if not wait_until(lambda: rig.counter.count >= n, timeout, poll_ms=2):
        raise TimeoutError(f"burst: {rig.counter.count} of {n} arrived")
    return n / (rig.counter.last - start)


def rig_main_world() -> Any:
    from bench.rig import MAIN_WORLD
    return MAIN_WORLD


def _roundtrips(rig: Any, n: int, interval_ms: float, warmup: int) -> dict[str, Any]:
    """``n`` get_space_ids round trips timed in the frame, one at a time or paced: the samples
    (ms), how many were answered and in how long (ms), for :func:`_pool_roundtrips`."""
    from bench.rig import wait_until
    rig.frame_eval(f"roundtrips({n}, {interval_ms}, {warmup})")
    box: list[str] = []

    def done() -> bool:
        value = rig.frame_eval("rtResult()")
        if value:
            box.append(value)
        return bool(box)

    expected = (n + warmup) * max(interval_ms, 1) / 1000 + 60
    if not wait_until(done, expected, poll_ms=200):
        raise TimeoutError("round trips did not finish")
    result = json.loads(box[0])
    return {"samples": result["samples"], "got": result["got"], "elapsed_ms": result["elapsed"]}


def bridge_phase(rigs: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """Portico and the raw relay in one process, measured in alternating blocks.

    Each part (bursts, round trips one at a time, paced round trips, paced one-way events) is cut
    into ``blocks`` blocks that alternate between the two paths (Portico then raw, raw then
    Portico, ...); each path's samples are pooled. Both paths thus see the same machine state to
    within a few seconds: on a shared VM that state moves more than the paths differ (round trips
    measured 2.8 ms, then 4.4 ms a minute later, for either path).
    """
    from bench.rig import spin
    sides = tuple(rigs)

    def order(i: int) -> tuple[str, ...]:
        return sides if i % 2 == 0 else sides[::-1]

    blocks = max(1, int(params.get("blocks", 1)))
    for side in sides:
        for _ in range(params.get("warmup_bursts", 1)):
            _burst(rigs[side], params["burst_n"])
    rates: dict[str, list[float]] = {side: [] for side in sides}
    for i in range(params["bursts"]):
        for side in order(i):
            spin(0.1)
            rates[side].append(_burst(rigs[side], params["burst_n"]))
    parts: dict[str, dict[str, list[dict[str, Any]]]] = {side: {"sequential": [], "paced": [], "one_way": []}
                                                         for side in sides}
    schedule: list[tuple[str, str]] = []
    warmup, interval = params["rt_warmup"], params["paced_interval_ms"]
    for part, total, run in (("sequential", params["rt_n"], lambda rig, n: _roundtrips(rig, n, 0, warmup)),
                             ("paced", params["paced_n"], lambda rig, n: _roundtrips(rig, n, interval, warmup)),
                             ("one_way", params["paced_n"], lambda rig, n: _one_way(rig, n, interval, warmup))):
        for i in range(blocks):
            for side in order(i):
                spin(0.1)
                parts[side][part].append(run(rigs[side], max(1, total // blocks)))
                schedule.append((part, side))
    results: dict[str, Any] = {"schedule": schedule}
    for side in sides:
        results[side] = {"burst_rates": rates[side], "sequential": _pool_roundtrips(parts[side]["sequential"]),
                         "paced": _pool_roundtrips(parts[side]["paced"]), "one_way": _pool_one_way(parts[side]["one_way"])}
    return results


def _latency_stats(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": percentile(samples, 50), "p99_ms": percentile(samples, 99), "max_ms": max(samples),
            "n": len(samples)}


def _pooled(blocks: list[dict[str, Any]], key: str) -> list[float]:
    """One path's ``key`` samples of all its blocks, in one list."""
    return [x for block in blocks for x in block[key]]


def _pool_roundtrips(blocks: list[dict[str, Any]]) -> dict[str, float]:
    elapsed = sum(block["elapsed_ms"] for block in blocks)
    return {**_latency_stats(_pooled(blocks, "samples")),
            "rate": sum(block["got"] for block in blocks) / (elapsed / 1000)}


def _pool_one_way(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    result = _latency_stats(_pooled(blocks, "samples"))
    # Each block's own p99: how much of the pooled figure is the moment it was measured in.
    result["block_p99_ms"] = [percentile(block["samples"], 99) for block in blocks]
    if all("hop" in block for block in blocks):
        # frame -> host page: Chromium's cross-process postMessage (via the browser's UI thread);
        # host page -> end of the path: the relay, the channel and Python (Portico's own part).
        hop, rest = _pooled(blocks, "hop"), _pooled(blocks, "rest")
        result.update(hop_p50_ms=percentile(hop, 50), hop_p99_ms=percentile(hop, 99),
                      rest_p50_ms=percentile(rest, 50), rest_p99_ms=percentile(rest, 99))
    return result


def _one_way(rig: Any, n: int, interval_ms: float, warmup: int) -> dict[str, Any]:
    """Paced one-way events, frame post to the end of the path, by wall-clock stamps (ms); with
    the first hop's share (``hop``) and the rest's (``rest``) when every tick was stamped."""
    from bench.rig import wait_until
    rig.counter.reset()
    total = n + warmup
    # The first hop, measured where it ends: a listener in the host page's ApplicationWorld (the
    # relay's world) stamps each tick on arrival, before the relay's own listener sees it.
    host_eval(rig, "window.__hop = []; if (!window.__hopListens) { window.__hopListens = true;"
                   " window.addEventListener('message', function (e) {"
                   " if (e.data && e.data.name === 'bench_tick') window.__hop.push("
                   "performance.timeOrigin + performance.now() - e.data.t); }, true); } 0")
    rig.frame_eval(f"ticks({total}, {interval_ms})")
    if not wait_until(lambda: rig.counter.count >= total, total * interval_ms / 1000 + 60, poll_ms=50):
        raise TimeoutError(f"one-way: {rig.counter.count} of {total} arrived")
    samples = rig.counter.one_way[warmup:]
    result: dict[str, Any] = {"samples": samples}
    hop = json.loads(host_eval(rig, "JSON.stringify(window.__hop)"))[warmup:]
    if len(hop) == len(samples):
        result.update(hop=hop, rest=[total_ms - first for total_ms, first in zip(samples, hop)])
    return result


def storm_phase(rig: Any, params: dict[str, Any], site: Any) -> dict[str, Any]:
    """Flood for ``seconds``; the loop's lateness, memory, and what was accepted or dropped."""
    from bench.pss import PssSampler, tree_pss
    from bench.rig import LoopProbe, spin, wait_until

    seconds = params["seconds"]
    pause = params.get("pause", 0.5)
    spin(pause)
    rig.counter.reset()
    site.reset()
    stopped: list[float] = []
    flood_signal = getattr(rig.bridge, "flood_stopped", None)
    if flood_signal is not None:
        flood_signal.connect(lambda: stopped.append(time.perf_counter()))
    # An independent count, in the host page's ApplicationWorld, of what Chromium delivered.
    host_eval(rig, "window.__delivered = 0; window.addEventListener('message', function (e) {"
                   " if (e.data && e.data.name === 'bench_tick') window.__delivered++; }, true); 0")
    before = tree_pss(os.getpid())["pss_mb"]
    sampler = PssSampler(os.getpid(), interval=params.get("pss_interval", 0.5)).start()
    probe = LoopProbe(5)
    probe.start()
    start = time.perf_counter()
    rig.frame_eval(f"storm({int(seconds * 1000)})")
    spin(seconds)
    # The frame reports its count to the bench server; it is final once the frame said it
    # finished, or once Portico's flood breaker unloaded it (its pagehide report).
    wait_until(lambda: site.storm_done or bool(stopped), 300, poll_ms=50)
    spin(pause)  # the frame's last report (on pagehide after a stop) is on its way
    sent = site.storm_sent

    def handled() -> int:
        st = rig.stats()
        return st["accepted"] + sum(st["dropped"].values())

    # Drain: whatever Chromium still queues reaches the host page now (or never: it discards what
    # a document posted just before it was unloaded). Asking the host page waits for its backlog;
    # then the relay's drop counts (sent every 200 ms) and the last batches must come in.
    discarded = bool(stopped) and _discarded(rig)
    delivered: int | None = None
    if discarded:
        # Portico discarded the page after stopping the frame: nothing more reaches it, and the
        # relay sent its counts before it went, so what it handled is what was delivered.
        spin(pause)
        delivered = handled()
    else:
        deadline = time.monotonic() + params.get("drain_timeout", 30)
        while time.monotonic() < deadline:
            delivered = host_count(rig, max(1.0, deadline - time.monotonic()))
            if delivered is not None and handled() >= delivered:
                break
            spin(0.25)
    end = time.perf_counter()
    drained = delivered is not None and handled() >= delivered
    spin(max(pause, 0.3))  # the relay reports its drop counts every 200 ms
    probe.stop()
    sampler.stop()
    after = tree_pss(os.getpid())["pss_mb"]
    st = rig.stats()
    dropped = sum(st["dropped"].values())
    if drained and not discarded:
        delivered = host_count(rig, 30) or delivered
    lateness = probe.lateness
    return {
        "seconds": seconds,
        "sent": sent,
        "delivered": delivered,  # reached the host page (the rest Chromium never delivered)
        "accepted": st["accepted"],
        "dropped": dropped,
        "dropped_by_reason": st["dropped"],
        # reached Portico, yet not counted (None: the host page still had not caught up)
        "unaccounted": delivered - st["accepted"] - dropped if drained and delivered is not None else None,
        "undelivered": sent - delivered if drained and delivered is not None else None,
        "drained": drained,  # every delivered message accepted or counted within drain_timeout
        "stopped_after_s": stopped[0] - start if stopped else None,
        "busy_s": end - start,  # from the storm's start until every message was accepted or dropped
        "accepted_per_s": st["accepted"] / (end - start),
        "max_delay_ms": max(rig.counter.one_way, default=0.0),  # frame post -> end of path
        "p50_delay_ms": percentile(rig.counter.one_way, 50),
        "max_stall_ms": max(lateness, default=0.0),
        # when the longest stall ended, in seconds since the storm's start (compare stopped_after_s)
        "max_stall_at_s": (probe.times[lateness.index(max(lateness))] - start) if lateness else None,
        "stalls_over_50ms_at_s": [round(t - start, 2) for t, late in zip(probe.times, lateness) if late > 50],
        "p99_stall_ms": percentile(lateness, 99),
        "ticks": len(lateness),
        "pss_before_mb": before,
        "pss_peak_mb": max(sampler.peak, after),
        "pss_after_mb": after,
        "pss_growth_mb": max(sampler.peak, after) - before,
        "pss_samples": sampler.samples,
    }


def _discarded(rig: Any) -> bool:
    """Whether the host page was discarded (Portico does that to a page whose frame flooded)."""
    from PySide6.QtWebEngineCore import QWebEnginePage
    return rig.page.lifecycleState() == QWebEnginePage.LifecycleState.Discarded


def host_count(rig: Any, timeout: float) -> int | None:
    """How many bench messages reached the host page, or None if it does not answer in time."""
    try:
        return int(host_eval(rig, "window.__delivered", timeout))
    except (TimeoutError, TypeError, ValueError):
        return None


def host_eval(rig: Any, js: str, timeout: float = 60.0) -> Any:
    """Run ``js`` in the host page's ApplicationWorld (where the relay lives)."""
    from bench.rig import APP_WORLD, wait_until
    box: list[Any] = []
    rig.page.runJavaScript(js, APP_WORLD, box.append)
    if not wait_until(lambda: bool(box), timeout, poll_ms=5):
        raise TimeoutError("the host page did not answer")
    return box[0]



def main(argv: list[str]) -> int:
    phase, mode, params = argv[0], argv[1], json.loads(argv[2]) if len(argv) > 2 else {}
    from desktop.qtargs import create_application

    from bench.rig import make_rig
    from bench.site import BenchSite

    app = create_application(headless=True)
    site = BenchSite().start()
    root = tempfile.mkdtemp(prefix=f"portico-bench-{phase}-{mode}-")
    rigs: dict[str, Any] = {}
    try:
        import pathlib
        if phase == "hibernate":
            from bench.hibernate import hibernate_phase
            result = {**hibernate_phase(site.url(heap_mb=int(params.get("heap_mb", 0))), pathlib.Path(root), params), "phase": phase, "mode": mode}
            print(RESULT_PREFIX + json.dumps(result), flush=True)
            return 0
        if phase == "bridge":
            # Both paths in this process (bridge_phase); ``params["first"]`` is built and measured first.
            first = params.get("first", "portico")
            for side in (first, "raw" if first == "portico" else "portico"):
                rigs[side] = make_rig(side, site.url(), pathlib.Path(root) / side)
            result = bridge_phase(rigs, params)
            for side, built in rigs.items():
                result[side]["stats"] = built.stats()
            result.update(phase=phase, mode=mode)
        else:
            t0 = time.perf_counter()
            rigs[mode] = make_rig(mode, site.url(), pathlib.Path(root))
            ready_s = time.perf_counter() - t0
            result = storm_phase(rigs[mode], params, site)
            result.update(phase=phase, mode=mode, ready_s=ready_s, stats=rigs[mode].stats())
    finally:
        for built in rigs.values():
            built.close()
        site.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
