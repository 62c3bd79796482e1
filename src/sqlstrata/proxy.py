"""Typed proxies over context variables: the ``op`` and ``context`` objects scripts import.

A migration script does ``from sqlstrata import op`` at import time, long before any migration
runs, and may run in several threads at once. So ``op`` is not an object with state: each
attribute access looks up the object that is current in this thread or task.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ContextProxy(Generic[T]):
    """Forward attribute access to the value a ContextVar holds right now."""

    __slots__ = ("_purpose", "_var")

    def __init__(self, var: ContextVar[T], purpose: str) -> None:
        object.__setattr__(self, "_var", var)
        object.__setattr__(self, "_purpose", purpose)

    def _target(self) -> T:
        try:
            value: T = self._var.get()
        except LookupError:
            raise RuntimeError(
                f"Can't use '{self._purpose}' here: no migration is running in this thread. "
                f"Use it inside env.py or a revision's upgrade()/downgrade()."
            ) from None
        return value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            # Introspection (copy, pickle, test tools scanning modules) asks for dunders and
            # expects AttributeError, not an error about migrations.
            raise AttributeError(name)
        return getattr(self._target(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Can't set {name!r} on '{self._purpose}': it is a proxy.")

    def __repr__(self) -> str:
        try:
            return f"<{self._purpose} proxy for {self._var.get()!r}>"
        except LookupError:
            return f"<{self._purpose} proxy (no migration running)>"
