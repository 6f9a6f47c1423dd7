"""Entry point of the frozen Portico (PyInstaller): ``desktop.cli:main``."""

import sys


def _main() -> int:
    # `portico doctor` checks Qt WebEngine in a child process started as
    # `[sys.executable, "-c", CODE]`; frozen, sys.executable is this binary, so
    # answer that one form like a Python interpreter would (no other flag is taken).
    if getattr(sys, "frozen", False) and len(sys.argv) >= 3 and sys.argv[1] == "-c":
        code = sys.argv[2]
        sys.argv = ["-c", *sys.argv[3:]]
        exec(compile(code, "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
        return 0
    from desktop.cli import main
    return main()


if __name__ == "__main__":
    sys.exit(_main())
