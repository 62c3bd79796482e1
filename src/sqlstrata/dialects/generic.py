"""The generic handlers: standard SQL (PostgreSQL-flavoured) for every operation.

Each database's file starts from :data:`GENERIC_HANDLERS` and replaces what it does
differently. Helpers that a dialect reuses with a twist (``add_column_statements``,
``alter_column_statements``, ``table_extras``) take the twist as arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import CheckConstraint, Column, ForeignKeyConstraint, MetaData, Table, insert, text
from sqlalchemy import Sequence as Seq
from sqlalchemy import schema as sa_schema
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.schema import Computed, FetchedValue, Identity
from sqlalchemy.types import NullType

from sqlstrata.dialects import build
from sqlstrata.dialects.base import DialectContext, Handler, unsupported
from sqlstrata.dialects.comments import column_comment, table_comment
from sqlstrata.dialects.ddl import (
    InlineLiteral,
    RawDDL,
    attach,
    column_spec,
    ddl_compiler,
    default_sql,
    expression_sql,
    quote,
    table_ref,
    type_sql,
)
from sqlstrata.ops import operations as ops

# -- tables ------------------------------------------------------------------------------------


def create_table(op: ops.CreateTable, ctx: DialectContext) -> Iterator[Executable]:
    table = op.to_table(ctx.metadata())
    build.ensure_referents(table)
    yield sa_schema.CreateTable(table, if_not_exists=op.if_not_exists)
    yield from table_extras(table, ctx)


def table_extras(table: Table, ctx: DialectContext) -> Iterator[Executable]:
    """The indexes of a new table, and its comments where CREATE TABLE cannot hold them."""
    for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
        yield sa_schema.CreateIndex(index)
    d = ctx.sa_dialect
    if not d.supports_comments or d.inline_comments:
        return
    if table.comment:
        yield table_comment(ctx, table.name, table.schema, table.comment)
    for column in table.columns:
        if column.comment:
            yield column_comment(ctx, table.name, table.schema, column.name, column.comment)


def drop_table(op: ops.DropTable, ctx: DialectContext) -> Iterator[Executable]:
    table = Table(op.table_name, MetaData(), schema=op.schema)
    yield sa_schema.DropTable(table, if_exists=op.if_exists)


def rename_table(op: ops.RenameTable, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    old = table_ref(d, op.table_name, op.schema)
    yield RawDDL(f"ALTER TABLE {old} RENAME TO {quote(d, op.new_table_name)}")


def create_table_comment(op: ops.CreateTableComment, ctx: DialectContext) -> Iterator[Executable]:
    yield table_comment(ctx, op.table_name, op.schema, op.comment, op.existing_comment)


def drop_table_comment(op: ops.DropTableComment, ctx: DialectContext) -> Iterator[Executable]:
    yield table_comment(ctx, op.table_name, op.schema, None, op.existing_comment)


# -- columns -----------------------------------------------------------------------------------


def add_column(op: ops.AddColumn, ctx: DialectContext) -> Iterator[Executable]:
    yield from add_column_statements(op, ctx)


def add_column_statements(
    op: ops.AddColumn,
    ctx: DialectContext,
    *,
    keyword: str = "ADD COLUMN",
    inline_references: bool = False,
    inline_checks: bool = False,
) -> Iterator[Executable]:
    """``ALTER TABLE ... ADD COLUMN`` and the constraints and comment that go with it.

    NOT NULL, server defaults, foreign keys and CHECK constraints (including those of
    Boolean/Enum types) are honoured; ``unique=`` and ``index=`` on the Column are not, as
    in Alembic: use create_unique_constraint() / create_index().
    """
    d = ctx.sa_dialect
    column = attach(op.column, op.table_name, op.schema, ctx.metadata())
    table = column.table
    build.ensure_referents(table)
    spec = column_spec(d, column)
    if op.inline_primary_key and column.primary_key:
        spec += " PRIMARY KEY"
    fks = sorted(
        (c for c in table.constraints if isinstance(c, ForeignKeyConstraint)),
        key=lambda c: str(c.name),
    )
    compiler = ddl_compiler(d)
    checks = [
        c for c in table.constraints if isinstance(c, CheckConstraint) and _wanted(c, compiler)
    ]
    inline_fks = inline_references if op.inline_references is None else op.inline_references
    if inline_fks:
        spec += "".join(f" {references_sql(ctx, fk)}" for fk in fks)
    if inline_checks:
        spec += "".join(f" {compiler.process(c)}" for c in checks)
    exists = " IF NOT EXISTS" if op.if_not_exists else ""
    yield RawDDL(f"ALTER TABLE {table_ref(d, op.table_name, op.schema)} {keyword}{exists} {spec}")
    if not inline_fks:
        yield from (sa_schema.AddConstraint(fk) for fk in fks)
    if not inline_checks:
        yield from (sa_schema.AddConstraint(check) for check in checks)
    if column.comment and d.supports_comments and not d.inline_comments:
        yield column_comment(ctx, op.table_name, op.schema, column.name, column.comment)


def _wanted(constraint: CheckConstraint, compiler: Any) -> bool:
    """Whether this database wants the constraint (a Boolean's CHECK is not wanted where
    booleans are native)."""
    rule = getattr(constraint, "_create_rule", None)
    return rule is None or bool(rule(compiler))


def references_sql(ctx: DialectContext, fk: ForeignKeyConstraint) -> str:
    """``[CONSTRAINT name] REFERENCES t (cols) [ON DELETE ...]``, for a column definition."""
    d = ctx.sa_dialect
    compiler = ddl_compiler(d)
    remote = fk.elements[0].column.table
    columns = ", ".join(quote(d, element.column.name) for element in fk.elements)
    sql = f"REFERENCES {compiler.preparer.format_table(remote)} ({columns})"
    sql += compiler.define_constraint_match(fk)
    sql += compiler.define_constraint_cascades(fk)
    sql += compiler.define_constraint_deferrability(fk)
    name = compiler.preparer.format_constraint(fk) if fk.name is not None else None
    return f"CONSTRAINT {name} {sql}" if name else sql


def drop_column(op: ops.DropColumn, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    exists = " IF EXISTS" if op.if_exists else ""
    yield RawDDL(
        f"ALTER TABLE {table_ref(d, op.table_name, op.schema)} "
        f"DROP COLUMN{exists} {quote(d, op.column_name)}"
    )


def alter_column(op: ops.AlterColumn, ctx: DialectContext) -> Iterator[Executable]:
    if op.modify_autoincrement is not None:
        raise unsupported(
            ctx,
            f"change autoincrement of {op.table_name}.{op.column_name}",
            "there is no ALTER statement for it here",
        )
    yield from alter_column_statements(op, ctx)


def alter_column_statements(
    op: ops.AlterColumn,
    ctx: DialectContext,
    *,
    using: Any = None,
    autoincrement: Callable[[str, bool], Sequence[str]] | None = None,
) -> Iterator[Executable]:
    """Standard ``ALTER COLUMN`` clauses, one statement each, the rename last.

    A default being removed goes before a type change, so the old default cannot block the
    cast; a new default goes after it, so it is checked against the new type.
    """
    d = ctx.sa_dialect
    target = table_ref(d, op.table_name, op.schema)
    prefix = f"ALTER TABLE {target} ALTER COLUMN {quote(d, op.column_name)}"
    drop_default_first = op.modify_server_default is None and op.modify_type is not None
    if drop_default_first:
        yield RawDDL(f"{prefix} DROP DEFAULT")
    if op.modify_type is not None:
        clause = f" USING {expression_sql(d, using)}" if using is not None else ""
        yield RawDDL(f"{prefix} TYPE {type_sql(d, op.modify_type)}{clause}")
    if op.modify_nullable is not None:
        yield RawDDL(f"{prefix} {'DROP' if op.modify_nullable else 'SET'} NOT NULL")
    if op.modify_server_default is not ops.UNSET and not drop_default_first:
        default = server_default_sql(op, ctx)
        yield RawDDL(f"{prefix} SET DEFAULT {default}" if default else f"{prefix} DROP DEFAULT")
    if op.modify_autoincrement is not None and autoincrement is not None:
        for clause in autoincrement(prefix, op.modify_autoincrement):
            yield RawDDL(clause)
    if op.modify_comment is not ops.UNSET:
        yield column_comment(
            ctx, op.table_name, op.schema, op.column_name, op.modify_comment, op.existing_comment
        )
    if op.modify_name is not None:
        yield RawDDL(
            f"ALTER TABLE {target} RENAME COLUMN {quote(d, op.column_name)} "
            f"TO {quote(d, op.modify_name)}"
        )


def server_default_sql(op: ops.AlterColumn, ctx: DialectContext) -> str | None:
    """The new server default of an AlterColumn as SQL, or None to remove it."""
    value = op.modify_server_default
    if value is None or value is ops.UNSET:
        return None
    if isinstance(value, Computed | Identity) or (
        isinstance(value, FetchedValue) and not isinstance(value, sa_schema.DefaultClause)
    ):
        raise unsupported(
            ctx,
            f"alter {op.table_name}.{op.column_name}",
            f"a server default of type {type(value).__name__} cannot be set by ALTER COLUMN",
        )
    type_ = op.modify_type or op.existing_type or NullType()
    column: Column[Any] = Column(op.column_name, type_, server_default=value)
    Table(op.table_name, MetaData(), column, schema=op.schema)
    return default_sql(ctx.sa_dialect, column)


# -- constraints and indexes -------------------------------------------------------------------


def add_constraint(op: ops.CreateConstraint, ctx: DialectContext) -> Iterator[Executable]:
    yield sa_schema.AddConstraint(build.constraint_for(op, ctx))


def add_exclude_constraint(
    op: ops.CreateExcludeConstraint, ctx: DialectContext
) -> Iterator[Executable]:
    raise unsupported(
        ctx, f"create exclude constraint {op.constraint_name!r}", "EXCLUDE is PostgreSQL only"
    )


def drop_constraint(op: ops.DropConstraint, ctx: DialectContext) -> Iterator[Executable]:
    constraint = build.dropped_constraint(op, ctx)
    if constraint.name is None:
        raise unsupported(
            ctx,
            f"drop a constraint of {op.table_name!r}",
            "the constraint has no name",
            "Give constraint_name to op.drop_constraint().",
        )
    yield sa_schema.DropConstraint(constraint, if_exists=op.if_exists)


def create_index(op: ops.CreateIndex, ctx: DialectContext) -> Iterator[Executable]:
    yield sa_schema.CreateIndex(build.index_for(op, ctx), if_not_exists=op.if_not_exists)


def drop_index(op: ops.DropIndex, ctx: DialectContext) -> Iterator[Executable]:
    yield sa_schema.DropIndex(build.dropped_index(op, ctx), if_exists=op.if_exists)


# -- sequences and enum types ------------------------------------------------------------------


def create_sequence(op: ops.CreateSequence, ctx: DialectContext) -> Iterator[Executable]:
    sequence = Seq(op.sequence_name, schema=op.schema, **dict(op.options))
    yield sa_schema.CreateSequence(sequence, if_not_exists=op.if_not_exists)


def drop_sequence(op: ops.DropSequence, ctx: DialectContext) -> Iterator[Executable]:
    yield sa_schema.DropSequence(Seq(op.sequence_name, schema=op.schema), if_exists=op.if_exists)


def enum_types_unsupported(
    op: ops.CreateEnum | ops.DropEnum | ops.AddEnumValue, ctx: DialectContext
) -> Iterator[Executable]:
    raise unsupported(
        ctx,
        f"change enum type {op.type_name!r}",
        "named enum types exist on PostgreSQL only",
        "Use sa.Enum(...) as a column type; it needs no type of its own here.",
    )


# -- data --------------------------------------------------------------------------------------

_PARAMETERS_PER_INSERT = 900  # below SQLite's historical limit of 999 bound parameters


def execute_sql(op: ops.ExecuteSQL, ctx: DialectContext) -> Iterator[Executable]:
    statement = text(op.statement) if isinstance(op.statement, str) else op.statement
    if op.execution_options:
        statement = statement.execution_options(**dict(op.execution_options))
    yield statement


def bulk_insert(op: ops.BulkInsert, ctx: DialectContext) -> Iterator[Executable]:
    """INSERT the rows: literal values in a script, bound parameters on a connection."""
    rows = [dict(row) for row in op.rows]
    if not rows:
        return
    if ctx.offline:
        for row in rows:
            yield insert(op.table).values({k: _inline(op, k, v) for k, v in row.items()})
        return
    if not op.multiinsert:
        for row in rows:
            yield insert(op.table).values(row)
        return
    for group in _same_keys(rows):
        size = max(1, _PARAMETERS_PER_INSERT // max(1, len(group[0])))
        for start in range(0, len(group), size):
            yield insert(op.table).values(group[start : start + size])


def _same_keys(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Runs of consecutive rows with the same columns: one multi-row INSERT needs that."""
    group = [rows[0]]
    for row in rows[1:]:
        if row.keys() == group[0].keys():
            group.append(row)
        else:
            yield group
            group = [row]
    yield group


def _inline(op: ops.BulkInsert, key: str, value: Any) -> Any:
    if hasattr(value, "__clause_element__") or isinstance(value, Executable):
        return value
    column = op.table.c.get(key)
    type_ = column.type if column is not None and not isinstance(column.type, NullType) else None
    return InlineLiteral(value, type_)


GENERIC_HANDLERS: Mapping[type[ops.Operation], Handler] = {
    ops.CreateTable: create_table,
    ops.DropTable: drop_table,
    ops.RenameTable: rename_table,
    ops.CreateTableComment: create_table_comment,
    ops.DropTableComment: drop_table_comment,
    ops.AddColumn: add_column,
    ops.DropColumn: drop_column,
    ops.AlterColumn: alter_column,
    ops.CreatePrimaryKey: add_constraint,
    ops.CreateForeignKey: add_constraint,
    ops.CreateUniqueConstraint: add_constraint,
    ops.CreateCheckConstraint: add_constraint,
    ops.CreateExcludeConstraint: add_exclude_constraint,
    ops.DropConstraint: drop_constraint,
    ops.CreateIndex: create_index,
    ops.DropIndex: drop_index,
    ops.CreateSequence: create_sequence,
    ops.DropSequence: drop_sequence,
    ops.CreateEnum: enum_types_unsupported,
    ops.DropEnum: enum_types_unsupported,
    ops.AddEnumValue: enum_types_unsupported,
    ops.ExecuteSQL: execute_sql,
    ops.BulkInsert: bulk_insert,
}
