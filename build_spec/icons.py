"""Renders Portico's SVG icon to PNGs with Qt's QSvgRenderer (no librsvg needed)."""

from __future__ import annotations

import pathlib
import subprocess
import sys


def render(svg: pathlib.Path, out_dir: pathlib.Path, sizes: list[int]) -> dict[int, pathlib.Path]:
    """Write ``<out_dir>/<size>.png`` for each size; returns the paths by size.

    Runs in a child process: the caller (the PyInstaller spec, build-deb) must not own a
    QGuiApplication of its own.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, __file__, str(svg), str(out_dir), *map(str, sizes)], check=True)
    return {size: out_dir / f"{size}.png" for size in sizes}


def _main(argv: list[str]) -> int:
    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    svg, out_dir, *sizes = argv
    app = QGuiApplication([sys.argv[0]])  # noqa: F841 - QPainter needs one
    renderer = QSvgRenderer(svg)
    if not renderer.isValid():
        print(f"icons.py: cannot read {svg}", file=sys.stderr)
        return 1
    for size in map(int, sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = pathlib.Path(out_dir) / f"{size}.png"
        if not image.save(str(path), "PNG"):
            print(f"icons.py: cannot write {path}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
