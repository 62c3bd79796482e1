"""The extension API: user operations and implementations, registered as values."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.sql.base import Executable

from sqlstrata.dialects.base import DialectContext
from sqlstrata.dialects.ddl import RawDDL, quote
from sqlstrata.dialects.registry import dialect_for
from sqlstrata.errors import CommandError, ConfigError
from sqlstrata.ops import operations as ops
from sqlstrata.ops.facade import Operations
from sqlstrata.ops.registry import OperationRegistry
from tests.dialects.render import statements


@dataclass(frozen=True, slots=True)
class CreateView(ops.Operation):
    view_name: str
    select: str

    def reverse(self) -> DropView:
        return DropView(self.view_name)


@dataclass(frozen=True, slots=True)
class DropView(ops.Operation):
    view_name: str


def create_view(operations: Operations, view_name: str, select: str) -> None:
    operations.invoke(CreateView(view_name, select))


def create_view_sql(op: CreateView, ctx: DialectContext) -> Iterator[Executable]:
    yield RawDDL(f"CREATE VIEW {quote(ctx.sa_dialect, op.view_name)} AS {op.select}")


def create_view_postgresql(op: CreateView, ctx: DialectContext) -> Iterator[Executable]:
    yield RawDDL(f"CREATE OR REPLACE VIEW {quote(ctx.sa_dialect, op.view_name)} AS {op.select}")


def drop_view_sql(op: DropView, ctx: DialectContext) -> Iterator[Executable]:
    yield RawDDL(f"DROP VIEW {quote(ctx.sa_dialect, op.view_name)}")


REGISTRY = (
    OperationRegistry()
    .register_operation("create_view", create_view)
    .register_operation("drop_view", lambda o, name: o.invoke(DropView(name)))
    .implementation_for(CreateView, create_view_sql)
    .implementation_for(CreateView, create_view_postgresql, dialect="postgresql")
    .implementation_for(DropView, drop_view_sql)
)


def test_registered_directive_runs_its_implementation() -> None:
    directive = lambda op: op.create_view("Active Users", "SELECT 1")  # noqa: E731
    assert statements("sqlite", directive, registry=REGISTRY) == [
        'CREATE VIEW "Active Users" AS SELECT 1'
    ]


def test_dialect_specific_implementation_wins() -> None:
    directive = lambda op: op.create_view("v", "SELECT 1")  # noqa: E731
    assert statements("postgresql", directive, registry=REGISTRY) == [
        "CREATE OR REPLACE VIEW v AS SELECT 1"
    ]


def test_reverse_of_a_user_operation_runs_through_invoke() -> None:
    directive = lambda op: op.invoke(CreateView("v", "SELECT 1").reverse())  # noqa: E731
    assert statements("mysql", directive, registry=REGISTRY) == ["DROP VIEW v"]


def test_implementation_can_replace_a_built_in_handler() -> None:
    def loud_drop(op: ops.DropTable, ctx: DialectContext) -> Iterator[Executable]:
        yield RawDDL(f"DROP TABLE {op.table_name} CASCADE")

    registry = OperationRegistry().implementation_for(ops.DropTable, loud_drop)
    directive = lambda op: op.drop_table("t")  # noqa: E731
    assert statements("postgresql", directive, registry=registry) == ["DROP TABLE t CASCADE"]
    assert statements("postgresql", directive) == ["DROP TABLE t"]


def test_mysql_implementation_covers_mariadb() -> None:
    registry = OperationRegistry().implementation_for(
        CreateView, create_view_postgresql, dialect="mysql"
    )
    assert registry.apply(dialect_for("mariadb")).handler_for(CreateView) is (
        create_view_postgresql
    )
    assert registry.apply(dialect_for("sqlite")).handler_for(CreateView) is None


def test_registering_returns_a_new_value() -> None:
    empty = OperationRegistry()
    one = empty.register_operation("create_view", create_view)
    assert empty.directive("create_view") is None
    assert one.directive("create_view") is create_view


def test_unknown_directive_and_unhandled_operation_are_clear_errors() -> None:
    with pytest.raises(AttributeError, match="no directive 'create_view'"):
        statements("sqlite", lambda op: op.create_view("v", "SELECT 1"))
    registry = OperationRegistry().register_operation("create_view", create_view)
    with pytest.raises(CommandError, match="no handler for it"):
        statements("sqlite", lambda op: op.create_view("v", "x"), registry=registry)


def test_names_of_built_in_directives_cannot_be_taken() -> None:
    with pytest.raises(ConfigError, match="already has that name"):
        OperationRegistry().register_operation("add_column", create_view)
    registry = OperationRegistry().register_operation("create_view", create_view)
    with pytest.raises(ConfigError, match="already registered"):
        registry.register_operation("create_view", create_view)
    assert registry.register_operation("create_view", create_view, replace=True)
