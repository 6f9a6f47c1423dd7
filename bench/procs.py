"""Whole-process phases: startup time and PSS of ``portico run --headless`` against bare views.

The orchestrator's own :class:`BenchSite` serves the frames and timestamps their ``/answered``
beacons, so "process start" and "frame loaded and answered" are read on one clock in one process.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import subprocess
import sys
import time
from typing import IO, Any

import psutil

from bench.pss import tree_pss
from bench.site import BenchSite, provider_toml
from bench.stats import median

BARE_SCRIPT = pathlib.Path(__file__).with_name("bare.py")
FLOOR_SCRIPT = pathlib.Path(__file__).with_name("floor.py")


def portico_command(config: pathlib.Path) -> list[str]:
    """The user's command: the ``portico`` console script of this venv (else ``python -m desktop``)."""
    script = pathlib.Path(sys.executable).with_name("portico")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "desktop"]
    return [*head, "run", "--headless", "--config", str(config), "--quit-after", "300"]


def child_env(xdg: pathlib.Path) -> dict[str, str]:
    """Offscreen, private XDG dirs; no sandbox only where Chromium refuses it (running as root).

    Without the caller's QTWEBENGINE_CHROMIUM_FLAGS: Qt then ignores the baselines' command-line
    flags (site isolation among them), while Portico adds its own to the variable.
    """
    env = {k: v for k, v in os.environ.items()
           if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QTWEBENGINE_CHROMIUM_FLAGS"}}
    env["QT_QPA_PLATFORM"] = "offscreen"
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(xdg / name.lower())
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return env


def kill_tree(proc: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """SIGTERM the process (Portico quits cleanly on it), then make sure its whole tree is gone."""
    try:
        tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(grace)
    for p in tree:
        with contextlib.suppress(psutil.Error):
            p.kill()


class Launcher:
    """Starts Portico or the bare baseline with N frames and waits for their beacons."""

    def __init__(self, site: BenchSite, work: pathlib.Path, log: IO[str]) -> None:
        self.site = site
        self.work = work
        self.log = log

    def command(self, mode: str, n: int, tag: str) -> tuple[list[str], list[str]]:
        ids = [f"{tag}-{i}" for i in range(n)]
        if mode == "portico":
            config = self.work / f"config-{tag}.toml"
            config.write_text("".join(provider_toml(self.site.url(report=i), pid=i) for i in ids), encoding="utf-8")
            return portico_command(config), ids
        if mode == "floor":  # one frame: the start-up phase's second baseline
            return [sys.executable, str(FLOOR_SCRIPT), str(self.work / f"floor-{tag}"), self.site.url(report=ids[0])], ids[:1]
        return [sys.executable, str(BARE_SCRIPT), *(self.site.url(report=i) for i in ids)], ids

    def launch(self, mode: str, n: int, tag: str, timeout: float = 120.0
               ) -> tuple[subprocess.Popen[bytes], float, dict[str, float]]:
        """Start and wait for all N beacons; returns the process, its start time and the beacons."""
        cmd, ids = self.command(mode, n, tag)
        self.log.write(f"\n$ {' '.join(cmd)}\n")
        self.log.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=child_env(self.work / f"xdg-{mode}"), stdout=self.log,
                                stderr=subprocess.STDOUT, cwd=self.work)
        answered = self.site.wait_answered(set(ids), timeout)
        if answered is None:
            kill_tree(proc)
            raise TimeoutError(f"{mode} with {n} frame(s): not every frame answered within {timeout:.0f} s")
        return proc, start, answered


def startup_once(launcher: Launcher, mode: str, tag: str) -> float:
    """Seconds from process start to the first frame loaded and answered."""
    proc, start, answered = launcher.launch(mode, 1, tag)
    try:
        return min(answered.values()) - start
    finally:
        kill_tree(proc)


def memory_once(launcher: Launcher, mode: str, n: int, tag: str, settle: float = 3.0,
                samples: int = 3) -> dict[str, Any]:
    """Total PSS of the process tree once N frames answered and things settled (median of samples)."""
    proc, start, answered = launcher.launch(mode, n, tag)
    try:
        time.sleep(settle)
        taken = []
        for i in range(samples):
            if i:
                time.sleep(0.5)
            taken.append(tree_pss(proc.pid))
        return {"pss_mb": median([t["pss_mb"] for t in taken]),
                "main_pss_mb": median([t["main_pss_mb"] for t in taken]),
                "processes": max(t["processes"] for t in taken),
                "ready_s": max(answered.values()) - start}
    finally:
        kill_tree(proc)
