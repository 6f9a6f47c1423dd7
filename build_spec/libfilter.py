"""Which shared libraries the Linux bundle leaves to the system, and which it must carry."""

from __future__ import annotations

import os
import site
import sys
import sysconfig

#: Libraries from these folders are the system's (glibc, X11, NSS …): the bundle uses the
#: target machine's, as the .deb's Depends say, except those of the interpreter itself.
SYSTEM_LIB_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")


def interpreter_dirs() -> tuple[str, ...]:
    """The folders of this interpreter's standard library and installed packages, wherever it lives."""
    paths = sysconfig.get_paths()
    dirs = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib") if paths.get(key)}
    dirs.update(site.getsitepackages())
    return tuple(sorted({os.path.realpath(d).rstrip(os.sep) + os.sep for d in dirs}))


def interpreter_library() -> str:
    """The file name of this interpreter's shared library (``libpython3.11.so.1.0``), "" if it is static."""
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        return ""
    return str(sysconfig.get_config_var("INSTSONAME") or sysconfig.get_config_var("LDLIBRARY") or "")


def is_system_lib(src: str, python_lib: str | None = None, python_dirs: tuple[str, ...] | None = None) -> bool:
    """Whether the bundle leaves the library at ``src`` to the system. Never the interpreter's own
    shared library (Debian's is ``/lib/x86_64-linux-gnu/libpython3.11.so.1.0``; the frozen app
    cannot start without it) nor anything of its standard library or packages."""
    if not sys.platform.startswith("linux") or not src.startswith(SYSTEM_LIB_DIRS):
        return False
    python_lib = interpreter_library() if python_lib is None else python_lib
    if python_lib and os.path.basename(src) == python_lib:
        return False
    real = os.path.realpath(src)
    dirs = interpreter_dirs() if python_dirs is None else python_dirs
    return not any(src.startswith(d) or real.startswith(d) for d in dirs)
