"""Small SQL building blocks shared by the dialect handlers.

Handlers yield SQLAlchemy executables only. Statements SQLAlchemy has no construct for
(``ALTER TABLE ... ADD COLUMN``) are built as text with the target dialect's own compiler
and quoting, and wrapped in :class:`RawDDL` so both sinks treat them like any other DDL.
Every identifier goes through the dialect's ``IdentifierPreparer``, so reserved words,
mixed case, quotes, spaces and non-ASCII names are quoted the way the database expects.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, MetaData, Table, Unicode
from sqlalchemy.engine.interfaces import Dialect as SADialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import DDLCompiler
from sqlalchemy.sql.ddl import ExecutableDDLElement
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.types import TypeEngine


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


class InlineLiteral(BindParameter[Any]):
    """A value always written into the SQL as a literal, never sent as a parameter.

    What ``op.inline_literal()`` returns and what ``bulk_insert`` uses in SQL scripts, so a
    statement reads the same online and in an offline script.
    """

    inherit_cache = True

    def __init__(self, value: Any, type_: Any = None) -> None:
        super().__init__(None, value, type_=type_, unique=True)


@compiles(InlineLiteral)
def _compile_inline_literal(element: InlineLiteral, compiler: Any, **kw: Any) -> str:
    kw["literal_binds"] = True
    rendered: str = compiler.visit_bindparam(element, **kw)
    return rendered


def ddl_compiler(dialect: SADialect) -> DDLCompiler:
    """A DDL compiler for ``dialect``, for rendering column specifications and clauses."""
    return dialect.ddl_compiler(dialect, RawDDL(""))


def table_ref(dialect: SADialect, name: str, schema: str | None) -> str:
    """Quote a (schema-qualified) table name for ``dialect``."""
    return dialect.identifier_preparer.format_table(Table(name, MetaData(), schema=schema))


def quote(dialect: SADialect, name: str) -> str:
    """Quote an identifier (column, index, constraint name) if it needs quoting."""
    return dialect.identifier_preparer.quote(name)


def qualified(dialect: SADialect, name: str, schema: str | None) -> str:
    """Quote ``schema.name`` for objects that live in a schema (indexes, types, sequences)."""
    if schema:
        return f"{dialect.identifier_preparer.quote_schema(schema)}.{quote(dialect, name)}"
    return quote(dialect, name)


def string_literal(dialect: SADialect, value: str) -> str:
    """Render ``value`` as a SQL string literal (``N'...'`` where the dialect wants it)."""
    compiler = dialect.statement_compiler(dialect, None)
    rendered: str = compiler.render_literal_value(value, Unicode())
    return rendered


def type_sql(dialect: SADialect, type_: TypeEngine[Any]) -> str:
    """Render a column type for ``dialect``."""
    rendered: str = dialect.type_compiler_instance.process(type_)
    return rendered


def attach(
    column: Column[Any], table_name: str, schema: str | None, metadata: MetaData | None = None
) -> Column[Any]:
    """Return ``column`` attached to a throwaway table, as the DDL compiler needs."""
    if column.table is not None and isinstance(column.table, Table):
        return column
    copy = column._copy()
    Table(table_name, metadata if metadata is not None else MetaData(), copy, schema=schema)
    return copy


def column_spec(dialect: SADialect, column: Column[Any]) -> str:
    """Render ``name TYPE [DEFAULT ...] [NOT NULL]`` for ``dialect``."""
    compiler = ddl_compiler(dialect)
    spec: str = compiler.get_column_specification(column)
    return spec


def default_sql(dialect: SADialect, column: Column[Any]) -> str | None:
    """Render the server default of ``column`` (an attached column), or ``None``."""
    compiler = ddl_compiler(dialect)
    rendered: str | None = compiler.get_column_default_string(column)
    return rendered


def expression_sql(dialect: SADialect, expression: Any) -> str:
    """Render a SQL expression (or text) inline, with literal values."""
    if isinstance(expression, str):
        return expression
    compiled = expression.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return str(compiled)
