"""MySQL and MariaDB: DDL commits implicitly; columns are changed by restating them.

``ALTER TABLE ... MODIFY`` / ``CHANGE`` replace the whole column definition, so changing a
column's type, nullability, comment, autoincrement or name needs everything else about it:
the ``existing_*`` arguments of ``op.alter_column()``. ``existing_type`` is required (there
is no way to restate a column without its type); a missing ``existing_nullable`` restates
the column as NULL, and a missing ``existing_server_default`` / ``existing_comment`` as having
none, as Alembic does — a warning is logged for the nullability. A change of the server
default alone uses ``ALTER COLUMN ... SET/DROP DEFAULT`` and needs nothing else.

Constraints are dropped by kind (``DROP FOREIGN KEY``, ``DROP PRIMARY KEY``, ``DROP INDEX``,
``DROP CHECK``), so ``op.drop_constraint()`` needs ``type_``; indexes are dropped ``ON`` their
table, so ``op.drop_index()`` needs ``table_name``. A table renamed in another database keeps
its database: the new name is qualified with the schema. MySQL resolves an unqualified
``REFERENCES`` in the database of the referencing table, so a foreign key from a table in
another database to one in the connection's database needs ``referent_schema=``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Column, MetaData, Table
from sqlalchemy.sql.base import Executable

from sqlstrata.dialects import build
from sqlstrata.dialects.base import Dialect, DialectContext, Handler, unsupported
from sqlstrata.dialects.ddl import RawDDL, column_spec, ddl_compiler, quote, table_ref
from sqlstrata.dialects.generic import GENERIC_HANDLERS, drop_index
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops

log = logging.getLogger("sqlstrata.dialects.mysql")


def mysql_drop_index(op: ops.DropIndex, ctx: DialectContext) -> Iterator[Executable]:
    if not op.table_name:
        raise CommandError(
            f"Can't drop index {op.index_name!r} on MySQL: the table is not named.",
            hint="Pass table_name= to op.drop_index().",
        )
    yield from drop_index(op, ctx)


def mysql_drop_constraint(op: ops.DropConstraint, ctx: DialectContext) -> Iterator[Executable]:
    """Each kind of constraint has its own DROP; ``IF EXISTS`` is MariaDB's."""
    d = ctx.sa_dialect
    target = table_ref(d, op.table_name, op.schema)
    if op.type_ == "primary":
        if op.if_exists:
            raise unsupported(ctx, "drop the primary key", "there is no IF EXISTS for it")
        yield RawDDL(f"ALTER TABLE {target} DROP PRIMARY KEY")
        return
    if op.type_ not in _DROP_KINDS:
        why = "its type is not given" if op.type_ is None else f"MySQL has no {op.type_} constraint"
        raise CommandError(
            f"Can't drop constraint {op.constraint_name!r} on MySQL: {why}.",
            hint="Pass type_='foreignkey', 'primary', 'unique' or 'check' to "
            "op.drop_constraint(); MySQL drops each kind with a different statement.",
        )
    name = build.constraint_name(op, ctx)
    if name is None:
        raise CommandError(
            f"Can't drop a {op.type_} constraint of {op.table_name!r}: it has no name.",
            hint="Give constraint_name to op.drop_constraint().",
        )
    kind = _DROP_KINDS[op.type_]
    if op.type_ == "check" and getattr(d, "is_mariadb", False):
        kind = "CONSTRAINT"
    exists = " IF EXISTS" if op.if_exists else ""
    yield RawDDL(f"ALTER TABLE {target} DROP {kind}{exists} {quote(d, name)}")


_DROP_KINDS = {"foreignkey": "FOREIGN KEY", "unique": "INDEX", "check": "CHECK"}


def rename_table(op: ops.RenameTable, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    old = table_ref(d, op.table_name, op.schema)
    yield RawDDL(f"ALTER TABLE {old} RENAME TO {table_ref(d, op.new_table_name, op.schema)}")


def alter_column(op: ops.AlterColumn, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    target = table_ref(d, op.table_name, op.schema)
    restate = (
        op.modify_name is not None
        or op.modify_type is not None
        or op.modify_nullable is not None
        or op.modify_comment is not ops.UNSET
        or op.modify_autoincrement is not None
    )
    if restate:
        spec = column_spec(d, restated_column(op))
        if op.modify_name is not None:
            yield RawDDL(f"ALTER TABLE {target} CHANGE COLUMN {quote(d, op.column_name)} {spec}")
        else:
            yield RawDDL(f"ALTER TABLE {target} MODIFY COLUMN {spec}")
        return
    if op.modify_server_default is ops.UNSET:
        return
    prefix = f"ALTER TABLE {target} ALTER COLUMN {quote(d, op.column_name)}"
    if op.modify_server_default is None:
        yield RawDDL(f"{prefix} DROP DEFAULT")
        return
    column = _column(op, op.existing_type, op.column_name, server_default=op.modify_server_default)
    compiler = ddl_compiler(d)
    yield RawDDL(f"{prefix} SET DEFAULT {compiler.get_column_default_string(column)}")


def restated_column(op: ops.AlterColumn) -> Column[Any]:
    """The whole column after the change, from ``modify_*`` and ``existing_*``."""
    type_ = op.modify_type if op.modify_type is not None else op.existing_type
    if type_ is None:
        raise CommandError(
            f"Can't alter column {op.table_name}.{op.column_name} on MySQL: "
            "existing_type is not given.",
            hint="MySQL restates the whole column (MODIFY/CHANGE); pass existing_type= "
            "(and existing_nullable=, existing_server_default=, existing_comment=) "
            "to op.alter_column().",
        )
    nullable = op.modify_nullable if op.modify_nullable is not None else op.existing_nullable
    if nullable is None:
        log.warning(
            "alter_column %s.%s: existing_nullable is not given, so MySQL restates the "
            "column as NULL.",
            op.table_name,
            op.column_name,
        )
        nullable = True
    default = op.modify_server_default
    if default is ops.UNSET:
        default = op.existing_server_default
    comment = op.modify_comment if op.modify_comment is not ops.UNSET else op.existing_comment
    autoincrement = (
        op.modify_autoincrement
        if op.modify_autoincrement is not None
        else bool(op.existing_autoincrement)
    )
    return _column(
        op,
        type_,
        op.modify_name or op.column_name,
        nullable=nullable,
        server_default=None if default is ops.UNSET else default,
        comment=comment,
        autoincrement=autoincrement,
    )


def _column(
    op: ops.AlterColumn,
    type_: Any,
    name: str,
    *,
    nullable: bool = True,
    server_default: Any = None,
    comment: str | None = None,
    autoincrement: bool = False,
) -> Column[Any]:
    # An AUTO_INCREMENT column is rendered as such only as the table's single-column
    # primary key; the PRIMARY KEY itself is not part of the column specification.
    column: Column[Any] = Column(
        name,
        type_,
        nullable=nullable,
        server_default=server_default,
        comment=comment,
        primary_key=autoincrement,
        autoincrement=autoincrement,
    )
    Table(op.table_name, MetaData(), column, schema=op.schema)
    return column


def mysql_dialect(name: str = "mysql") -> Dialect:
    handlers: dict[type[ops.Operation], Handler] = {
        **GENERIC_HANDLERS,
        ops.DropIndex: mysql_drop_index,
        ops.DropConstraint: mysql_drop_constraint,
        ops.RenameTable: rename_table,
        ops.AlterColumn: alter_column,
    }
    return Dialect(name, transactional_ddl=False, handlers=handlers)
