"""Make pysqlite transactions cover DDL.

Python's sqlite3 driver only opens a transaction before INSERT/UPDATE/DELETE, so CREATE TABLE
and friends run in autocommit and cannot be rolled back. SQLite itself has transactional DDL;
as SQLAlchemy's pysqlite documentation describes, the fix is to switch the driver's own
transaction handling off (``isolation_level = None``) and emit BEGIN whenever SQLAlchemy
begins a transaction. The driver setting is restored when the run ends, because the DBAPI
connection may go back to an application's pool.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event


class SQLiteTransactionTakeover:
    """While active, every SQLAlchemy ``begin`` on ``connection`` emits a real BEGIN."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.suspended = False
        driver: Any = connection.connection.driver_connection
        self._driver: Any = driver
        self._saved = self._driver.isolation_level
        self._driver.isolation_level = None
        event.listen(connection, "begin", self._on_begin)
        if connection.in_transaction() and not self._driver.in_transaction:
            connection.exec_driver_sql("BEGIN")

    def _on_begin(self, conn: Connection) -> None:
        if not self.suspended:
            conn.exec_driver_sql("BEGIN")

    def restore(self) -> None:
        """Give the driver connection back its own transaction handling."""
        event.remove(self.connection, "begin", self._on_begin)
        try:
            if not self._driver.in_transaction:
                self._driver.isolation_level = self._saved
        except Exception:
            return


def takes_over(connection: Connection) -> bool:
    """Whether ``connection`` is a pysqlite-style driver whose DDL needs the takeover."""
    driver = connection.connection.driver_connection
    return (
        connection.dialect.name == "sqlite"
        and hasattr(driver, "isolation_level")
        and hasattr(driver, "in_transaction")
        and not connection.dialect.is_async
    )
