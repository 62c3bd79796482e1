"""What happens under the migration lock before a plan runs.

After the lock is held the heads are read again (another process may have moved them while
we waited), then the history is checked: a half-applied migration on a database without
transactional DDL blocks everything until it is resumed or resolved, and applied scripts that
were edited, removed or re-parented block upgrades unless verification is switched off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlstrata.errors import ChecksumMismatchError, CommandError, PendingFailureError
from sqlstrata.graph.graph import RevisionGraph
from sqlstrata.graph.plan import Step, plan_downgrade, plan_upgrade
from sqlstrata.graph.targets import resolve
from sqlstrata.runtime import history, integrity
from sqlstrata.runtime.history import HistoryEntry
from sqlstrata.runtime.planning import plan_for
from sqlstrata.runtime.request import MigrationRequest

if TYPE_CHECKING:
    from sqlstrata.runtime.migration import MigrationContext


@dataclass(frozen=True, slots=True)
class Prepared:
    plan: tuple[Step, ...]
    resume_hashes: tuple[str, ...] = ()
    resume_in_flight: str | None = None


def pending_error(pending: HistoryEntry) -> PendingFailureError:
    return PendingFailureError(
        f"Can't migrate: {pending.direction} of {pending.revision} failed halfway "
        f"({pending.statements_applied} statement(s) applied"
        + (", one more was running when it stopped" if pending.in_flight else "")
        + (f"; error: {pending.error}" if pending.error else "")
        + ").",
        revision=pending.revision,
        hint="Run 'strata upgrade --resume HEAD' to finish it, or fix the database by hand and "
        f"run 'strata resolve {pending.revision} --applied' (or --rolled-back).",
    )


def prepare(
    request: MigrationRequest,
    graph: RevisionGraph,
    heads: tuple[str, ...],
    entries: tuple[HistoryEntry, ...],
) -> Prepared:
    """Check the history and build the plan (with the resumed step first, if resuming)."""
    pending = history.pending_failure(entries)
    if pending is not None and not request.resume:
        raise pending_error(pending)
    if request.resume and pending is None:
        raise CommandError(
            "Can't resume: no migration failed halfway on this database.",
            hint="Run the command without --resume.",
        )
    if request.verify and request.verb in ("upgrade", "downgrade"):
        problems = integrity.check(graph, entries)
        if problems:
            raise ChecksumMismatchError(
                f"Can't {request.verb}: the scripts no longer match what was applied: "
                f"{integrity.describe(problems)}.",
                problems=problems,
                hint="Run 'strata verify' for details; 'strata verify --accept REV' records a "
                "deliberate edit, --no-verify skips this check.",
            )
    if pending is None:
        return Prepared(plan_for(request, graph, heads))
    resumed = _resumed_step(graph, heads, pending)
    rest = plan_for(request, graph, resumed.apply(heads))
    return Prepared((resumed, *rest), pending.statement_hashes, pending.in_flight)


def _resumed_step(graph: RevisionGraph, heads: tuple[str, ...], pending: HistoryEntry) -> Step:
    rev = graph.get(pending.revision)
    if pending.direction == "upgrade":
        steps = plan_upgrade(graph, heads, rev.id)
    else:
        steps = plan_downgrade(
            graph, heads, rev.down_revisions[0] if rev.down_revisions else "base"
        )
    if not steps or getattr(steps[0], "revision", None) != rev or len(steps) != 1:
        raise CommandError(
            f"Can't resume {pending.direction} of {rev.id}: the version table "
            f"({', '.join(heads) or 'base'}) is not where that migration started.",
            hint=f"Fix the database by hand and run 'strata resolve {rev.id} --applied' "
            "or '--rolled-back'.",
        )
    return steps[0]


def resolution_step(
    request: MigrationRequest,
    graph: RevisionGraph,
    heads: tuple[str, ...],
    entries: tuple[HistoryEntry, ...],
) -> tuple[HistoryEntry, Step | None]:
    """For ``strata resolve REV``: the pending row, and the step to record if it was applied."""
    pending = history.pending_failure(entries)
    target = resolve(graph, request.targets[0]) if request.targets else ()
    if pending is None or (target and pending.revision not in target):
        raise CommandError(
            f"Can't resolve {request.target}: it is not a migration that failed halfway.",
            hint="Run 'strata log' to see what happened.",
        )
    if request.resolution == "applied":
        return pending, _resumed_step(graph, heads, pending)
    return pending, None


def accepted_revision(
    request: MigrationRequest, graph: RevisionGraph, entries: tuple[HistoryEntry, ...]
) -> str:
    """For ``strata verify --accept REV``: the applied revision whose edit is accepted."""
    ids = resolve(graph, request.target or "")
    if len(ids) != 1:
        raise CommandError(f"Can't accept {request.target!r}: name exactly one revision.")
    if ids[0] not in integrity.applied_records(entries):
        raise CommandError(
            f"Can't accept {ids[0]}: the history does not record it as applied.",
            hint="Only applied scripts are checked; nothing to accept.",
        )
    return ids[0]


def record_decision(
    migration: MigrationContext,
    request: MigrationRequest,
    graph: RevisionGraph,
    heads: tuple[str, ...],
    entries: tuple[HistoryEntry, ...],
) -> tuple[str, ...]:
    """Carry out ``resolve`` or ``accept``: history rows (and, for --applied, the heads)."""
    from sqlstrata.graph.plan import version_table_changes
    from sqlstrata.runtime import ledger

    connection = migration.bind
    history.ensure(connection, migration.history_table)
    if request.verb == "accept":
        rev = graph.get(accepted_revision(request, graph, entries))
        history.start_row(
            connection,
            migration.history_table,
            revision=rev.id,
            direction="accept",
            down_revisions=rev.down_revisions,
            checksum=rev.checksum,
            transactional=migration.transactional_ddl,
            outcome=history.ACCEPTED,
        )
        return heads
    pending, step = resolution_step(request, graph, heads, entries)
    outcome = history.RESOLVED_APPLIED if step is not None else history.RESOLVED_ROLLED_BACK
    history.start_row(
        connection,
        migration.history_table,
        revision=pending.revision,
        direction=pending.direction,
        down_revisions=pending.down_revisions,
        checksum=pending.checksum,
        transactional=migration.transactional_ddl,
        outcome=outcome,
    )
    if step is None:
        return heads
    deletes, updates, inserts = version_table_changes(step)
    ledger.write_head_changes(migration.sink, migration.version_table, deletes, updates, inserts)
    return step.apply(heads)
