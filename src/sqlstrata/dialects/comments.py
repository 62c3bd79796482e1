"""Table and column comment statements, in each database's own syntax.

PostgreSQL and Oracle use ``COMMENT ON``; MSSQL stores comments as ``MS_Description``
extended properties; MySQL sets a table comment with ``ALTER TABLE ... COMMENT`` and restates
a column to change its comment (see :mod:`sqlstrata.dialects.mysql`).
"""

from __future__ import annotations

from sqlalchemy.sql.base import Executable

from sqlstrata.dialects.base import DialectContext
from sqlstrata.dialects.ddl import RawDDL, quote, string_literal, table_ref


def table_comment(
    ctx: DialectContext,
    table_name: str,
    schema: str | None,
    comment: str | None,
    existing: str | None = None,
) -> Executable:
    """Set (or, with ``comment`` None, remove) a table's comment."""
    d = ctx.sa_dialect
    if d.name == "mssql":
        return _mssql_property(ctx, table_name, schema, None, comment, existing)
    target = table_ref(d, table_name, schema)
    if d.name in ("mysql", "mariadb"):
        return RawDDL(f"ALTER TABLE {target} COMMENT {string_literal(d, comment or '')}")
    return RawDDL(f"COMMENT ON TABLE {target} IS {_comment_value(ctx, comment)}")


def column_comment(
    ctx: DialectContext,
    table_name: str,
    schema: str | None,
    column_name: str,
    comment: str | None,
    existing: str | None = None,
) -> Executable:
    """Set (or, with ``comment`` None, remove) a column's comment."""
    d = ctx.sa_dialect
    if d.name == "mssql":
        return _mssql_property(ctx, table_name, schema, column_name, comment, existing)
    target = f"{table_ref(d, table_name, schema)}.{quote(d, column_name)}"
    return RawDDL(f"COMMENT ON COLUMN {target} IS {_comment_value(ctx, comment)}")


def _comment_value(ctx: DialectContext, comment: str | None) -> str:
    if comment is not None:
        return string_literal(ctx.sa_dialect, comment)
    # Oracle removes a comment by setting it to the empty string.
    return "''" if ctx.sa_dialect.name == "oracle" else "NULL"


def _mssql_property(
    ctx: DialectContext,
    table_name: str,
    schema: str | None,
    column_name: str | None,
    comment: str | None,
    existing: str | None,
) -> Executable:
    d = ctx.sa_dialect
    levels = [
        "N'SCHEMA'",
        string_literal(d, schema or "dbo"),
        "N'TABLE'",
        string_literal(d, table_name),
    ]
    if column_name is not None:
        levels += ["N'COLUMN'", string_literal(d, column_name)]
    names = ", ".join(levels)
    if comment is None:
        return RawDDL(f"EXEC sp_dropextendedproperty N'MS_Description', {names}")
    procedure = "sp_updateextendedproperty" if existing is not None else "sp_addextendedproperty"
    return RawDDL(f"EXEC {procedure} N'MS_Description', {string_literal(d, comment)}, {names}")
