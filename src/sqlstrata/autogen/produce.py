"""Autogenerate against a running migration context: the one place in ``autogen/`` with I/O.

:func:`produce` is what ``EnvironmentContext.run_migrations()`` calls for an ``autogenerate``
request. It reflects the database, builds the models' snapshot, applies env.py's filters,
decides renames (asking through the request's ``ask`` callback, if any), diffs both ways,
runs comparator plugins and ``process_revision_directives`` hooks, and renders the scripts.
The env.py options it reads are Alembic's: ``target_metadata``, ``include_schemas``,
``include_name``, ``include_object``, ``compare_type``, ``compare_server_default``,
``render_as_batch``, ``render_item``, ``user_module_prefix``, ``sqlalchemy_module_prefix``,
``alembic_module_prefix``, ``process_revision_directives``, ``upgrade_token``,
``downgrade_token``; and sqlstrata's ``comparators`` and ``autogen_renderers``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlstrata.autogen.describe import Change, changes
from sqlstrata.autogen.diff import diff
from sqlstrata.autogen.directives import Comment, MigrationScript, OpsList, flatten
from sqlstrata.autogen.filters import include_objects
from sqlstrata.autogen.from_metadata import snapshot_from_metadata
from sqlstrata.autogen.options import DiffOptions
from sqlstrata.autogen.plugins import ComparisonContext, load_comparators, run_comparators
from sqlstrata.autogen.reconcile import reconcile
from sqlstrata.autogen.reflect import ReflectOptions, reflect, schema_names
from sqlstrata.autogen.renames import RenameCandidate, decide
from sqlstrata.autogen.render import render
from sqlstrata.autogen.render_items import RenderContext
from sqlstrata.autogen.snapshot import SchemaSnapshot, TableKey
from sqlstrata.errors import CommandError
from sqlstrata.ops.operations import Operation

if TYPE_CHECKING:
    from sqlalchemy import Connection, MetaData

    from sqlstrata.runtime.migration import MigrationContext

log = logging.getLogger("sqlstrata.autogen")

# Tables sqlstrata (or Alembic, before it) keeps for itself: never created or dropped here.
OWN_TABLES = frozenset(
    {
        "strata_version",
        "alembic_version",
        "strata_history",
        "alembic_version_history",
        "strata_lock",
        "alembic_version_lock",
    }
)

Hook = Callable[[Any, Any, list[MigrationScript]], "list[MigrationScript] | None"]


@dataclass(frozen=True, slots=True)
class AutogenRequest:
    """What ``strata revision --autogenerate`` / ``strata check`` ask for.

    ``renames`` are ``OLD:NEW`` hints; ``ask`` is called for each rename candidate (the CLI
    passes one only when stdin is a terminal); ``check`` compares without asking or
    failing on renames. The other fields seed the :class:`MigrationScript`.
    """

    message: str | None = None
    rev_id: str | None = None
    head: str = "head"
    splice: bool = False
    branch_label: tuple[str, ...] = ()
    version_path: str | None = None
    depends_on: tuple[str, ...] = ()
    renames: tuple[str, ...] = ()
    strict_renames: bool = False
    ask: Callable[[RenameCandidate], bool] | None = None
    process_revision_directives: Hook | None = None
    check: bool = False


@dataclass(frozen=True, slots=True)
class RenderedScript:
    """The template arguments for one script."""

    imports: str
    upgrades: str
    downgrades: str


@dataclass(frozen=True, slots=True)
class AutogenResult:
    """One ``run_migrations()`` call's worth of autogenerate."""

    scripts: tuple[MigrationScript, ...]
    rendered: tuple[RenderedScript, ...]
    changes: tuple[Change, ...]
    warnings: tuple[str, ...] = ()
    upgrade_token: str = "upgrades"
    downgrade_token: str = "downgrades"

    def template_args(self, index: int = 0) -> dict[str, str]:
        """``imports`` and the upgrade/downgrade tokens for script ``index``."""
        rendered = self.rendered[index]
        return {
            "imports": rendered.imports,
            self.upgrade_token: rendered.upgrades,
            self.downgrade_token: rendered.downgrades,
        }


def produce(
    migration: MigrationContext,
    request: AutogenRequest,
    *,
    heads: Sequence[str],
    graph_heads: Sequence[str],
) -> AutogenResult:
    """Compare the target metadata with the database and describe the migration."""
    _require_online_at_head(migration, heads, graph_heads)
    opts = migration.options.extra
    metadata = _metadata(opts.get("target_metadata"))
    version_table = (migration.options.version_table_schema, migration.options.version_table)
    old, new, options = snapshots(migration.bind, metadata, opts, version_table, migration)
    decision = decide(
        old,
        new,
        options.dialect,
        hints=request.renames,
        ask=None if request.check else request.ask,
        strict=request.strict_renames and not request.check,
    )
    options = replace(options, renames=decision.renames)
    context = ComparisonContext(old, new, options, "upgrade", migration.connection, metadata)
    upgrade, downgrade = _both_ways(replace(context, migration_context=migration), opts)
    warnings = tuple(_warning(c) for c in decision.unresolved)
    for text in warnings:
        log.warning("%s", text.replace("\n", " "))
    head = tuple(Comment(text) for text in warnings)
    script = MigrationScript(
        request.rev_id,
        OpsList((*head, *upgrade)),
        OpsList(downgrade),
        request.message,
        request.head,
        request.splice,
        request.branch_label,
        request.version_path,
        request.depends_on,
    )
    scripts = _hooks(migration, [script], heads, opts, request)
    found = changes(op for s in scripts for op in s.upgrade_ops.ops)
    for change in found:
        log.info("Detected %s", change.description)
    return AutogenResult(
        tuple(scripts),
        tuple(_render(s, migration, opts) for s in scripts),
        found,
        warnings,
        opts.get("upgrade_token", "upgrades"),
        opts.get("downgrade_token", "downgrades"),
    )


def _require_online_at_head(
    migration: MigrationContext, heads: Sequence[str], graph_heads: Sequence[str]
) -> None:
    """Autogenerate reads the database, and compares the models with it at the head."""
    if migration.as_sql or migration.connection is None:
        raise CommandError(
            "Can't autogenerate in offline (--sql) mode: the database must be read.",
            hint="Leave out --sql.",
        )
    if set(heads) != set(graph_heads):
        raise CommandError(
            f"Can't autogenerate: the database is not up to date (it is at "
            f"{', '.join(heads) or 'base'}; the head is {', '.join(graph_heads) or 'base'}).",
            hint="Run 'strata upgrade head' first; autogenerate compares the models with a "
            "database at the head.",
        )


def _both_ways(
    context: ComparisonContext, opts: Mapping[str, Any]
) -> tuple[tuple[Operation, ...], tuple[Operation, ...]]:
    """The upgrade and downgrade operations: the diff each way, then comparator plugins."""
    upgrade = diff(context.old, context.new, context.options)
    downgrade = diff(context.new, context.old, context.options.reversed())
    comparators = (*load_comparators(), *opts.get("comparators", ()))
    if comparators:
        upgrade += run_comparators(comparators, context)
        downgrade += run_comparators(comparators, context.reversed())
    return upgrade, downgrade


def _metadata(target: Any) -> tuple[MetaData, ...]:
    """``target_metadata`` as a tuple of MetaData."""
    from sqlalchemy import MetaData

    if isinstance(target, MetaData):
        return (target,)
    if isinstance(target, Sequence) and target and all(isinstance(m, MetaData) for m in target):
        return tuple(target)
    raise CommandError(
        "Can't autogenerate: env.py gives context.configure() no target_metadata.",
        hint="Set target_metadata = Base.metadata (or a list of MetaData) in env.py and pass "
        "it to context.configure().",
    )


def compare_metadata(
    connection: Connection,
    metadata: MetaData | Sequence[MetaData],
    options: Mapping[str, Any] | None = None,
    *,
    version_table: TableKey = (None, "strata_version"),
) -> tuple[Operation, ...]:
    """The operations that would bring ``connection``'s database to ``metadata`` (like
    Alembic's ``compare_metadata``), at any revision; ``options`` are env.py options."""
    old, new, diff_options = snapshots(
        connection, _metadata(metadata), options or {}, version_table
    )
    return tuple(flatten(diff(old, new, diff_options)))


def snapshots(
    connection: Connection,
    metadata: tuple[MetaData, ...],
    opts: Mapping[str, Any],
    version_table: TableKey,
    context: Any = None,
) -> tuple[SchemaSnapshot, SchemaSnapshot, DiffOptions]:
    """The database's and the models' snapshots, filtered and lined up, and the options
    to diff them with."""
    from sqlalchemy import inspect
    from sqlalchemy.sql.schema import DEFAULT_NAMING_CONVENTION

    from sqlstrata.runtime.history import history_table_name
    from sqlstrata.runtime.lock_row import lock_table_name

    dialect = connection.dialect
    default_schema = inspect(connection).default_schema_name
    own_schema = None if version_table[0] == default_schema else version_table[0]
    own: set[TableKey] = {(own_schema, version_table[1])}
    # The history log lives next to the version table (runtime/history.py names it).
    own.add((own_schema, history_table_name(version_table[1])))
    own.add((own_schema, lock_table_name(version_table[1])))
    own.update((None, name) for name in OWN_TABLES)
    reflect_options = ReflectOptions(
        include_schemas=bool(opts.get("include_schemas")),
        include_name=opts.get("include_name"),
        exclude=frozenset(own),
    )
    old = reflect(connection, reflect_options)
    schemas = schema_names(connection, reflect_options)
    new = snapshot_from_metadata(metadata, dialect, default_schema=default_schema, schemas=schemas)
    new = new.with_tables(t for t in new.tables if t.key not in own)
    old, new = include_objects(
        old, new, opts.get("include_object"), metadata, dialect.name, default_schema
    )
    old = reconcile(old, new, dialect.name)
    convention = any(
        dict(md.naming_convention) != dict(DEFAULT_NAMING_CONVENTION) for md in metadata
    )
    options = DiffOptions(
        dialect=dialect.name,
        compare_type=opts.get("compare_type", True),
        compare_server_default=opts.get("compare_server_default", True),
        comments=bool(dialect.supports_comments),
        convention=convention,
        context=context,
        quote=dialect.identifier_preparer.quote,
    )
    return old, new, options


def _warning(candidate: RenameCandidate) -> str:
    what = "table" if candidate.kind == "table" else "column"
    old = candidate.question.removeprefix("Was ").split(" renamed to ")[0]
    old = old.removeprefix("table ")
    return (
        f"WARNING: {what} {old} is dropped and {candidate.new!r} added. If this is a rename, "
        f"this migration LOSES THE DATA in {old}. To rename instead, run again with "
        f"--rename {candidate.hint} (or answer the question in a terminal)."
    )


def _hooks(
    migration: MigrationContext,
    scripts: list[MigrationScript],
    heads: Sequence[str],
    opts: Mapping[str, Any],
    request: AutogenRequest,
) -> list[MigrationScript]:
    """``process_revision_directives`` from env.py, then from the command, in turn."""
    for hook in (opts.get("process_revision_directives"), request.process_revision_directives):
        if hook is None:
            continue
        returned = hook(migration, tuple(heads), scripts)
        if returned is not None:
            scripts = list(returned)
    for script in scripts:
        if not isinstance(script, MigrationScript):
            raise CommandError(
                f"Can't write the revision: process_revision_directives returned "
                f"{type(script).__name__}, not a MigrationScript.",
                hint="Return (or leave in the list) sqlstrata.autogen.directives.MigrationScript "
                "values.",
            )
    return scripts


def _render(
    script: MigrationScript, migration: MigrationContext, opts: Mapping[str, Any]
) -> RenderedScript:
    ctx = RenderContext(
        dialect=migration.dialect,
        sa_prefix=opts.get("sqlalchemy_module_prefix", "sa."),
        op_prefix=opts.get("alembic_module_prefix", "op."),
        user_module_prefix=opts.get("user_module_prefix"),
        render_item=opts.get("render_item"),
        batch=bool(opts.get("render_as_batch", False)),
        opts=opts,
        renderers=opts.get("autogen_renderers", {}),
    )
    upgrades = render(script.upgrade_ops.ops, ctx)
    downgrades = render(script.downgrade_ops.ops, ctx)
    return RenderedScript("\n".join(sorted(ctx.imports)), upgrades, downgrades)
