"""Screenshots of the certificate prompt and the spell-check menu (run under Xvfb): `python scripts/screenshot_web.py [DIR]`.

Writes ``DIR/screenshot-certificate.png`` (a provider on an https server with a self-signed
certificate) and ``DIR/screenshot-spellcheck.png`` (the context menu on a misspelt word in a
textarea, with Italian and English dictionaries); DIR defaults to ``docs``.
"""

from __future__ import annotations

import json
import pathlib
import sys
import tempfile

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEngineScript

from desktop import app as portico_app
from desktop.bridge.scripts import FRAME_ID
from desktop.config import load_config
from desktop.demo.server import LoopbackServer, Response
from desktop.demo.tls import self_signed
from desktop.qtargs import create_application

NOTES = """<!doctype html><meta charset="utf-8"><title>Notes</title><style>
body { margin: 0; padding: 24px; font: 15px sans-serif; background: #f6f7f9 }
textarea { font: 18px sans-serif; width: 560px; height: 140px; padding: 10px; border: 1px solid #c8ccd2;
           border-radius: 6px }
</style><h3>Reply to Giulia</h3>
<textarea id="ta" spellcheck="true">Ciao Giulia, grazie per il messagio. The meeting is on Tuesday.</textarea>
<script>
function wordPos(word) {
  const ta = document.getElementById("ta"), at = ta.value.indexOf(word), style = getComputedStyle(ta);
  const mirror = document.createElement("div");
  for (const p of ["font", "padding", "border", "boxSizing", "width", "lineHeight"]) mirror.style[p] = style[p];
  Object.assign(mirror.style, {position: "absolute", visibility: "hidden", whiteSpace: "pre-wrap", left: 0, top: 0});
  mirror.textContent = ta.value.substring(0, at);
  const span = document.createElement("span"); span.textContent = word; mirror.appendChild(span);
  document.body.appendChild(mirror);
  const m = mirror.getBoundingClientRect(), s = span.getBoundingClientRect(), t = ta.getBoundingClientRect();
  mirror.remove();
  return JSON.stringify({x: t.left + s.left - m.left + s.width / 2, y: t.top + s.top - m.top + s.height / 2});
}
</script>"""

MAIN = QWebEngineScript.ScriptWorldId.MainWorld


def main() -> int:
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    qapp = create_application(headless=False)
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        secure = LoopbackServer(lambda r: Response.html("<p>chat</p>"), tls=self_signed(root)).start()
        notes = LoopbackServer(lambda r: Response.html(NOTES)).start()
        path = root / "config.toml"
        path.write_text(f'[[provider]]\nid = "chat"\nkind = "spatialchat"\ntitle = "Team chat (intranet)"\n'
                        f'url = "{secure.origin}/"\n\n'
                        f'[[provider]]\nid = "notes"\nkind = "postmessage"\ntitle = "Notes"\n'
                        f'url = "{notes.origin}/"\nevents = ["hello"]\nspellcheck = ["it-IT", "en-US"]\n')
        shell = portico_app.Shell(load_config(path))
        shell.start(show=True)
        shell.window.resize(1100, 680)
        chat, editor = shell.views["chat"], shell.views["notes"]

        def certificate() -> None:
            if not chat.showing_error():
                QTimer.singleShot(300, certificate)
                return
            QTimer.singleShot(1200, lambda: (shell.window.grab().save(str(out / "screenshot-certificate.png")),
                                             shell.window.select("notes"), QTimer.singleShot(1500, spelling)))

        def spelling() -> None:
            frame = editor.provider_frame()
            if not editor.bridge._frame_ready or frame is None:
                QTimer.singleShot(300, spelling)
                return
            editor.web_view.setFocus()
            frame.runJavaScript("document.getElementById('ta').focus(); 1", MAIN, lambda _r: locate(frame))

        def locate(frame) -> None:
            editor.page.runJavaScript(f"JSON.stringify(document.getElementById({FRAME_ID!r}).getBoundingClientRect())",
                                      MAIN, lambda rect: frame.runJavaScript(
                                          "wordPos('messagio')", MAIN, lambda spot: click(json.loads(rect),
                                                                                          json.loads(spot))))

        def click(rect: dict, spot: dict) -> None:
            point = QPoint(int(rect["x"] + spot["x"]), int(rect["y"] + spot["y"]))
            menu = editor.web_view.context_menu
            if menu is not None:
                menu.close()
            QTest.mouseClick(editor.web_view.focusProxy(), Qt.MouseButton.RightButton,
                             Qt.KeyboardModifier.NoModifier, point)
            request = editor.web_view.lastContextMenuRequest()
            if request is None or not request.misspelledWord():
                QTimer.singleShot(300, lambda: click(rect, spot))  # the check is asynchronous
                return
            QTimer.singleShot(800, lambda: compose(point))

        def compose(point: QPoint) -> None:
            menu = editor.web_view.context_menu
            canvas = QPixmap(shell.window.size())
            painter = QPainter(canvas)
            painter.drawPixmap(0, 0, shell.window.grab())
            if menu is not None:
                where = shell.window.mapFromGlobal(menu.mapToGlobal(QPoint(0, 0)))
                painter.drawPixmap(where, menu.grab())
            painter.end()
            canvas.save(str(out / "screenshot-spellcheck.png"))
            qapp.quit()

        QTimer.singleShot(500, certificate)
        QTimer.singleShot(40_000, qapp.quit)
        qapp.exec()
        shell.close()
        secure.stop()
        notes.stop()
    print(out / "screenshot-certificate.png", out / "screenshot-spellcheck.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
