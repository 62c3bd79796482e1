"""TableShape: a table described by names, so a batch can change it and build it again.

SQLAlchemy's Table ties constraints and indexes to Column objects, which makes renaming or
dropping a column awkward. A :class:`TableShape` names columns by string everywhere and
keeps each column as a detached template (type, nullability, server default, comment).
:func:`shape_of` reads a Table (reflected, or given as ``copy_from``) into a shape;
:func:`build_table` turns a shape back into a Table under any name, with the parts a
statement needs. CHECK conditions and index expressions are kept as SQL text, rendered for
the target database, so renames can rewrite them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    exc,
    text,
)
from sqlalchemy.engine.interfaces import Dialect as SADialect
from sqlalchemy.sql.base import SchemaEventTarget
from sqlalchemy.sql.schema import Computed, Constraint, DefaultClause, Identity

from sqlstrata.dialects import build
from sqlstrata.dialects.ddl import ddl_compiler, expression_sql
from sqlstrata.ops.base import UNSET, Options, Unset, as_options


@dataclass(frozen=True, slots=True, eq=False)
class ColumnShape:
    """A column of the new table and where its values come from.

    ``column`` is a detached template (never attached to a table; copied on build).
    ``source`` is the name of the old table's column whose values it takes, ``None`` for
    a new column. ``convert`` says the type changed, so the copy casts; ``using`` is the
    expression to copy with instead (``postgresql_using``).
    """

    column: Column[Any]
    source: str | None = None
    convert: bool = False
    using: str | None = None

    @property
    def name(self) -> str:
        return self.column.name

    @property
    def generated(self) -> bool:
        """Whether the database computes the column (it cannot be inserted into)."""
        return isinstance(self.column.server_default, Computed)


@dataclass(frozen=True, slots=True)
class KeyShape:
    """A primary key or unique constraint; ``options`` are its other keyword arguments."""

    name: str | None
    columns: tuple[str, ...]
    options: Options = ()


@dataclass(frozen=True, slots=True)
class ForeignKeyShape:
    name: str | None
    columns: tuple[str, ...]
    referred_table: str
    referred_columns: tuple[str, ...]
    referred_schema: str | None = None
    options: Options = ()


@dataclass(frozen=True, slots=True)
class CheckShape:
    name: str | None
    sqltext: str
    options: Options = ()


@dataclass(frozen=True, slots=True)
class IndexShape:
    """An index. ``expressions`` are column names or SQL text (``text=True`` at that
    position). ``sql`` is a statement to run as it is (SQLite keeps the one it was
    created with), with ``{table}`` standing for nothing: the table keeps its name."""

    name: str
    expressions: tuple[str, ...]
    is_text: tuple[bool, ...]
    unique: bool = False
    options: Options = ()
    sql: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(e for e, t in zip(self.expressions, self.is_text, strict=True) if not t)


@dataclass(frozen=True, slots=True, eq=False)
class TableShape:
    name: str
    schema: str | None
    columns: tuple[ColumnShape, ...]
    primary_key: KeyShape | None = None
    foreign_keys: tuple[ForeignKeyShape, ...] = ()
    uniques: tuple[KeyShape, ...] = ()
    checks: tuple[CheckShape, ...] = ()
    indexes: tuple[IndexShape, ...] = ()
    comment: str | None = None
    options: Options = ()

    def column(self, name: str) -> ColumnShape | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def replace(self, **changes: Any) -> TableShape:
        return dataclasses.replace(self, **changes)


def make_column(
    template: Column[Any],
    *,
    name: str | None = None,
    type_: Any = None,
    nullable: bool | None = None,
    server_default: Any = UNSET,
    comment: str | Unset | None = UNSET,
    autoincrement: Any = None,
    generated: bool = True,
) -> Column[Any]:
    """A new detached Column like ``template`` with the given parts changed.

    Constraints, foreign keys, ``primary_key``, ``unique`` and ``index`` are left off: the
    shape holds them at table level. ``generated=False`` leaves off Computed and Identity.
    """
    args: list[Any] = []
    default = template.server_default if server_default is UNSET else server_default
    if isinstance(default, Computed | Identity):
        if generated:
            args.append(default._copy())
        default = None
    elif isinstance(default, DefaultClause):
        default = default._copy()
    if type_ is None:
        type_ = (
            template.type.copy() if isinstance(template.type, SchemaEventTarget) else template.type
        )
    kwargs = {
        f"{dialect}_{key}": value
        for dialect in template.dialect_options
        for key, value in template.dialect_options[dialect]._non_defaults.items()
    }
    column: Column[Any] = Column(
        name if name is not None else template.name,
        type_,
        *args,
        nullable=template.nullable if nullable is None else nullable,
        server_default=default,
        comment=template.comment if comment is UNSET else comment,
        autoincrement=template.autoincrement if autoincrement is None else autoincrement,
        info=dict(template.info) if template.info else None,
        **kwargs,
    )
    return column


def constraint_name(constraint: Constraint | Index) -> str | None:
    """The constraint's name, or ``None`` for an unnamed one (SQLAlchemy's placeholders)."""
    name = constraint.name
    return name if isinstance(name, str) else None


def _options(item: Any, *names: str) -> Options:
    found = {key: value for key, value in item.dialect_kwargs.items()}
    for name in names:
        value = getattr(item, name, None)
        if value is not None:
            found[name] = value
    return as_options(found)


def shape_of(table: Table, sa_dialect: SADialect) -> TableShape:
    """Read a Table into a shape; SQL expressions are rendered for ``sa_dialect``."""
    columns = tuple(ColumnShape(make_column(c), source=c.name) for c in table.columns)
    primary_key = None
    if table.primary_key.columns:
        pk = table.primary_key
        primary_key = KeyShape(constraint_name(pk), tuple(c.name for c in pk.columns))
    checks = [c for c in table.constraints if isinstance(c, CheckConstraint) and not c._type_bound]
    for column in table.columns:
        checks += [
            c for c in column.constraints if isinstance(c, CheckConstraint) and not c._type_bound
        ]
    return TableShape(
        name=table.name,
        schema=table.schema,
        columns=columns,
        primary_key=primary_key,
        foreign_keys=tuple(foreign_key_shape(fk) for fk in _sorted(table.foreign_key_constraints)),
        uniques=tuple(
            KeyShape(
                constraint_name(c),
                tuple(col.name for col in c.columns),
                _options(c, "deferrable", "initially"),
            )
            for c in _sorted(table.constraints)
            if isinstance(c, UniqueConstraint)
        ),
        checks=tuple(check_shape(c, sa_dialect) for c in checks),
        indexes=tuple(index_shape(ix, sa_dialect) for ix in _sorted(table.indexes)),
        comment=table.comment,
        # MySQL reflects the comment as an option too; the shape keeps it in one place.
        options=as_options(
            {k: v for k, v in table.dialect_kwargs.items() if not k.endswith("_comment")}
        ),
    )


def _sorted(items: Iterable[Any]) -> list[Any]:
    """Constraints in a stable order: by name, unnamed ones last in creation order."""
    listed = list(items)
    return sorted(listed, key=lambda c: (constraint_name(c) is None, str(constraint_name(c))))


def _target(element: Any) -> tuple[str | None, str, str]:
    """(schema, table, column) a ForeignKey points at, without needing the table loaded."""
    column = getattr(element, "_table_column", None)
    if isinstance(column, Column) and isinstance(column.table, Table):
        return column.table.schema, column.table.name, column.name
    schema, table_name, column_name = element._column_tokens
    return schema, str(table_name), str(column_name)


def foreign_key_shape(fk: ForeignKeyConstraint) -> ForeignKeyShape:
    targets = [_target(element) for element in fk.elements]
    schema, table_name, _ = targets[0]
    return ForeignKeyShape(
        name=constraint_name(fk),
        columns=tuple(fk.column_keys) if fk.table is None else tuple(c.name for c in fk.columns),
        referred_table=str(table_name),
        referred_columns=tuple(str(column) for _, _, column in targets),
        referred_schema=schema,
        options=_options(fk, "onupdate", "ondelete", "deferrable", "initially", "match"),
    )


def check_shape(check: CheckConstraint, sa_dialect: SADialect) -> CheckShape:
    return CheckShape(
        constraint_name(check),
        expression_sql(sa_dialect, check.sqltext),
        _options(check, "deferrable", "initially"),
    )


def index_shape(index: Index, sa_dialect: SADialect) -> IndexShape:
    expressions: list[str] = []
    is_text: list[bool] = []
    for expression in index.expressions:
        if isinstance(expression, Column):
            expressions.append(expression.name)
            is_text.append(False)
        elif isinstance(expression, str):
            expressions.append(expression)
            is_text.append(False)
        else:
            # As CREATE INDEX writes it: column names without their table ("balance DESC").
            compiler = ddl_compiler(sa_dialect).sql_compiler
            rendered = compiler.process(expression, include_table=False, literal_binds=True)
            expressions.append(str(rendered))
            is_text.append(True)
    name = constraint_name(index)
    return IndexShape(
        name=name or "",
        expressions=tuple(expressions),
        is_text=tuple(is_text),
        unique=bool(index.unique),
        options=as_options(dict(index.dialect_kwargs)),
    )


# -- building a Table from a shape ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parts:
    """Which parts of a shape a built Table carries."""

    primary_key: bool = True
    uniques: bool = True
    checks: bool = True
    foreign_keys: bool = True
    indexes: bool = True
    primary_key_name: str | Unset | None = UNSET
    column: Callable[[ColumnShape], Column[Any]] | None = None


ALL = Parts()


def build_table(
    shape: TableShape,
    name: str,
    parts: Parts = ALL,
    *,
    metadata: MetaData | None = None,
) -> Table:
    """A Table called ``name`` with the shape's columns and the requested parts."""
    metadata = metadata if metadata is not None else MetaData()
    columns = [parts.column(c) if parts.column else make_column(c.column) for c in shape.columns]
    items: list[Any] = list(columns)
    if parts.primary_key and shape.primary_key is not None:
        pk = shape.primary_key
        pk_name = pk.name if parts.primary_key_name is UNSET else parts.primary_key_name
        items.append(PrimaryKeyConstraint(*pk.columns, name=pk_name, **dict(pk.options)))
    if parts.uniques:
        items += [
            UniqueConstraint(*u.columns, name=u.name, **dict(u.options)) for u in shape.uniques
        ]
    if parts.checks:
        items += [
            CheckConstraint(text(c.sqltext), name=c.name, **dict(c.options)) for c in shape.checks
        ]
    options = dict(shape.options)
    table = Table(name, metadata, *items, schema=shape.schema, comment=shape.comment, **options)
    if parts.foreign_keys:
        for fk in shape.foreign_keys:
            table.append_constraint(_foreign_key(fk, metadata))
    build.ensure_referents(table)
    if parts.indexes:
        for index in shape.indexes:
            if index.sql is None:
                _index(index, table)
    return table


def _foreign_key(fk: ForeignKeyShape, metadata: MetaData) -> ForeignKeyConstraint:
    """The constraint, pointing at Column objects (names with dots defeat string targets);
    a referenced table other than the one being built gets a stub in ``metadata``."""
    referent = build.stub_table(
        metadata, fk.referred_table, fk.referred_schema, fk.referred_columns
    )
    targets = [referent.c[column] for column in fk.referred_columns]
    return ForeignKeyConstraint(list(fk.columns), targets, name=fk.name, **dict(fk.options))


def _index(index: IndexShape, table: Table) -> Index:
    expressions = [
        text(expression) if is_text else table.c[expression]
        for expression, is_text in zip(index.expressions, index.is_text, strict=True)
    ]
    return Index(index.name, *expressions, unique=index.unique, _table=table, **dict(index.options))


def named_by_convention(
    shape: TableShape, convention: Mapping[Any, str], sa_dialect: SADialect
) -> TableShape:
    """``shape`` with its unnamed constraints named by ``convention``, where it can name
    them (a convention that needs ``%(constraint_name)s`` cannot)."""

    def name_of(item: Any, kind: str) -> str | None:
        metadata = MetaData(naming_convention=dict(convention))
        table = build_table(
            shape.replace(
                primary_key=item if kind == "pk" else None,
                uniques=(item,) if kind == "uq" else (),
                checks=(item,) if kind == "ck" else (),
                foreign_keys=(item,) if kind == "fk" else (),
                indexes=(),
            ),
            shape.name,
            metadata=metadata,
        )
        for constraint in table.constraints:
            wanted = kind == "pk" or not isinstance(constraint, PrimaryKeyConstraint)
            if wanted and not getattr(constraint, "_type_bound", False):
                return constraint_name(constraint)
        return None

    def named(item: Any, kind: str) -> Any:
        if item is None or item.name is not None:
            return item
        try:
            name = name_of(item, kind)
        except exc.InvalidRequestError:
            return item
        return dataclasses.replace(item, name=name) if name else item

    return shape.replace(
        primary_key=named(shape.primary_key, "pk"),
        uniques=tuple(named(u, "uq") for u in shape.uniques),
        checks=tuple(named(c, "ck") for c in shape.checks),
        foreign_keys=tuple(named(f, "fk") for f in shape.foreign_keys),
    )
