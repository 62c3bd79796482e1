"""EnvironmentContext: what ``env.py`` sees as ``context``.

A command builds a MigrationRequest and runs env.py with an EnvironmentContext set in a
ContextVar. env.py calls ``configure()`` (a connection, or a URL for offline mode) and
``run_migrations()``; this object reads the current heads, turns the request into a Plan and
hands it to the runner. The API mirrors Alembic's so existing env.py files keep working.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO, overload

from sqlstrata.errors import CommandError, ConfigError
from sqlstrata.runtime.current import current_environment
from sqlstrata.runtime.logs import migration_log
from sqlstrata.runtime.migration import MigrationContext, MigrationOptions
from sqlstrata.runtime.request import MigrationRequest, RunResult

if TYPE_CHECKING:
    from sqlalchemy import Connection, MetaData
    from sqlalchemy.sql.base import Executable

    from sqlstrata.config import Config
    from sqlstrata.graph.graph import RevisionGraph
    from sqlstrata.ops.registry import OperationRegistry
    from sqlstrata.scripts.directory import ScriptDirectory


# Requests that change the database hold the migration lock for their whole run.
WRITING_VERBS = frozenset({"upgrade", "downgrade", "stamp", "resolve", "accept"})


class EnvironmentContext:
    """The environment one command runs env.py in."""

    def __init__(
        self,
        config: Config,
        script: ScriptDirectory,
        request: MigrationRequest,
        *,
        graph: Callable[[], RevisionGraph],
        default_version_table: str = "strata_version",
    ) -> None:
        self.config = config
        self.script = script
        self.request = request
        self.result = RunResult()
        self._graph_factory = graph
        self._graph: RevisionGraph | None = None
        self._default_version_table = default_version_table
        self._migration: MigrationContext | None = None
        self._output: TextIO | None = None
        self._run_args: dict[str, Any] = {}

    # -- lock settings: configure() arguments, else the config file ---------------------------
    def _lock_kind(self, given: str | None) -> str:
        from sqlstrata.runtime.lock import LOCK_KINDS

        kind = given or self.config.get_main_option("migration_lock", "auto")
        if kind not in LOCK_KINDS:
            raise ConfigError(
                f"Can't take the migration lock: migration_lock is {kind!r}.",
                hint=f"Use one of: {', '.join(LOCK_KINDS)}.",
            )
        return kind

    def _lock_expiry(self, given: float | None) -> float:
        if given is not None:
            return float(given)
        from sqlstrata.runtime.lock import DEFAULT_LOCK_EXPIRY

        raw = self.config.get_main_option("migration_lock_expiry", str(DEFAULT_LOCK_EXPIRY))
        try:
            expiry = float(raw)
        except ValueError:
            expiry = -1.0
        if expiry <= 0:
            raise ConfigError(
                f"Can't take the migration lock: migration_lock_expiry is {raw!r}.",
                hint="Give a number of seconds greater than 0, such as 30.",
            )
        return expiry

    # -- running env.py --------------------------------------------------------------------
    def run_env(self) -> RunResult:
        """Execute env.py with this context current; return what the run recorded."""
        path = Path(self.script.env_py_path)
        if not path.is_file():
            raise CommandError(
                f"Can't run the migration environment: {path} does not exist.",
                hint="Run 'strata init DIR' or fix script_location in the config.",
            )
        token = current_environment.set(self)
        try:
            _exec_env_py(path)
        finally:
            current_environment.reset(token)
            if self._migration is not None:
                self._migration.close()
        return self.result

    @property
    def graph(self) -> RevisionGraph:
        if self._graph is None:
            self._graph = self._graph_factory()
        return self._graph

    # -- configure -------------------------------------------------------------------------
    def configure(
        self,
        connection: Connection | None = None,
        url: str | Any | None = None,
        dialect_name: str | None = None,
        dialect_opts: Mapping[str, Any] | None = None,
        transactional_ddl: bool | None = None,
        transaction_per_migration: bool = False,
        output_buffer: TextIO | None = None,
        starting_rev: str | None = None,
        tag: str | None = None,
        template_args: Mapping[str, Any] | None = None,
        target_metadata: MetaData | None = None,
        literal_binds: bool = False,
        version_table: str | None = None,
        version_table_schema: str | None = None,
        version_table_pk: bool = True,
        history_table: str | None = None,
        migration_lock: str | None = None,
        migration_lock_expiry: float | None = None,
        on_version_apply: Callable[..., None] | None = None,
        operations: OperationRegistry | None = None,
        **kw: Any,
    ) -> None:
        """Say how to reach the database and how to run; see Alembic's configure()."""
        from sqlstrata.dialects.registry import dialect_for
        from sqlstrata.runtime.sinks import ConnectionSink, ScriptSink, Sink

        if self._migration is not None:
            self._migration.close()
        if template_args:
            kw["template_args"] = dict(template_args)
            # `strata revision` renders script.py.mako with these (revision_environment).
            self.result.template_args.update(template_args)
        options = MigrationOptions(
            version_table=version_table or self._default_version_table,
            version_table_schema=version_table_schema,
            version_table_pk=version_table_pk,
            history_table=history_table,
            migration_lock=self._lock_kind(migration_lock),
            migration_lock_expiry=self._lock_expiry(migration_lock_expiry),
            transaction_per_migration=transaction_per_migration,
            transactional_ddl=transactional_ddl,
            literal_binds=literal_binds,
            starting_rev=starting_rev or self.request.starting_rev,
            tag=tag or self.request.tag,
            on_version_apply=on_version_apply,
            extra={**kw, "target_metadata": target_metadata},
        )
        sink: Sink
        if self.is_offline_mode():
            sa_dialect = _offline_dialect(connection, url, dialect_name, dialect_opts)
            ours = dialect_for(sa_dialect.name)
            self._output = output_buffer or self.config.stdout
            sink = ScriptSink(
                self._output,
                sa_dialect,
                terminator=ours.terminator,
                batch_separator=ours.batch_separator,
                literal_binds=literal_binds,
            )
            connection = None
        else:
            if connection is None:
                raise CommandError(
                    "Can't run migrations: env.py called context.configure() without a connection.",
                    hint="Pass connection=..., as the generic template's env.py does.",
                )
            ours = dialect_for(connection.dialect.name)
            sink = ConnectionSink(connection)
            self.result.url = connection.engine.url.render_as_string(hide_password=True)
        self._migration = MigrationContext(
            dialect=ours,
            sink=sink,
            options=options,
            connection=connection,
            target_metadata=target_metadata,
            operations=operations,
        )
        migration_log().info("Context impl %s.", ours.name)
        kind = "transactional" if self._migration.transactional_ddl else "non-transactional"
        migration_log().info("Will assume %s DDL.", kind)

    # -- running ---------------------------------------------------------------------------
    def begin_transaction(self) -> AbstractContextManager[Any]:
        return self.get_context().begin_transaction()

    def run_migrations(self, **kw: Any) -> None:
        """Lock, read the current heads, plan the request, and carry the plan out."""
        from sqlstrata.runtime import safety
        from sqlstrata.runtime.planning import plan_for, starting_heads
        from sqlstrata.runtime.runner import ensure_version_table, run_plan

        migration = self.get_context()
        request = self.request
        self._run_args = kw
        if request.verb == "ensure":
            with migration.begin_transaction(per_migration=True):
                ensure_version_table(migration)
            return
        if migration.as_sql:
            heads = starting_heads(self.graph, migration.options.starting_rev)
            entries: tuple[Any, ...] = ()
        else:
            if request.verb in WRITING_VERBS:
                migration.hold_lock(request.lock_timeout)
            heads = migration.get_current_heads()
            entries = migration.read_history()
        self.result.heads_before = heads
        self.result.history = entries
        if request.verb in ("read", "revision", "autogenerate"):
            self.result.heads_after = heads
            if self.request.verb == "autogenerate":
                from sqlstrata.autogen.produce import AutogenRequest, produce

                wanted = self.request.autogen or AutogenRequest()
                found = produce(migration, wanted, heads=heads, graph_heads=self.graph.heads)
                self.result.autogen.append(found)
            return
        if request.verb in ("resolve", "accept"):
            self.result.heads_after = safety.record_decision(
                migration, request, self.graph, heads, entries
            )
            return
        try:
            if migration.as_sql:
                prepared = safety.Prepared(plan_for(request, self.graph, heads))
            else:
                prepared = safety.prepare(request, self.graph, heads, entries)
            self.result.steps.extend(type(step).__name__ for step in prepared.plan)
            self.result.heads_after = run_plan(
                migration,
                prepared.plan,
                heads,
                load_module=self.script.load_module,
                run_args=kw,
                purge=request.purge,
                recorder=migration.recorder(),
                resume_hashes=prepared.resume_hashes,
                resume_in_flight=prepared.resume_in_flight,
            )
        finally:
            migration.release_lock_if_committed()

    def execute(
        self, sql: str | Executable, execution_options: Mapping[str, Any] | None = None
    ) -> None:
        self.get_context().execute(sql, execution_options)

    def static_output(self, text: str) -> None:
        """Write text into the offline SQL script as it is."""
        if self._output is not None:
            self._output.write(text + "\n")

    # -- questions env.py asks -------------------------------------------------------------
    def get_context(self) -> MigrationContext:
        if self._migration is None:
            raise CommandError(
                "Can't use the migration context yet: env.py has not called context.configure().",
                hint="Call context.configure(...) first, as the templates do.",
            )
        return self._migration

    def get_bind(self) -> Connection:
        return self.get_context().bind

    def is_offline_mode(self) -> bool:
        return self.request.sql

    def is_transactional_ddl(self) -> bool:
        return self.get_context().transactional_ddl

    def requires_connection(self) -> bool:
        return not self.is_offline_mode()

    def get_head_revision(self) -> str | None:
        from sqlstrata.graph.targets import resolve

        heads = resolve(self.graph, "head")
        return heads[0] if heads else None

    def get_head_revisions(self) -> tuple[str, ...]:
        return self.graph.heads

    def get_revision_argument(self) -> str | tuple[str, ...] | None:
        targets = self.request.targets
        if len(targets) > 1:
            return targets
        return targets[0] if targets else None

    def get_starting_revision_argument(self) -> str | None:
        if self._migration is not None and self._migration.options.starting_rev:
            return self._migration.options.starting_rev
        return self.request.starting_rev

    def get_tag_argument(self) -> str | None:
        return self.request.tag

    @overload
    def get_x_argument(self, as_dictionary: Literal[False] = ...) -> list[str]: ...

    @overload
    def get_x_argument(self, as_dictionary: Literal[True]) -> dict[str, str]: ...

    def get_x_argument(self, as_dictionary: bool = False) -> list[str] | dict[str, str]:
        return self.config.get_x_argument(as_dictionary=as_dictionary)


def _offline_dialect(
    connection: Connection | None,
    url: str | Any | None,
    dialect_name: str | None,
    dialect_opts: Mapping[str, Any] | None,
) -> Any:
    """The SQLAlchemy dialect an offline script is written for."""
    from sqlalchemy.engine import make_url

    opts = dict(dialect_opts or {})
    if connection is not None:
        return connection.dialect
    if url is not None:
        return make_url(url).get_dialect()(**opts)
    if dialect_name:
        return make_url(f"{dialect_name}://").get_dialect()(**opts)
    raise CommandError(
        "Can't write a SQL script: env.py gave context.configure() no url or dialect_name.",
        hint="Pass url=... or dialect_name=... in run_migrations_offline().",
    )


def _exec_env_py(path: Path) -> None:
    """Execute env.py as a fresh module each time (it is a script, not a library)."""
    name = f"strata_env_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CommandError(f"Can't load {path}: it is not a Python file.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)


@contextmanager
def running(env: EnvironmentContext) -> Iterator[EnvironmentContext]:
    """Make ``env`` current without running env.py (tests, programmatic use)."""
    token = current_environment.set(env)
    try:
        yield env
    finally:
        current_environment.reset(token)
