"""Run existing Alembic projects unchanged.

Their env.py does ``from alembic import context`` and their scripts ``from alembic import op``.
While sqlstrata runs env.py and the scripts, those names resolve to sqlstrata's own ``context``
and ``op`` proxies (the real Alembic package, if installed, is put back afterwards and is never
imported by sqlstrata). Anything else from Alembic (``alembic.operations``, autogenerate hooks)
is not provided: importing it raises ImportError naming what to change.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

_NAMES = ("alembic", "alembic.op", "alembic.context")


def _shim() -> dict[str, types.ModuleType]:
    import sqlstrata

    package = types.ModuleType("alembic", "sqlstrata's stand-in for Alembic's op and context.")
    package.__path__ = []  # a package, so "import alembic.op" is looked up in sys.modules
    package.op = sqlstrata.op  # type: ignore[attr-defined]
    package.context = sqlstrata.context  # type: ignore[attr-defined]
    package.__version__ = f"sqlstrata-{sqlstrata.__version__}"  # type: ignore[attr-defined]
    op_module = types.ModuleType("alembic.op")
    op_module.__getattr__ = lambda name: getattr(sqlstrata.op, name)  # type: ignore[method-assign]
    context_module = types.ModuleType("alembic.context")
    context_module.__getattr__ = lambda name: getattr(  # type: ignore[method-assign]
        sqlstrata.context, name
    )
    return {"alembic": package, "alembic.op": op_module, "alembic.context": context_module}


@contextmanager
def alembic_names() -> Iterator[None]:
    """Make ``alembic.op`` and ``alembic.context`` mean sqlstrata's while the block runs."""
    saved = {name: sys.modules.get(name) for name in _NAMES}
    sys.modules.update(_shim())
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
