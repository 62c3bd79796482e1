"""The diff: ``diff(old, new, options)`` is the list of operations that turns a schema described
by snapshot ``old`` into one described by ``new``. Pure: no database, no I/O.

Operations come out in an order that runs: enum types and sequences first (PostgreSQL's
``ALTER TYPE ... ADD VALUE`` in an autocommit block), then table renames, foreign keys that
go away, new tables (ordered so a foreign key never points at a table not yet created; the
foreign keys of a cycle are added afterwards), the changes to each existing table
(:class:`~sqlstrata.autogen.directives.ModifyTableOps`), new foreign keys, dropped tables
(the reverse order), and last the types nothing uses any more. The downgrade is the diff the
other way: ``diff(new, old, options.reversed())``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy.dialects.postgresql import ENUM

from sqlstrata.autogen import objects
from sqlstrata.autogen.compare_columns import alter_op
from sqlstrata.autogen.compare_table import compare_table
from sqlstrata.autogen.directives import AutocommitBlock, ModifyTableOps
from sqlstrata.autogen.options import DiffOptions
from sqlstrata.autogen.renames import Renames
from sqlstrata.autogen.snapshot import (
    ColumnSnap,
    EnumSnap,
    ForeignKeySnap,
    SchemaSnapshot,
    SequenceSnap,
    TableKey,
    TableSnap,
)
from sqlstrata.ops import operations as ops


def diff(
    old: SchemaSnapshot, new: SchemaSnapshot, options: DiffOptions | None = None
) -> tuple[ops.Operation, ...]:
    """The operations that take a database at ``old`` to ``new``."""
    options = options or DiffOptions()
    autocommit, types, drop_types = _enums(old, new, options)
    old = _after_recreates(old, new, types, options)
    pairs, dropped, added = _pair_tables(old, new, options)
    types.extend(ops.CreateSequence(s.name, s.schema, s.options) for s in _only(new, old))
    for seq in _only(old, new):
        created = ops.CreateSequence(seq.name, seq.schema, seq.options)
        drop_types.append(ops.DropSequence(seq.name, seq.schema, created_by=created))
    renames = [
        ops.RenameTable(before.name, after.name, before.schema)
        for before, after in pairs
        if before.name != after.name
    ]
    drop_fks: list[ops.Operation] = []
    modify: list[ops.Operation] = []
    create_fks: list[ops.Operation] = []
    for original, after in pairs:
        before = apply_renames(original, after.name, options.renames)
        changes = compare_table(original, before, after, options)
        _group(drop_fks, after, changes.drop_fks)
        _group(modify, after, changes.modify)
        _group(create_fks, after, changes.create_fks)
    creates = _creates(added, create_fks, options)
    drops = _drops(dropped, drop_fks, options)
    head: list[ops.Operation] = [AutocommitBlock(tuple(autocommit))] if autocommit else []
    return (
        *head,
        *types,
        *renames,
        *drop_fks,
        *creates,
        *modify,
        *create_fks,
        *drops,
        *drop_types,
    )


def _pair_tables(
    old: SchemaSnapshot, new: SchemaSnapshot, options: DiffOptions
) -> tuple[list[tuple[TableSnap, TableSnap]], list[TableSnap], list[TableSnap]]:
    """(old table, its counterpart) pairs, the tables only ``old`` has, those only ``new`` has."""
    new_by_key = {t.key: t for t in new.tables}
    table_names = options.renames.table_map()
    pairs: list[tuple[TableSnap, TableSnap]] = []
    dropped: list[TableSnap] = []
    for table in old.tables:
        target = (table.schema, table_names.get(table.key, table.name))
        match = new_by_key.pop(target, None)
        if match is None:
            dropped.append(table)
        else:
            pairs.append((table, match))
    return pairs, dropped, list(new_by_key.values())


def _creates(
    added: list[TableSnap], create_fks: list[ops.Operation], options: DiffOptions
) -> list[ops.Operation]:
    """New tables and their indexes, in foreign key order; the foreign keys of a cycle go
    to ``create_fks``."""
    conv, dialect = options.convention, options.dialect
    order, cyclic = creation_order(added, dialect)
    creates: list[ops.Operation] = []
    for table in order:
        skip = frozenset(fk for key, fk in cyclic if key == table.key)
        creates.append(objects.create_table(table, dialect, conv, skip))
        creates.extend(objects.create_index(table, ix, conv) for ix in table.indexes)
    for table in order:
        later = tuple(
            objects.create_constraint(table, fk, conv)
            for fk in table.foreign_keys
            if (table.key, fk) in cyclic
        )
        _group(create_fks, table, later)
    return creates


def _drops(
    dropped: list[TableSnap], drop_fks: list[ops.Operation], options: DiffOptions
) -> list[ops.Operation]:
    """Dropped tables, referencing ones first; the foreign keys of a cycle go to
    ``drop_fks``."""
    conv, dialect = options.convention, options.dialect
    order, cyclic = creation_order(dropped, dialect)
    for table in order:
        early = tuple(
            objects.drop_constraint(table, fk, conv)
            for fk in table.foreign_keys
            if (table.key, fk) in cyclic and fk.name
        )
        _group(drop_fks, table, early)
    return [objects.drop_table(t, dialect, conv) for t in reversed(order)]


def _group(out: list[ops.Operation], table: TableSnap, items: Sequence[ops.Operation]) -> None:
    if items:
        out.append(ModifyTableOps(table.name, tuple(items), table.schema))


def _only(a: SchemaSnapshot, b: SchemaSnapshot) -> list[SequenceSnap]:
    """The sequences of ``a`` that ``b`` lacks."""
    keys = {s.key for s in b.sequences}
    return [s for s in a.sequences if s.key not in keys]


def apply_renames(table: TableSnap, new_name: str, renames: Renames) -> TableSnap:
    """``table`` as it is after the decided renames: its own name, its columns, and the tables
    and columns its foreign keys point at (databases follow renames in references)."""
    columns = renames.column_map()
    tables = renames.table_map()

    def col(name: str) -> str:
        return columns.get((table.schema, table.name, name), name)

    def fk(item: ForeignKeySnap) -> ForeignKeySnap:
        ref = item.referred_key
        return replace(
            item,
            columns=tuple(col(c) for c in item.columns),
            referred_table=tables.get(ref, item.referred_table),
            referred_columns=tuple(columns.get((*ref, c), c) for c in item.referred_columns),
        )

    if not renames:
        return table
    pk = table.primary_key
    return replace(
        table,
        name=new_name,
        columns=tuple(replace(c, name=col(c.name)) for c in table.columns),
        primary_key=replace(pk, columns=tuple(col(c) for c in pk.columns)) if pk else None,
        uniques=tuple(replace(u, columns=tuple(col(c) for c in u.columns)) for u in table.uniques),
        foreign_keys=tuple(fk(item) for item in table.foreign_keys),
        indexes=tuple(
            replace(
                ix,
                elements=tuple(
                    e if expr else col(e)
                    for e, expr in zip(ix.elements, ix.expressions, strict=True)
                ),
            )
            for ix in table.indexes
        ),
    )


Cyclic = frozenset[tuple[TableKey, ForeignKeySnap]]


def creation_order(tables: Iterable[TableSnap], dialect: str) -> tuple[list[TableSnap], Cyclic]:
    """``tables`` ordered so each comes after the tables its foreign keys point at, and the
    foreign keys left out to break cycles (none on SQLite, which accepts references to
    tables that do not exist yet)."""
    remaining = {t.key: t for t in sorted(tables, key=lambda t: (t.schema or "", t.name))}
    order: list[TableSnap] = []
    cyclic: set[tuple[TableKey, ForeignKeySnap]] = set()
    while remaining:
        ready = [
            key
            for key, table in remaining.items()
            if not any(
                fk.referred_key in remaining and fk.referred_key != key
                for fk in table.foreign_keys
                if (key, fk) not in cyclic
            )
        ]
        if not ready:
            key = next(iter(remaining))
            for fk in remaining[key].foreign_keys:
                if fk.referred_key in remaining and fk.referred_key != key:
                    cyclic.add((key, fk))
            ready = [key]
        order.extend(remaining.pop(key) for key in ready)
    return order, frozenset() if dialect == "sqlite" else frozenset(cyclic)


# -- enum types ------------------------------------------------------------------------------


def _enums(
    old: SchemaSnapshot, new: SchemaSnapshot, options: DiffOptions
) -> tuple[list[ops.Operation], list[ops.Operation], list[ops.Operation]]:
    """(ADD VALUE statements, creations and re-creations, drops) of enum types."""
    before = {e.key: e for e in old.enums}
    autocommit: list[ops.Operation] = []
    types: list[ops.Operation] = []
    for key, enum in ((e.key, e) for e in new.enums):
        existing = before.get(key)
        if existing is None:
            types.append(ops.CreateEnum(enum.name, enum.values, enum.schema))
        elif existing.values != enum.values:
            if _is_subsequence(existing.values, enum.values):
                autocommit.extend(_added_values(existing, enum))
            else:
                types.extend(_recreate(existing, enum, old, new, options))
    used = {c.enum for t in old.tables for c in t.columns if c.enum is not None}
    new_keys = {e.key for e in new.enums}
    drops: list[ops.Operation] = [
        ops.DropEnum(e.name, e.schema, e.values)
        for e in old.enums
        if e.key not in new_keys and e.key in used
    ]
    return autocommit, types, drops


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    it = iter(long)
    return all(value in it for value in short)


def _added_values(before: EnumSnap, after: EnumSnap) -> list[ops.Operation]:
    """``ALTER TYPE ... ADD VALUE`` for each new value, each placed next to its neighbour."""
    out: list[ops.Operation] = []
    present = set(before.values)
    for i, value in enumerate(after.values):
        if value in present:
            continue
        if i > 0:
            out.append(ops.AddEnumValue(after.name, value, after.schema, after=after.values[i - 1]))
        else:
            following = next((v for v in after.values if v in present), None)
            out.append(ops.AddEnumValue(after.name, value, after.schema, before=following))
        present.add(value)
    return out


def _recreate(
    before: EnumSnap,
    after: EnumSnap,
    old: SchemaSnapshot,
    new: SchemaSnapshot,
    options: DiffOptions,
) -> list[ops.Operation]:
    """Values removed or reordered: rename the type away, create it anew, move each column
    over with a cast through text, drop the old type. A column's default is dropped for the
    move and set to the default it ends up with (the old value may be gone)."""
    taken = {e.name for e in old.enums if e.schema == before.schema}
    stale = f"{before.name}_old"
    while stale in taken:
        stale += "_"
    qualified = options.qualified(after.name, after.schema)
    out: list[ops.Operation] = [
        ops.ExecuteSQL(f"ALTER TYPE {qualified} RENAME TO {options.quote(stale)}"),
        ops.CreateEnum(after.name, after.values, after.schema),
    ]
    new_type = ENUM(*after.values, name=after.name, schema=after.schema, create_type=False)
    for table in old.tables:
        moves: list[ops.Operation] = []
        for column in table.columns:
            if column.enum == before.key:
                moves.extend(_move_column(table, column, new_type, new, options))
        _group(out, table, moves)
    out.append(ops.DropEnum(stale, before.schema, before.values))
    return out


def _after_recreates(
    old: SchemaSnapshot, new: SchemaSnapshot, types: Sequence[ops.Operation], options: DiffOptions
) -> SchemaSnapshot:
    """``old`` as the enum re-creations leave it: their columns have the defaults the
    re-creation gave them, so the table comparison does not set them again."""
    recreated = {(op.schema, op.type_name) for op in types if isinstance(op, ops.CreateEnum)}
    recreated &= {e.key for e in old.enums}
    if not recreated:
        return old
    tables = []
    for table in old.tables:
        columns = []
        for column in table.columns:
            if column.enum in recreated:
                ending = _ending_default(table, column, new, options)
                default = ending.default if ending is not None else None
                column = replace(column, default=default, default_arg=ending and ending.default_arg)
            columns.append(column)
        tables.append(replace(table, columns=tuple(columns)))
    return old.with_tables(tables)


def _ending_default(
    table: TableSnap, column: ColumnSnap, new: SchemaSnapshot, options: DiffOptions
) -> ColumnSnap | None:
    """The column in ``new`` whose default a re-created enum column takes, if any."""
    target = new.table((table.schema, options.renames.new_table_name(table.key)))
    ending = target.column(column.name) if target is not None else None
    if ending is not None and ending.enum == column.enum and ending.default is not None:
        return ending
    return None


def _move_column(
    table: TableSnap, column: ColumnSnap, new_type: ENUM, new: SchemaSnapshot, options: DiffOptions
) -> list[ops.Operation]:
    qualified = options.qualified(str(new_type.name), new_type.schema)
    moves: list[ops.Operation] = []
    if column.default is not None:
        moves.append(alter_op(table, column, options.dialect, modify_server_default=None))
    using = f"{options.quote(column.name)}::text::{qualified}"
    bare = replace(column, default=None)
    moves.append(
        alter_op(
            table,
            bare,
            options.dialect,
            modify_type=new_type,
            options=(("postgresql_using", using),),
        )
    )
    ending = _ending_default(table, column, new, options)
    if ending is not None:
        moved = replace(bare, type_=new_type)
        moves.append(
            alter_op(table, moved, options.dialect, modify_server_default=ending.default_arg)
        )
    return moves
