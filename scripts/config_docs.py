"""Writes the option tables of docs/configuration.md from desktop/kinds.py (``--check``: only compare)."""

from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.kinds import COMMON_OPTIONS, KINDS, REQUIRED, Option  # noqa: E402 - after the path

DOC = ROOT / "docs" / "configuration.md"
BEGIN, END = "<!-- kinds: begin (scripts/config_docs.py writes this) -->", "<!-- kinds: end -->"


def _default(option: Option) -> str:
    if option.default is REQUIRED:
        return "**required**"
    if option.type == "table":
        return "(table)"
    if option.type == "list":
        return "(`[settings]`)" if option.default is None else "`[]`"
    if isinstance(option.default, bool):
        return f"`{str(option.default).lower()}`"
    return f"`{option.default!r}`".replace("'", '"') if option.default != "" else "`\"\"`"


def _type(option: Option) -> str:
    if option.type == "choice":
        return " \\| ".join(f"`{c}`" for c in option.choices)
    if option.type == "number" and option.bounds:
        return f"number, {option.bounds[0]}–{option.bounds[1]}"
    return {"server": "https URL (http only on loopback)", "url": "http(s) URL",
            "list": "list of strings"}.get(option.type, option.type)


def _rows(options: tuple[Option, ...], prefix: str = "") -> list[str]:
    rows = []
    for o in options:
        rule = f" ({o.pattern_help})" if o.pattern_help else ""
        text = f"e.g. {o.help}" if o.help.startswith("http") else o.help
        rows.append(f"| `{prefix}{o.key}` | {_type(o)} | {_default(o)} | {o.label}: {text}{rule} |")
        rows.extend(_rows(o.fields, f"{o.key}.") if o.type == "table" else [])
    return rows


def render() -> str:
    head = "| key | type | default | what it is |\n|---|---|---|---|"
    parts = [BEGIN, "", "### Every kind", "",
             "`id` (**required**, `[a-z0-9-]`, at most 40) and `kind` (one of "
             + ", ".join(f"`{k}`" for k in KINDS) + "), then:", "", head, *_rows(COMMON_OPTIONS), ""]
    for spec in KINDS.values():
        secrets = ", ".join(f"`{s.field}` ({s.label})" for s in spec.secrets) or "none"
        keep = (" Signs in from the keyring at every start: `remember_session` cannot be true."
                if spec.signs_in_from_keyring else "")
        parts += [f"### `kind = \"{spec.kind}\"`: {spec.title}", "", spec.summary + keep, "",
                  f"Keyring fields: {secrets}. Web permissions it may be granted: "
                  + ", ".join(f"`{p}`" for p in sorted(spec.permissions)) + ".", "", head, *_rows(spec.options), ""]
    return "\n".join([*parts, END])


def updated(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + render() + text[end:]


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in argv:
        if new != text:
            print(f"{DOC} is out of date: run python scripts/config_docs.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
