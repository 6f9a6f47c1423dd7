"""Writes desktop/shell/kind_strings.py: the built-in kinds' field labels and help, marked for translation (``--check``: only compare)."""

from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.kinds import BUILTIN_KINDS, COMMON_OPTIONS, Option  # noqa: E402 - after the path

OUT = ROOT / "desktop" / "shell" / "kind_strings.py"


def _strings() -> list[str]:
    seen: dict[str, None] = {}

    def add(options: tuple[Option, ...]) -> None:
        for option in options:
            for text in (option.label, option.help):
                if text:
                    seen.setdefault(text, None)
            add(option.fields)
    add(COMMON_OPTIONS)
    for spec in BUILTIN_KINDS.values():
        add(spec.options)
    return list(seen)


def render() -> str:
    lines = ['"""The built-in kinds\' field labels and help, marked for translation (scripts/kind_strings.py writes this)."""',
             "", "from __future__ import annotations", "", "from PySide6.QtCore import QT_TRANSLATE_NOOP", "",
             "#: Read by pyside6-lupdate; the settings editor looks each text up in the context ``kinds``.",
             "STRINGS = ("]
    lines += [f"    QT_TRANSLATE_NOOP({'kinds'!r}, {text!r})," for text in _strings()]
    lines += [")", ""]
    return "\n".join(lines).replace("'kinds'", '"kinds"')


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        return 0 if OUT.exists() and OUT.read_text(encoding="utf-8") == text else 1
    OUT.write_text(text, encoding="utf-8")
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
