"""Carry out a batch: in place through the dialect's handlers, or by rebuilding the table.

:func:`run_batch` is what leaving a ``batch_alter_table`` block calls. In place, each
operation goes to the dialect like any ``op.*`` directive (on MySQL, the ``existing_*``
values an ALTER needs are filled in from the reflected table). A rebuild plans the new table
(:mod:`~sqlstrata.batch.plan`), renames columns in place first (not on MySQL, whose DDL
cannot be rolled back: there the rebuild renames), then runs the statements of
:mod:`~sqlstrata.batch.emit` phase by phase, with the checks of
:mod:`~sqlstrata.batch.checks` around them.

On a live SQLite or PostgreSQL connection the whole rebuild runs inside a savepoint: if any
step fails, the old table and its rows are back as they were. MySQL cannot roll DDL back;
there a failure while the new table is built drops it again and leaves the old one intact,
and only the constraints added after the swap can fail with the new table in place.

Offline (a SQL script), the table comes from ``copy_from``; what only the database knows
(triggers, other tables' foreign keys, views) cannot be seen, and a warning says so.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, exc
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.schema import DefaultClause

from sqlstrata.batch import checks
from sqlstrata.batch.emit import (
    RebuildStatements,
    Scratch,
    SQLiteState,
    mysql_rebuild,
    postgresql_rebuild,
    scratch,
    sqlite_rebuild,
)
from sqlstrata.batch.plan import RebuildPlan, in_place_refusal, plan_rebuild, rebuild_reason
from sqlstrata.batch.reflect import (
    InboundKey,
    dependent_views,
    exclusion_constraints,
    inbound_foreign_keys,
    postgresql_losses,
    reflect_shape,
    triggers,
)
from sqlstrata.batch.request import BatchRequest
from sqlstrata.batch.shape import (
    TableShape,
    build_table,
    make_column,
    named_by_convention,
    shape_of,
)
from sqlstrata.dialects.ddl import RawDDL, table_ref
from sqlstrata.dialects.postgresql import create_enums, native_enums
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops

if TYPE_CHECKING:
    from sqlstrata.runtime.migration import MigrationContext

log = logging.getLogger("sqlstrata.batch")

_MYSQL = ("mysql", "mariadb")


def run_batch(migration: MigrationContext, request: BatchRequest) -> None:
    """Apply the batch's operations to its table, in place or by a rebuild."""
    name = migration.impl.name
    reason = rebuild_reason(request, name)
    if reason is None:
        if request.recreate == "never":
            refusal = in_place_refusal(request, name)
            if refusal is not None:
                raise CommandError(
                    f"Can't alter table {request.table_name!r} in place on {name} "
                    f"(recreate='never'): {refusal}.",
                    hint="Use recreate='auto' to let the table be rebuilt.",
                )
        run_in_place(migration, request)
        return
    log.info("Rebuilding table %s: %s.", request.table_name, reason)
    rebuild(migration, request)


def run_in_place(migration: MigrationContext, request: BatchRequest) -> None:
    if request.reorders:
        log.warning(
            "batch_alter_table(%r): column positions (insert_before, insert_after, "
            "partial_reordering) apply only when the table is rebuilt; pass recreate='always'.",
            request.table_name,
        )
    knowable = request.copy_from is not None or migration.connection is not None
    if migration.impl.name not in _MYSQL or not knowable:
        for entry in request.entries:
            migration.invoke(entry.operation)
        return
    # MySQL restates a column to change it: follow each column through the batch, so that
    # every ALTER restates it as the earlier ones of the batch left it.
    table = source_shape(migration, request)
    columns = {c.name: c.column for c in table.columns}
    for entry in request.entries:
        operation = entry.operation
        if isinstance(operation, ops.AlterColumn) and operation.column_name in columns:
            operation = with_existing(operation, columns[operation.column_name])
        elif isinstance(operation, ops.DropConstraint) and operation.type_ is None:
            operation = with_constraint_type(operation, table)
        migration.invoke(operation)
        _follow(columns, operation)


def _follow(columns: dict[str, Column[Any]], op: ops.Operation) -> None:
    """Update ``columns`` (name -> column as it now is) after ``op``."""
    if isinstance(op, ops.AddColumn):
        columns[op.column.name] = make_column(op.column)
    elif isinstance(op, ops.DropColumn):
        columns.pop(op.column_name, None)
    elif isinstance(op, ops.AlterColumn) and op.column_name in columns:
        column = make_column(
            columns.pop(op.column_name),
            name=op.modify_name,
            type_=op.modify_type,
            nullable=op.modify_nullable,
            server_default=op.modify_server_default,
            comment=op.modify_comment,
            autoincrement=op.modify_autoincrement,
        )
        columns[column.name] = column


def with_existing(op: ops.AlterColumn, column: Column[Any]) -> ops.AlterColumn:
    """``op`` with the ``existing_*`` values it lacks taken from ``column``."""
    default: Any = column.server_default
    if isinstance(default, DefaultClause):
        default = default.arg
    return dataclasses.replace(
        op,
        existing_type=op.existing_type if op.existing_type is not None else column.type,
        existing_nullable=(
            op.existing_nullable if op.existing_nullable is not None else column.nullable
        ),
        existing_server_default=(
            default if op.existing_server_default is ops.UNSET else op.existing_server_default
        ),
        existing_comment=op.existing_comment if op.existing_comment is not None else column.comment,
        existing_autoincrement=(
            op.existing_autoincrement
            if op.existing_autoincrement is not None
            else column.autoincrement is True
        ),
    )


def with_constraint_type(op: ops.DropConstraint, table: TableShape) -> ops.DropConstraint:
    """``op`` with the ``type_`` MySQL needs, found by the constraint's name."""
    kinds: list[tuple[ops.ConstraintType, set[str | None]]] = [
        ("foreignkey", {fk.name for fk in table.foreign_keys}),
        ("unique", {u.name for u in table.uniques} | {i.name for i in table.indexes if i.unique}),
        ("check", {c.name for c in table.checks}),
    ]
    for kind, names in kinds:
        if op.constraint_name in names:
            return dataclasses.replace(op, type_=kind)
    return op


# -- rebuilding ----------------------------------------------------------------------------


def source_shape(migration: MigrationContext, request: BatchRequest) -> TableShape:
    """The table before the batch: ``copy_from``, or reflected from the database."""
    sa_dialect = migration.dialect
    if request.copy_from is not None:
        shape = shape_of(request.copy_from, sa_dialect)
    elif migration.connection is None:
        raise CommandError(
            f"Can't rebuild table {request.table_name!r} in offline (--sql) mode: without a "
            "database the table cannot be reflected.",
            hint="Pass copy_from=<the sa.Table as it is before the batch> to "
            "op.batch_alter_table().",
        )
    else:
        shape, _ = reflect_shape(migration.connection, request)
    if request.naming_convention:
        shape = named_by_convention(shape, dict(request.naming_convention), sa_dialect)
    return shape


def rebuild(migration: MigrationContext, request: BatchRequest) -> None:
    source = source_shape(migration, request)
    family = migration.impl.name
    naming = migration.dialect_context.metadata()
    plan = plan_rebuild(request, source, migration.dialect, naming, hoist=family not in _MYSQL)
    names = scratch(migration.dialect, source.name)
    connection = migration.connection
    if connection is None:
        log.warning(
            "batch_alter_table(%r) in a SQL script: the triggers of the table, the foreign "
            "keys of other tables that reference it and the views that use it cannot be "
            "seen offline and are not kept or checked.",
            request.table_name,
        )
        inbound: tuple[InboundKey, ...] = ()
    else:
        checks.refuse_scratch_table(connection, names.table, source.schema, source.name)
        inbound = inbound_foreign_keys(connection, source.name, source.schema)
        checks.check_inbound(plan, inbound)
    if family == "sqlite":
        _rebuild_sqlite(migration, plan, names, inbound)
    elif family in _MYSQL:
        _rebuild_mysql(migration, plan, names, inbound)
    else:
        _rebuild_other(migration, plan, names, inbound)


def _execute(migration: MigrationContext, statements: Iterable[Executable]) -> None:
    for statement in statements:
        migration.sink.execute(statement)


def _renames(migration: MigrationContext, plan: RebuildPlan) -> None:
    """Rename columns in place; the database updates what refers to them elsewhere."""
    by_name = {c.name: c.column for c in plan.source.columns}
    for old, new in plan.renames:
        column = by_name.pop(old)
        by_name[new] = column
        default: Any = column.server_default
        default = default.arg if isinstance(default, DefaultClause) else None
        migration.invoke(
            ops.AlterColumn(
                plan.source.name,
                old,
                plan.source.schema,
                modify_name=new,
                existing_type=column.type,
                existing_nullable=column.nullable,
                existing_server_default=default,
                existing_comment=column.comment,
                existing_autoincrement=column.autoincrement is True,
            )
        )


def _run_phases(migration: MigrationContext, statements: RebuildStatements) -> None:
    _execute(migration, statements.build)
    _execute(migration, statements.swap)
    _execute(migration, statements.finish)


def _rebuild_sqlite(
    migration: MigrationContext, plan: RebuildPlan, names: Scratch, inbound: tuple[InboundKey, ...]
) -> None:
    connection = migration.connection
    target = plan.target
    if connection is None:
        _renames(migration, plan)
        offline = sqlite_rebuild(plan, names, migration.dialect_context, SQLiteState())
        _run_phases(migration, offline)
        return
    enforced = bool(checks.pragma_value(connection, "foreign_keys"))
    safe = enforced and bool(inbound)
    if safe:
        checks.refuse_delete_actions(connection, target, inbound)
    tables = sorted({target.name, *(k.table for k in inbound if k.schema == target.schema)})
    defer = checks.pragma_value(connection, "defer_foreign_keys")
    with checks.savepoint(connection):
        before = checks.foreign_key_violations(connection, tables, target.schema)
        schema_ok = checks.sqlite_schema_problem(connection, target.name, target.schema) is None
        state = SQLiteState(
            legacy_alter_table=bool(checks.pragma_value(connection, "legacy_alter_table")),
            safe=safe,
            old_sequence=checks.sqlite_sequence(connection, target) if safe else None,
            children=tuple(
                (k.table, k.key.columns)
                for k in checks.others(inbound)
                if k.schema == target.schema
            ),
        )
        _renames(migration, plan)
        kept_triggers = triggers(connection, target.name, target.schema)
        _run_phases(migration, sqlite_rebuild(plan, names, migration.dialect_context, state))
        _recreate(migration, target.name, kept_triggers, "a trigger")
        checks.verify_foreign_keys(connection, target.name, tables, target.schema, before)
        if schema_ok:
            problem = checks.sqlite_schema_problem(connection, target.name, target.schema)
            if problem is not None:
                raise checks.rebuild_error(
                    target.name,
                    f"a view or trigger that uses it would break ({problem})",
                    "Drop the view or trigger before the batch and create it again after it, "
                    "adapted to the new columns.",
                )
        if safe:
            connection.exec_driver_sql(f"PRAGMA defer_foreign_keys = {'ON' if defer else 'OFF'}")


def _inbound_statements(
    migration: MigrationContext, plan: RebuildPlan, inbound: Iterable[InboundKey]
) -> tuple[list[Executable], list[Executable]]:
    """Drop the other tables' foreign keys to this one, and create them again after."""
    ctx = migration.dialect_context
    impl = migration.impl
    renamed = plan.renamed
    drops: list[Executable] = []
    adds: list[Executable] = []
    for key in checks.others(inbound):
        fk = key.key
        options = dict(fk.options)
        drops += impl.statements(
            ops.DropConstraint(fk.name, key.table, "foreignkey", key.schema), ctx
        )
        create = ops.CreateForeignKey(
            fk.name,
            key.table,
            plan.target.name,
            fk.columns,
            tuple(renamed.get(c, c) for c in fk.referred_columns),
            onupdate=options.pop("onupdate", None),
            ondelete=options.pop("ondelete", None),
            deferrable=options.pop("deferrable", None),
            initially=options.pop("initially", None),
            match=options.pop("match", None),
            source_schema=key.schema,
            referent_schema=plan.target.schema,
        )
        adds += impl.statements(create, ctx)
    return drops, adds


def _rebuild_other(
    migration: MigrationContext, plan: RebuildPlan, names: Scratch, inbound: tuple[InboundKey, ...]
) -> None:
    connection = migration.connection
    target = plan.target
    if connection is not None:
        views = dependent_views(connection, target.name, target.schema)
        if views:
            raise checks.rebuild_error(
                target.name,
                f"views depend on it ({', '.join(views)})",
                "Drop the views before the batch and create them again after it, or let the "
                "batch alter the table in place (recreate='auto').",
            )
    drops, adds = _inbound_statements(migration, plan, inbound)
    with checks.savepoint(connection if migration.impl.transactional_ddl else None):
        _renames(migration, plan)
        kept: list[str] = []
        excluded: list[str] = []
        if connection is not None:
            kept = triggers(connection, target.name, target.schema)
            excluded = exclusion_constraints(connection, target.name, target.schema)
            for loss in postgresql_losses(connection, target.name, target.schema):
                log.warning("Rebuilding %s: %s; grant or create them again.", target.name, loss)
        if migration.impl.name == "postgresql":
            # Enum types of new or retyped columns; the others exist already.
            changed = {c.name for c in target.columns if c.source is None or c.convert}
            columns = [c for c in build_table(target, names.table).columns if c.name in changed]
            _execute(migration, create_enums(native_enums(columns), migration.dialect_context))
        statements = postgresql_rebuild(plan, names, migration.dialect_context, drops)
        _run_phases(migration, statements)
        _execute(migration, adds)
        _recreate(migration, target.name, excluded, "an EXCLUDE constraint")
        _recreate(migration, target.name, kept, "a trigger")


def _rebuild_mysql(
    migration: MigrationContext, plan: RebuildPlan, names: Scratch, inbound: tuple[InboundKey, ...]
) -> None:
    connection = migration.connection
    target = plan.target
    drops, adds = _inbound_statements(migration, plan, inbound)
    views_before = checks.broken_views(connection, target.name, target.schema) if connection else {}
    _renames(migration, plan)
    kept = triggers(connection, target.name, target.schema) if connection else []
    statements = mysql_rebuild(plan, names, migration.dialect_context, drops)
    try:
        _execute(migration, statements.build)
    except Exception:
        if connection is not None:
            _drop_quietly(migration, names.table, target.schema)
        raise
    _execute(migration, statements.swap)
    _execute(migration, statements.finish)
    _execute(migration, adds)
    _recreate(migration, target.name, kept, "a trigger")
    if connection is not None:
        broken = {
            name: error
            for name, error in checks.broken_views(connection, target.name, target.schema).items()
            if name not in views_before
        }
        if broken:
            name, error = next(iter(broken.items()))
            raise checks.rebuild_error(
                target.name,
                f"the view {name!r} no longer works after the rebuild ({error}); MySQL cannot "
                "roll the rebuild back",
                "Create the view again, adapted to the new columns.",
            )


def _recreate(migration: MigrationContext, table: str, statements: list[str], what: str) -> None:
    """Create the table's triggers (or other objects kept as SQL) again; one that no longer
    fits the table is reported."""
    for sql in statements:
        try:
            migration.sink.execute(RawDDL(sql))
        except exc.DBAPIError as error:
            raise checks.rebuild_error(
                table,
                f"{what} cannot be created again on the new table ({sql.split(' ON ')[0]}: "
                f"{getattr(error, 'orig', error)})",
                f"Drop {what} before the batch and create it again after it, adapted to the "
                "new columns.",
            ) from error


def _drop_quietly(migration: MigrationContext, name: str, schema: str | None) -> None:
    """Remove the half-built scratch table after a failure; the old table is untouched."""
    assert migration.connection is not None
    try:
        migration.connection.exec_driver_sql(
            f"DROP TABLE IF EXISTS {table_ref(migration.dialect, name, schema)}"
        )
    except exc.DBAPIError:
        log.warning("Could not drop the scratch table %s after a failed rebuild.", name)
