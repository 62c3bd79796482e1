"""PostgreSQL: transactional DDL, generic handlers."""

from __future__ import annotations

from sqlstrata.dialects.base import GENERIC_HANDLERS, Dialect


def postgresql_dialect() -> Dialect:
    return Dialect("postgresql", transactional_ddl=True, handlers=dict(GENERIC_HANDLERS))
