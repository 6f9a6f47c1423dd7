"""The benchmarks in bench/ still run: a tiny smoke run whose results must be well-formed.

Nothing here is timed or compared with a goal (figures depend on the machine and its load;
`bash bench/run` measures them). Without the `bench` extra (psutil, matplotlib) only the bridge
phase and the text report run.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
import time

import pytest

from tests.helpers.paths import ROOT

HAS_PSUTIL = importlib.util.find_spec("psutil") is not None
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


def _number(value: object, low: float = 0.0) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= low


def test_the_baselines_have_portico_chromium_flags():
    from bench import bare, floor
    from desktop.qtargs import chromium_flags
    assert bare.QT_ARGS == floor.QT_ARGS == ["--webEngineArgs", *chromium_flags(headless=True)]


def test_the_bench_frame_holds_the_heap_it_is_asked_for(qtbot):
    # The hibernation phase's "chat client" page: ?heap=N keeps N MB of filled typed arrays alive.
    from PySide6.QtCore import QCoreApplication, QEvent, QUrl
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

    from bench.site import BenchSite
    site = BenchSite().start()
    profile = QWebEngineProfile()
    page = QWebEnginePage(profile)
    try:
        with qtbot.waitSignal(page.loadFinished, timeout=30_000):
            page.load(QUrl(site.url(heap_mb=3)))
        box: list[object] = []
        page.runJavaScript("JSON.stringify([window.heap.length, window.heap[2].length * 8, window.heap[2][7]])",
                           0, box.append)
        qtbot.waitUntil(lambda: bool(box), timeout=10_000)
        assert json.loads(str(box[0])) == [3, 1024 * 1024, 2.5]
    finally:
        page.deleteLater()  # the page before its profile (Qt's required order)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        profile.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        site.stop()


#: One path's bridge results in a made-up run (the report's unit tests use it for both paths).
MADE_UP_SIDE = {"burst_rates": [100.0, 120.0], "sequential": {"rate": 50.0, "p50_ms": 2.0, "p99_ms": 3.0},
                "paced": {"p50_ms": 2.0, "p99_ms": 4.0}, "one_way": {"p50_ms": 1.0, "p99_ms": 1.5}}


def test_summary_of_a_made_up_run_is_well_formed():
    from bench import report
    summary = report.summarize({"bridge": [{"portico": MADE_UP_SIDE, "base": MADE_UP_SIDE}],
                                "startup": [{"portico": 1.0, "base": 0.8, "floor": 0.9}]})
    figures = {row["figure"]: row for row in summary["rows"]}
    assert figures["burst from the frame, one-way events (throughput)"]["ratio"] == 1.0
    assert figures["process start → first provider frame loaded and answered"]["ratio"] == pytest.approx(1.25)
    assert figures["the same with the host-page floor instead of Portico (bench/floor.py)"]["ratio"] == \
        pytest.approx(1.125)
    assert figures["Portico over the host-page floor: its own code"]["ratio"] == pytest.approx(1 / 0.9)
    assert "| Bridge |" in report.markdown_table(summary)


def test_the_machine_row_gives_the_cold_decode_against_the_warm_one():
    from bench import report
    bridge = [{"portico": MADE_UP_SIDE, "base": MADE_UP_SIDE}]
    machine = {"pairs": 300, "pause_ms": 10.0, "cold_p50_us": 90.0, "warm_p50_us": 6.0,
               "cold_p90_us": 120.0, "warm_p90_us": 7.0}
    rows = [r for r in report.summarize({"bridge": bridge, "machine": machine})["rows"]
            if r["figure"].startswith("this machine")]
    assert len(rows) == 1
    assert (rows[0]["portico"], rows[0]["baseline"], rows[0]["ratio"]) == (90.0, 6.0, 15.0)
    assert rows[0]["baseline_name"] == "right after itself" and rows[0]["met"] is None
    # A run from before the calibration existed has no such row.
    assert not [r for r in report.summarize({"bridge": bridge})["rows"] if r["figure"].startswith("this machine")]


def test_the_calibration_times_one_decode_after_the_pause_and_one_right_after():
    from bench.machine import calibrate
    started = time.perf_counter()
    result = calibrate(pairs=5, pause_s=0.02)
    assert time.perf_counter() - started >= 5 * 0.02  # it really paused before each cold decode
    assert result["pairs"] == 5 and result["pause_ms"] == pytest.approx(20)
    assert 0 < result["warm_p50_us"] <= result["warm_p90_us"] and 0 < result["cold_p50_us"] <= result["cold_p90_us"]


def test_the_p99_row_counts_the_blocks_under_the_goal_for_both_paths():
    from bench import report
    def side(blocks):
        return {"burst_rates": [1.0], "sequential": {"rate": 1.0, "p50_ms": 1.0}, "paced": {"p50_ms": 1.0, "p99_ms": 1.0},
                "one_way": {"p50_ms": 1.0, "p99_ms": max(blocks), "block_p99_ms": blocks}}
    summary = report.summarize({"bridge": [{"portico": side([1.5, 2.5]), "base": side([1.9, 2.0])},
                                           {"portico": side([3.0, 1.2]), "base": side([1.1, 2.2])}]})
    row = next(r for r in summary["rows"] if r["figure"].endswith("(frame → hub): p99"))
    assert row["note"] == ("under 2 ms in 2 of 4 blocks (raw 2 of 4); "
                           "blocks' p99 1.20–3.00 ms (raw 1.10–2.20)")


def test_the_medians_interval_is_the_widest_order_statistics_within_the_confidence():
    from bench.stats import median_interval
    assert median_interval([3.0, 1.0, 2.0, 5.0, 4.0]) is None  # 5 values cannot give 95%
    assert median_interval(range(1, 7)) == (1.0, 6.0)
    assert median_interval(range(1, 12)) == (2.0, 10.0)  # the textbook ranks for n = 11 and 25
    assert median_interval(range(1, 26)) == (8.0, 18.0)
    for n in range(6, 60):
        low, high = median_interval(range(1, n + 1))
        k = int(low)
        assert high == n + 1 - k
        below = lambda k: sum(math.comb(n, i) for i in range(k)) / 2 ** n  # noqa: E731 - P(B(n, ½) < k)
        assert below(k) <= 0.025 < below(k + 1), n


def test_the_startup_row_says_how_sure_its_median_is():
    from bench import report
    ratios = [1.2, 1.3, 1.35, 1.4, 1.45, 1.5, 1.55, 1.6, 1.7, 1.8, 2.0]
    summary = report.summarize({"startup": [{"portico": r, "base": 1.0} for r in reversed(ratios)]})
    row = next(r for r in summary["rows"] if r["figure"].startswith("process start"))
    assert row["ratio"] == pytest.approx(1.5) and row["met"] is True
    assert "runs' ratios 1.20–2.00, the median's 95% interval 1.30–1.80" in row["note"]


@pytest.mark.slow
def test_smoke_run_writes_well_formed_results(tmp_path):
    phases = ["bridge", *(["storm", "startup", "memory", "hibernate"] if HAS_PSUTIL else [])]
    out, docs = tmp_path / "out", tmp_path / "docs"
    cmd = [sys.executable, "-m", "bench", "--smoke", "--phases", ",".join(phases), "--out", str(out),
           "--docs", str(docs)]
    if not HAS_MATPLOTLIB:
        cmd.append("--no-docs")
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    logs = "".join(log.read_text(encoding="utf-8")[-4000:] for log in out.glob("bench-*.log"))
    assert done.returncode == 0, done.stderr[-4000:] + logs

    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["meta"]["profile"] == "smoke"
    machine = results["machine"]  # the cache calibration, taken before the bridge phase
    assert machine["pairs"] == 10 and machine["pause_ms"] == 10
    assert all(_number(machine[k], 1e-9) for k in ("cold_p50_us", "warm_p50_us", "cold_p90_us", "warm_p90_us"))
    for pair in results["bridge"]:
        # Both paths in one process, in blocks that alternate: P R, R P, P R, ... for each part.
        schedule = pair["schedule"]
        assert {part for part, _ in schedule} == {"sequential", "paced", "one_way"}
        for part in ("sequential", "paced", "one_way"):
            sides = [side for p, side in schedule if p == part]
            assert len(sides) >= 4 and sorted(sides[:2]) == ["portico", "raw"], schedule
            firsts = sides[::2]
            assert all(a != b for a, b in zip(firsts, firsts[1:])), schedule
        for side in (pair["portico"], pair["base"]):
            assert "hop_p50_ms" in side["one_way"] and "rest_p99_ms" in side["one_way"]
            blocks = side["one_way"]["block_p99_ms"]  # one per block of that path (smoke: 2 blocks)
            assert len(blocks) == 2 and all(_number(x, 1e-9) for x in blocks)
            assert side["burst_rates"] and all(_number(r, 1e-9) for r in side["burst_rates"])
            for key in ("sequential", "paced", "one_way"):
                stats = side[key]
                assert stats["n"] > 0 and _number(stats["p50_ms"]) and stats["p50_ms"] <= stats["p99_ms"]
    for pair in results.get("storm", []):
        for side in (pair["portico"], pair["base"]):
            assert 0 < side["delivered"] <= side["sent"]
            assert side["accepted"] + side["dropped"] + side["unaccounted"] == side["delivered"]
            assert sum(side["dropped_by_reason"].values()) == side["dropped"]
            assert _number(side["max_stall_ms"]) and side["ticks"] > 0
            assert side["pss_samples"] and all(_number(mb, 1) for _, mb in side["pss_samples"])
    for pair in results.get("startup", []):
        assert _number(pair["portico"], 1e-3) and _number(pair["base"], 1e-3) and _number(pair["floor"], 1e-3)
    for pairs in results.get("memory", {}).values():
        for pair in pairs:
            for side in (pair["portico"], pair["base"]):
                assert _number(side["pss_mb"], 1) and side["processes"] >= 2

    for run in results.get("hibernate", []):
        for sample in run["samples"]:
            assert sample["processes_gone"] >= 1, "discarding a provider ended none of its processes"
            assert _number(sample["renderer_mb"], 1) and _number(sample["renderer_uss_mb"], 0.1)
            assert sample["renderer_uss_mb"] <= sample["renderer_mb"]
    if results.get("hibernate"):
        assert sorted(run["heap_mb"] for run in results["hibernate"]) == [0, 8], "the bare page and one with a heap"

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rows"]
    for row in summary["rows"]:
        assert {"section", "figure", "unit", "portico", "baseline", "ratio", "goal", "met"} <= row.keys()
        assert row["met"] in (True, False, None)
    if HAS_MATPLOTLIB:
        assert "| Bridge |" in (docs / "benchmarks.md").read_text(encoding="utf-8")
        assert (docs / "benchmarks.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_sessions_bench_lists_the_stores_and_finds_no_secret():
    """One start-up each: the remembered profile's stores are listed, no token is on disk, and the
    docs' generated part is the shape this run prints."""
    import os
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1")
    done = subprocess.run([sys.executable, "-m", "bench.sessions", "--runs", "1"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False, env=env)
    assert done.returncode == 0, done.stderr[-4000:]
    out = done.stdout
    for store in ("cache/Cache", "storage/Local Storage", "storage/Cookies"):
        assert f"| `profiles/<id>/{store}` |" in out
    assert "Secrets and tokens found in them: none" in out
    assert "| in memory (signs in afresh) |" in out and "| on disk, warm (cache + storage) |" in out
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert "Secrets and tokens found in them: none" in doc and "| `profiles/<id>/cache/Cache` |" in doc
