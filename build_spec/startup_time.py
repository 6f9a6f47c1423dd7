"""Start time of the frozen app next to the source run: the median time to `--version`'s exit and to the first inbound provider event of `portico demo --headless`."""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def first_event_seconds(command: list[str], home: pathlib.Path, timeout: float = 60.0) -> float:
    """Seconds from spawning ``command demo`` to the first inbound event in its event log."""
    log = home / "events.jsonl"
    log.unlink(missing_ok=True)
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "DISPLAY",
                 "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(name, None)
    start = time.perf_counter()
    process = subprocess.Popen([*command, "demo", "--headless", "--quit-after", str(timeout),
                                "--event-log", str(log)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < timeout:
            if log.exists():
                for line in log.read_text(encoding="utf-8").splitlines():
                    event = json.loads(line)
                    if event["direction"] == "in" and event["name"] != "dropped":
                        return time.perf_counter() - start
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode} before any event")
            time.sleep(0.01)
        raise RuntimeError(f"{command[0]}: no event within {timeout} s")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def version_seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([*command, "--version"], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--frozen", default=str(ROOT / "dist" / "portico" / "portico"))
    parser.add_argument("--source", default=str(ROOT / ".venv" / "bin" / "portico"))
    args = parser.parse_args()
    commands = {"frozen": [args.frozen], "source": [args.source]}
    results: dict[str, dict[str, list[float]]] = {name: {"version": [], "event": []} for name in commands}
    with tempfile.TemporaryDirectory() as tmp:
        homes = {name: pathlib.Path(tmp, name) for name in commands}
        for name, command in commands.items():  # warm-up: page cache, the demo profiles
            homes[name].mkdir()
            version_seconds(command)
            first_event_seconds(command, homes[name])
        for _ in range(args.runs):  # interleaved, so that load from elsewhere hits both alike
            for name, command in commands.items():
                results[name]["version"].append(version_seconds(command))
                results[name]["event"].append(first_event_seconds(command, homes[name]))
    print(f"{args.runs} runs each after one warm-up, median (min-max):")
    for name, series in results.items():
        print(f"  {name:6}  --version {statistics.median(series['version']):.2f} s "
              f"({min(series['version']):.2f}-{max(series['version']):.2f})   "
              f"first provider event {statistics.median(series['event']):.2f} s "
              f"({min(series['event']):.2f}-{max(series['event']):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
