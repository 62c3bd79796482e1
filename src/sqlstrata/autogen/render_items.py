"""Render the pieces of an operation as Python source: literals, names, types, server defaults,
columns and constraints.

Types render as their ``repr()`` with a module prefix: ``sa.`` for SQLAlchemy's own types,
``postgresql.`` (and an import) for a dialect's, and ``user_module_prefix`` or the type's
module (imported) for your own. ``render_item(type_, obj, context)`` from env.py is asked
first and wins when it returns a string; ``context.imports`` (also ``context["imports"]``)
takes the import lines the rendered code needs.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    Column,
    Computed,
    ForeignKeyConstraint,
    Identity,
    PrimaryKeyConstraint,
    UniqueConstraint,
)
from sqlalchemy.sql.elements import ClauseElement, TextClause, conv
from sqlalchemy.sql.schema import Constraint, DefaultClause
from sqlalchemy.types import TypeEngine

RenderItem = Callable[[str, Any, "RenderContext"], "str | bool"]


@dataclass(frozen=True, slots=True)
class Call:
    """``func(args)`` as Python source, laid out on one or several lines by the renderer."""

    func: str
    args: tuple[Source, ...]

    def __str__(self) -> str:
        return f"{self.func}({', '.join(str(a) for a in self.args)})"


@dataclass(frozen=True, slots=True)
class Concat:
    """A long string literal: written whole when it fits, else as adjacent literals, one
    per line (Python joins them)."""

    value: str
    parts: tuple[str, ...]

    def __str__(self) -> str:
        return py_str(self.value)


Source = str | Call | Concat
"""Rendered source: plain text, or a call or string the renderer may break over lines."""


def long_str(value: str, width: int = 72) -> Source:
    """A string literal that may be split over lines at spaces."""
    if len(value) <= width:
        return py_str(value)
    parts: list[str] = []
    current = ""
    for word in value.split(" "):
        if current and len(current) + len(word) + 1 > width:
            parts.append(py_str(current + " "))
            current = word
        else:
            current = f"{current} {word}" if current else word
    parts.append(py_str(current))
    return Concat(value, tuple(parts))


"""``render_item(type_, obj, context)``: a string replaces the default rendering; False keeps it."""


@dataclass
class RenderContext:
    """Settings for rendering one script, and the imports it turns out to need.

    ``dialect`` is the SQLAlchemy dialect (used to write SQL expressions as text);
    ``batch`` says whether table changes are written as batch blocks (``render_as_batch``);
    ``opts`` are the env.py options, for ``render_item`` hooks that look at them.
    """

    dialect: Any
    sa_prefix: str = "sa."
    op_prefix: str = "op."
    user_module_prefix: str | None = None
    render_item: RenderItem | None = None
    batch: bool = False
    opts: Mapping[str, Any] = field(default_factory=dict)
    renderers: Mapping[type, Callable[[Any, RenderContext], list[str]]] = field(
        default_factory=dict
    )
    imports: set[str] = field(default_factory=set)

    def __getitem__(self, key: str) -> Any:
        """Alembic's ``autogen_context["imports"]`` spelling."""
        return getattr(self, key)

    @property
    def dialect_name(self) -> str:
        return str(self.dialect.name)

    def user(self, kind: str, obj: Any) -> str | None:
        """What ``render_item`` says for ``obj``, if anything."""
        if self.render_item is None:
            return None
        rendered = self.render_item(kind, obj, self)
        return rendered if isinstance(rendered, str) else None


def py_str(value: str) -> str:
    """A Python string literal, double-quoted where that needs no escaping."""
    text = repr(value)
    if text.startswith("'") and '"' not in value:
        return '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


def name(value: str | None, ctx: RenderContext) -> str:
    """A constraint or index name: ``op.f("...")`` when it is final (naming conventions)."""
    if value is None:
        return "None"
    if isinstance(value, conv):
        return f"{ctx.op_prefix}f({py_str(str(value))})"
    return py_str(value)


def sql_text(expression: Any, ctx: RenderContext) -> str:
    """A SQL expression written as SQL text for ``dialect``."""
    if isinstance(expression, str):
        return expression
    if isinstance(expression, TextClause):
        return expression.text
    compiled = expression.compile(dialect=ctx.dialect, compile_kwargs={"literal_binds": True})
    return str(compiled)


def value(obj: Any, ctx: RenderContext) -> str:
    """Any argument value as Python source."""
    if isinstance(obj, conv):
        return name(obj, ctx)
    if isinstance(obj, str):
        return py_str(obj)
    if obj is None or isinstance(obj, bool | int | float):
        return repr(obj)
    if isinstance(obj, TypeEngine):
        return render_type(obj, ctx)
    if isinstance(obj, Column):
        return str(render_column(obj, ctx))
    if isinstance(obj, ClauseElement):
        return f"{ctx.sa_prefix}text({py_str(sql_text(obj, ctx))})"
    if isinstance(obj, list | tuple):
        return "[" + ", ".join(value(v, ctx) for v in obj) + "]"
    if isinstance(obj, Mapping):
        return "{" + ", ".join(f"{value(k, ctx)}: {value(v, ctx)}" for k, v in obj.items()) + "}"
    return repr(obj)


def render_type(type_: TypeEngine[Any], ctx: RenderContext) -> str:
    user = ctx.user("type", type_)
    if user is not None:
        return user
    variants = getattr(type_, "_variant_mapping", None) or {}
    rendered = _plain_type(type_, ctx)
    for dialect_name, variant in variants.items():
        rendered += f".with_variant({render_type(variant, ctx)}, {py_str(dialect_name)})"
    return rendered


def _prefix(type_: TypeEngine[Any], ctx: RenderContext) -> str:
    module = type(type_).__module__
    if module.startswith("sqlalchemy.dialects."):
        dialect = module.split(".")[2]
        ctx.imports.add(f"from sqlalchemy.dialects import {dialect}")
        return f"{dialect}."
    if module.startswith("sqlalchemy."):
        return ctx.sa_prefix
    if ctx.user_module_prefix is not None:
        return ctx.user_module_prefix
    ctx.imports.add(f"import {module}")
    return f"{module}."


def _plain_type(type_: TypeEngine[Any], ctx: RenderContext) -> str:
    prefix = _prefix(type_, ctx)
    if isinstance(type_, ARRAY):
        args = [render_type(type_.item_type, ctx)]
        if type_.dimensions is not None:
            args.append(f"dimensions={type_.dimensions}")
        if type_.as_tuple:
            args.append("as_tuple=True")
        return f"{prefix}{type(type_).__name__}({', '.join(args)})"
    rendered = repr(type_)
    for attr, nested in _nested_types(type_):
        # repr() writes a nested type bare (JSON(astext_type=Text())); give it its prefix.
        rendered = rendered.replace(f"{attr}={nested!r}", f"{attr}={render_type(nested, ctx)}")
    return f"{prefix}{rendered}"


def _nested_types(type_: TypeEngine[Any]) -> list[tuple[str, TypeEngine[Any]]]:
    """The constructor arguments of ``type_`` that are types themselves."""
    try:
        parameters = inspect.signature(type(type_).__init__).parameters
    except (TypeError, ValueError):
        return []
    found = []
    for attr in parameters:
        given = getattr(type_, attr, None) if attr != "self" else None
        if isinstance(given, TypeEngine):
            found.append((attr, given))
    return found


def render_server_default(default: Any, ctx: RenderContext) -> str:
    """A ``server_default=`` value: a string literal stays one; SQL becomes ``sa.text()``."""
    user = ctx.user("server_default", default)
    if user is not None:
        return user
    if isinstance(default, DefaultClause):
        default = default.arg
    if isinstance(default, str):
        return py_str(default)
    return f"{ctx.sa_prefix}text({py_str(sql_text(default, ctx))})"


def render_column(column: Column[Any], ctx: RenderContext) -> Source:
    user = ctx.user("column", column)
    if user is not None:
        return user
    args = [py_str(column.name), render_type(column.type, ctx)]
    default = column.server_default
    if isinstance(default, Computed):
        extra = f", persisted={default.persisted}" if default.persisted is not None else ""
        args.append(f"{ctx.sa_prefix}Computed({py_str(sql_text(default.sqltext, ctx))}{extra})")
    elif isinstance(default, Identity):
        args.append(_identity(default, ctx))
    if column.autoincrement != "auto":
        args.append(f"autoincrement={column.autoincrement!r}")
    args.append(f"nullable={bool(column.nullable)!r}")
    if isinstance(default, DefaultClause):
        args.append(f"server_default={render_server_default(default, ctx)}")
    if column.comment:
        args.append(f"comment={py_str(column.comment)}")
    return Call(f"{ctx.sa_prefix}Column", tuple(args))


def _identity(identity: Identity, ctx: RenderContext) -> str:
    args = [f"always={bool(identity.always)!r}"]
    for key in ("start", "increment"):
        given = getattr(identity, key, None)
        if given is not None:
            args.append(f"{key}={given!r}")
    return f"{ctx.sa_prefix}Identity({', '.join(args)})"


def constraint_columns(constraint: Constraint) -> list[str]:
    """Column names of a constraint, attached to a table or not."""
    attached = getattr(constraint, "columns", ())
    if len(attached):
        return [c.name for c in attached]
    pending = getattr(constraint, "_pending_colargs", [])
    return [c if isinstance(c, str) else str(c.name) for c in pending]


def render_constraint(constraint: Constraint, ctx: RenderContext) -> Source:
    """A constraint as a ``create_table`` item."""
    kind = {
        PrimaryKeyConstraint: "primary_key",
        ForeignKeyConstraint: "foreign_key",
        UniqueConstraint: "unique",
        CheckConstraint: "check",
    }.get(type(constraint), "constraint")
    user = ctx.user(kind, constraint)
    if user is not None:
        return user
    sa = ctx.sa_prefix
    tail = [f"name={name(constraint.name, ctx)}"] if isinstance(constraint.name, str) else []
    if isinstance(constraint, ForeignKeyConstraint):
        local = value(list(constraint.column_keys), ctx)
        remote = value([e.target_fullname for e in constraint.elements], ctx)
        tail += _keywords(
            ctx,
            ondelete=constraint.ondelete,
            onupdate=constraint.onupdate,
            deferrable=constraint.deferrable,
            initially=constraint.initially,
            match=constraint.match,
        )
        return Call(f"{sa}ForeignKeyConstraint", (local, remote, *tail))
    if isinstance(constraint, CheckConstraint):
        condition = py_str(sql_text(constraint.sqltext, ctx))
        return Call(f"{sa}CheckConstraint", (condition, *tail))
    columns = [py_str(c) for c in constraint_columns(constraint)]
    if isinstance(constraint, UniqueConstraint):
        tail += _keywords(ctx, deferrable=constraint.deferrable, initially=constraint.initially)
    return Call(f"{sa}{type(constraint).__name__}", (*columns, *tail))


def _keywords(ctx: RenderContext, **kw: Any) -> list[str]:
    return [f"{key}={value(v, ctx)}" for key, v in kw.items() if v is not None]
