"""Compare the columns of one table present on both sides: renames, additions, changes
(type, nullability, server default, comment, autoincrement, identity, computed) and drops."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlstrata.autogen import objects
from sqlstrata.autogen.normalize import (
    default_key,
    persisted,
    sql_key,
    type_family,
    types_equal,
)
from sqlstrata.autogen.options import DiffOptions
from sqlstrata.autogen.snapshot import ColumnSnap, IdentitySnap, TableSnap
from sqlstrata.ops import operations as ops


@dataclass(frozen=True, slots=True)
class ColumnChanges:
    renames: tuple[ops.Operation, ...] = ()
    adds: tuple[ops.Operation, ...] = ()
    alters: tuple[ops.Operation, ...] = ()
    drops: tuple[ops.Operation, ...] = ()


def compare_columns(
    original: TableSnap, before: TableSnap, after: TableSnap, options: DiffOptions
) -> ColumnChanges:
    """``original`` is the old table as it is; ``before`` the same with renames applied."""
    renames = tuple(_renames(original, before, options))
    adds: list[ops.Operation] = []
    alters: list[ops.Operation] = []
    for new in after.columns:
        old = before.column(new.name)
        if old is None:
            adds.append(
                ops.AddColumn(after.name, objects.column(new, options.dialect), after.schema)
            )
        else:
            alters.extend(alter_column(after, old, new, options))
    drops = tuple(
        ops.DropColumn(
            after.name,
            old.name,
            after.schema,
            objects.column(old, options.dialect),
        )
        for old in before.columns
        if after.column(old.name) is None
    )
    return ColumnChanges(renames, tuple(adds), tuple(alters), drops)


def _renames(
    original: TableSnap, before: TableSnap, options: DiffOptions
) -> Iterator[ops.Operation]:
    """``alter_column(..., new_column_name=...)`` for each renamed column, on the old table
    name's successor (tables are renamed first)."""
    for old, now in zip(original.columns, before.columns, strict=True):
        if old.name != now.name:
            yield alter_op(before, old, options.dialect, modify_name=now.name)


def alter_op(table: TableSnap, old: ColumnSnap, dialect: str, **modify: Any) -> ops.AlterColumn:
    """An AlterColumn carrying everything about the column as it is (MySQL restates it)."""
    return ops.AlterColumn(
        table.name,
        old.name,
        table.schema,
        existing_type=objects.column_type(old, dialect),
        existing_nullable=old.nullable,
        existing_server_default=(
            old.default_arg if old.default is not None and old.default_known else None
        ),
        existing_comment=old.comment,
        existing_autoincrement=old.autoincrement,
        **modify,
    )


def alter_column(
    table: TableSnap, old: ColumnSnap, new: ColumnSnap, options: DiffOptions
) -> list[ops.Operation]:
    """The operations that turn column ``old`` into ``new``."""
    if _computed_changed(old, new, options.dialect):
        # A generation expression cannot be altered: the column is made again.
        return [
            ops.DropColumn(
                table.name, old.name, table.schema, objects.column(old, options.dialect)
            ),
            ops.AddColumn(table.name, objects.column(new, options.dialect), table.schema),
        ]
    modify: dict[str, Any] = {}
    if _type_changed(old, new, options):
        modify["modify_type"] = objects.column_type(new, options.dialect)
        using = _using(old, new, options)
        if using:
            modify["options"] = (("postgresql_using", using),)
    if old.nullable != new.nullable:
        modify["modify_nullable"] = new.nullable
    if _default_changed(old, new, options):
        modify["modify_server_default"] = new.default_arg if new.default is not None else None
    if options.comments and (old.comment or None) != (new.comment or None):
        modify["modify_comment"] = new.comment
    if (
        options.dialect in ("mysql", "mariadb")
        and old.autoincrement is not None
        and new.autoincrement is not None
        and old.autoincrement != new.autoincrement
    ):
        modify["modify_autoincrement"] = new.autoincrement
    out: list[ops.Operation] = []
    if modify:
        out.append(alter_op(table, old, options.dialect, **modify))
    if options.dialect == "postgresql" and _identity(old.identity) != _identity(new.identity):
        # An identity column is NOT NULL: it is made NOT NULL first and the identity goes
        # before it may be NULL again.
        identity = _identity_changes(table, old, new, options)
        out = [*out, *identity] if new.identity is not None else [*identity, *out]
    return out


def _both(options: DiffOptions, old: ColumnSnap, new: ColumnSnap) -> tuple[Any, Any]:
    """``(inspected, metadata)`` columns for a user hook."""
    dialect = options.dialect
    a, b = objects.column(old, dialect), objects.column(new, dialect)
    return (b, a) if options.reflected == "new" else (a, b)


def _type_changed(old: ColumnSnap, new: ColumnSnap, options: DiffOptions) -> bool:
    hook = options.compare_type
    if hook is False:
        return False
    if callable(hook):
        inspected, metadata = _both(options, old, new)
        answer = hook(options.context, inspected, metadata, inspected.type, metadata.type)
        if answer is not None:
            return bool(answer)
    if old.enum is not None or new.enum is not None:
        return old.enum != new.enum  # enum values are compared as enum types
    return not types_equal(options.dialect, old.type_sql, new.type_sql)


def _using(old: ColumnSnap, new: ColumnSnap, options: DiffOptions) -> str | None:
    """PostgreSQL's ``USING`` cast for a type change it will not make implicitly."""
    if options.dialect != "postgresql" or not new.type_sql:
        return None
    column = options.quote(new.name if new.name == old.name else old.name)
    if new.enum is not None:
        return f"{column}::text::{new.type_sql}"
    if type_family("postgresql", old.type_sql) == type_family("postgresql", new.type_sql):
        return None
    return f"{column}::{new.type_sql}"


def _default_changed(old: ColumnSnap, new: ColumnSnap, options: DiffOptions) -> bool:
    hook = options.compare_server_default
    if hook is False or not (old.default_known and new.default_known):
        return False
    if old.computed or new.computed or old.identity or new.identity:
        return False
    if callable(hook) and (old.default is not None or new.default is not None):
        inspected, metadata = _both(options, old, new)
        ins, meta = (new, old) if options.reflected == "new" else (old, new)
        answer = hook(
            options.context,
            inspected,
            metadata,
            ins.default,
            metadata.server_default.arg if metadata.server_default is not None else None,
            meta.default,
        )
        if answer is not None:
            return bool(answer)
    return default_key(options.dialect, old.default) != default_key(options.dialect, new.default)


def _computed_changed(old: ColumnSnap, new: ColumnSnap, dialect: str) -> bool:
    a, b = old.computed, new.computed
    if a is None or b is None:
        return a is not b
    if sql_key(a.sqltext, dialect) != sql_key(b.sqltext, dialect):
        return True
    return persisted(dialect, a.persisted) != persisted(dialect, b.persisted)


def _identity(identity: IdentitySnap | None) -> tuple[bool, int, int] | None:
    if identity is None:
        return None
    return (identity.always, identity.start or 1, identity.increment or 1)


def _identity_changes(
    table: TableSnap, old: ColumnSnap, new: ColumnSnap, options: DiffOptions
) -> list[ops.Operation]:
    """PostgreSQL identity changes, as SQL: there is no operation for them."""
    target = (
        f"ALTER TABLE {options.qualified(table.name, table.schema)} "
        f"ALTER COLUMN {options.quote(new.name)}"
    )
    before, after = _identity(old.identity), _identity(new.identity)
    if after is None:
        return [ops.ExecuteSQL(f"{target} DROP IDENTITY")]
    always, start, increment = after
    kind = "ALWAYS" if always else "BY DEFAULT"
    if before is None:
        return [
            ops.ExecuteSQL(
                f"{target} ADD GENERATED {kind} AS IDENTITY "
                f"(START WITH {start} INCREMENT BY {increment})"
            )
        ]
    clauses = []
    if before[0] != always:
        clauses.append(f"SET GENERATED {kind}")
    if before[1] != start:
        clauses.append(f"SET START WITH {start}")
    if before[2] != increment:
        clauses.append(f"SET INCREMENT BY {increment}")
    return [ops.ExecuteSQL(f"{target} {' '.join(clauses)}")]
