"""The extension API: your own ``op.*`` directives and their SQL, registered as a value.

An :class:`OperationRegistry` holds *directives* (new ``op.<name>`` methods) and
*implementations* (handlers that turn an operation into statements, for every database or
for one). It is an immutable value: ``register_operation`` and ``implementation_for`` return
a new registry, nothing global changes, and two environments can use different registries
at the same time. Pass it to ``context.configure(..., operations=registry)`` in env.py.

An operation is a frozen dataclass deriving from :class:`~sqlstrata.ops.base.Operation`; a
directive is a function taking the ``Operations`` object first that builds the operation and
hands it to ``operations.invoke()``; an implementation takes the operation and a
:class:`~sqlstrata.dialects.base.DialectContext` and yields SQLAlchemy executables (use
:class:`~sqlstrata.dialects.ddl.RawDDL` and ``quote()`` for DDL SQLAlchemy has no construct
for). Because implementations yield statements instead of running them, the same operation
works online and in ``--sql`` scripts::

    @dataclass(frozen=True, slots=True)
    class CreateView(Operation):
        view_name: str
        select: str

        def reverse(self) -> DropView:
            return DropView(self.view_name, self.select)

    def create_view(operations: Operations, view_name: str, select: str) -> None:
        operations.invoke(CreateView(view_name, select))

    def create_view_sql(op: CreateView, ctx: DialectContext) -> Iterator[Executable]:
        yield RawDDL(f"CREATE VIEW {quote(ctx.sa_dialect, op.view_name)} AS {op.select}")

    registry = (
        OperationRegistry()
        .register_operation("create_view", create_view)
        .implementation_for(CreateView, create_view_sql)
    )
    context.configure(connection=connection, operations=registry)
    # in a revision:  op.create_view("active_users", "SELECT * FROM users WHERE active")

``implementation_for(..., dialect="postgresql")`` registers a handler for one database only;
it wins over one registered for every database, which wins over the built-in handler.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlstrata.errors import ConfigError
from sqlstrata.ops.base import Operation

if TYPE_CHECKING:
    from sqlstrata.dialects.base import Dialect, Handler

Directive = Callable[..., Any]
"""A directive: ``directive(operations, *args, **kw)``."""


@dataclass(frozen=True, slots=True)
class OperationRegistry:
    """User directives and implementations, applied to a Dialect when a migration runs."""

    directives: Mapping[str, Directive] = field(default_factory=dict)
    implementations: Mapping[tuple[type[Operation], str | None], Handler] = field(
        default_factory=dict
    )

    def register_operation(
        self, name: str, directive: Directive, *, replace: bool = False
    ) -> OperationRegistry:
        """Return a registry where ``op.<name>(...)`` calls ``directive(op, ...)``."""
        from sqlstrata.ops.facade import Operations

        if name.startswith("_") or hasattr(Operations, name):
            raise ConfigError(
                f"Can't register the directive {name!r}: Operations already has that name "
                "or it is private.",
                hint="Choose another name.",
            )
        if name in self.directives and not replace:
            raise ConfigError(
                f"Can't register the directive {name!r}: it is already registered.",
                hint="Pass replace=True to replace it.",
            )
        return OperationRegistry({**self.directives, name: directive}, self.implementations)

    def implementation_for(
        self,
        operation_type: type[Operation],
        handler: Handler,
        *,
        dialect: str | None = None,
    ) -> OperationRegistry:
        """Return a registry where ``handler`` carries out ``operation_type``.

        ``dialect`` (a SQLAlchemy dialect name such as ``"postgresql"``; ``"mysql"`` also
        covers MariaDB) limits it to one database.
        """
        implementations = {**self.implementations, (operation_type, dialect): handler}
        return OperationRegistry(self.directives, implementations)

    def directive(self, name: str) -> Directive | None:
        """The directive registered as ``name``, if any."""
        return self.directives.get(name)

    def apply(self, dialect: Dialect) -> Dialect:
        """``dialect`` with this registry's implementations added (and taking precedence)."""
        names = {dialect.name, "mysql"} if dialect.name == "mariadb" else {dialect.name}
        everywhere = {t: h for (t, d), h in self.implementations.items() if d is None}
        here = {t: h for (t, d), h in self.implementations.items() if d in names}
        if not everywhere and not here:
            return dialect
        return dialect.with_handlers({**everywhere, **here})
