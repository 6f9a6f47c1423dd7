"""``python -m bench``: run every phase in fresh subprocesses, then write docs/benchmarks.{md,png}.

Each figure is measured for Portico and for its baseline in the same run, in pairs whose order
alternates (Portico first, then the baseline first, ...), so that a change in the machine's load
hits both sides; the report gives medians over the pairs and the median of the per-pair ratios.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
import time
from typing import Any

from bench.site import BenchSite

ROOT = pathlib.Path(__file__).resolve().parent.parent
PHASES = ("bridge", "startup", "memory", "hibernate", "storm")
RESULT_PREFIX = "@@BENCH "

#: Iteration counts: the full run, --quick (a rough look in ~2 minutes) and --smoke (the test).
PROFILES: dict[str, dict[str, Any]] = {
    "full": {
        "runs": 5, "startup_runs": 25, "memory_runs": 3, "storm_runs": 3, "providers": [1, 3, 6],
        "bridge": {"burst_n": 2000, "bursts": 5, "warmup_bursts": 1, "rt_n": 500, "rt_warmup": 50,
                   "paced_n": 1000, "paced_interval_ms": 10, "blocks": 5},
        "storm": {"seconds": 10, "drain_timeout": 90, "pss_interval": 0.5},
        "hibernate": {"providers": 3, "settle": 3.0}, "hibernate_runs": 3, "hibernate_heaps": [0, 100],
        "settle": 3.0, "calibration_pairs": 300,
    },
    "quick": {
        "runs": 2, "startup_runs": 3, "memory_runs": 1, "storm_runs": 1, "providers": [1, 3, 6],
        "bridge": {"burst_n": 1000, "bursts": 3, "warmup_bursts": 1, "rt_n": 200, "rt_warmup": 20,
                   "paced_n": 300, "paced_interval_ms": 10, "blocks": 2},
        "storm": {"seconds": 5, "drain_timeout": 120, "pss_interval": 0.5},
        "hibernate": {"providers": 3, "settle": 2.0}, "hibernate_runs": 1, "hibernate_heaps": [0, 100],
        "settle": 2.0, "calibration_pairs": 100,
    },
    "smoke": {
        "runs": 1, "startup_runs": 1, "memory_runs": 1, "storm_runs": 1, "providers": [1],
        "bridge": {"burst_n": 50, "bursts": 1, "warmup_bursts": 0, "rt_n": 10, "rt_warmup": 2,
                   "paced_n": 10, "paced_interval_ms": 10, "blocks": 2},
        "storm": {"seconds": 0.5, "drain_timeout": 30, "pss_interval": 0.25, "pause": 0.2},
        "hibernate": {"providers": 2, "settle": 0.3}, "hibernate_runs": 1, "hibernate_heaps": [0, 8],
        "settle": 0.2, "pss_samples": 1, "warmup": False, "calibration_pairs": 10,
    },
}


def _pairs(runs: int) -> list[tuple[str, str]]:
    """Alternate which side goes first: (portico, base), (base, portico), ..."""
    return [("portico", "base") if i % 2 == 0 else ("base", "portico") for i in range(runs)]


def run_worker(phase: str, mode: str, params: dict[str, Any], work: pathlib.Path, log: Any) -> dict[str, Any]:
    """One in-process phase in a fresh interpreter (one QApplication per configuration)."""
    from bench.procs import child_env
    cmd = [sys.executable, "-m", "bench.worker", phase, mode, json.dumps(params)]
    env = child_env(work / f"xdg-{phase}-{mode}")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    for attempt in (1, 2):
        log.write(f"\n$ {' '.join(cmd)}\n")
        log.flush()
        try:
            done = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, timeout=900,
                                  check=False)
        except subprocess.TimeoutExpired:
            say(f"  {phase}/{mode}: the worker timed out (attempt {attempt})")
            continue
        out = done.stdout.decode("utf-8", "replace")
        lines = [ln for ln in out.splitlines() if ln.startswith(RESULT_PREFIX)]
        if done.returncode == 0 and lines:
            return json.loads(lines[-1][len(RESULT_PREFIX):])
        # A shared 2-core machine can starve a worker past one of its waits: one more try.
        say(f"  {phase}/{mode}: the worker failed with exit {done.returncode} (attempt {attempt}); see {log.name}")
    raise RuntimeError(f"bench worker {phase}/{mode} failed twice; see {log.name}")


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_phases(phases: list[str], profile: dict[str, Any], work: pathlib.Path, log: Any) -> dict[str, Any]:
    results: dict[str, Any] = {}
    if "bridge" in phases:
        from bench.machine import calibrate
        say("  machine: a JSON decode 10 ms after the last, and right after itself")
        results["machine"] = calibrate(profile["calibration_pairs"])
        results["bridge"] = []
        for i, order in enumerate(_pairs(profile["runs"])):
            # Both paths in one worker, in alternating blocks (bench/worker.py: bridge_phase).
            first = "portico" if order[0] == "portico" else "raw"
            say(f"  bridge run {i + 1}/{profile['runs']}: Portico and raw in one process, {first} first")
            both = run_worker("bridge", "both", {**profile["bridge"], "first": first}, work, log)
            results["bridge"].append({"portico": both["portico"], "base": both["raw"], "schedule": both["schedule"]})
    if "storm" in phases:
        results["storm"] = []
        for i, order in enumerate(_pairs(profile["storm_runs"])):
            pair = {}
            for side in order:
                mode = "portico" if side == "portico" else "raw"
                say(f"  storm run {i + 1}/{profile['storm_runs']}: {mode}")
                pair[side] = run_worker("storm", mode, profile["storm"], work, log)
            results["storm"].append(pair)
    if "hibernate" in phases:
        results["hibernate"] = []
        # A bare bench page, and one holding a chat client's heap (its renderer memory is mostly its own).
        for heap_mb in profile["hibernate_heaps"]:
            for i in range(profile["hibernate_runs"]):
                say(f"  hibernate run {i + 1}/{profile['hibernate_runs']}, page heap {heap_mb} MB")
                params = {**profile["hibernate"], "heap_mb": heap_mb}
                results["hibernate"].append(run_worker("hibernate", "portico", params, work, log))
    if "startup" in phases or "memory" in phases:
        from bench import procs  # needs psutil (the bench extra)
        site = BenchSite().start()
        try:
            launcher = procs.Launcher(site, work, log)
            if "startup" in phases:
                if profile.get("warmup", True):
                    say("  startup: warm-up (not counted)")
                    for mode in ("portico", "bare", "floor"):
                        procs.startup_once(launcher, mode, f"warm-{mode}")
                results["startup"] = []
                for i, order in enumerate(_pairs(profile["startup_runs"])):
                    # The floor (bench/floor.py) runs between the two, so each goes first as often.
                    pair = {}
                    for side in (order[0], "floor", order[1]):
                        mode = {"portico": "portico", "base": "bare", "floor": "floor"}[side]
                        pair[side] = procs.startup_once(launcher, mode, f"s{i}-{mode}")
                    say(f"  startup run {i + 1}: portico {pair['portico']:.2f} s, bare {pair['base']:.2f} s, "
                        f"floor {pair['floor']:.2f} s")
                    results["startup"].append(pair)
            if "memory" in phases:
                results["memory"] = {}
                for n in profile["providers"]:
                    results["memory"][str(n)] = []
                    for i, order in enumerate(_pairs(profile["memory_runs"])):
                        pair = {}
                        for side in order:
                            mode = "portico" if side == "portico" else "bare"
                            pair[side] = procs.memory_once(launcher, mode, n, f"m{n}-{i}-{mode}",
                                                           settle=profile["settle"],
                                                           samples=profile.get("pss_samples", 3))
                        say(f"  memory {n} provider(s) run {i + 1}: portico {pair['portico']['pss_mb']:.0f} MB, "
                            f"bare {pair['base']['pss_mb']:.0f} MB PSS")
                        results["memory"][str(n)].append(pair)
        finally:
            site.stop()
    return results


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=False).stdout.strip()
    except OSError:
        return ""


def meta(profile_name: str, started: float) -> dict[str, Any]:
    import PySide6
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "profile": profile_name,
        "commit": _git_commit(),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "system": platform.platform(terse=True),
        "load_avg": list(os.getloadavg()) if hasattr(os, "getloadavg") else [],
        "duration_s": time.monotonic() - started,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a rough look, ~3 minutes)")
    parser.add_argument("--smoke", action="store_true", help="tiny counts: checks the bench code runs")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated subset of {','.join(PHASES)}")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "out",
                        help="where results.json and the workers' log go (default: bench/out)")
    parser.add_argument("--docs", type=pathlib.Path, default=ROOT / "docs",
                        help="where benchmarks.md and benchmarks.png go (default: docs)")
    parser.add_argument("--no-docs", action="store_true", help="only write results.json")
    parser.add_argument("--report-only", action="store_true", help="rewrite the docs from OUT/results.json")
    args = parser.parse_args(argv)

    from bench import report
    args.out.mkdir(parents=True, exist_ok=True)
    results_path = args.out / "results.json"
    if args.report_only:
        results = json.loads(results_path.read_text(encoding="utf-8"))
    else:
        profile_name = "smoke" if args.smoke else "quick" if args.quick else "full"
        phases = [p for p in args.phases.split(",") if p]
        unknown = set(phases) - set(PHASES)
        if unknown:
            parser.error(f"unknown phase(s): {', '.join(sorted(unknown))}")
        started = time.monotonic()
        log_path = args.out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        say(f"bench: {profile_name} run of {', '.join(phases)}; log in {log_path}")
        with open(log_path, "w", encoding="utf-8") as log, \
                tempfile.TemporaryDirectory(prefix="portico-bench-") as tmp:
            results = run_phases(phases, PROFILES[profile_name], pathlib.Path(tmp), log)
        results["meta"] = meta(profile_name, started)
        results["meta"]["params"] = PROFILES[profile_name]
        results_path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    summary = report.summarize(results)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(report.table_text(summary))
    if not args.no_docs:
        args.docs.mkdir(parents=True, exist_ok=True)
        report.write_markdown(summary, results, args.docs / "benchmarks.md", "benchmarks.png")
        report.write_chart(summary, results, args.docs / "benchmarks.png")
        say(f"bench: wrote {args.docs / 'benchmarks.md'} and {args.docs / 'benchmarks.png'}")
    failed = [r["figure"] for r in summary["rows"] if r["met"] is False]
    if failed:
        say(f"bench: {len(failed)} goal(s) not met: " + "; ".join(failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
