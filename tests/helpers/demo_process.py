"""Runs `portico demo` as the README does, in its own process, until a condition holds; then SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable


def run_demo_until(done: Callable[[], bool], *args: str, env: dict[str, str] | None = None,
                   timeout: float = 90) -> tuple[int, str]:
    """Start `python -m desktop demo --headless` (``--quit-after`` is only the safety net), wait
    until ``done()`` or ``timeout``, end it with SIGTERM; its exit status and stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "desktop", "demo", "--headless", "--quit-after", "120", *args],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + timeout
        while not done() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, stderr
