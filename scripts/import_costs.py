"""Measures what each import Portico defers would add to a start, and writes docs/startup.md's table.

Each row runs in fresh interpreters: the imports Portico has done by then, then a clock around the
deferred one (a median of ``--runs``, alternating with an empty statement as the baseline, whose
median is subtracted). ``--check`` only compares the rows' names with the document.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "startup.md"
BEGIN, END = "<!-- import-costs: begin (scripts/import_costs.py writes this) -->", "<!-- import-costs: end -->"

_QT = "import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets"

#: (what, where Portico defers it, the imports done before it, the deferred statement)
ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("`importlib.metadata`", "`desktop/__init__.py` (`__version__`), `desktop/cli.py` (`--version`)",
     "import argparse", "import importlib.metadata"),
    ("`keyring` and its helpers", "`desktop/credentials.py`", "import threading, concurrent.futures",
     "import keyring, keyring.errors, keyring.util.platform_"),
    ("`urllib.request`", "`desktop/commands/rocketchat.py`", "import json", "import urllib.request, urllib.error"),
    ("`tomlkit`", "`desktop/config.py` (edits only)", "import tomllib", "import tomlkit"),
    ("`tempfile`", "`desktop/config.py` (writes only)", "import os", "import tempfile"),
    ("`socket`", "`desktop/instance/single_instance.py` (a request came in)", _QT, "import socket"),
    ("`hashlib` (OpenSSL)", "`desktop/instance/single_instance.py` uses Qt's SHA-256 instead", _QT,
     "import hashlib"),
    ("`html` (its entity table)", "`desktop/shell/scheme.py` escapes with its own table", "import re",
     "import html"),
    ("PySide's `Qt` namespace", "the first page's path avoids it (`desktop/shell/window.py`)", _QT,
     "from PySide6.QtCore import Qt; Qt.AlignmentFlag"),
    ("`QAction`, `QKeySequence`", "`desktop/shell/window.py` (with the menus)", _QT,
     "from PySide6.QtGui import QAction, QKeySequence"),
    ("`QEvent`", "`desktop/app.py` (the event filter)", _QT, "from PySide6.QtCore import QEvent; QEvent.Type"),
)


def _once(before: str, statement: str) -> float:
    code = (f"{before}\nimport time\nt = time.perf_counter()\n{statement}\n"
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    return float(out.stdout.strip().splitlines()[-1])


def measure(runs: int) -> list[tuple[str, str, float]]:
    rows = []
    for what, where, before, statement in ROWS:
        took, empty = [], []
        for _ in range(runs):
            took.append(_once(before, statement))
            empty.append(_once(before, "pass"))
        rows.append((what, where, (statistics.median(took) - statistics.median(empty)) * 1000))
    return rows


def table(rows: list[tuple[str, str, float]]) -> str:
    lines = ["| deferred | where | adds to a start |", "|---|---|---:|"]
    lines += [f"| {what} | {where} | {ms:.1f} ms |" for what, where, ms in rows]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="only check that every row is in the document")
    args = parser.parse_args(argv)
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    if args.check:
        missing = [what for what, *_ in ROWS if f"| {what} |" not in text[start:end]]
        print("missing: " + ", ".join(missing) if missing else "docs/startup.md is current")
        return 1 if missing else 0
    body = table(measure(args.runs))
    DOC.write_text(text[:start] + "\n" + body + "\n" + text[end:], encoding="utf-8")
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
