"""Build a :class:`~sqlstrata.autogen.snapshot.SchemaSnapshot` from a live database.

Reflection is done in bulk with SQLAlchemy 2's ``Inspector.get_multi_*``: one round of queries
per kind of object and schema, never one per table, so thousands of tables take seconds.
``include_name`` is applied to schema and table names *before* anything is reflected; tables
that belong to database extensions (PostGIS's ``spatial_ref_sys``) and the tables given in
``exclude`` (sqlstrata's version table) are never reflected.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine.reflection import Inspector

from sqlstrata.autogen.from_metadata import clean_options, option_value
from sqlstrata.autogen.normalize import sql_key
from sqlstrata.autogen.snapshot import (
    CheckSnap,
    ColumnSnap,
    ComputedSnap,
    EnumSnap,
    ForeignKeySnap,
    IdentitySnap,
    IndexSnap,
    PrimaryKeySnap,
    SchemaSnapshot,
    SequenceSnap,
    TableKey,
    TableSnap,
    UniqueSnap,
    canonical,
)

IncludeName = Callable[[str | None, str, Mapping[str, str | None]], bool]
"""``include_name(name, type_, parent_names)``, as in Alembic."""

SYSTEM_SCHEMAS = frozenset(
    {"information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema", "sys"}
)

_EXTENSION_TABLES = text(
    "SELECT n.nspname, c.relname FROM pg_catalog.pg_depend d "
    "JOIN pg_catalog.pg_class c ON c.oid = d.objid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE d.deptype = 'e' AND d.classid = 'pg_catalog.pg_class'::regclass "
    "AND c.relkind IN ('r', 'p')"
)
# Sequences a column owns (serial) or an identity column uses: they come and go with it.
_OWNED_SEQUENCES = text(
    "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_catalog.pg_depend d ON d.objid = c.oid "
    "AND d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i') "
    "WHERE c.relkind = 'S'"
)


@dataclass(frozen=True, slots=True)
class ReflectOptions:
    """What to reflect: other schemas than the default one, a name filter, tables to skip."""

    include_schemas: bool = False
    include_name: IncludeName | None = None
    exclude: frozenset[TableKey] = frozenset()


def reflect(connection: Connection, options: ReflectOptions | None = None) -> SchemaSnapshot:
    """Describe what ``connection``'s database holds."""
    options = options or ReflectOptions()
    insp = inspect(connection)
    default = insp.default_schema_name
    reader = _Reader(connection, insp, options, default)
    tables: list[TableSnap] = []
    sequences: list[SequenceSnap] = []
    schemas = reader.schemas()
    for schema in schemas:
        tables.extend(reader.tables(schema))
        sequences.extend(reader.sequences(schema))
    return SchemaSnapshot(tuple(tables), reader.enums(schemas), tuple(sequences))


def schema_names(connection: Connection, options: ReflectOptions) -> list[str | None]:
    """The schemas :func:`reflect` looks at: ``None`` (the default one) and, with
    ``include_schemas``, every other schema ``include_name`` accepts."""
    insp = inspect(connection)
    return _Reader(connection, insp, options, insp.default_schema_name).schemas()


class _Reader:
    def __init__(
        self,
        connection: Connection,
        insp: Inspector,
        options: ReflectOptions,
        default: str | None,
    ) -> None:
        self.connection = connection
        self.insp = insp
        self.options = options
        self.default = default
        self.dialect = connection.dialect
        self.name = connection.dialect.name
        self.excluded = set(options.exclude)
        if self.name == "postgresql":
            for schema, table in connection.execute(_EXTENSION_TABLES):
                self.excluded.add((self.schema(schema), table))

    def schema(self, schema: str | None) -> str | None:
        return None if schema == self.default else schema

    def include(self, name: str | None, type_: str, parents: Mapping[str, str | None]) -> bool:
        hook = self.options.include_name
        return hook is None or bool(hook(name, type_, parents))

    def schemas(self) -> list[str | None]:
        found: list[str | None] = [None]
        if not self.options.include_schemas:
            return found
        for name in self.insp.get_schema_names():
            if name == self.default or name in SYSTEM_SCHEMAS or name.startswith("pg_"):
                continue
            if self.include(name, "schema", {}):
                found.append(name)
        return found

    def table_names(self, schema: str | None) -> tuple[list[str], bool]:
        """The tables to reflect, and whether any were filtered out."""
        names = self.insp.get_table_names(schema=schema)
        kept = [
            name
            for name in names
            if (schema, name) not in self.excluded
            and self.include(name, "table", _parents(schema, name))
        ]
        return kept, len(kept) != len(names)

    def tables(self, schema: str | None) -> list[TableSnap]:
        names, filtered = self.table_names(schema)
        if not names:
            return []
        kw: dict[str, Any] = {"schema": schema, "filter_names": names if filtered else None}
        insp = self.insp
        columns = insp.get_multi_columns(**kw)
        pks = insp.get_multi_pk_constraint(**kw)
        fks = insp.get_multi_foreign_keys(**kw)
        with warnings.catch_warnings():
            # SQLite's expression indexes are read from their SQL below.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression")
            indexes = insp.get_multi_indexes(**kw)
            uniques = _optional(insp.get_multi_unique_constraints, kw)
        checks = _optional(insp.get_multi_check_constraints, kw)
        comments = _optional(insp.get_multi_table_comment, kw) if self.supports_comments else {}
        extra_indexes = self.sqlite_expression_indexes(schema, names, indexes)
        out = []
        for name in names:
            key = (schema, name)
            if key not in columns:
                continue
            out.append(
                self.table(
                    schema,
                    name,
                    columns[key],
                    pks.get(key),
                    fks.get(key, []),
                    [*indexes.get(key, []), *extra_indexes.get(name, [])],
                    uniques.get(key, []),
                    checks.get(key, []),
                    (comments.get(key) or {}).get("text"),
                )
            )
        return out

    @property
    def supports_comments(self) -> bool:
        return bool(self.dialect.supports_comments)

    def table(
        self,
        schema: str | None,
        name: str,
        columns: Sequence[Any],
        pk: Any,
        fks: Sequence[Any],
        indexes: Sequence[Any],
        uniques: Sequence[Any],
        checks: Sequence[Any],
        comment: str | None,
    ) -> TableSnap:
        parents = _parents(schema, name)
        cols = tuple(self.column(c) for c in columns if self.include(c["name"], "column", parents))
        fk_snaps = tuple(
            self.foreign_key(fk)
            for fk in fks
            if self.include(fk.get("name"), "foreign_key_constraint", parents)
        )
        # MySQL reports a unique constraint as an index too; PostgreSQL says which ones.
        doubles = {u.get("duplicates_index") for u in uniques} - {None}
        index_snaps = tuple(
            self.index(ix)
            for ix in indexes
            if not ix.get("duplicates_constraint")
            and ix.get("name") not in doubles
            and self.include(ix.get("name"), "index", parents)
        )
        return canonical(
            TableSnap(
                name=name,
                schema=schema,
                columns=cols,
                primary_key=(
                    PrimaryKeySnap(pk.get("name"), tuple(pk["constrained_columns"]))
                    if pk and pk.get("constrained_columns")
                    else None
                ),
                uniques=tuple(
                    UniqueSnap(u.get("name"), tuple(u["column_names"]))
                    for u in uniques
                    if self.include(u.get("name"), "unique_constraint", parents)
                ),
                foreign_keys=fk_snaps,
                checks=tuple(
                    CheckSnap(c.get("name"), c["sqltext"])
                    for c in checks
                    if not _json_check(c, cols)
                ),
                indexes=index_snaps,
                comment=comment,
            )
        )

    def column(self, col: Mapping[str, Any]) -> ColumnSnap:
        type_ = col["type"]
        try:
            type_sql = str(self.dialect.type_compiler_instance.process(type_))
        except Exception:  # a reflected type with no DDL (NullType for unknown types)
            type_sql = ""
        default: str | None = col.get("default")
        autoincrement: bool | None = None
        if self.name in ("mysql", "postgresql", "mariadb"):
            autoincrement = bool(col.get("autoincrement", False))
        if self.name == "postgresql" and default and default.startswith("nextval("):
            default = None  # a serial column's sequence; autoincrement says it all
        identity = col.get("identity")
        computed = col.get("computed")
        enum: TableKey | None = None
        if self.name == "postgresql" and getattr(type_, "name", None) and hasattr(type_, "enums"):
            enum = (self.schema(getattr(type_, "schema", None)), str(type_.name))
        return ColumnSnap(
            name=col["name"],
            type_sql=type_sql,
            nullable=bool(col.get("nullable", True)),
            default=default,
            comment=col.get("comment"),
            autoincrement=autoincrement,
            identity=(
                IdentitySnap(
                    bool(identity.get("always")), identity.get("start"), identity.get("increment")
                )
                if identity
                else None
            ),
            computed=(
                ComputedSnap(computed["sqltext"], computed.get("persisted")) if computed else None
            ),
            enum=enum,
            type_=type_,
            default_arg=text(default) if default is not None else None,
        )

    def foreign_key(self, fk: Mapping[str, Any]) -> ForeignKeySnap:
        opts = fk.get("options") or {}
        return ForeignKeySnap(
            name=fk.get("name"),
            columns=tuple(fk["constrained_columns"]),
            referred_schema=self.schema(fk.get("referred_schema")),
            referred_table=fk["referred_table"],
            referred_columns=tuple(fk["referred_columns"]),
            ondelete=opts.get("ondelete"),
            onupdate=opts.get("onupdate"),
            deferrable=opts.get("deferrable"),
            initially=opts.get("initially"),
            match=opts.get("match"),
        )

    def index(self, ix: Mapping[str, Any]) -> IndexSnap:
        names: list[str | None] = list(ix.get("column_names") or [])
        exprs: list[str] = list(ix.get("expressions") or [])
        elements: list[str] = []
        flags: list[bool] = []
        for i, column in enumerate(names):
            if column is None:
                elements.append(exprs[i] if i < len(exprs) else "")
                flags.append(True)
            else:
                elements.append(column)
                flags.append(False)
        options = clean_options(
            (key, option_value(key, value, str))
            for key, value in (ix.get("dialect_options") or {}).items()
        )
        return IndexSnap(
            name=ix.get("name"),
            elements=tuple(elements),
            expressions=tuple(flags),
            unique=bool(ix.get("unique")),
            options=options,
        )

    def enums(self, schemas: Collection[str | None]) -> tuple[EnumSnap, ...]:
        if self.name != "postgresql":
            return ()
        found = []
        for enum in self.insp.get_enums(schema="*"):  # type: ignore[attr-defined]
            schema = self.schema(enum["schema"])
            if schema in schemas:
                found.append(EnumSnap(enum["name"], schema, tuple(enum["labels"])))
        return tuple(found)

    def sequences(self, schema: str | None) -> list[SequenceSnap]:
        if not self.dialect.supports_sequences:
            return []
        owned: set[TableKey] = set()
        if self.name == "postgresql":
            owned = {(self.schema(s), n) for s, n in self.connection.execute(_OWNED_SEQUENCES)}
        return [
            SequenceSnap(name, schema)
            for name in self.insp.get_sequence_names(schema=schema)
            if (schema, name) not in owned
            and self.include(name, "sequence", {"schema_name": schema})
        ]

    def sqlite_expression_indexes(
        self, schema: str | None, tables: Sequence[str], reflected: Mapping[Any, Any]
    ) -> dict[str, list[dict[str, Any]]]:
        """Indexes on expressions, which SQLAlchemy skips on SQLite: read from their SQL."""
        if self.name != "sqlite":
            return {}
        known = {ix.get("name") for found in reflected.values() for ix in found}
        master = (
            f"{self.dialect.identifier_preparer.quote(schema)}.sqlite_master"
            if schema
            else ("sqlite_master")
        )
        rows = self.connection.execute(
            text(
                f"SELECT name, tbl_name, sql FROM {master} WHERE type = 'index' AND sql IS NOT NULL"
            )
        )
        wanted = set(tables)
        out: dict[str, list[dict[str, Any]]] = {}
        for name, table, sql in rows:
            if table in wanted and name not in known:
                parsed = parse_sqlite_index(name, sql)
                if parsed is not None:
                    out.setdefault(table, []).append(parsed)
        return out


_CREATE_INDEX = re.compile(
    r"^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+ON\s+\S+?\s*\((.*)$",
    re.IGNORECASE | re.DOTALL,
)
_IDENTIFIER = re.compile(r'^\s*(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|(\w+))\s*$')


def parse_sqlite_index(name: str, sql: str) -> dict[str, Any] | None:
    """The reflected-index dictionary for a SQLite ``CREATE INDEX`` with expressions."""
    match = _CREATE_INDEX.match(sql)
    if match is None:
        return None
    rest = match.group(2)
    depth, end = 1, None
    for i, char in enumerate(rest):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            end = i
            break
    if end is None:
        return None
    columns: list[str | None] = []
    expressions: list[str] = []
    for element in _split_top_level(rest[:end]):
        ident = _IDENTIFIER.match(element)
        if ident:
            column = next(g for g in ident.groups() if g is not None)
            columns.append(column)
            expressions.append(column)
        else:
            columns.append(None)
            expressions.append(element.strip())
    where = re.match(r"\s*WHERE\s+(.*)$", rest[end + 1 :], re.IGNORECASE | re.DOTALL)
    options = {"sqlite_where": where.group(1).strip()} if where else {}
    return {
        "name": name,
        "unique": bool(match.group(1)),
        "column_names": columns,
        "expressions": expressions,
        "dialect_options": options,
    }


def _split_top_level(text_: str) -> list[str]:
    parts, depth, current, quote = [], 0, "", ""
    for char in text_:
        if quote:
            current += char
            if char == quote:
                quote = ""
            continue
        if char in "'\"`":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    parts.append(current)
    return parts


def _parents(schema: str | None, table: str) -> dict[str, str | None]:
    return {
        "schema_name": schema,
        "table_name": table,
        "schema_qualified_table_name": f"{schema}.{table}" if schema else table,
    }


def _optional(method: Callable[..., Any], kw: Mapping[str, Any]) -> dict[Any, Any]:
    """``method(**kw)``, or nothing where the database cannot say."""
    try:
        return dict(method(**kw))
    except NotImplementedError:
        return {}


def _json_check(check: Mapping[str, Any], columns: Sequence[ColumnSnap]) -> bool:
    """MariaDB's own ``json_valid(col)`` CHECK behind a JSON column."""
    name = check.get("name")
    return any(
        c.name == name and sql_key(check.get("sqltext")) == f"json_valid {c.name.lower()}"
        for c in columns
    )
