"""Walk a Plan: run each step's script function and record the new heads.

The plan was decided before anything runs; this file only carries it out, one step at a time,
inside the transactions the MigrationContext chooses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlstrata.errors import MigrationError, StrataError
from sqlstrata.graph.plan import Downgrade, Stamp, Step, Upgrade, version_table_changes
from sqlstrata.graph.revision import Revision
from sqlstrata.ops.facade import Operations
from sqlstrata.runtime import ledger
from sqlstrata.runtime.current import current_operations
from sqlstrata.runtime.logs import migration_log
from sqlstrata.runtime.migration import MigrationContext
from sqlstrata.runtime.recorder import HistoryRecorder, JournalingSink
from sqlstrata.runtime.sinks import ScriptSink

ModuleLoader = Callable[[Revision], ModuleType]


@dataclass(frozen=True, slots=True)
class AppliedStep:
    """What ``on_version_apply`` receives about one finished step."""

    step: Step
    heads_before: tuple[str, ...]
    heads_after: tuple[str, ...]

    @property
    def is_upgrade(self) -> bool:
        return isinstance(self.step, Upgrade)

    @property
    def is_stamp(self) -> bool:
        return isinstance(self.step, Stamp)

    @property
    def up_revision_ids(self) -> tuple[str, ...]:
        return self.heads_after

    @property
    def down_revision_ids(self) -> tuple[str, ...]:
        return self.heads_before


def describe(step: Step) -> str:
    """The log line of a step: ``upgrade a -> b, message``."""
    if isinstance(step, Stamp):
        return f"stamp {_ids(step.removed)} -> {_ids(step.added)}"
    rev = step.revision
    if isinstance(step, Upgrade):
        return f"upgrade {_ids(rev.down_revisions)} -> {rev.id}, {rev.message or ''}".rstrip(", ")
    return f"downgrade {rev.id} -> {_ids(rev.down_revisions)}, {rev.message or ''}".rstrip(", ")


def _ids(ids: Sequence[str]) -> str:
    return ", ".join(ids) if ids else "<base>"


def run_plan(
    migration: MigrationContext,
    plan: Sequence[Step],
    heads: tuple[str, ...],
    *,
    load_module: ModuleLoader,
    run_args: Mapping[str, Any],
    purge: bool = False,
    recorder: HistoryRecorder | None = None,
    resume_hashes: tuple[str, ...] = (),
    resume_in_flight: str | None = None,
) -> tuple[str, ...]:
    """Carry out ``plan`` starting from ``heads``; return the heads afterwards.

    With a ``recorder`` every step gets a history row; ``resume_hashes`` are the statements
    the first step already ran in a failed attempt (they are checked and skipped).
    """
    needs_table = bool(plan) or purge
    for index, step in enumerate(plan):
        with migration.begin_transaction(per_migration=True):
            migration.confirm_lock()
            if index == 0:
                _prepare_version_table(migration, heads, purge, needs_table, recorder)
            skip = resume_hashes if index == 0 else ()
            in_flight = resume_in_flight if index == 0 else None
            heads = _run_step(
                migration, step, heads, load_module, run_args, recorder, skip, purge, in_flight
            )
    if not plan and purge:
        with migration.begin_transaction(per_migration=True):
            _prepare_version_table(migration, heads, purge, needs_table, recorder)
        heads = ()
    return heads


def ensure_version_table(migration: MigrationContext) -> None:
    """Create the version table unless it exists (offline: always write the CREATE)."""
    _prepare_version_table(migration, (), purge=False, needed=True, recorder=None)


def _prepare_version_table(
    migration: MigrationContext,
    heads: tuple[str, ...],
    purge: bool,
    needed: bool,
    recorder: HistoryRecorder | None,
) -> None:
    table = migration.version_table
    if isinstance(migration.sink, ScriptSink):
        if needed and not heads:
            ledger.create_version_table(migration.sink, table)
    elif needed and not migration.version_table_exists():
        ledger.create_version_table(migration.sink, table)
    if recorder is not None and needed:
        recorder.ensure_table()
    if purge:
        ledger.clear_heads(migration.sink, table)


def _run_step(
    migration: MigrationContext,
    step: Step,
    heads: tuple[str, ...],
    load_module: ModuleLoader,
    run_args: Mapping[str, Any],
    recorder: HistoryRecorder | None,
    skip: tuple[str, ...],
    purge: bool = False,
    in_flight: str | None = None,
) -> tuple[str, ...]:
    line = describe(step)
    migration_log().info("Running %s%s", line, " (resuming)" if skip else "")
    if isinstance(migration.sink, ScriptSink):
        migration.sink.comment(f"Running {line}")
    sink = migration.sink
    journal = JournalingSink(
        sink,
        recorder.statement_done if recorder else (lambda hashes: None),
        skip,
        on_start=recorder.statement_starting if recorder else None,
        in_flight=in_flight,
    )
    if recorder is not None:
        recorder.begin(step)
    try:
        if isinstance(step, Upgrade | Downgrade):
            migration.sink = journal
            try:
                _call_script(migration, step, load_module, run_args)
            finally:
                migration.sink = sink
        deletes, updates, inserts = version_table_changes(step)
        if purge and isinstance(step, Stamp):
            # Every row is gone already (stamp --purge): only the new heads go in.
            deletes, updates, inserts = (), (), tuple(step.added)
        ledger.write_head_changes(sink, migration.version_table, deletes, updates, inserts)
        if recorder is not None:
            recorder.succeeded(step, journal.hashes)
            if not recorder.transactional:
                recorder.commit_now()  # the version table and the row, together
    except BaseException as exc:
        if recorder is not None:
            recorder.failed(step, journal.hashes, exc)
        raise
    after = step.apply(heads)
    callback = migration.options.on_version_apply
    if callback is not None:
        callback(
            ctx=migration,
            step=AppliedStep(step, heads, after),
            heads=set(after),
            run_args=dict(run_args),
        )
    return after


def _call_script(
    migration: MigrationContext,
    step: Upgrade | Downgrade,
    load_module: ModuleLoader,
    run_args: Mapping[str, Any],
) -> None:
    rev = step.revision
    direction = "upgrade" if isinstance(step, Upgrade) else "downgrade"
    module = load_module(rev)
    function = getattr(module, direction, None)
    if not callable(function):
        raise MigrationError(
            f"Can't {direction} revision {rev.id}: {rev.path} has no {direction}() function.",
            revision=rev.id,
            hint=f"Add a {direction}() function to the script.",
        )
    token = current_operations.set(Operations(migration))
    try:
        function(**run_args)
    except StrataError:
        raise
    except Exception as exc:
        raise MigrationError(
            f"Can't run {describe(step)} ({rev.path}): {type(exc).__name__}: {exc}".replace(
                "\n", " "
            ),
            revision=rev.id,
            hint="Nothing of this migration was kept where the database has transactional DDL.",
        ) from exc
    finally:
        current_operations.reset(token)
