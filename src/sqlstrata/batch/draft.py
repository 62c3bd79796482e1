"""Apply a batch's operations, one by one, to a working copy of the table's shape.

A :class:`Draft` is the planner's scratch pad: it starts from the old table's shape and
changes as each operation is applied, the way the database would change if it could do
them in place. Renaming a column renames it everywhere it is named (keys, foreign keys,
indexes, CHECK text); dropping a column drops the keys, indexes and CHECKs that use it, as
PostgreSQL does. The draft is private to one planning call; the plan it ends in is frozen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, ForeignKeyConstraint, MetaData, text
from sqlalchemy.engine.interfaces import Dialect as SADialect
from sqlalchemy.sql.schema import Computed

from sqlstrata.batch.request import BatchEntry
from sqlstrata.batch.shape import (
    CheckShape,
    ColumnShape,
    ForeignKeyShape,
    IndexShape,
    KeyShape,
    TableShape,
    check_shape,
    constraint_name,
    foreign_key_shape,
    index_shape,
    make_column,
)
from sqlstrata.batch.sqltext import parse_create_index, references, rename_columns
from sqlstrata.dialects import build
from sqlstrata.dialects.base import DialectContext
from sqlstrata.dialects.ddl import attach, expression_sql
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops

log = logging.getLogger("sqlstrata.batch")


def batch_error(table: str, what: str, why: str, hint: str) -> CommandError:
    return CommandError(f"Can't {what} in batch_alter_table({table!r}): {why}.", hint=hint)


class Draft:
    """The new table, as the operations applied so far make it."""

    def __init__(self, shape: TableShape, sa_dialect: SADialect, naming: MetaData) -> None:
        self.shape = shape
        self.sa_dialect = sa_dialect
        self.ctx = DialectContext(sa_dialect, naming)
        self.columns = list(shape.columns)
        self.primary_key = shape.primary_key
        self.foreign_keys = list(shape.foreign_keys)
        self.uniques = list(shape.uniques)
        self.checks = list(shape.checks)
        self.indexes = list(shape.indexes)
        self.comment = shape.comment
        self.options = dict(shape.options)
        self.moves: list[tuple[str, str | None, str | None]] = []
        self.warnings: list[str] = []

    # -- lookups -----------------------------------------------------------------------------
    def error(self, what: str, why: str, hint: str) -> CommandError:
        return batch_error(self.shape.name, what, why, hint)

    def position(self, name: str) -> int:
        for i, column in enumerate(self.columns):
            if column.name == name:
                return i
        raise self.error(
            f"find column {name!r}",
            f"the table has no such column (it has {', '.join(c.name for c in self.columns)})",
            "Check the column name; earlier operations of the batch may have renamed it.",
        )

    def require_columns(self, names: tuple[str, ...]) -> None:
        for name in names:
            self.position(name)

    def constraint_names(self) -> set[str]:
        named: list[str | None] = [self.primary_key.name if self.primary_key else None]
        named += [fk.name for fk in self.foreign_keys]
        named += [u.name for u in self.uniques] + [c.name for c in self.checks]
        return {name for name in named if name is not None}

    def require_free_name(self, name: str | None, kind: str) -> None:
        taken = self.constraint_names() | {ix.name for ix in self.indexes}
        if name is not None and name in taken:
            raise self.error(
                f"create {kind} {name!r}",
                "the table already has a constraint or index of that name",
                "Drop the existing one first in the same batch, or choose another name.",
            )

    def is_self(self, fk: ForeignKeyShape) -> bool:
        return fk.referred_table == self.shape.name and fk.referred_schema == self.shape.schema

    def finish(self) -> TableShape:
        return self.shape.replace(
            columns=tuple(self.columns),
            primary_key=self.primary_key,
            foreign_keys=tuple(self.foreign_keys),
            uniques=tuple(self.uniques),
            checks=tuple(self.checks),
            indexes=tuple(self.indexes),
            comment=self.comment,
            options=tuple(sorted(self.options.items())),
        )

    # -- applying operations -----------------------------------------------------------------
    def apply(self, entry: BatchEntry) -> None:
        op = entry.operation
        handler = _APPLIERS.get(type(op))
        if handler is None:
            raise self.error(
                f"run {type(op).__name__}",
                "batch mode takes column, constraint, index and table comment operations",
                "Run this operation outside the batch block.",
            )
        handler(self, op)
        if entry.positioned:
            name = _positioned_column(op)
            self.moves.append((name, entry.insert_before, entry.insert_after))

    def add_column(self, op: ops.AddColumn) -> None:
        if any(c.name == op.column.name for c in self.columns):
            raise self.error(
                f"add column {op.column.name!r}",
                "the table already has a column of that name",
                "Drop or rename the existing column first.",
            )
        attached = attach(op.column, self.shape.name, self.shape.schema, self.ctx.metadata())
        build.ensure_referents(attached.table)
        self.columns.append(ColumnShape(make_column(attached)))
        for constraint in attached.table.constraints:
            if isinstance(constraint, ForeignKeyConstraint):
                self.foreign_keys.append(foreign_key_shape(constraint))
        for check in attached.constraints:
            if not getattr(check, "_type_bound", False):
                self.checks.append(check_shape(check, self.sa_dialect))  # type: ignore[arg-type]
        if attached.primary_key:
            names = self.primary_key.columns if self.primary_key else ()
            name = self.primary_key.name if self.primary_key else None
            self.primary_key = KeyShape(name, (*names, attached.name))

    def drop_column(self, op: ops.DropColumn) -> None:
        name = op.column_name
        self.columns.pop(self.position(name))
        if self.primary_key is not None and name in self.primary_key.columns:
            left = tuple(c for c in self.primary_key.columns if c != name)
            self.primary_key = KeyShape(self.primary_key.name, left) if left else None
        for column in self.columns:
            computed = column.column.computed
            if computed is not None and references(
                expression_sql(self.sa_dialect, computed.sqltext), name
            ):
                raise self.error(
                    f"drop column {name!r}",
                    f"the generated column {column.name!r} is computed from it",
                    "Drop or change the generated column first, in the same batch.",
                )
        for fk in self.foreign_keys:
            if self.is_self(fk) and name in fk.referred_columns and name not in fk.columns:
                named = f" {fk.name!r}" if fk.name else ""
                raise self.error(
                    f"drop column {name!r}",
                    f"the table's own foreign key{named} on ({', '.join(fk.columns)}) "
                    "references it",
                    "Drop that foreign key first, in the same batch.",
                )
        self.uniques = [u for u in self.uniques if name not in u.columns]
        self.foreign_keys = [fk for fk in self.foreign_keys if name not in fk.columns]
        self.indexes = [ix for ix in self.indexes if not _index_uses(ix, name)]
        kept = []
        for check in self.checks:
            if references(check.sqltext, name):
                described = repr(check.name) if check.name else f"({check.sqltext})"
                message = (
                    f"CHECK constraint {described} of table {self.shape.name!r} uses the "
                    f"dropped column {name!r}; it is dropped with the column."
                )
                log.warning(message)
                self.warnings.append(message)
            else:
                kept.append(check)
        self.checks = kept
        self.moves = [m for m in self.moves if name not in m]

    def alter_column(self, op: ops.AlterColumn) -> None:
        i = self.position(op.column_name)
        current = self.columns[i]
        template = current.column
        autoincrement = op.modify_autoincrement
        if autoincrement is not None and self.sa_dialect.name == "sqlite":
            self.options["sqlite_autoincrement"] = autoincrement
        column = make_column(
            template,
            type_=op.modify_type,
            nullable=op.modify_nullable,
            server_default=op.modify_server_default,
            comment=op.modify_comment,
            autoincrement=autoincrement,
        )
        using = ops.option(op.options, "postgresql_using")
        self.columns[i] = ColumnShape(
            column,
            current.source,
            convert=current.convert or op.modify_type is not None,
            using=expression_sql(self.sa_dialect, using) if using is not None else current.using,
        )
        if op.modify_name is not None and op.modify_name != op.column_name:
            self.rename(op.column_name, op.modify_name)

    def rename(self, old: str, new: str) -> None:
        if any(c.name == new for c in self.columns):
            raise self.error(
                f"rename column {old!r} to {new!r}",
                "the table already has a column of that name",
                "Drop or rename that column first.",
            )
        quote = self.sa_dialect.identifier_preparer.quote
        mapping = {old: new}

        def names(columns: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(new if c == old else c for c in columns)

        self.columns = [
            ColumnShape(
                _renamed_column(c.column, old, new, mapping, quote, self.sa_dialect),
                c.source,
                c.convert,
                rename_columns(c.using, mapping, quote) if c.using else c.using,
            )
            for c in self.columns
        ]
        if self.primary_key is not None:
            pk = self.primary_key
            self.primary_key = KeyShape(pk.name, names(pk.columns), pk.options)
        self.uniques = [KeyShape(u.name, names(u.columns), u.options) for u in self.uniques]
        self.foreign_keys = [
            _replace_fk(
                fk, names(fk.columns), names(fk.referred_columns) if self.is_self(fk) else None
            )
            for fk in self.foreign_keys
        ]
        self.checks = [
            CheckShape(c.name, rename_columns(c.sqltext, mapping, quote), c.options)
            for c in self.checks
        ]
        self.indexes = [_rename_in_index(ix, mapping, quote) for ix in self.indexes]
        self.moves = [
            (
                new if m[0] == old else m[0],
                new if m[1] == old else m[1],
                new if m[2] == old else m[2],
            )
            for m in self.moves
        ]

    def create_primary_key(self, op: ops.CreatePrimaryKey) -> None:
        self.require_columns(op.columns)
        name = constraint_name(build.constraint_for(op, self.ctx))
        self.primary_key = KeyShape(name, op.columns)

    def create_foreign_key(self, op: ops.CreateForeignKey) -> None:
        self.require_columns(op.local_cols)
        constraint = build.constraint_for(op, self.ctx)
        assert isinstance(constraint, ForeignKeyConstraint)
        shape = foreign_key_shape(constraint)
        if op.referent_table == self.shape.name and op.referent_schema == self.shape.schema:
            self.require_columns(op.remote_cols)
        self.require_free_name(shape.name, "foreign key")
        self.foreign_keys.append(shape)

    def create_unique(self, op: ops.CreateUniqueConstraint) -> None:
        self.require_columns(op.columns)
        name = constraint_name(build.constraint_for(op, self.ctx))
        self.require_free_name(name, "unique constraint")
        options = [("deferrable", op.deferrable), ("initially", op.initially), *op.options]
        self.uniques.append(KeyShape(name, op.columns, tuple(o for o in options if o[1])))

    def create_check(self, op: ops.CreateCheckConstraint) -> None:
        constraint = build.constraint_for(op, self.ctx)
        shape = check_shape(constraint, self.sa_dialect)  # type: ignore[arg-type]
        self.require_free_name(shape.name, "check constraint")
        self.checks.append(shape)

    def drop_constraint(self, op: ops.DropConstraint) -> None:
        name = build.constraint_name(op, self.ctx)
        kind = op.type_
        pk = self.primary_key
        if (
            pk is not None
            and kind in (None, "primary")
            and (pk.name == name or (kind == "primary" and pk.name is None))
        ):
            self.primary_key = None
            return
        lists: list[tuple[str, Any]] = [
            ("foreignkey", self.foreign_keys),
            ("unique", self.uniques),
            ("check", self.checks),
        ]
        for list_kind, items in lists:
            if kind not in (None, list_kind):
                continue
            for item in items:
                if item.name == name and name is not None:
                    items.remove(item)
                    return
        if kind in (None, "unique"):
            # MySQL keeps unique constraints as unique indexes, and reflects them so.
            for index in self.indexes:
                if index.unique and index.name == name:
                    self.indexes.remove(index)
                    return
        known = ", ".join(sorted(self.constraint_names())) or "none"
        kind_text = f"{kind} " if kind else ""
        raise self.error(
            f"drop constraint {name!r}",
            f"the table has no {kind_text}constraint of that name (named ones: {known})",
            "Unnamed constraints (common on SQLite) get a name from "
            "batch_alter_table(naming_convention=...) so they can be dropped.",
        )

    def create_index(self, op: ops.CreateIndex) -> None:
        self.require_columns(tuple(c for c in op.columns if isinstance(c, str)))
        shape = index_shape(build.index_for(op, self.ctx), self.sa_dialect)
        if any(ix.name == shape.name for ix in self.indexes):
            raise self.error(
                f"create index {shape.name!r}",
                "the table already has an index of that name",
                "Drop it first in the same batch, or choose another name.",
            )
        self.indexes.append(shape)

    def drop_index(self, op: ops.DropIndex) -> None:
        for index in self.indexes:
            if index.name == op.index_name:
                self.indexes.remove(index)
                return
        known = ", ".join(sorted(ix.name for ix in self.indexes)) or "none"
        raise self.error(
            f"drop index {op.index_name!r}",
            f"the table has no index of that name (it has: {known})",
            "Check the index name.",
        )

    def set_comment(self, op: ops.CreateTableComment | ops.DropTableComment) -> None:
        self.comment = op.comment if isinstance(op, ops.CreateTableComment) else None


def _positioned_column(op: ops.Operation) -> str:
    if isinstance(op, ops.AddColumn):
        return op.column.name
    if isinstance(op, ops.AlterColumn):
        return op.modify_name or op.column_name
    raise CommandError(
        f"Can't place a column for {type(op).__name__}: only add_column and alter_column "
        "take insert_before / insert_after."
    )


def _renamed_column(
    column: Column[Any],
    old: str,
    new: str,
    mapping: dict[str, str],
    quote: Callable[[str], str],
    sa_dialect: SADialect,
) -> Column[Any]:
    """``column`` after renaming ``old`` to ``new``: itself, or its generation formula."""
    if column.name == old:
        return make_column(column, name=new)
    computed = column.computed
    if computed is None:
        return column
    formula = expression_sql(sa_dialect, computed.sqltext)
    rewritten = rename_columns(formula, mapping, quote)
    if rewritten == formula:
        return column
    return make_column(
        column, server_default=Computed(text(rewritten), persisted=computed.persisted)
    )


def _replace_fk(
    fk: ForeignKeyShape, columns: tuple[str, ...], referred: tuple[str, ...] | None
) -> ForeignKeyShape:
    return ForeignKeyShape(
        fk.name,
        columns,
        fk.referred_table,
        referred if referred is not None else fk.referred_columns,
        fk.referred_schema,
        fk.options,
    )


def _index_uses(index: IndexShape, name: str) -> bool:
    if index.sql is not None:
        return references(parse_create_index(index.sql).body, name)
    return any(
        references(expression, name) if is_text else expression == name
        for expression, is_text in zip(index.expressions, index.is_text, strict=True)
    )


def _rename_in_index(
    index: IndexShape, mapping: dict[str, str], quote: Callable[[str], str]
) -> IndexShape:
    old, new = next(iter(mapping.items()))
    sql = index.sql
    if sql is not None:
        parsed = parse_create_index(sql)
        sql = parsed.head + rename_columns(parsed.body, mapping, quote)
    expressions = tuple(
        rename_columns(e, mapping, quote) if is_text else (new if e == old else e)
        for e, is_text in zip(index.expressions, index.is_text, strict=True)
    )
    return IndexShape(index.name, expressions, index.is_text, index.unique, index.options, sql)


_APPLIERS: dict[type[ops.Operation], Callable[[Draft, Any], None]] = {
    ops.AddColumn: Draft.add_column,
    ops.DropColumn: Draft.drop_column,
    ops.AlterColumn: Draft.alter_column,
    ops.CreatePrimaryKey: Draft.create_primary_key,
    ops.CreateForeignKey: Draft.create_foreign_key,
    ops.CreateUniqueConstraint: Draft.create_unique,
    ops.CreateCheckConstraint: Draft.create_check,
    ops.DropConstraint: Draft.drop_constraint,
    ops.CreateIndex: Draft.create_index,
    ops.DropIndex: Draft.drop_index,
    ops.CreateTableComment: Draft.set_comment,
    ops.DropTableComment: Draft.set_comment,
}
