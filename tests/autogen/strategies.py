"""Hypothesis strategies for random schemas, and pairs of schemas, per backend.

A schema is first drawn as plain data (:class:`SchemaSpec`), then built into a MetaData. Pairs
are drawn as a schema A and a B derived from A by the changes a real project makes: tables
and columns added and dropped, nullability, defaults and types changed within a family,
indexes, unique constraints, checks and foreign keys added and dropped, enum values changed.
Types, defaults and index kinds are limited to what each backend supports.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from hypothesis import strategies as st

CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# kind -> (family, can be indexed, defaults)
KINDS: dict[str, tuple[str, bool, tuple[Any, ...]]] = {
    "int": ("int", True, ("0", "7", sa.text("3"))),
    "bigint": ("int", True, ("5",)),
    "smallint": ("int", True, ("1",)),
    "str20": ("str", True, ("abc", "it's", "a b")),
    "str50": ("str", True, ("xyz",)),
    "unicode": ("str", True, ("u",)),
    "text": ("text", False, ()),
    "bool": ("bool", True, (sa.true(), sa.false())),
    "numeric": ("num", True, ("1.50",)),
    "float": ("float", True, ("1.5",)),
    "date": ("date", True, ("2020-01-02",)),
    "datetime": ("datetime", True, (sa.func.now(), sa.text("CURRENT_TIMESTAMP"))),
    "time": ("time", True, ()),
    "json": ("json", False, ()),
    "uuid": ("uuid", True, ()),
    "binary": ("binary", False, ()),
    "enum": ("enum", True, ()),
}
FAMILY_CHANGES = {
    "int": ("int", "bigint", "smallint"),
    "bigint": ("int", "bigint"),
    "smallint": ("int", "smallint"),
    "str20": ("str20", "str50", "unicode"),
    "str50": ("str20", "str50"),
    "unicode": ("str20", "unicode"),
    "numeric": ("numeric",),
}
ENUM_VALUES = ("red", "green", "blue", "cyan", "pink")


def kinds_for(backend: str) -> list[str]:
    kinds = list(KINDS)
    if backend == "sqlite":
        kinds.remove("uuid")  # CHAR(32) reflected as CHAR: fine, but Uuid adds nothing here
    return kinds


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str
    nullable: bool = True
    default: Any = None
    enum: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class IndexSpec:
    name: str
    columns: tuple[str, ...]
    unique: bool = False
    functional: bool = False
    where: str | None = None


@dataclass(frozen=True)
class FKSpec:
    column: str
    target: str
    ondelete: str | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    indexes: tuple[IndexSpec, ...] = ()
    uniques: tuple[tuple[str, ...], ...] = ()
    checks: tuple[tuple[str, str], ...] = ()
    fks: tuple[FKSpec, ...] = ()
    comment: str | None = None

    def column(self, name: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class SchemaSpec:
    backend: str
    tables: tuple[TableSpec, ...]
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def build(self) -> sa.MetaData:
        metadata = sa.MetaData(naming_convention=CONVENTION)
        for table in self.tables:
            _build_table(metadata, table, self)
        return metadata


def _type(column: ColumnSpec, schema: SchemaSpec) -> Any:
    kind = column.kind
    if kind == "enum":
        assert column.enum is not None
        return sa.Enum(*schema.enums[column.enum], name=column.enum)
    return {
        "int": sa.Integer(),
        "bigint": sa.BigInteger(),
        "smallint": sa.SmallInteger(),
        "str20": sa.String(20),
        "str50": sa.String(50),
        "unicode": sa.Unicode(30),
        "text": sa.Text(),
        "bool": sa.Boolean(),
        "numeric": sa.Numeric(10, 2),
        "float": sa.Float(),
        "date": sa.Date(),
        "datetime": sa.DateTime(),
        "time": sa.Time(),
        "json": sa.JSON(),
        "uuid": sa.Uuid(),
        "binary": sa.LargeBinary(),
    }[kind]


def _build_table(metadata: sa.MetaData, spec: TableSpec, schema: SchemaSpec) -> sa.Table:
    items: list[Any] = [sa.Column("id", sa.Integer, primary_key=True)]
    for col in spec.columns:
        fk = next((f for f in spec.fks if f.column == col.name), None)
        args: list[Any] = []
        if fk is not None:
            args.append(sa.ForeignKey(f"{fk.target}.id", ondelete=fk.ondelete))
        default = col.default
        if isinstance(default, str) and col.kind == "enum":
            default = schema.enums[col.enum or ""][0]
        items.append(
            sa.Column(
                col.name,
                _type(col, schema) if fk is None else sa.Integer(),
                *args,
                nullable=col.nullable,
                server_default=default,
                comment=col.comment,
            )
        )
    for ix in spec.indexes:
        if ix.functional:
            items.append(sa.Index(ix.name, sa.func.lower(sa.column(ix.columns[0]))))
        else:
            where = sa.text(ix.where) if ix.where else None
            kw = {"postgresql_where": where, "sqlite_where": where} if where is not None else {}
            items.append(sa.Index(ix.name, *ix.columns, unique=ix.unique, **kw))
    for i, columns in enumerate(spec.uniques):
        items.append(sa.UniqueConstraint(*columns, name=f"uq_{spec.name}_{i}"))
    for name, condition in spec.checks:
        items.append(sa.CheckConstraint(condition, name=name))
    return sa.Table(spec.name, metadata, *items, comment=spec.comment)


# -- strategies ------------------------------------------------------------------------------

NAMES = st.sampled_from(["alpha", "beta", "gamma", "delta", "omega", "kappa"])
COMMENTS = st.sampled_from([None, None, "a note", "it's noted"])


@st.composite
def column_specs(draw: st.DrawFn, backend: str, name: str, enums: list[str]) -> ColumnSpec:
    kinds = kinds_for(backend)
    if not enums:
        kinds.remove("enum")
    kind = draw(st.sampled_from(kinds))
    defaults = KINDS[kind][2]
    default = draw(st.sampled_from((None, *defaults))) if defaults else None
    if kind == "enum":
        default = draw(st.sampled_from((None, "first")))
    if kind == "datetime" and backend == "mysql" and default is not None:
        default = sa.text("CURRENT_TIMESTAMP")
    return ColumnSpec(
        name,
        kind,
        nullable=draw(st.booleans()),
        default=default,
        enum=draw(st.sampled_from(enums)) if kind == "enum" else None,
        comment=draw(COMMENTS),
    )


@st.composite
def table_specs(
    draw: st.DrawFn, backend: str, name: str, others: list[str], enums: list[str]
) -> TableSpec:
    count = draw(st.integers(1, 5))
    names = [f"c{i}" for i in range(count)]
    columns = [draw(column_specs(backend, n, enums)) for n in names]
    fks: list[FKSpec] = []
    for target in (
        draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else []
    ):
        col = f"{target}_id"
        nullable = draw(st.booleans())
        columns.append(ColumnSpec(col, "int", nullable=nullable))
        ondelete = draw(st.sampled_from([None, "CASCADE", *(["SET NULL"] if nullable else [])]))
        fks.append(FKSpec(col, target, ondelete))
    spec = TableSpec(name, tuple(columns), fks=tuple(fks), comment=draw(COMMENTS))
    return draw(_constraints(backend, spec))


@st.composite
def _constraints(draw: st.DrawFn, backend: str, spec: TableSpec) -> TableSpec:
    indexable = [c.name for c in spec.columns if KINDS[c.kind][1]]
    ints = [c.name for c in spec.columns if KINDS[c.kind][0] == "int"]
    strings = [c.name for c in spec.columns if c.kind in ("str20", "str50")]
    indexes: list[IndexSpec] = []
    uniques: list[tuple[str, ...]] = []
    checks: list[tuple[str, str]] = []
    for i in range(draw(st.integers(0, 2))):
        if not indexable:
            break
        columns = tuple(
            draw(st.lists(st.sampled_from(indexable), min_size=1, max_size=2, unique=True))
        )
        where = None
        if backend != "mysql" and ints and draw(st.booleans()):
            where = f"{draw(st.sampled_from(ints))} > 0"
        indexes.append(IndexSpec(f"ix_{spec.name}_{i}", columns, draw(st.booleans()), where=where))
    if backend != "mysql" and strings and draw(st.booleans()):
        indexes.append(
            IndexSpec(f"ix_{spec.name}_fn", (draw(st.sampled_from(strings)),), functional=True)
        )
    if indexable and draw(st.booleans()):
        uniques.append(
            tuple(draw(st.lists(st.sampled_from(indexable), min_size=1, max_size=2, unique=True)))
        )
    # MariaDB refuses CHECKs on columns a foreign key changes (ON DELETE SET NULL...).
    checkable = [c for c in ints if c not in {f.column for f in spec.fks}]
    if checkable and draw(st.booleans()):
        column = draw(st.sampled_from(checkable))
        op = draw(st.sampled_from([">", ">=", "<>"]))
        checks.append((f"chk{len(checks)}", f"{column} {op} -{draw(st.integers(1, 9))}"))
    return replace(spec, indexes=tuple(indexes), uniques=tuple(uniques), checks=tuple(checks))


@st.composite
def schema_specs(draw: st.DrawFn, backend: str, max_tables: int = 3) -> SchemaSpec:
    names = draw(st.lists(NAMES, min_size=1, max_size=max_tables, unique=True))
    enums: dict[str, tuple[str, ...]] = {}
    for i in range(draw(st.integers(0, 2))):
        values = draw(st.lists(st.sampled_from(ENUM_VALUES), min_size=1, max_size=4, unique=True))
        enums[f"mood{i}"] = tuple(values)
    tables = []
    for i, name in enumerate(names):
        # Foreign keys point at any table, also later ones and itself: cycles happen.
        others = draw(st.lists(st.sampled_from(names), max_size=2, unique=True)) if i else []
        tables.append(draw(table_specs(backend, name, others, list(enums))))
    return SchemaSpec(backend, tuple(tables), enums)


@st.composite
def schema_pairs(draw: st.DrawFn, backend: str) -> tuple[SchemaSpec, SchemaSpec]:
    a = draw(schema_specs(backend))
    return a, draw(mutated(a))


@st.composite
def mutated(draw: st.DrawFn, a: SchemaSpec) -> SchemaSpec:
    backend = a.backend
    enums = dict(a.enums)
    for name, values in list(enums.items()):
        change = draw(st.sampled_from(["keep", "append", "shuffle"]))
        if change == "append":
            extra = [v for v in ENUM_VALUES if v not in values][:1]
            position = draw(st.integers(0, len(values)))
            enums[name] = (*values[:position], *extra, *values[position:])
        elif change == "shuffle":
            enums[name] = tuple(draw(st.permutations(values)))[: max(1, len(values) - 1)]
    tables = list(a.tables)
    if len(tables) > 1 and draw(st.booleans()):
        gone = draw(st.sampled_from(tables)).name
        tables = [_without_fk_to(t, gone) for t in tables if t.name != gone]
    names = [t.name for t in tables]
    new_tables = []
    for table in tables:
        new_tables.append(draw(_mutated_table(backend, table, names, list(enums))))
    if draw(st.booleans()):
        free = [n for n in ("sigma", "theta") if n not in names]
        new_tables.append(draw(table_specs(backend, free[0], names, list(enums))))
    used = {c.enum for t in new_tables for c in t.columns if c.enum}
    return SchemaSpec(
        backend, tuple(new_tables), {k: v for k, v in enums.items() if k in used or k in a.enums}
    )


def _without_fk_to(table: TableSpec, gone: str) -> TableSpec:
    fks = tuple(f for f in table.fks if f.target != gone)
    dropped = {f.column for f in table.fks if f.target == gone}
    return _drop_columns(replace(table, fks=fks), dropped)


def _drop_columns(table: TableSpec, names: set[str]) -> TableSpec:
    if not names:
        return table
    return replace(
        table,
        columns=tuple(c for c in table.columns if c.name not in names),
        indexes=tuple(
            i
            for i in table.indexes
            if not set(i.columns) & names and not (i.where and i.where.split()[0] in names)
        ),
        uniques=tuple(u for u in table.uniques if not set(u) & names),
        checks=tuple(c for c in table.checks if c[1].split()[0] not in names),
        fks=tuple(f for f in table.fks if f.column not in names),
    )


@st.composite
def _mutated_table(
    draw: st.DrawFn, backend: str, table: TableSpec, names: list[str], enums: list[str]
) -> TableSpec:
    plain = [c for c in table.columns if c.name not in {f.column for f in table.fks}]
    if plain and len(table.columns) > 1 and draw(st.booleans()):
        table = _drop_columns(table, {draw(st.sampled_from(plain)).name})
    columns = []
    indexed = {c for i in table.indexes for c in i.columns} | {c for u in table.uniques for c in u}
    for column in table.columns:
        if column.name in {f.column for f in table.fks}:
            columns.append(column)
            continue
        change = draw(st.sampled_from(["keep", "keep", "nullable", "default", "type", "comment"]))
        if change == "comment":
            column = replace(column, comment=draw(COMMENTS))
        elif change == "nullable":
            column = replace(column, nullable=not column.nullable)
        elif change == "default" and KINDS[column.kind][2]:
            column = replace(column, default=draw(st.sampled_from((None, *KINDS[column.kind][2]))))
        elif change == "type" and column.kind in FAMILY_CHANGES:
            choices = [
                k for k in FAMILY_CHANGES[column.kind] if column.name not in indexed or KINDS[k][1]
            ]
            column = replace(column, kind=draw(st.sampled_from(choices)))
        if column.kind == "datetime" and backend == "mysql" and column.default is not None:
            column = replace(column, default=sa.text("CURRENT_TIMESTAMP"))
        columns.append(column)
    if draw(st.booleans()):
        extra = draw(column_specs(backend, f"n{len(table.columns)}", enums))
        columns.append(extra)
    table = replace(table, columns=tuple(columns), comment=draw(COMMENTS))
    if draw(st.booleans()):
        table = replace(table, indexes=(), uniques=(), checks=())
        table = draw(_constraints(backend, table))
    if draw(st.booleans()) and table.fks:
        fk = table.fks[0]
        ondelete = None if fk.ondelete else "CASCADE"
        table = replace(table, fks=(replace(fk, ondelete=ondelete), *table.fks[1:]))
    return table
