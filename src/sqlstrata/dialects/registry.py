"""Find the Dialect for a SQLAlchemy dialect name. Built on each call: no global registry.

SQLite, PostgreSQL and MySQL/MariaDB run migrations; MSSQL and Oracle write offline
(``--sql``) scripts. Any other database gets the generic, standard-SQL handlers.
"""

from __future__ import annotations

from sqlstrata.dialects.base import Dialect
from sqlstrata.dialects.generic import GENERIC_HANDLERS


def _build(name: str) -> Dialect | None:
    """Import only the module of the database in use (each pulls in SQLAlchemy's dialect)."""
    if name == "sqlite":
        from sqlstrata.dialects.sqlite import sqlite_dialect

        return sqlite_dialect()
    if name == "postgresql":
        from sqlstrata.dialects.postgresql import postgresql_dialect

        return postgresql_dialect()
    if name in ("mysql", "mariadb"):
        from sqlstrata.dialects.mysql import mysql_dialect

        return mysql_dialect(name)
    if name == "mssql":
        from sqlstrata.dialects.mssql import mssql_dialect

        return mssql_dialect()
    if name == "oracle":
        from sqlstrata.dialects.oracle import oracle_dialect

        return oracle_dialect()
    return None


def dialect_for(name: str) -> Dialect:
    """Return the Dialect for ``name``; unknown databases get the generic handlers."""
    built = _build(name)
    if built is not None:
        return built
    return Dialect(name, transactional_ddl=False, handlers=dict(GENERIC_HANDLERS))
