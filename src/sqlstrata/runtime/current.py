"""The context variables behind the ``op`` and ``context`` proxies."""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlstrata.ops.facade import Operations
    from sqlstrata.runtime.environment import EnvironmentContext

current_environment: ContextVar[EnvironmentContext] = ContextVar("sqlstrata_environment")
current_operations: ContextVar[Operations] = ContextVar("sqlstrata_operations")
