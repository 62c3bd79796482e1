"""PostgreSQL: transactional DDL, named enum types, ``USING`` casts, identity columns.

Enum types. A column of a native ``sa.Enum`` needs a ``CREATE TYPE`` first. ``create_table``,
``add_column`` and ``alter_column`` (to an enum type) create the types their columns need: on
a connection only if the type is missing (a type left behind by an earlier run is reused when
its values are the same, and refused when they differ); in a script unconditionally.
``drop_table`` drops the enum types that no other object uses once the table is gone: on a
connection it asks the database which those are; in a script it drops the types of the
columns the operation knows (from autogenerate or a reversed ``create_table``). Pass
``postgresql_drop_enums=False`` to ``op.drop_table()`` to keep them, e.g. for an Alembic script
that drops the type itself afterwards.

``CREATE INDEX CONCURRENTLY`` (``postgresql_concurrently=True``) cannot run inside a
transaction: wrap it in ``with op.get_context().autocommit_block():``.

Sequences named in a column's ``sa.Sequence`` default are not created by ``create_table`` (as
in Alembic): create them with ``op.create_sequence()`` first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import ARRAY, Column, Enum, MetaData, Table, text
from sqlalchemy.dialects.postgresql import ENUM, CreateEnumType, DropEnumType
from sqlalchemy.sql.base import Executable

from sqlstrata.dialects import build
from sqlstrata.dialects.base import Dialect, DialectContext, Handler
from sqlstrata.dialects.ddl import RawDDL, attach, qualified, string_literal
from sqlstrata.dialects.generic import (
    GENERIC_HANDLERS,
    add_column_statements,
    add_constraint,
    alter_column_statements,
    table_extras,
)
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops

_ENUM_LABELS = text(
    "SELECT e.enumlabel FROM pg_catalog.pg_type t "
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
    "JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid "
    "WHERE t.typname = :name AND n.nspname = coalesce(:schema, current_schema()) "
    "ORDER BY e.enumsortorder"
)

# Enum types the table's columns use (directly or as array elements) that nothing else
# depends on: no other table's column, function, domain... Dependencies of the table's own
# defaults, constraints and indexes go away with the table.
_ORPHANED_ENUMS = text(
    "SELECT n.nspname, e.typname FROM pg_catalog.pg_type e "
    "JOIN pg_catalog.pg_namespace n ON n.oid = e.typnamespace "
    "WHERE e.typtype = 'e' AND EXISTS ("
    "  SELECT 1 FROM pg_catalog.pg_attribute a "
    "  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
    "  WHERE a.attrelid = to_regclass(:table) AND a.attnum > 0 AND NOT a.attisdropped "
    "  AND (t.oid = e.oid OR t.typelem = e.oid)"
    ") AND NOT EXISTS ("
    "  SELECT 1 FROM pg_catalog.pg_depend d "
    "  WHERE d.refclassid = 'pg_catalog.pg_type'::regclass "
    "  AND d.refobjid IN (e.oid, e.typarray) AND d.deptype = 'n' "
    "  AND NOT (d.classid = 'pg_catalog.pg_class'::regclass AND d.objid IN ("
    "    SELECT to_regclass(:table) UNION ALL "
    "    SELECT indexrelid FROM pg_catalog.pg_index WHERE indrelid = to_regclass(:table)))"
    "  AND NOT (d.classid = 'pg_catalog.pg_attrdef'::regclass AND d.objid IN ("
    "    SELECT oid FROM pg_catalog.pg_attrdef WHERE adrelid = to_regclass(:table)))"
    "  AND NOT (d.classid = 'pg_catalog.pg_constraint'::regclass AND d.objid IN ("
    "    SELECT oid FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass(:table)))"
    ") ORDER BY 1, 2"
)


def native_enums(columns: Iterable[Column[Any]]) -> list[Enum]:
    """The named native enum types ``columns`` use that SQLAlchemy would create."""
    found: dict[tuple[str | None, str], Enum] = {}
    for column in columns:
        type_ = column.type
        if isinstance(type_, ARRAY):
            type_ = type_.item_type
        if not isinstance(type_, Enum) or not type_.native_enum or not type_.name:
            continue
        if isinstance(type_, ENUM) and not type_.create_type:
            continue
        found.setdefault((type_.schema, type_.name), type_)
    return list(found.values())


def create_enums(enums: Sequence[Enum], ctx: DialectContext) -> Iterator[Executable]:
    """CREATE TYPE for each enum, skipping those that exist with the same values (online)."""
    for enum in enums:
        if ctx.connection is not None:
            labels = tuple(
                ctx.connection.execute(
                    _ENUM_LABELS, {"name": enum.name, "schema": enum.schema}
                ).scalars()
            )
            if labels == tuple(enum.enums):
                continue
            if labels:
                raise CommandError(
                    f"Can't create enum type {enum.name!r}: it exists with the values "
                    f"{', '.join(labels)}, not {', '.join(enum.enums)}.",
                    hint="Drop or alter the existing type first (op.drop_enum, op.add_enum_value).",
                )
        yield CreateEnumType(enum)


def create_table(op: ops.CreateTable, ctx: DialectContext) -> Iterator[Executable]:
    from sqlalchemy import schema as sa_schema

    table = op.to_table(ctx.metadata())
    build.ensure_referents(table)
    yield from create_enums(native_enums(table.columns), ctx)
    yield sa_schema.CreateTable(table, if_not_exists=op.if_not_exists)
    yield from table_extras(table, ctx)


def drop_table(op: ops.DropTable, ctx: DialectContext) -> Iterator[Executable]:
    from sqlalchemy import schema as sa_schema

    table = Table(op.table_name, MetaData(), schema=op.schema)
    enums: list[Enum] = []
    if ops.option(op.options, "postgresql_drop_enums", True):
        enums = _enums_dropped_with(op, table, ctx)
    yield sa_schema.DropTable(table, if_exists=op.if_exists)
    for enum in enums:
        yield DropEnumType(enum)


def _enums_dropped_with(op: ops.DropTable, table: Table, ctx: DialectContext) -> list[Enum]:
    if ctx.connection is None:
        columns = [item for item in op.items if isinstance(item, Column)]
        return native_enums(columns)
    name = ctx.sa_dialect.identifier_preparer.format_table(table)
    rows = ctx.connection.execute(_ORPHANED_ENUMS, {"table": name}).all()
    return [ENUM(name=type_name, schema=schema) for schema, type_name in rows]


def add_column(op: ops.AddColumn, ctx: DialectContext) -> Iterator[Executable]:
    yield from create_enums(native_enums([op.column]), ctx)
    yield from add_column_statements(op, ctx)


def alter_column(op: ops.AlterColumn, ctx: DialectContext) -> Iterator[Executable]:
    if op.modify_type is not None:
        column: Column[Any] = Column(op.column_name, op.modify_type)
        attach(column, op.table_name, op.schema)
        yield from create_enums(native_enums([column]), ctx)
    using = ops.option(op.options, "postgresql_using")
    yield from alter_column_statements(
        op, ctx, using=text(using) if isinstance(using, str) else using, autoincrement=_identity
    )


def _identity(prefix: str, autoincrement: bool) -> list[str]:
    """Autoincrement on PostgreSQL is an identity column."""
    if autoincrement:
        return [f"{prefix} ADD GENERATED BY DEFAULT AS IDENTITY"]
    return [f"{prefix} DROP IDENTITY IF EXISTS"]


def create_enum(op: ops.CreateEnum, ctx: DialectContext) -> Iterator[Executable]:
    yield CreateEnumType(ENUM(*op.values, name=op.type_name, schema=op.schema))


def drop_enum(op: ops.DropEnum, ctx: DialectContext) -> Iterator[Executable]:
    exists = "IF EXISTS " if op.if_exists else ""
    yield RawDDL(f"DROP TYPE {exists}{qualified(ctx.sa_dialect, op.type_name, op.schema)}")


def add_enum_value(op: ops.AddEnumValue, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    sql = f"ALTER TYPE {qualified(d, op.type_name, op.schema)} ADD VALUE "
    if op.if_not_exists:
        sql += "IF NOT EXISTS "
    sql += string_literal(d, op.value)
    if op.before is not None:
        sql += f" BEFORE {string_literal(d, op.before)}"
    elif op.after is not None:
        sql += f" AFTER {string_literal(d, op.after)}"
    yield RawDDL(sql)


def postgresql_dialect() -> Dialect:
    handlers: dict[type[ops.Operation], Handler] = {
        **GENERIC_HANDLERS,
        ops.CreateTable: create_table,
        ops.DropTable: drop_table,
        ops.AddColumn: add_column,
        ops.AlterColumn: alter_column,
        ops.CreateExcludeConstraint: add_constraint,
        ops.CreateEnum: create_enum,
        ops.DropEnum: drop_enum,
        ops.AddEnumValue: add_enum_value,
    }
    return Dialect("postgresql", transactional_ddl=True, handlers=handlers)
