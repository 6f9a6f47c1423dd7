"""Generated parts of docs/ are current: the deferred-imports table lists every row the script measures."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.paths import ROOT


def test_the_startup_page_lists_every_deferred_import():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "import_costs.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
