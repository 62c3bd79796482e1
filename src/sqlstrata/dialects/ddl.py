"""Small SQL building blocks shared by the dialect handlers.

Handlers yield SQLAlchemy executables only. Statements SQLAlchemy has no construct for
(``ALTER TABLE ... ADD COLUMN``) are built as text with the target dialect's own compiler
and quoting, and wrapped in :class:`RawDDL` so both sinks treat them like any other DDL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, MetaData, Table
from sqlalchemy.engine.interfaces import Dialect as SADialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.ddl import ExecutableDDLElement


class RawDDL(ExecutableDDLElement):
    """A DDL statement already rendered for one dialect."""

    inherit_cache = False

    def __init__(self, sql: str) -> None:
        self.sql = sql

    def __repr__(self) -> str:
        return f"RawDDL({self.sql!r})"


@compiles(RawDDL)
def _compile_raw(element: RawDDL, compiler: Any, **kw: Any) -> str:
    return element.sql


def table_ref(dialect: SADialect, name: str, schema: str | None) -> str:
    """Quote a (schema-qualified) table name for ``dialect``."""
    return dialect.identifier_preparer.format_table(Table(name, MetaData(), schema=schema))


def quote(dialect: SADialect, name: str) -> str:
    """Quote an identifier (column, index, constraint name) if it needs quoting."""
    return dialect.identifier_preparer.quote(name)


def attach(column: Column[Any], table_name: str, schema: str | None) -> Column[Any]:
    """Return ``column`` attached to a throwaway table, as the DDL compiler needs."""
    if column.table is not None and isinstance(column.table, Table):
        return column
    copy = column._copy()
    Table(table_name, MetaData(), copy, schema=schema)
    return copy


def column_spec(dialect: SADialect, column: Column[Any]) -> str:
    """Render ``name TYPE [DEFAULT ...] [NOT NULL]`` for ``dialect``."""
    compiler = dialect.ddl_compiler(dialect, None)
    spec: str = compiler.get_column_specification(column)
    return spec
