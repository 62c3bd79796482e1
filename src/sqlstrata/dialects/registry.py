"""Find the Dialect for a SQLAlchemy dialect name. Built on each call: no global registry.

SQLite, PostgreSQL and MySQL/MariaDB run migrations; MSSQL and Oracle write offline
(``--sql``) scripts. Any other database gets the generic, standard-SQL handlers.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlstrata.dialects.base import Dialect
from sqlstrata.dialects.generic import GENERIC_HANDLERS


def _builders() -> dict[str, Callable[[], Dialect]]:
    from sqlstrata.dialects.mssql import mssql_dialect
    from sqlstrata.dialects.mysql import mysql_dialect
    from sqlstrata.dialects.oracle import oracle_dialect
    from sqlstrata.dialects.postgresql import postgresql_dialect
    from sqlstrata.dialects.sqlite import sqlite_dialect

    return {
        "sqlite": sqlite_dialect,
        "postgresql": postgresql_dialect,
        "mysql": mysql_dialect,
        "mariadb": lambda: mysql_dialect("mariadb"),
        "mssql": mssql_dialect,
        "oracle": oracle_dialect,
    }


def dialect_for(name: str) -> Dialect:
    """Return the Dialect for ``name``; unknown databases get the generic handlers."""
    builder = _builders().get(name)
    if builder is not None:
        return builder()
    return Dialect(name, transactional_ddl=False, handlers=dict(GENERIC_HANDLERS))
