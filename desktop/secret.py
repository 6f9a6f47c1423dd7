"""A string wrapper that never shows its value in repr, str, logs or exceptions."""

from __future__ import annotations

from typing import Any, Final

REDACTED: Final = "***"


class Secret:
    """A secret value (password, token, API key) that redacts itself.

    ``str()`` and ``repr()`` both give ``Secret('***')``; the value is only reachable through
    :meth:`reveal`, so a secret that ends up in an f-string, a log call or an exception message
    by mistake shows as redacted.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("Secret wraps a str")
        self._value = value

    def reveal(self) -> str:
        """Return the plain value; call this only where the value leaves for its recipient."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> Any:
        raise TypeError("a Secret cannot be pickled")
