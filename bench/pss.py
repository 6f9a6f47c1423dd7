"""Proportional set size (PSS) of a process tree: the honest total for Chromium's shared pages."""

from __future__ import annotations

import threading
import time
from typing import Any

import psutil

MB = 1024 * 1024


def tree_pss(pid: int) -> dict[str, Any]:
    """PSS of ``pid`` and all its descendants (zygotes, renderers, utility processes), in MB.

    RSS would count every shared library and zygote page once per process; PSS splits shared
    pages between the processes that map them, so the sum is what the tree really costs.
    """
    by_pid = tree_pss_by_pid(pid)
    return {"pss_mb": sum(by_pid.values()), "main_pss_mb": by_pid.get(pid, 0.0), "processes": len(by_pid)}


def tree_pss_by_pid(pid: int, kind: str = "pss") -> dict[int, float]:
    """PSS (or ``kind="uss"``: the pages no other process maps) in MB of ``pid`` and each of its
    descendants, by process id; processes that end meanwhile are left out."""
    root = psutil.Process(pid)
    out: dict[int, float] = {}
    for proc in (root, *root.children(recursive=True)):
        try:
            out[proc.pid] = getattr(proc.memory_full_info(), kind) / MB
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return out


class PssSampler:
    """Samples :func:`tree_pss` every ``interval`` seconds in a thread (off the Qt event loop).

    Attributes:
        samples: ``(seconds since start, total PSS in MB)`` pairs.
    """

    def __init__(self, pid: int, interval: float = 1.0) -> None:
        self.pid = pid
        self.interval = interval
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pss-sampler", daemon=True)
        self._start = 0.0

    def start(self) -> "PssSampler":
        self._start = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append((time.monotonic() - self._start, tree_pss(self.pid)["pss_mb"]))
            except psutil.Error:
                pass
            self._stop.wait(self.interval)

    @property
    def peak(self) -> float:
        return max((mb for _, mb in self.samples), default=0.0)
