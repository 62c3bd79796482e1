"""Run existing Alembic projects unchanged.

Their env.py does ``from alembic import context`` and their scripts ``from alembic import op``.
While sqlstrata runs env.py and the scripts, those names resolve to sqlstrata's own ``context``
and ``op`` proxies (the real Alembic package, if installed, is put back afterwards and is never
imported by sqlstrata). Anything else from Alembic (``alembic.operations``, autogenerate hooks)
is not provided: importing it raises ImportError naming what to change.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_NAMES = ("alembic", "alembic.op", "alembic.context")


def _forward(target: object) -> Callable[[str], object]:
    """A module ``__getattr__`` that forwards names to ``target`` (dunders stay missing)."""

    def forward(name: str) -> object:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(target, name)

    return forward


def _shim() -> dict[str, types.ModuleType]:
    import sqlstrata

    package = types.ModuleType("alembic", "sqlstrata's stand-in for Alembic's op and context.")
    package.__path__ = []  # a package, so "import alembic.op" is looked up in sys.modules
    package.op = sqlstrata.op  # type: ignore[attr-defined]
    package.context = sqlstrata.context  # type: ignore[attr-defined]
    package.__version__ = f"sqlstrata-{sqlstrata.__version__}"  # type: ignore[attr-defined]
    op_module = types.ModuleType("alembic.op")
    op_module.__getattr__ = _forward(sqlstrata.op)  # type: ignore[method-assign]
    context_module = types.ModuleType("alembic.context")
    context_module.__getattr__ = _forward(sqlstrata.context)  # type: ignore[method-assign]
    return {"alembic": package, "alembic.op": op_module, "alembic.context": context_module}


class _Installed:
    """How many runs (threads) currently need the stand-in, and what it replaced."""

    lock = threading.Lock()
    users = 0
    saved: dict[str, types.ModuleType | None] = {}  # guarded by lock


@contextmanager
def alembic_names() -> Iterator[None]:
    """Make ``alembic.op`` and ``alembic.context`` mean sqlstrata's while the block runs.

    Several threads may migrate at once: the first one in installs the stand-in and the
    last one out restores what was there before.
    """
    with _Installed.lock:
        if _Installed.users == 0:
            _Installed.saved = {name: sys.modules.get(name) for name in _NAMES}
            sys.modules.update(_shim())
        _Installed.users += 1
    try:
        yield
    finally:
        with _Installed.lock:
            _Installed.users -= 1
            if _Installed.users == 0:
                for name, module in _Installed.saved.items():
                    if module is None:
                        sys.modules.pop(name, None)
                    else:
                        sys.modules[name] = module
