"""Installs a project of examples/ as pip lays it out: its package plus a real ``.dist-info``."""

from __future__ import annotations

import contextlib
import importlib
import pathlib
import shutil
import sys
import tomllib
from collections.abc import Iterator

from tests.helpers.paths import ROOT

EXAMPLES = ROOT / "examples"


def write_dist_info(target: pathlib.Path, project: dict, packages: list[str]) -> pathlib.Path:
    """A ``<name>-<version>.dist-info`` in ``target`` whose METADATA and entry_points.txt come from
    a pyproject ``[project]`` table (what importlib.metadata reads of an installed distribution)."""
    name = project["name"].replace("-", "_")
    dist_info = target / f"{name}-{project['version']}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\n"
                                        f"Version: {project['version']}\nSummary: {project.get('description', '')}\n")
    groups = project.get("entry-points", {})
    (dist_info / "entry_points.txt").write_text("".join(
        f"[{group}]\n" + "".join(f"{ep} = {ref}\n" for ep, ref in eps.items()) for group, eps in groups.items()))
    (dist_info / "top_level.txt").write_text("".join(f"{p}\n" for p in packages))
    (dist_info / "INSTALLER").write_text("tests\n")
    return dist_info


@contextlib.contextmanager
def installed(project_dir: pathlib.Path, target: pathlib.Path) -> Iterator[pathlib.Path]:
    """The project installed into ``target``, which is on sys.path until the block ends (pip is not
    used because this offline venv has no ``wheel`` to build with)."""
    project = tomllib.loads((project_dir / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    package = project["name"].replace("-", "_")
    shutil.copytree(project_dir / package, target / package)
    write_dist_info(target, project, [package])
    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    try:
        yield target
    finally:
        sys.path.remove(str(target))
        importlib.invalidate_caches()
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            sys.modules.pop(name, None)
