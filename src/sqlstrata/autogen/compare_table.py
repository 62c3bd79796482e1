"""Compare one table present on both sides: columns, primary key, unique constraints, foreign
keys, named CHECK constraints, indexes and the table comment.

Constraints and indexes are matched by name; an unnamed one (the database named it, or the
models leave the name to the database) is matched by what it covers. A constraint whose
definition changed is dropped and created again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlstrata.autogen import objects
from sqlstrata.autogen.compare_columns import compare_columns
from sqlstrata.autogen.directives import Comment
from sqlstrata.autogen.normalize import fk_action, sql_key
from sqlstrata.autogen.options import DiffOptions
from sqlstrata.autogen.snapshot import (
    CheckSnap,
    ForeignKeySnap,
    IndexSnap,
    TableSnap,
    UniqueSnap,
)
from sqlstrata.ops import operations as ops

T = TypeVar("T", UniqueSnap, ForeignKeySnap, CheckSnap, IndexSnap)


@dataclass(frozen=True, slots=True)
class TableChanges:
    """A table's changes, split by when they must run: foreign keys are dropped before and
    created after every table is changed (except on SQLite, which rebuilds the table)."""

    drop_fks: tuple[ops.Operation, ...] = ()
    modify: tuple[ops.Operation, ...] = ()
    create_fks: tuple[ops.Operation, ...] = ()


def compare_table(
    original: TableSnap, before: TableSnap, after: TableSnap, options: DiffOptions
) -> TableChanges:
    """The changes from ``before`` (``original`` with renames applied) to ``after``."""
    conv = options.convention
    columns = compare_columns(original, before, after, options)
    drop_ix, create_ix = match(
        before.indexes, after.indexes, lambda i: index_signature(i, options.dialect)
    )
    drop_uq, create_uq = match(before.uniques, after.uniques, unique_signature(options))
    named_before = [c for c in before.checks if c.name]
    named_after = [c for c in after.checks if c.name]
    drop_ck, create_ck = match(
        named_before, named_after, lambda c: sql_key(c.sqltext, options.dialect)
    )
    drop_fk, create_fk = match(before.foreign_keys, after.foreign_keys, fk_signature(options))
    if options.dialect in ("mysql", "mariadb"):
        _release_fk_indexes(before, after, [*drop_ix, *drop_uq], drop_fk, create_fk)
    pk_changed = _pk_columns(before) != _pk_columns(after)

    modify: list[ops.Operation] = list(columns.renames)
    modify.extend(_unnamed_warnings(before, drop_ix, drop_uq, drop_fk))
    modify.extend(objects.drop_index(after, ix, conv) for ix in drop_ix if ix.name)
    dropped: list[UniqueSnap | CheckSnap] = [*drop_uq, *drop_ck]
    modify.extend(objects.drop_constraint(after, c, conv) for c in dropped if c.name)
    if pk_changed and before.primary_key is not None:
        modify.append(objects.drop_constraint(after, before.primary_key, conv))
    modify.extend(columns.adds)
    modify.extend(columns.alters)
    modify.extend(columns.drops)
    if pk_changed and after.primary_key is not None:
        modify.append(objects.create_constraint(after, after.primary_key, conv))
    created: list[UniqueSnap | CheckSnap] = [*create_uq, *create_ck]
    modify.extend(objects.create_constraint(after, c, conv) for c in created)
    modify.extend(objects.create_index(after, ix, conv) for ix in create_ix)
    modify.extend(_comment(before, after, options))
    drops = tuple(objects.drop_constraint(after, fk, conv) for fk in drop_fk if fk.name)
    creates = tuple(objects.create_constraint(after, fk, conv) for fk in create_fk)
    if options.dialect == "sqlite":
        return TableChanges(modify=(*drops, *modify, *creates))
    return TableChanges(drops, tuple(modify), creates)


def match(
    old: Sequence[T], new: Sequence[T], signature: Callable[[T], Hashable]
) -> tuple[list[T], list[T]]:
    """The items to drop and to create so that ``old`` becomes ``new``."""
    old_named = {item.name: item for item in old if item.name}
    new_named = {item.name: item for item in new if item.name}
    drops: list[T] = []
    creates: list[T] = []
    for name in sorted(old_named.keys() & new_named.keys()):
        if signature(old_named[name]) != signature(new_named[name]):
            drops.append(old_named[name])
            creates.append(new_named[name])
    left_old = [i for i in old if not i.name or i.name not in new_named]
    left_new = [i for i in new if not i.name or i.name not in old_named]
    for item in list(left_new):
        for other in left_old:
            if (other.name is None or item.name is None) and signature(other) == signature(item):
                left_old.remove(other)
                left_new.remove(item)
                break
    drops.extend(sorted(left_old, key=lambda i: str(i.name)))
    creates.extend(sorted(left_new, key=lambda i: str(i.name)))
    return drops, creates


def index_signature(ix: IndexSnap, dialect: str = "default") -> Hashable:
    elements = tuple(
        sql_key(e, dialect) if is_expr else e
        for e, is_expr in zip(ix.elements, ix.expressions, strict=True)
    )
    options = tuple(
        (
            key,
            sql_key(value, dialect) if key.endswith("_where") and isinstance(value, str) else value,
        )
        for key, value in ix.options
    )
    return (elements, ix.unique, options)


def unique_signature(options: DiffOptions) -> Callable[[UniqueSnap], Hashable]:
    def signature(uq: UniqueSnap) -> Hashable:
        if options.dialect == "postgresql":
            return (uq.columns, _deferral(uq.deferrable, uq.initially))
        return uq.columns

    return signature


def fk_signature(options: DiffOptions) -> Callable[[ForeignKeySnap], Hashable]:
    dialect = options.dialect

    def signature(fk: ForeignKeySnap) -> Hashable:
        base: tuple[Any, ...] = (
            fk.columns,
            fk.referred_key,
            fk.referred_columns,
            fk_action(dialect, fk.ondelete),
            fk_action(dialect, fk.onupdate),
        )
        if dialect in ("postgresql", "oracle"):
            base += (_deferral(fk.deferrable, fk.initially),)
        return base

    return signature


def _deferral(deferrable: bool | None, initially: str | None) -> tuple[bool, str]:
    if not deferrable:
        return (False, "")
    return (True, (initially or "IMMEDIATE").upper())


def _release_fk_indexes(
    before: TableSnap,
    after: TableSnap,
    dropped: Sequence[IndexSnap | UniqueSnap],
    drop_fk: list[ForeignKeySnap],
    create_fk: list[ForeignKeySnap],
) -> None:
    """MySQL will not drop the index a foreign key uses: drop the foreign key around it
    (MySQL gives it an index of its own when it is created again)."""
    covered = [d.columns for d in dropped]
    kept = {fk.name: fk for fk in after.foreign_keys}
    for fk in before.foreign_keys:
        if fk in drop_fk or fk.name not in kept:
            continue
        if any(columns[: len(fk.columns)] == fk.columns for columns in covered):
            drop_fk.append(fk)
            create_fk.append(kept[fk.name])


def _pk_columns(table: TableSnap) -> tuple[str, ...]:
    return table.primary_key.columns if table.primary_key else ()


def _comment(before: TableSnap, after: TableSnap, options: DiffOptions) -> list[ops.Operation]:
    if not options.comments or (before.comment or None) == (after.comment or None):
        return []
    if after.comment:
        return [
            ops.CreateTableComment(after.name, after.comment, before.comment or None, after.schema)
        ]
    return [ops.DropTableComment(after.name, before.comment, after.schema)]


def _unnamed_warnings(table: TableSnap, *dropped: Sequence[Any]) -> list[ops.Operation]:
    """Constraints the models no longer have but that cannot be dropped: they have no name."""
    out: list[ops.Operation] = []
    for items in dropped:
        for item in items:
            if item.name is None:
                kind = type(item).__name__.removesuffix("Snap").lower()
                covers = getattr(item, "columns", ())
                out.append(
                    Comment(
                        f"WARNING: an unnamed {kind} on {table.qualified} "
                        f"({', '.join(covers)}) is not in the models; it has no name, so it "
                        "is not dropped here."
                    )
                )
    return out
