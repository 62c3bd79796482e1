"""Microsoft SQL Server, for offline (``--sql``) scripts: ``GO`` after each statement.

SQL Server binds a column's default to a named DEFAULT constraint, often with a generated
name, and will not drop the column or change its type or default while it exists. So
``drop_column`` and default changes in ``alter_column`` first drop that constraint with a
script-safe block that looks its name up in ``sys.default_constraints``; ``drop_column`` can
do the same for a CHECK (``mssql_drop_check=True``) or FOREIGN KEY
(``mssql_drop_foreign_key=True``) constraint. ``ALTER COLUMN`` restates the type, so changing
nullability needs ``existing_type``. Renames use ``sp_rename``; comments are
``MS_Description`` extended properties.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.sql.base import Executable

from sqlstrata.dialects import generic
from sqlstrata.dialects.base import Dialect, DialectContext, Handler, unsupported
from sqlstrata.dialects.comments import column_comment
from sqlstrata.dialects.ddl import RawDDL, quote, string_literal, table_ref, type_sql
from sqlstrata.dialects.generic import (
    GENERIC_HANDLERS,
    add_column_statements,
    drop_index,
    server_default_sql,
)
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops

_LOOKUPS = {
    "default": (
        "sys.default_constraints AS k JOIN sys.columns AS c "
        "ON c.object_id = k.parent_object_id AND c.column_id = k.parent_column_id "
        "WHERE k.parent_object_id = OBJECT_ID({table})"
    ),
    "check": (
        "sys.check_constraints AS k JOIN sys.columns AS c "
        "ON c.object_id = k.parent_object_id AND c.column_id = k.parent_column_id "
        "WHERE k.parent_object_id = OBJECT_ID({table})"
    ),
    "foreign_key": (
        "sys.foreign_keys AS k JOIN sys.foreign_key_columns AS f "
        "ON f.constraint_object_id = k.object_id JOIN sys.columns AS c "
        "ON c.object_id = f.parent_object_id AND c.column_id = f.parent_column_id "
        "WHERE k.parent_object_id = OBJECT_ID({table})"
    ),
}


def drop_column_constraint(
    ctx: DialectContext, table_name: str, schema: str | None, column: str, kind: str
) -> Executable:
    """Drop the ``kind`` constraint bound to ``column``, whatever its name, if there is one."""
    d = ctx.sa_dialect
    target = table_ref(d, table_name, schema)
    lookup = _LOOKUPS[kind].format(table=string_literal(d, target))
    alter = string_literal(d, f"ALTER TABLE {target} DROP CONSTRAINT ")
    return RawDDL(
        "DECLARE @const_name sysname;\n"
        f"SELECT @const_name = k.name FROM {lookup} AND c.name = {string_literal(d, column)};\n"
        f"IF @const_name IS NOT NULL EXEC({alter} + QUOTENAME(@const_name))"
    )


def add_column(op: ops.AddColumn, ctx: DialectContext) -> Iterator[Executable]:
    if op.if_not_exists:
        raise unsupported(ctx, f"add column {op.column.name!r}", "there is no IF NOT EXISTS")
    yield from add_column_statements(op, ctx, keyword="ADD")


def drop_column(op: ops.DropColumn, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    kinds = ["default"]
    if ops.option(op.options, "mssql_drop_check"):
        kinds.append("check")
    if ops.option(op.options, "mssql_drop_foreign_key"):
        kinds.append("foreign_key")
    for kind in kinds:
        yield drop_column_constraint(ctx, op.table_name, op.schema, op.column_name, kind)
    exists = " IF EXISTS" if op.if_exists else ""
    yield RawDDL(
        f"ALTER TABLE {table_ref(d, op.table_name, op.schema)} "
        f"DROP COLUMN{exists} {quote(d, op.column_name)}"
    )


def alter_column(op: ops.AlterColumn, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    if op.modify_autoincrement is not None:
        raise unsupported(
            ctx, f"change autoincrement of {op.column_name!r}", "IDENTITY cannot be altered"
        )
    target = table_ref(d, op.table_name, op.schema)
    column = quote(d, op.column_name)
    new_default = op.modify_server_default
    if new_default is ops.UNSET and op.modify_type is not None:
        # The default constraint blocks a type change: drop it and put it back afterwards.
        new_default = op.existing_server_default
    touches_default = new_default is not ops.UNSET and (
        op.modify_server_default is not ops.UNSET or new_default is not None
    )
    if touches_default:
        yield drop_column_constraint(ctx, op.table_name, op.schema, op.column_name, "default")
    if op.modify_type is not None or op.modify_nullable is not None:
        yield RawDDL(f"ALTER TABLE {target} ALTER COLUMN {column} {_restated_type(op, ctx)}")
    if touches_default and new_default is not None and new_default is not ops.UNSET:
        default = server_default_sql(_with_default(op, new_default), ctx)
        yield RawDDL(f"ALTER TABLE {target} ADD DEFAULT {default} FOR {column}")
    if op.modify_comment is not ops.UNSET:
        yield column_comment(
            ctx, op.table_name, op.schema, op.column_name, op.modify_comment, op.existing_comment
        )
    if op.modify_name is not None:
        old = string_literal(d, f"{target}.{column}")
        yield RawDDL(f"EXEC sp_rename {old}, {string_literal(d, op.modify_name)}, 'COLUMN'")


def _with_default(op: ops.AlterColumn, default: ops.ServerDefault) -> ops.AlterColumn:
    import dataclasses

    return dataclasses.replace(op, modify_server_default=default)


def _restated_type(op: ops.AlterColumn, ctx: DialectContext) -> str:
    type_ = op.modify_type if op.modify_type is not None else op.existing_type
    if type_ is None:
        raise CommandError(
            f"Can't alter column {op.table_name}.{op.column_name} on SQL Server: "
            "existing_type is not given.",
            hint="ALTER COLUMN restates the type; pass existing_type= to op.alter_column().",
        )
    nullable = op.modify_nullable if op.modify_nullable is not None else op.existing_nullable
    null = "" if nullable is None else (" NULL" if nullable else " NOT NULL")
    return f"{type_sql(ctx.sa_dialect, type_)}{null}"


def rename_table(op: ops.RenameTable, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    old = string_literal(d, table_ref(d, op.table_name, op.schema))
    yield RawDDL(f"EXEC sp_rename {old}, {string_literal(d, op.new_table_name)}")


def mssql_drop_index(op: ops.DropIndex, ctx: DialectContext) -> Iterator[Executable]:
    if not op.table_name:
        raise CommandError(
            f"Can't drop index {op.index_name!r} on SQL Server: the table is not named.",
            hint="Pass table_name= to op.drop_index().",
        )
    yield from drop_index(op, ctx)


def create_table(op: ops.CreateTable, ctx: DialectContext) -> Iterator[Executable]:
    if op.if_not_exists:
        raise unsupported(ctx, f"create table {op.table_name!r}", "there is no IF NOT EXISTS")
    yield from generic.create_table(op, ctx)


def create_index(op: ops.CreateIndex, ctx: DialectContext) -> Iterator[Executable]:
    if op.if_not_exists:
        raise unsupported(ctx, f"create index {op.index_name!r}", "there is no IF NOT EXISTS")
    yield from generic.create_index(op, ctx)


def mssql_dialect() -> Dialect:
    handlers: dict[type[ops.Operation], Handler] = {
        **GENERIC_HANDLERS,
        ops.AddColumn: add_column,
        ops.DropColumn: drop_column,
        ops.AlterColumn: alter_column,
        ops.RenameTable: rename_table,
        ops.DropIndex: mssql_drop_index,
        ops.CreateTable: create_table,
        ops.CreateIndex: create_index,
    }
    return Dialect(
        "mssql", transactional_ddl=True, handlers=handlers, terminator=";", batch_separator="GO"
    )
