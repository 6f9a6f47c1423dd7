"""Guards the PySide6 pin: 6.12.0 on Python 3.11 aborts after ~1,000 signal emissions to Python slots."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap


def test_pyside6_version_is_inside_the_pin():
    version = tuple(int(x) for x in importlib.metadata.version("PySide6").split(".")[:2])
    assert (6, 10) <= version < (6, 12)


def test_100000_emissions_to_python_slots():
    # In a subprocess: the failure mode is an abort that would kill the whole test session.
    code = textwrap.dedent("""
        from PySide6.QtCore import QCoreApplication, QObject, Signal
        app = QCoreApplication([])
        class Emitter(QObject):
            fired = Signal(int, str, bool, object)
        seen = []
        e = Emitter()
        e.fired.connect(lambda n, s, b, o: seen.append(n))
        for i in range(100_000):
            e.fired.emit(i, "x", i % 2 == 0, {"i": i})
        assert len(seen) == 100_000 and seen[-1] == 99_999
        print("OK", len(seen))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "OK 100000"
