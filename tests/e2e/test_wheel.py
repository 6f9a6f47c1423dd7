"""The wheel pip builds from this tree: resources inside it, the console script, the PySide6 pin."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import zipfile

from tests.helpers.paths import ROOT


def test_wheel_ships_resources_demo_pages_console_script_and_pin(tmp_path):
    # Build from a copy: setuptools writes build/ and *.egg-info next to the sources. The copy and
    # the wheel hold the simulators' fake secrets (desktop/demo), so both go before the leak scan.
    try:
        _check_wheel(tmp_path)
    finally:
        shutil.rmtree(tmp_path / "src", ignore_errors=True)
        shutil.rmtree(tmp_path / "out", ignore_errors=True)


def _check_wheel(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info",
                                                             "__pycache__", ".pytest_cache", ".hypothesis"))
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                             "--disable-pip-version-check", "-w", str(out), str(src)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    (wheel,) = out.glob("portico-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        entry_points = z.read(f"{dist_info}/entry_points.txt").decode()
        metadata = z.read(f"{dist_info}/METADATA").decode()
    shipped = {f"desktop/resources/{p.relative_to(ROOT / 'resources').as_posix()}"
               for p in (ROOT / "resources").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    pages = {f"desktop/demo/pages/{p.name}" for p in (ROOT / "desktop" / "demo" / "pages").iterdir()}
    assert "desktop/resources/host.css" in shipped and "desktop/bridge/relay.js" in names
    assert shipped - names == set() and pages - names == set()
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "desktop").rglob("*.py") if "__pycache__" not in p.parts}
    skeletons = {p.relative_to(ROOT).as_posix() for p in (ROOT / "desktop" / "commands" / "skeletons").iterdir()}
    assert modules - names == set() and skeletons - names == set()
    assert "portico = desktop.cli:main" in entry_points.splitlines()
    pins = [line for line in metadata.splitlines() if line.startswith("Requires-Dist: PySide6")]
    assert len(pins) == 1 and "<6.12" in pins[0] and ">=6.10" in pins[0], pins
