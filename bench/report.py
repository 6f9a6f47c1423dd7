"""Turns ``results.json`` into the summary table, docs/benchmarks.md and docs/benchmarks.png."""

from __future__ import annotations

import math
import pathlib
from typing import Any

from bench.stats import median, median_interval, ratio

STALL_GOAL_MS = 100.0
LATENCY_GOAL_MS = 2.0
THROUGHPUT_GOAL = 0.8
STARTUP_GOAL = 1.5
#: Hibernation must free at least this share of the discarded provider's own renderer memory.
HIBERNATE_GOAL = 0.7
#: "Bounded memory" under the storm: PSS no longer rising in the storm's second half (MB/s).
STORM_SLOPE_GOAL = 1.0


def _row(section: str, figure: str, unit: str, portico: float | None, base: float | None,
         r: float | None = None, goal: str = "", met: bool | None = None, note: str = "",
         base_name: str = "raw") -> dict[str, Any]:
    return {"section": section, "figure": figure, "unit": unit, "portico": portico, "baseline": base,
            "baseline_name": base_name, "ratio": r, "goal": goal, "met": met, "note": note}


def _pair_values(pairs: list[dict[str, Any]], get: Any) -> tuple[list[float], list[float], list[float]]:
    """Portico's values, the baseline's, and the per-pair ratios (of the pairs that have both)."""
    def value(side: dict[str, Any]) -> float | None:
        try:
            return get(side)
        except TypeError:  # a figure a run could not produce (None)
            return None
    both = [(value(pair["portico"]), value(pair["base"])) for pair in pairs]
    return ([x for x, _ in both if x is not None], [y for _, y in both if y is not None],
            [ratio(x, y) for x, y in both if x is not None and y is not None])


def _pairs_stat(pairs: list[dict[str, Any]], get: Any) -> tuple[float, float, float]:
    """Median of Portico's values, of the baseline's, and of the per-pair ratios."""
    p, b, ratios = _pair_values(pairs, get)
    return median(p) if p else None, median(b) if b else None, median(ratios) if ratios else None


def _blocks_under_goal(pairs: list[dict[str, Any]]) -> str:
    """How many of the measured blocks (P and raw alike) had their own one-way p99 under the goal."""
    counts: dict[str, tuple[int, int, float, float]] = {}
    for side in ("portico", "base"):
        blocks = [p99 for pair in pairs for p99 in pair[side]["one_way"].get("block_p99_ms", [])]
        if not blocks:
            return ""
        counts[side] = (sum(p99 < LATENCY_GOAL_MS for p99 in blocks), len(blocks), min(blocks), max(blocks))
    (p_met, p_n, p_lo, p_hi), (b_met, b_n, b_lo, b_hi) = counts["portico"], counts["base"]
    return (f"under {LATENCY_GOAL_MS:g} ms in {p_met} of {p_n} blocks (raw {b_met} of {b_n}); "
            f"blocks' p99 {p_lo:.2f}–{p_hi:.2f} ms (raw {b_lo:.2f}–{b_hi:.2f})")


def late_slope(samples: list[list[float]], seconds: float) -> float:
    """Least-squares PSS slope (MB/s) over the second half of the storm."""
    pts = [(t, mb) for t, mb in samples if seconds / 2 <= t <= seconds]
    if len(pts) < 2:
        return 0.0
    mt = sum(t for t, _ in pts) / len(pts)
    mm = sum(mb for _, mb in pts) / len(pts)
    den = sum((t - mt) ** 2 for t, _ in pts)
    return sum((t - mt) * (mb - mm) for t, mb in pts) / den if den else 0.0


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    if results.get("bridge"):
        pairs = results["bridge"]
        s = "Bridge"
        p, b, r = _pairs_stat(pairs, lambda x: median(x["burst_rates"]))
        rows.append(_row(s, "burst from the frame, one-way events (throughput)", "msg/s", p, b, r,
                         f"ratio ≥ {THROUGHPUT_GOAL}", r >= THROUGHPUT_GOAL))
        p, b, r = _pairs_stat(pairs, lambda x: x["sequential"]["rate"])
        rows.append(_row(s, "request/response round trips, one at a time", "round trips/s", p, b, r,
                         f"ratio ≥ {THROUGHPUT_GOAL}", r >= THROUGHPUT_GOAL))
        p, b, r = _pairs_stat(pairs, lambda x: x["sequential"]["p50_ms"])
        rows.append(_row(s, "round trip, one at a time: p50", "ms", p, b, r))
        for q in ("p50", "p99"):
            p, b, r = _pairs_stat(pairs, lambda x, q=q: x["one_way"][f"{q}_ms"])
            goal, met = (f"< {LATENCY_GOAL_MS:g} ms", p < LATENCY_GOAL_MS) if q == "p99" else ("", None)
            rows.append(_row(s, f"one-way latency at 100 msg/s (frame → hub): {q}", "ms", p, b, r, goal, met,
                             note=_blocks_under_goal(pairs) if q == "p99" else ""))
        for key, figure in (("hop", "… of which frame → host page (Chromium's cross-process postMessage)"),
                            ("rest", "… of which host page → hub (relay, channel, Python)")):
            for q in ("p50", "p99"):
                p, b, r = _pairs_stat(pairs, lambda x, k=f"{key}_{q}_ms": x["one_way"].get(k))
                if p is not None and b is not None:
                    rows.append(_row(s, f"{figure}: {q}", "ms", p, b, r))
        for q in ("p50", "p99"):
            p, b, r = _pairs_stat(pairs, lambda x, q=q: x["paced"][f"{q}_ms"])
            rows.append(_row(s, f"round trip at 100 msg/s (frame → Python → frame): {q}", "ms", p, b, r))
        calibration = results.get("machine")
        if calibration:
            cold, warm = calibration["cold_p50_us"], calibration["warm_p50_us"]
            rows.append(_row(s, "this machine: a tick's JSON decode 10 ms after the last (100 msg/s pacing), p50",
                             "µs", cold, warm, ratio(cold, warm), base_name="right after itself",
                             note="what any code on the message path costs at that pace: its caches are cold"))
    if results.get("startup"):
        pairs = results["startup"]
        p, b, r = _pairs_stat(pairs, lambda x: x)
        each = sorted(_pair_values(pairs, lambda x: x)[2])
        spread = f"runs' ratios {each[0]:.2f}–{each[-1]:.2f}" if len(each) > 1 else ""
        interval = median_interval(each)
        if interval is not None:
            # One process start varies by ±60 ms here; the interval says how sure the median is.
            spread += f", the median's 95% interval {interval[0]:.2f}–{interval[1]:.2f}"
        rows.append(_row("Startup", "process start → first provider frame loaded and answered", "s", p, b, r,
                         f"ratio ≤ {STARTUP_GOAL}", r <= STARTUP_GOAL, note=spread, base_name="bare view"))
        floors = [pair for pair in pairs if pair.get("floor")]
        if floors:
            # The second baseline splits the ratio: what the architecture costs (floor ÷ bare) and
            # what Portico's own code costs on top (Portico ÷ floor).
            f, b2, r2 = _pairs_stat([{"portico": x["floor"], "base": x["base"]} for x in floors], lambda x: x)
            rows.append(_row("Startup", "the same with the host-page floor instead of Portico (bench/floor.py)",
                             "s", f, b2, r2, base_name="bare view"))
            p3, f3, r3 = _pairs_stat([{"portico": x["portico"], "base": x["floor"]} for x in floors], lambda x: x)
            rows.append(_row("Startup", "Portico over the host-page floor: its own code", "s", p3, f3, r3,
                             base_name="floor"))
    if results.get("memory"):
        per_n = {}
        for n, pairs in sorted(results["memory"].items(), key=lambda kv: int(kv[0])):
            p, b, r = _pairs_stat(pairs, lambda x: x["pss_mb"])
            procs_p = max(pair["portico"]["processes"] for pair in pairs)
            procs_b = max(pair["base"]["processes"] for pair in pairs)
            per_n[int(n)] = (p, b)
            rows.append(_row("Memory", f"total PSS, {n} provider{'s' if n != '1' else ''}", "MB", p, b, r,
                             note=f"{procs_p} vs {procs_b} processes", base_name="bare views"))
        ns = sorted(per_n)
        if len(ns) > 1:
            lo, hi = ns[0], ns[-1]
            rows.append(_row("Memory", f"each provider after the first ({lo} → {hi})", "MB",
                             (per_n[hi][0] - per_n[lo][0]) / (hi - lo), (per_n[hi][1] - per_n[lo][1]) / (hi - lo),
                             ratio(per_n[hi][0] - per_n[lo][0], per_n[hi][1] - per_n[lo][1]),
                             base_name="bare views"))
    heaps = sorted({int(run.get("heap_mb", 0)) for run in results.get("hibernate") or []})
    for heap_mb in heaps:
        samples = [s for run in results.get("hibernate") or [] if int(run.get("heap_mb", 0)) == heap_mb
                   for s in run["samples"]]
        if not samples:
            continue
        freed = median([s["freed_mb"] for s in samples])
        renderer = median([s["renderer_mb"] for s in samples])
        r = median([ratio(s["freed_mb"], s["renderer_mb"]) for s in samples])
        gone = max(s["processes_gone"] for s in samples)
        uss = median([s["renderer_uss_mb"] for s in samples])
        r_uss = median([ratio(s["freed_mb"], s["renderer_uss_mb"]) for s in samples])
        # The goal is judged where the page holds memory as a real app does; the bare page's
        # renderers are mostly shared libraries, which no discard can free (shown, not judged).
        judged = heap_mb > 0 or len(heaps) == 1
        page = f"a page holding {heap_mb} MB like a chat client" if heap_mb else "the bare bench page"
        rows.append(_row("Memory", f"hibernation: PSS freed by discarding one idle provider, {page}", "MB",
                         freed, renderer, r, f"ratio ≥ {HIBERNATE_GOAL:g}" if judged else "",
                         (r >= HIBERNATE_GOAL) if judged else None,
                         note=f"{gone} processes end; {len(samples)} discards", base_name="its renderers' PSS"))
        rows.append(_row("Memory", "… the same against its renderers' unique memory (USS)", "MB", freed, uss, r_uss,
                         note="their shared pages stay mapped by the other processes",
                         base_name="its renderers' USS"))
    if results.get("storm"):
        pairs = results["storm"]
        s = "Storm"
        seconds = pairs[0]["portico"]["seconds"]
        p, b, r = _pairs_stat(pairs, lambda x: x["max_stall_ms"])
        rows.append(_row(s, "longest event-loop stall (5 ms timer lateness)", "ms", p, b, r,
                         f"< {STALL_GOAL_MS:g} ms", p < STALL_GOAL_MS))
        p, b, r = _pairs_stat(pairs, lambda x: x["p99_stall_ms"])
        rows.append(_row(s, "event-loop lateness p99", "ms", p, b, r))
        p, b, _ = _pairs_stat(pairs, lambda x: late_slope(x["pss_samples"], x["seconds"]))
        rows.append(_row(s, f"PSS slope in the storm's second half ({seconds / 2:g}–{seconds:g} s)", "MB/s", p, b,
                         None, f"bounded: < {STORM_SLOPE_GOAL:g} MB/s", p < STORM_SLOPE_GOAL))
        p, b, r = _pairs_stat(pairs, lambda x: x["pss_growth_mb"])
        rows.append(_row(s, "memory growth (peak PSS − PSS before)", "MB", p, b, r))
        stops = [pair["portico"]["stopped_after_s"] for pair in pairs]
        if any(t is not None for t in stops):
            rows.append(_row(s, "flooding frame stopped by the flood breaker after", "s",
                             median([t for t in stops if t is not None]), None, None,
                             note=f"in {sum(t is not None for t in stops)} of {len(stops)} runs; Retry reloads it"))
        p, b, r = _pairs_stat(pairs, lambda x: x["sent"])
        rows.append(_row(s, "messages posted by the frame", "msgs", p, b, r,
                         note="Portico stops the frame early" if any(stops) else ""))
        p, b, r = _pairs_stat(pairs, lambda x: x["undelivered"])
        rows.append(_row(s, "posted but never delivered by Chromium (discarded with the stopped document)",
                         "msgs", p, b, None))
        p, b, r = _pairs_stat(pairs, lambda x: x["accepted"])
        rows.append(_row(s, "messages accepted (to the end of the path)", "msgs", p, b, r))
        p, b, r = _pairs_stat(pairs, lambda x: x["dropped"])
        reasons: dict[str, int] = {}
        for pair in pairs:
            for k, v in pair["portico"]["dropped_by_reason"].items():
                reasons[k] = reasons.get(k, 0) + v
        total = sum(reasons.values()) or 1
        rows.append(_row(s, "messages dropped and counted with a reason", "msgs", p, b, None,
                         note=", ".join(f"{k} {v / total:.0%}" for k, v in sorted(reasons.items(),
                                                                                key=lambda kv: -kv[1])) or "none"))
        known = [pair["portico"]["unaccounted"] for pair in pairs if pair["portico"]["unaccounted"] is not None]
        known_b = [pair["base"]["unaccounted"] for pair in pairs if pair["base"]["unaccounted"] is not None]
        unacc = max((abs(u) for u in known), default=None)
        rows.append(_row(s, "delivered, yet neither accepted nor counted as dropped", "msgs", unacc,
                         max((abs(u) for u in known_b), default=None), None, "0",
                         unacc == 0 if unacc is not None else None,
                         note="" if len(known) == len(pairs) else
                         f"checked in {len(known)} of {len(pairs)} runs: in the others the host page was still "
                         "working through Chromium's backlog when the drain timeout ended"))
        p, b, r = _pairs_stat(pairs, lambda x: x["max_delay_ms"] / 1000)
        rows.append(_row(s, "longest delay of an accepted message (frame post → end of path)", "s", p, b, r))
        p, b, r = _pairs_stat(pairs, lambda x: x["busy_s"])
        rows.append(_row(s, "time until every delivered message was handled", "s", p, b, r,
                         note=f"the frame floods for {seconds:g} s"))
    return {"rows": rows, "meta": results.get("meta", {})}


# --- text and markdown ------------------------------------------------------------------------

def _fmt(value: float | None, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit in {"msg/s", "round trips/s", "msgs"}:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _met(met: bool | None) -> str:
    return "" if met is None else ("✅ met" if met else "❌ not met")


def table_text(summary: dict[str, Any]) -> str:
    lines = []
    for row in summary["rows"]:
        lines.append(f"{row['section']:8} {row['figure'][:58]:58} {_fmt(row['portico'], row['unit']):>9} "
                     f"{_fmt(row['baseline'], row['unit']):>9} {row['unit']:<13} "
                     f"{'x' + _fmt(row['ratio']) if row['ratio'] is not None else '':>7} {row['goal']:>16} "
                     f"{_met(row['met'])} {row['note']}")
    return "\n".join(lines)


def markdown_table(summary: dict[str, Any]) -> str:
    out = ["| | figure | Portico | baseline | unit | ratio | goal | |", "|---|---|---:|---:|---|---:|---|---|"]
    last = ""
    for row in summary["rows"]:
        section = row["section"] if row["section"] != last else ""
        last = row["section"]
        baseline = _fmt(row["baseline"], row["unit"])
        if baseline != "–":
            baseline += f" ({row['baseline_name']})"
        note = f" {row['note']}" if row["note"] else ""
        ratio_text = f"{row['ratio']:.2f}" if row["ratio"] is not None and not math.isnan(row["ratio"]) else "–"
        out.append(f"| {section} | {row['figure']}{(' — ' + note.strip()) if note else ''} | "
                   f"{_fmt(row['portico'], row['unit'])} | {baseline} | {row['unit']} | {ratio_text} | "
                   f"{row['goal']} | {_met(row['met'])} |")
    return "\n".join(out)


def write_markdown(summary: dict[str, Any], results: dict[str, Any], path: pathlib.Path, chart: str) -> None:
    m = summary["meta"]
    p = m.get("params", {})
    br = p.get("bridge", {})
    st = p.get("storm", {})
    machine = results.get("machine")
    machine_text = "" if not machine else (
        "\n*This machine* (`bench/machine.py`): before the bridge runs, the same JSON decode of a tick is\n"
        "timed right after a 10 ms pause (the pace of the 100 msg/s figures) and again right after itself,\n"
        f"in {machine['pairs']} pairs. On a shared VM the caches a message path used are mostly gone 10 ms\n"
        "later, so every line of Python on that path costs about this many times what a warm\n"
        "micro-benchmark says. Portico runs more Python per message than the raw slot (validation, a\n"
        "typed event, the hub's signals), and at 100 msg/s each line of it costs that much more.")
    text = f"""# Benchmarks

Generated by `bash bench/run` ({m.get('profile', '?')} profile) on {m.get('date', '?')}, commit `{m.get('commit', '?')}`:
{m.get('cpus', '?')} CPUs ({m.get('machine', '')}, {m.get('system', '')}), Python {m.get('python', '?')},
PySide6 {m.get('pyside6', '?')}, offscreen, `--site-per-process --disable-gpu`; the run took
{m.get('duration_s', 0) / 60:.1f} minutes, load average before it {', '.join(f'{x:.2f}' for x in m.get('load_avg', []))}.
**Every figure is relative to a baseline measured in the same run on the same machine**: the
absolute numbers belong to this small, shared VM, the ratios are the point.

![Portico against its baselines]({chart})

{markdown_table(summary)}

Each value is the median over {p.get('runs', '?')} (bridge), {p.get('startup_runs', '?')} (startup),
{p.get('memory_runs', '?')} (memory) and {p.get('storm_runs', '?')} (storm) runs, each run a fresh
process; Portico and the baseline alternate which goes first, and the ratio column is the median of
the per-run ratios (Portico ÷ baseline), so it can differ slightly from the ratio of the two medians.
A bridge run is one process holding both paths, measured in {p.get('bridge', {}).get('blocks', '?')} alternating blocks per part
(below), so that both see the same machine state.

## What is measured

**Bridge.** A provider frame (`bench/site.py`, served on `http://127.0.0.1`) inside Portico's host
page `portico://app/provider/bench`. *Portico* is a real `Shell` with a bench-only provider
(`bench/rig.py: BenchProvider`: SpatialChat's host plus a typed one-way `bench_tick` event), so each
message passes relay.js (source, origin, size), `Bridge` (origin again, bounded parse, envelope
limits), `parse` into a typed event, `handle`, and the hub's `event_received`, where it is counted.
*Raw* is the same host page, scheme handler and CSP, profile, `ProviderPage`, ApplicationWorld and
flags, with a bare QWebChannel relay that stringifies every message and hands it to a slot that
`json.loads` it, with no check at all (and answers `get_space_ids` with `json.dumps`).
Portico's `Shell` and the raw rig run side by side in one worker process (separate profiles, pages
and renderers), and every part below is cut into blocks that alternate between them (Portico then
raw, raw then Portico, ...); each path's samples are pooled over its blocks. On this shared VM the
machine's state moves more within a minute than the two paths differ (round trips one at a time
measured 2.8 ms, then 4.4 ms, for either path), so separate processes run one after the other
compared different machines. Bursts: the frame posts {br.get('burst_n', '?')} events in one loop; msg/s until the last one was counted,
median of {br.get('bursts', '?')} bursts per run. Round trips: SpatialChat `get_space_ids` requests
answered with `space_ids`, timed in the frame with `performance.now()`, one at a time
({br.get('rt_n', '?')}) and paced at 100/s ({br.get('paced_n', '?')}). One-way latency: {br.get('paced_n', '?')}
events paced at 100/s, stamped with the frame's wall clock and compared with Python's on arrival.
The split in two comes from a listener in the host page's ApplicationWorld that stamps each tick
as it arrives: *frame → host page* is Chromium's cross-process `postMessage` (site isolation puts
the frame and the host page in two renderers; the message passes the browser's UI thread, which is
the Qt event loop), the same path for Portico and raw; *host page → hub* is the relay, the
channel and Python. Percentiles of the parts need not add up to the whole's.{machine_text}

**Startup.** Wall time from `Popen` to the frame's `/answered` beacon on the bench server: for
`portico run --headless` the frame asks `get_space_ids` on `load` and beacons once Portico answered;
for the bare baseline (`bench/bare.py`: a QApplication with the same flags and a `QWebEngineView`
loading the frame's URL directly) the frame beacons on `load`. One unmeasured warm-up each first.
A second baseline splits the ratio in two: the *host-page floor* (`bench/floor.py`) is the
architecture docs/architecture.md describes, with none of Portico's code: a custom-scheme host page (its
own renderer process, under site isolation) with the frame in an iframe, a disk-backed profile,
and a QWebChannel relay that hands the frame's request to a Python slot and posts its answer back.
Floor ÷ bare is what the architecture costs; Portico ÷ floor is what Portico's own code costs
(its imports, config, window, validation).
Portico starts in two steps (README, "Start-up"): the shown provider's page first, then the rest
of the window (the other providers, sidebar, banners, plugins, desktop integration) in steps once
that page is ready, one per pass of the event loop. The clock stops at the page's answer, so the
second step is not in this figure; it ended 0.18–0.24 s later in 3 traces on this machine, with no
event-loop stall longer than 41 ms (`tests/e2e/test_startup.py` checks that nothing the page did
meanwhile is lost).
One process start varies by about ±60 ms on this VM whichever program it is, so single runs'
ratios spread widely; the row gives the median's distribution-free 95% interval (the order
statistics of the runs' ratios that cover the median with at least 95% confidence). All three
programs start the same interpreter of the same virtualenv, which (an editable install of Portico)
spends 14–19 ms more in `site` than a wheel install would (`python -X importtime`): that constant
lowers the start-up ratios by 0.01–0.03.

**Memory.** The same two programs with 1, 3 and 6 providers (Portico: one profile and host page
each; bare: that many views in a `QStackedWidget`, default profile). Once every frame answered
and {p.get('settle', '?')} s passed: the sum of `psutil` `memory_full_info().pss` over the process and all its
descendants (zygotes, renderers), median of 3 samples. PSS, not RSS: RSS counts every shared page
once per process and would more than double the totals.

**Hibernation.** A real `Shell` with {p.get('hibernate', {}).get('providers', '?')} bench providers, the first one shown; each
hidden one in turn is discarded the way the Hibernator does it. The baseline is the PSS of the
processes that end with it (its host page's renderer and its frame's renderer); the figure is how
much the whole tree's PSS fell, {p.get('hibernate_runs', '?')} run(s) each with the bare bench page and with the page
holding {max(p.get('hibernate_heaps', [0]) or [0])} MB of JavaScript data (filled typed arrays), as a chat client's heap does (real apps
add 100–300 MB per renderer). When a renderer ends, its share of the pages it shared (Qt
WebEngine's libraries, the zygote) moves to the processes left, so the fall approaches its unique
memory (USS), not its PSS; on the bare page most of a renderer's PSS is that share, which no
discard can free, so the goal is judged on the page with a real heap.

**Storm.** The frame posts `bench_tick` events as fast as it can for {st.get('seconds', '?')} s (yielding to its
own event loop every 10 ms). Meanwhile a 5 ms `PreciseTimer` in Portico's process records how late
it fires (the longest lateness is the longest stall of the Qt event loop), a thread samples the
process tree's PSS every {st.get('pss_interval', '?')} s, and every 50th message carries a timestamp (the delay
from the frame's post to the end of the path). Afterwards every message the frame sent must be
accepted or counted as dropped with a reason. Portico's relay stops a frame whose messages keep
arriving faster than 2,000/s for 3 s (or keep its queue overflowing for 1 s), and Portico then
discards the page, because a removed frame's renderer keeps posting; what Chromium still held for
the host page goes with it ("posted but never delivered").

Portico is byte-compiled first (`compileall`), as pip does when it installs a package.

Run it yourself: `bash bench/run` (about 12 minutes; `--quick` for a rough look, `--phases storm`
for one phase). Raw results go to `bench/out/results.json`, the workers' logs to `bench/out/bench-*.log`.
"""
    path.write_text(text, encoding="utf-8")


# --- the chart ----------------------------------------------------------------------------------

PORTICO_COLOR = "#2563eb"
BASE_COLOR = "#9ca3af"
FLOOR_COLOR = "#93c5fd"


def write_chart(summary: dict[str, Any], results: dict[str, Any], path: pathlib.Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = {(r["section"], r["figure"]): r for r in summary["rows"]}
    fig, axes = plt.subplots(2, 3, figsize=(15, 8.5))
    fig.suptitle("Portico against its baselines, measured in the same run "
                 f"({summary['meta'].get('date', '')[:10]}, {summary['meta'].get('cpus', '?')} CPUs)", fontsize=13)

    def bars(ax: Any, labels: list[str], keys: list[tuple[str, str]], title: str, unit: str,
             base_label: str = "baseline", goal: float | None = None, goal_label: str = "") -> None:
        found = [rows.get(k) for k in keys]
        pairs = [(lab, r) for lab, r in zip(labels, found) if r is not None and r["portico"] is not None]
        if not pairs:
            ax.set_axis_off()
            return
        x = range(len(pairs))
        width = 0.38
        pv = [r["portico"] for _, r in pairs]
        bv = [r["baseline"] for _, r in pairs]
        ax.bar([i - width / 2 for i in x], pv, width, color=PORTICO_COLOR, label="Portico")
        ax.bar([i + width / 2 for i in x], bv, width, color=BASE_COLOR, label=base_label)
        for i, (_, r) in enumerate(pairs):
            if r["ratio"] is not None and not math.isnan(r["ratio"]):
                ax.annotate(f"×{r['ratio']:.2f}", (i - width / 2, r["portico"]), ha="center", va="bottom",
                            fontsize=9)
        ax.set_xticks(list(x), [lab for lab, _ in pairs], fontsize=9)
        ax.set_ylabel(unit)
        ax.set_title(title, fontsize=11)
        if goal is not None:
            ax.axhline(goal, color="#dc2626", linestyle="--", linewidth=1, label=goal_label)
            ax.set_ylim(top=max(ax.get_ylim()[1], goal * 1.3))  # room above the line for notes
        ax.legend(fontsize=8)

    b = "Bridge"
    bars(axes[0][0], ["burst events", "round trips\none at a time"],
         [(b, "burst from the frame, one-way events (throughput)"),
          (b, "request/response round trips, one at a time")],
         "Bridge throughput (higher is better)", "per second", "raw relay")
    bars(axes[0][1], ["one-way\np50", "one-way\np99", "round trip\np50", "round trip\np99"],
         [(b, "one-way latency at 100 msg/s (frame → hub): p50"), (b, "one-way latency at 100 msg/s (frame → hub): p99"),
          (b, "round trip at 100 msg/s (frame → Python → frame): p50"),
          (b, "round trip at 100 msg/s (frame → Python → frame): p99")],
         "Latency at 100 msg/s (lower is better)", "ms", "raw relay", LATENCY_GOAL_MS, "2 ms goal")
    start = rows.get(("Startup", "process start → first provider frame loaded and answered"))
    floor = rows.get(("Startup", "the same with the host-page floor instead of Portico (bench/floor.py)"))
    if start is not None and floor is not None and start["baseline"]:
        # Three bars: the goal is a multiple of the bare view's time, the floor shows how much of
        # it the architecture itself takes.
        ax = axes[0][2]
        values = [start["portico"], floor["portico"], start["baseline"]]
        ax.bar(range(3), values, 0.6, color=[PORTICO_COLOR, FLOOR_COLOR, BASE_COLOR])
        for i, row in enumerate((start, floor)):  # the table's ratio: the median of the runs' ratios
            ax.annotate(f"×{row['ratio']:.2f}", (i, values[i]), ha="center", va="bottom", fontsize=9)
        ax.axhline(start["baseline"] * STARTUP_GOAL, color="#dc2626", linestyle="--", linewidth=1,
                   label=f"goal: {STARTUP_GOAL:g} × bare")
        ax.set_ylim(top=start["baseline"] * STARTUP_GOAL * 1.4)
        ax.set_xticks(range(3), ["Portico", "host-page floor\n(no Portico code)", "bare\nQWebEngineView"], fontsize=9)
        ax.set_ylabel("s")
        ax.set_title("Start → first frame answered", fontsize=11)
        ax.legend(fontsize=8, loc="upper right")
    else:
        bars(axes[0][2], ["startup"], [("Startup", "process start → first provider frame loaded and answered")],
             "Start → first frame answered", "s", "bare QWebEngineView")

    ax = axes[1][0]
    mem = results.get("memory") or {}
    if mem:
        ns = sorted(int(n) for n in mem)
        pv = [median([pair["portico"]["pss_mb"] for pair in mem[str(n)]]) for n in ns]
        bv = [median([pair["base"]["pss_mb"] for pair in mem[str(n)]]) for n in ns]
        ax.plot(ns, pv, "o-", color=PORTICO_COLOR, label="Portico")
        ax.plot(ns, bv, "s-", color=BASE_COLOR, label="bare views")
        for n, p_, b_ in zip(ns, pv, bv):
            ax.annotate(f"×{p_ / b_:.2f}" if b_ else "", (n, p_), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=9)
        ax.set_xticks(ns)
        ax.set_xlabel("providers")
        ax.set_ylabel("total PSS, MB")
        ax.set_ylim(bottom=0)
        ax.set_title("Memory (PSS of the process tree)", fontsize=11)
        hib = [row for row in summary["rows"] if row["figure"].startswith("hibernation:")]
        if hib:
            row = hib[-1]  # the page with a real app's heap, when it was measured
            ax.text(0.02, 0.02, f"hibernating one provider frees {row['portico']:.0f} MB "
                    f"({row['ratio']:.0%} of its renderers' {row['baseline']:.0f} MB PSS)", transform=ax.transAxes,
                    fontsize=8, color="#6b7280")
        ax.legend(fontsize=8)
    else:
        ax.set_axis_off()

    ax = axes[1][1]
    storm = results.get("storm") or []
    if storm:
        for side, color, label in (("portico", PORTICO_COLOR, "Portico"), ("base", BASE_COLOR, "raw relay")):
            samples = storm[0][side]["pss_samples"]
            ax.plot([t for t, _ in samples], [mb for _, mb in samples], color=color, label=label)
        ax.axvspan(0, storm[0]["portico"]["seconds"], color="#fde68a", alpha=0.3, label="frame flooding")
        if storm[0]["portico"].get("stopped_after_s") is not None:
            ax.axvline(storm[0]["portico"]["stopped_after_s"], color=PORTICO_COLOR, linestyle=":",
                       label="Portico stops the flooding frame")
        ax.set_xlabel("seconds from the storm's start")
        ax.set_ylabel("total PSS, MB")
        ax.set_title("Message storm: memory", fontsize=11)
        ax.legend(fontsize=8)
    else:
        ax.set_axis_off()
    s = "Storm"
    bars(axes[1][2], ["longest stall", "lateness p99"],
         [(s, "longest event-loop stall (5 ms timer lateness)"), (s, "event-loop lateness p99")],
         "Message storm: event-loop stalls", "ms", "raw relay", STALL_GOAL_MS, "100 ms goal")
    if storm:
        sent = rows.get((s, "messages posted by the frame"))
        acc = rows.get((s, "messages accepted (to the end of the path)"))
        dropped = rows.get((s, "messages dropped and counted with a reason"))
        if sent and acc and dropped:
            axes[1][2].text(0.02, 0.97, f"Portico: {sent['portico']:,.0f} posted, {acc['portico']:,.0f} accepted,\n"
                            f"{dropped['portico']:,.0f} dropped and counted:\n{dropped['note']}",
                            transform=axes[1][2].transAxes, va="top", fontsize=8, color="#374151")
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    fig.savefig(path, dpi=100)
    plt.close(fig)
