"""sqlstrata: database schema migrations for SQLAlchemy.

``op`` and ``context`` are what revision scripts and env.py import; both are proxies over
context variables, so concurrent migrations in several threads never share state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from sqlstrata.proxy import ContextProxy
from sqlstrata.runtime.current import current_environment, current_operations

if TYPE_CHECKING:
    from sqlstrata.ops.facade import Operations
    from sqlstrata.runtime.environment import EnvironmentContext

__version__ = "0.1.0"

op = cast("Operations", ContextProxy(current_operations, "op"))
context = cast("EnvironmentContext", ContextProxy(current_environment, "context"))

__all__ = ["__version__", "context", "op"]
