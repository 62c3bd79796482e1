"""SQLite: transactional DDL (the runner owns BEGIN/COMMIT on pysqlite), generic handlers."""

from __future__ import annotations

from sqlstrata.dialects.base import GENERIC_HANDLERS, Dialect


def sqlite_dialect() -> Dialect:
    return Dialect("sqlite", transactional_ddl=True, handlers=dict(GENERIC_HANDLERS))
