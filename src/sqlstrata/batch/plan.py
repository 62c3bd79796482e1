"""Pure planning: does the batch need a rebuild, and if so, what the new table is.

:func:`rebuild_reason` decides between changing the table in place and rebuilding it.
:func:`plan_rebuild` applies the operations to the old table's shape and returns a
:class:`RebuildPlan`: the new table, the column renames to make in place first, and which
old column fills which new one.

Renames happen in place before the rebuild (every supported database can rename a column),
so the database itself updates what refers to the column from elsewhere: foreign keys of
other tables, views, triggers. The copy then reads the columns under their new names.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Index, MetaData, Table
from sqlalchemy.engine.interfaces import Dialect as SADialect
from sqlalchemy.sql.schema import Computed, Constraint, DefaultClause

from sqlstrata.batch.draft import Draft, batch_error
from sqlstrata.batch.request import BatchEntry, BatchRequest
from sqlstrata.batch.shape import ColumnShape, TableShape, make_column, shape_of
from sqlstrata.ops import operations as ops

log = logging.getLogger("sqlstrata.batch")


@dataclass(frozen=True, slots=True)
class CopyColumn:
    """New column ``target`` takes the values of old column ``source`` (its name at copy
    time); ``convert`` casts them to the new type, ``using`` replaces the column by an
    expression."""

    target: str
    source: str
    convert: bool = False
    using: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class RebuildPlan:
    source: TableShape
    target: TableShape
    renames: tuple[tuple[str, str], ...]
    copy: tuple[CopyColumn, ...]
    dropped: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def renamed(self) -> dict[str, str]:
        """Old column name -> new name, for the old columns that were renamed."""
        return {c.source: c.name for c in self.target.columns if c.source and c.source != c.name}


# -- in place or rebuilt ---------------------------------------------------------------------

_LITERAL = re.compile(r"\s*(?:[-+]?\d+(?:\.\d*)?|'(?:[^']|'')*'|NULL|TRUE|FALSE)\s*", re.I)


def rebuild_reason(request: BatchRequest, dialect_name: str) -> str | None:
    """Why the table has to be rebuilt, or ``None`` if the operations can run in place.

    Only SQLite lacks in-place ALTERs; elsewhere ``recreate="auto"`` runs in place.
    """
    if request.recreate == "always":
        return "recreate='always' was given"
    if request.recreate == "never" or dialect_name != "sqlite":
        return None
    if request.partial_reordering:
        return "partial_reordering puts columns in a new order"
    for entry in request.entries:
        reason = sqlite_rebuild_reason(entry)
        if reason is not None:
            return reason
    return None


def sqlite_rebuild_reason(entry: BatchEntry) -> str | None:
    """Why SQLite cannot run this one operation in place, or ``None``."""
    op = entry.operation
    if entry.positioned:
        return "a column position (insert_before / insert_after) is given"
    if isinstance(op, ops.AddColumn):
        return _add_column_reason(op.column)
    if isinstance(op, ops.AlterColumn):
        changes = [
            what
            for what, changed in (
                ("type", op.modify_type is not None),
                ("nullability", op.modify_nullable is not None),
                ("server default", op.modify_server_default is not ops.UNSET),
                ("autoincrement", op.modify_autoincrement is not None),
            )
            if changed
        ]
        if changes:
            return f"SQLite cannot change a column's {', '.join(changes)} in place"
        return None
    if isinstance(op, ops.DropColumn):
        return "SQLite drops a column with its constraints and indexes only by a rebuild"
    if isinstance(op, ops.CreateConstraint | ops.DropConstraint):
        return "SQLite cannot add or drop constraints on an existing table"
    return None


def _add_column_reason(column: Column[Any]) -> str | None:
    if column.primary_key:
        return "SQLite's ADD COLUMN cannot add a PRIMARY KEY column"
    default = column.server_default
    if isinstance(default, Computed):
        return "SQLite's ADD COLUMN cannot add a stored generated column"
    if not column.nullable and default is None:
        return "SQLite's ADD COLUMN cannot add a NOT NULL column without a default"
    if (
        isinstance(default, DefaultClause)
        and not isinstance(default.arg, str)
        and not _LITERAL.fullmatch(str(getattr(default.arg, "text", "")))
    ):
        return "SQLite's ADD COLUMN takes constant defaults only"
    return None


def in_place_refusal(request: BatchRequest, dialect_name: str) -> str | None:
    """With ``recreate="never"``: why the operations cannot run in place, or ``None``."""
    if dialect_name != "sqlite":
        return None
    for entry in request.entries:
        if entry.positioned:
            continue
        reason = sqlite_rebuild_reason(entry)
        if reason is not None:
            return f"{type(entry.operation).__name__}: {reason}"
    return None


# -- the rebuild ---------------------------------------------------------------------------


def plan_rebuild(
    request: BatchRequest,
    source: TableShape,
    sa_dialect: SADialect,
    naming: MetaData | None = None,
    *,
    hoist: bool = True,
) -> RebuildPlan:
    """Apply the request's operations to ``source`` and plan the copy into the new table.

    ``naming`` carries the naming convention for constraints the batch creates unnamed.
    ``hoist=False`` leaves renames to the rebuild itself (MySQL: its DDL cannot be rolled
    back, and renaming in place first would survive a failed rebuild).
    """
    draft = Draft(source, sa_dialect, naming if naming is not None else MetaData())
    for entry in request.entries:
        draft.apply(entry)
    draft.columns = _ordered(draft, request.partial_reordering)
    target = draft.finish()
    target = _with_table_args(target, request.table_args, sa_dialect)
    if request.table_kwargs:
        target = target.replace(
            options=tuple(sorted({**dict(target.options), **dict(request.table_kwargs)}.items()))
        )
    kept = {c.source for c in target.columns if c.source is not None}
    dropped = tuple(name for name in source.column_names if name not in kept)
    renames, copy_names = hoisted_renames(source.column_names, _renamed(target), dropped)
    if not hoist:
        renames, copy_names = (), {name: name for name in source.column_names}
    copy = tuple(
        CopyColumn(c.name, copy_names[c.source], c.convert, c.using)
        for c in target.columns
        if c.source is not None and not c.generated
    )
    return RebuildPlan(source, target, renames, copy, dropped, tuple(draft.warnings))


def _renamed(target: TableShape) -> dict[str, str]:
    return {c.source: c.name for c in target.columns if c.source and c.source != c.name}


def hoisted_renames(
    names: Sequence[str], renamed: Mapping[str, str], dropped: Sequence[str]
) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """The in-place renames that give the old columns their new names, in an order that
    never reuses a name still taken (cycles and dropped columns step aside to a temporary
    name), and each old column's name afterwards."""
    current = {name: name for name in names}
    wanted = {name: renamed.get(name, name) for name in names if name not in dropped}
    temporary = _temporary_names(set(names) | set(renamed.values()))
    for name in dropped:
        if name in renamed.values():
            wanted[name] = next(temporary)
    steps: list[tuple[str, str]] = []
    pending = {name: want for name, want in wanted.items() if current[name] != want}
    while pending:
        taken = set(current.values())
        ready = [name for name, want in pending.items() if want not in taken]
        if not ready:
            name = next(iter(pending))
            aside = next(temporary)
            steps.append((current[name], aside))
            current[name] = aside
            continue
        for name in ready:
            steps.append((current[name], pending.pop(name)))
            current[name] = wanted[name]
    return tuple(steps), current


def _temporary_names(taken: set[str]) -> Any:
    i = 0
    while True:
        name = f"_strata_col_{i}"
        i += 1
        if name not in taken:
            yield name


def _ordered(draft: Draft, partial_reordering: Sequence[Sequence[str]]) -> list[ColumnShape]:
    """The columns in their new order: moves first, then the partial orderings."""
    names = [c.name for c in draft.columns]
    for name, before, after in draft.moves:
        anchor = before if before is not None else after
        assert anchor is not None
        if anchor not in names:
            draft.position(anchor)
        names.remove(name)
        at = names.index(anchor)
        names.insert(at if before is not None else at + 1, name)
    names = _partially_reordered(draft, names, partial_reordering)
    by_name = {c.name: c for c in draft.columns}
    return [by_name[name] for name in names]


def _partially_reordered(
    draft: Draft, names: list[str], groups: Sequence[Sequence[str]]
) -> list[str]:
    """A stable topological sort: each group's columns in the group's order, everything
    else staying as close to its place as it can."""
    if not groups:
        return names
    rank = {name: i for i, name in enumerate(names)}
    successors: dict[str, set[str]] = {name: set() for name in names}
    indegree = dict.fromkeys(names, 0)
    for group in groups:
        for name in group:
            draft.position(name)
        for first, second in itertools.pairwise(group):
            if second not in successors[first]:
                successors[first].add(second)
                indegree[second] += 1
    ready = [(rank[name], name) for name in names if indegree[name] == 0]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        _, name = heapq.heappop(ready)
        ordered.append(name)
        for following in successors[name]:
            indegree[following] -= 1
            if indegree[following] == 0:
                heapq.heappush(ready, (rank[following], following))
    if len(ordered) < len(names):
        raise draft.error(
            "reorder columns",
            "partial_reordering contradicts itself (its orderings form a cycle)",
            "Check the tuples given as partial_reordering.",
        )
    return ordered


def _with_table_args(
    target: TableShape, table_args: Sequence[Any], sa_dialect: SADialect
) -> TableShape:
    """``target`` with the constraints and indexes given as ``table_args`` added; a named
    one replaces the one of the same name, an unnamed CHECK one with the same text."""
    if not table_args:
        return target
    for item in table_args:
        if not isinstance(item, Constraint | Index):
            raise batch_error(
                target.name,
                "use table_args",
                f"{item!r} is not a constraint or an index",
                "Give constraints and indexes in table_args; columns go in reflect_args.",
            )
    copies = list(table_args)
    columns = [make_column(c.column) for c in target.columns]
    extra = shape_of(Table(target.name, MetaData(), *columns, *copies), sa_dialect)
    names = {u.name for u in extra.uniques} | {c.name for c in extra.checks}
    names = {name for name in names | {f.name for f in extra.foreign_keys} if name}
    index_names = {ix.name for ix in extra.indexes}
    texts = {" ".join(c.sqltext.split()) for c in extra.checks}
    checks = tuple(
        c
        for c in target.checks
        if c.name not in names and (c.name or " ".join(c.sqltext.split()) not in texts)
    )
    primary_key = extra.primary_key if copies and extra.primary_key else target.primary_key
    return target.replace(
        primary_key=primary_key,
        uniques=tuple(u for u in target.uniques if u.name not in names) + extra.uniques,
        checks=checks + extra.checks,
        foreign_keys=tuple(f for f in target.foreign_keys if f.name not in names)
        + extra.foreign_keys,
        indexes=tuple(ix for ix in target.indexes if ix.name not in index_names) + extra.indexes,
    )
