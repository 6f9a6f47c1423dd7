"""Find in page and printing, on a provider's page in its frame (the real window, shortcuts included)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest

from desktop.demo.server import LoopbackServer, Response
from tests.helpers.fixtures import wait_ready, write_config

PAGE = """<!doctype html><title>Notes</title>
<p>Portico keeps the team's apps together. portico is a window.</p>
<p>Nothing else here, but PORTICO once more.</p>
"""


@pytest.fixture
def notes() -> Iterator[LoopbackServer]:
    server = LoopbackServer(lambda request: Response.html(PAGE)).start()
    yield server
    server.stop()


def notes_toml(origin: str, pid: str = "notes") -> str:
    return textwrap.dedent(f'''
        [[provider]]
        id = "{pid}"
        kind = "postmessage"
        title = "Notes {pid}"
        url = "{origin}/"
        events = ["hello"]
    ''')


def test_ctrl_f_counts_matches_in_the_frame_and_steps_through_them(notes, run_shell, tmp_path, qtbot):
    shell = run_shell(write_config(tmp_path, notes_toml(notes.origin) + notes_toml(notes.origin, "other")))
    window = shell.window
    view = shell.views["notes"]
    wait_ready(qtbot, view)
    shell.complete()
    window.activateWindow()
    counts: list[tuple[int, int]] = []
    window.find_bar.counted.connect(lambda active, total: counts.append((active, total)))
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    QTest.keyClicks(window.find_bar.edit, "portico")
    qtbot.waitUntil(lambda: counts and counts[-1] == (1, 3), timeout=10_000)
    assert window.find_bar.count.text() == "1 of 3"
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counts[-1] == (2, 3))
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: counts[-1] == (1, 3))
    window.find_bar.edit.setText("nowhere to be found")
    qtbot.waitUntil(lambda: counts[-1][1] == 0)
    assert window.find_bar.count.text() == "No matches"
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    # Another provider shown closes a search (it belonged to the other page).
    window.find_in_page()
    assert window.find_bar.isVisible()
    window.select("other")
    assert not window.find_bar.isVisible()


def test_print_writes_the_page_with_its_frame(notes, run_shell, tmp_path, qtbot):
    from desktop.shell.printing import PagePrinter  # noqa: PLC0415
    shell = run_shell(write_config(tmp_path, notes_toml(notes.origin)))
    view = shell.views["notes"]
    wait_ready(qtbot, view)
    qtbot.wait(300)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "notes.pdf"
    printer.setOutputFileName(str(out))
    job = PagePrinter()
    results: list[bool] = []
    job.finished.connect(results.append)
    job.print_to(view.web_view, printer)
    assert job.busy
    with pytest.raises(RuntimeError):
        job.print_to(view.web_view, printer)
    qtbot.waitUntil(lambda: bool(results), timeout=20_000)
    assert results == [True] and not job.busy
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"/Type /Page" in data
    # Chromium prints to a QPrinter as images: render the page and look for the frame's dark text
    # (the host page around the frame has none).
    from PySide6.QtCore import QSize  # noqa: PLC0415
    from PySide6.QtPdf import QPdfDocument  # noqa: PLC0415
    document = QPdfDocument()
    assert document.load(str(out)) == QPdfDocument.Error.None_ and document.pageCount() >= 1
    image = document.render(0, QSize(620, 877))
    dark = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixelColor(x, y).lightness() < 100)
    assert dark > 50, "no text on the printed page"
