"""Start-up workarounds for PySide6 itself, applied before the rest of Portico is imported."""

from __future__ import annotations

import sys
from types import ModuleType


def skip_feature_scan() -> bool:
    """Stop PySide6 reading the source of every module imported after it; True if applied.

    WORKAROUND (PYSIDE-2029; PySide6 6.4 to at least 6.11): PySide6 replaces ``__import__`` to
    support ``from __feature__ import snake_case``, and for every module imported after it calls
    ``inspect.getsource()`` to find out whether the module mentions "PySide6". That cost ~10–25 ms
    of Portico's start (~150 modules). The answer only decides whether a module is switched to
    "no features" (0) or ignored (-1) when it touches a Qt class; Portico never selects a feature,
    so every module is registered as 0 without reading it. A module that does select features
    still gets them: ``from __feature__ import ...`` registers its flags before this is asked.
    """
    import PySide6.QtCore  # noqa: F401, PLC0415 - installs the hook this replaces
    feature: ModuleType | None = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _uses_pyside  # type: ignore[attr-defined]
    return True


def _uses_pyside(module: ModuleType) -> bool:
    return True
