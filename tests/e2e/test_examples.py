"""Each example project's own tests pass, run as its author runs them (`python -m pytest` in its folder)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers.packages import EXAMPLES
from tests.helpers.paths import ROOT

WITH_TESTS = sorted(p.parent.name for p in EXAMPLES.glob("*/tests"))


def test_the_examples_with_their_own_tests_are_found():
    assert "portico-jitsi" in WITH_TESTS


@pytest.mark.parametrize("example", WITH_TESTS)
def test_an_example_passes_its_own_tests(example):
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=EXAMPLES / example,
                            capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
