"""The logger migrations report progress on.

``sqlstrata.runtime.migration`` normally; ``alembic.runtime.migration`` while running a project
configured by an alembic.ini, whose logging sections configure the ``alembic`` logger (and
whose ``fileConfig()`` disables loggers it does not name).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_root: ContextVar[str] = ContextVar("sqlstrata_log_root", default="sqlstrata")


def migration_log() -> logging.Logger:
    return logging.getLogger(f"{_root.get()}.runtime.migration")


@contextmanager
def logging_as(root: str) -> Iterator[None]:
    token = _root.set(root)
    try:
        yield
    finally:
        _root.reset(token)
