"""desktop.pyside: PySide6's per-import source scan is skipped, and its features still work."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import textwrap


def test_feature_scan_is_skipped_and_features_still_work(tmp_path: pathlib.Path) -> None:
    (tmp_path / "plain_module.py").write_text("VALUE = 1\n", encoding="utf-8")
    (tmp_path / "snake_module.py").write_text(textwrap.dedent("""
        from PySide6.QtCore import QObject
        from __feature__ import snake_case  # noqa: F401

        def name() -> str:
            obj = QObject()
            obj.set_object_name("snake")
            return obj.object_name()
    """), encoding="utf-8")
    script = textwrap.dedent(f"""
        import inspect, sys
        sys.path.insert(0, {str(tmp_path)!r})
        from desktop.pyside import skip_feature_scan
        assert skip_feature_scan()
        read = []
        real = inspect.getsource
        inspect.getsource = lambda obj: read.append(obj.__name__) or real(obj)
        import shibokensupport.feature as feature
        import plain_module
        # Registered without reading it: the scan would have found no "PySide6" and said -1.
        assert feature.pyside_feature_dict["plain_module"] == 0, feature.pyside_feature_dict["plain_module"]
        assert "plain_module" not in read, read
        import snake_module
        assert snake_module.name() == "snake"
        from PySide6.QtCore import QObject
        assert hasattr(QObject(), "setObjectName")  # this module selected no feature
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_without_the_workaround_pyside_reads_each_module(tmp_path: pathlib.Path) -> None:
    """The premise of the workaround: PySide6 really reads every module imported after it."""
    (tmp_path / "plain_module.py").write_text("VALUE = 1\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import inspect, sys
        sys.path.insert(0, {str(tmp_path)!r})
        import PySide6.QtCore
        read = []
        real = inspect.getsource
        inspect.getsource = lambda obj: read.append(obj.__name__) or real(obj)
        import plain_module
        print("read" if "plain_module" in read else "not read")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.strip() == "read", done.stderr[-2000:]
