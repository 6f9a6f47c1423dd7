"""Test setup: offscreen Qt, private XDG dirs, the portico scheme, and fixtures to run a real Shell."""

from __future__ import annotations

import os
import pathlib
import tempfile
from collections.abc import Iterator

# Before anything imports Qt: offscreen, no sandbox (tests run as root in CI), private dirs.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"  # tests and CI only; never a default for users
# One private HOME holds everything Portico and Chromium may write (the leak scans search it all).
_XDG = pathlib.Path(tempfile.mkdtemp(prefix="portico-tests-"))
os.environ["HOME"] = str(_XDG / "home")
os.environ["XDG_RUNTIME_DIR"] = str(_XDG / "runtime")
(_XDG / "runtime").mkdir(mode=0o700)
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = str(_XDG / _name.lower())

import pytest  # noqa: E402

from desktop.shell.scheme import register_scheme  # noqa: E402

register_scheme()  # must precede pytest-qt's session QApplication

from desktop.shell.spelling import use_dictionaries  # noqa: E402

use_dictionaries()  # before any test makes a profile: Qt WebEngine reads the folder once

from desktop.demo.server import LoopbackServer  # noqa: E402

# Pages as cacheable as a server may make them: a secret in a page's URL would reach the disk cache.
LoopbackServer.page_cache_control = "public, max-age=86400"

pytest_plugins: list[str] = ["tests.helpers.fixtures", "tests.helpers.keyring_fixture", "tests.helpers.leak_scan",
                             "tests.helpers.xserver"]


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    from desktop.qtargs import chromium_flags, pass_chromium_flags
    # Chromium's fake capture devices stand in for a camera and a microphone, which the test
    # machine lacks (without a device getUserMedia fails before any permission is asked). The
    # permission decision is still Portico's: no --use-fake-ui-for-media-stream.
    return pass_chromium_flags([*chromium_flags(headless=True), "--use-fake-device-for-media-stream"], argv0="pytest")


@pytest.fixture(scope="session")
def xdg_root() -> pathlib.Path:
    """The private XDG base of this test session (everything Portico writes lands below it)."""
    return _XDG


@pytest.fixture(autouse=True)
def _portico_logger_reset() -> Iterator[None]:
    """Undo ``desktop.log.setup`` after a test that ran Portico's CLI in-process: it stops the
    ``portico`` loggers propagating, which would hide every later test's records from caplog."""
    import logging
    logger = logging.getLogger("portico")
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    yield
    for handler in logger.handlers[:]:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)
    logger.propagate = propagate
