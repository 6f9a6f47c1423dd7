"""The Linux bundle's library filter: the system's libraries stay out, the interpreter's own stay in."""

from __future__ import annotations

import sys
import sysconfig

import pytest

from tests.helpers.paths import ROOT

sys.path.insert(0, str(ROOT / "build_spec"))
import libfilter  # noqa: E402

DEBIAN_DIRS = ("/usr/lib/python3.11/", "/usr/lib/python3/dist-packages/", "/tmp/v/.venv/lib/python3.11/site-packages/")
PYENV_DIRS = ("/opt/py/lib/python3.11/", "/tmp/v/.venv/lib/python3.11/site-packages/")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the filter applies on Linux")


@pytest.mark.parametrize("src, dirs, kept", [
    # Debian's own python3: its libpython lives with the system's libraries and must be bundled.
    ("/lib/x86_64-linux-gnu/libpython3.11.so.1.0", DEBIAN_DIRS, True),
    ("/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", DEBIAN_DIRS, True),
    ("/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", DEBIAN_DIRS, True),
    ("/usr/lib/python3/dist-packages/_cffi_backend.cpython-311-x86_64-linux-gnu.so", DEBIAN_DIRS, True),
    ("/lib/x86_64-linux-gnu/libssl.so.3", DEBIAN_DIRS, False),
    ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", DEBIAN_DIRS, False),
    ("/usr/lib/x86_64-linux-gnu/libpython3.12.so.1.0", DEBIAN_DIRS, False),  # not this interpreter's
    # A Python installed elsewhere (pyenv, CI's image): its files are outside the system folders.
    ("/opt/py/lib/libpython3.11.so.1.0", PYENV_DIRS, True),
    ("/usr/lib/x86_64-linux-gnu/libffi.so.8", PYENV_DIRS, False),
    ("/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", PYENV_DIRS, False),
])
def test_only_the_systems_own_libraries_are_left_out(src, dirs, kept):
    assert libfilter.is_system_lib(src, python_lib="libpython3.11.so.1.0", python_dirs=dirs) is not kept


def test_this_interpreter_is_read_from_sysconfig():
    dirs = libfilter.interpreter_dirs()
    assert sysconfig.get_paths()["stdlib"].rstrip("/") + "/" in dirs
    lib = libfilter.interpreter_library()
    assert lib == "" or lib.startswith("libpython3")
    if lib:
        assert not libfilter.is_system_lib(f"/lib/x86_64-linux-gnu/{lib}")
