"""Plans: what an upgrade, downgrade or stamp will do, as values, before anything runs.

What belongs here: the step values (:class:`Upgrade`, :class:`Downgrade`, :class:`Stamp`),
the pure functions that turn an intent (current heads + target) into a :data:`Plan`, and
how each step changes the version table's heads. Running steps is the runtime's job.

Head rules (the same as Alembic's, so existing version tables keep working): upgrading R
replaces those of its parents that are heads with R, so a merge removes several heads and
a revision R only ``depends_on`` stays a head. Downgrading R removes R and brings back each
parent nothing applied builds on any more, so undoing a merge brings back several heads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeAlias

from sqlstrata.errors import CommandError, VersionTableError
from sqlstrata.graph.graph import RevisionGraph
from sqlstrata.graph.heads import applied_revisions, heads_after_removal, known_heads
from sqlstrata.graph.revision import Revision
from sqlstrata.graph.targets import resolve_destination


@dataclass(frozen=True, slots=True)
class Upgrade:
    """Run ``revision``'s ``upgrade()``; the version table loses ``removed``, gains ``added``."""

    revision: Revision
    removed: tuple[str, ...]
    added: tuple[str, ...]

    def apply(self, heads: tuple[str, ...]) -> tuple[str, ...]:
        """Return the heads after this step."""
        return _apply(f"upgrade {self.revision.id}", heads, self.removed, self.added)


@dataclass(frozen=True, slots=True)
class Downgrade:
    """Run ``revision``'s ``downgrade()``; the version table loses ``removed``, gains ``added``."""

    revision: Revision
    removed: tuple[str, ...]
    added: tuple[str, ...]

    def apply(self, heads: tuple[str, ...]) -> tuple[str, ...]:
        """Return the heads after this step."""
        return _apply(f"downgrade {self.revision.id}", heads, self.removed, self.added)


@dataclass(frozen=True, slots=True)
class Stamp:
    """Rewrite the version table without running any migration."""

    removed: tuple[str, ...]
    added: tuple[str, ...]

    def apply(self, heads: tuple[str, ...]) -> tuple[str, ...]:
        """Return the heads after this step."""
        return _apply("stamp", heads, self.removed, self.added)


Step: TypeAlias = Upgrade | Downgrade | Stamp
Plan: TypeAlias = tuple[Step, ...]


class VersionTableChanges(NamedTuple):
    """Row operations on the version table for one step."""

    deletes: tuple[str, ...]
    updates: tuple[tuple[str, str], ...]
    inserts: tuple[str, ...]


def apply_plan(plan: Iterable[Step], heads: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Return the heads after applying every step of ``plan`` to ``heads``."""
    for step in plan:
        heads = step.apply(heads)
    return heads


def version_table_changes(step: Step) -> VersionTableChanges:
    """Pair a step's removed and added heads into version-table row operations.

    A removed head paired with an added one becomes an UPDATE (one row moves); the rest are
    DELETEs (a merge, or a branch going back to base) and INSERTs (a new branch).
    """
    paired = min(len(step.removed), len(step.added))
    return VersionTableChanges(
        deletes=step.removed[paired:],
        updates=tuple(zip(step.removed[:paired], step.added[:paired], strict=True)),
        inserts=step.added[paired:],
    )


# -- planning ------------------------------------------------------------------------------


def plan_upgrade(graph: RevisionGraph, current_heads: Sequence[str], target: str) -> Plan:
    """Plan every revision needed to reach ``target`` that is not applied yet.

    ``depends_on`` prerequisites are included; the order is topological. A target that is
    already applied (or behind the current heads) gives an empty plan.
    """
    heads = known_heads(graph, current_heads)
    applied = applied_revisions(graph, heads)
    destination = resolve_destination(graph, target, heads, direction="up")
    needed = graph.ancestors(destination.revisions, include_dependencies=True) - applied
    state = dict.fromkeys(heads)
    steps: list[Step] = []
    for rid in graph.ordered(needed):
        revision = graph.get(rid)
        removed = tuple(p for p in dict.fromkeys(revision.down_revisions) if p in state)
        for parent in removed:
            del state[parent]
        state[rid] = None
        steps.append(Upgrade(revision, removed, (rid,)))
    return tuple(steps)


def plan_downgrade(graph: RevisionGraph, current_heads: Sequence[str], target: str) -> Plan:
    """Plan undoing every applied revision above ``target``, newest first.

    Revisions that ``depends_on`` an undone revision are undone too. ``base`` undoes
    everything, ``label@base`` only that branch, ``-N`` the last N revisions. Going down to
    a revision that is not applied is an error.
    """
    heads = known_heads(graph, current_heads)
    applied = applied_revisions(graph, heads)
    destination = resolve_destination(graph, target, heads, direction="down")
    if destination.remove_from is not None:
        doomed = applied & graph.descendants(destination.remove_from)
    else:
        missing = [rid for rid in destination.revisions if rid not in applied]
        if missing:
            at = ", ".join(heads) if heads else "base"
            raise CommandError(
                f"Can't downgrade to {missing[0]!r}: it is not applied (the database is at "
                f"{at}), so it is ahead of the current revision or on another branch.",
                hint=f"Use 'strata upgrade {target}' to move forward; "
                "'strata history' shows the order.",
            )
        doomed = applied & revisions_above(graph, destination.revisions)
    return _downgrade_steps(graph, heads, applied, doomed)


def revisions_above(graph: RevisionGraph, targets: Sequence[str]) -> frozenset[str]:
    """Return what going down to ``targets`` takes off.

    That is every revision built on a target through parent links, and everything that
    ``depends_on`` one of those. A revision that only depends on a target stays: the target
    stays applied.
    """
    line = graph.descendants(targets, include_dependencies=False) - set(targets)
    return graph.descendants(line) - graph.ancestors(targets)


def _downgrade_steps(
    graph: RevisionGraph,
    heads: tuple[str, ...],
    applied: frozenset[str],
    doomed: frozenset[str],
) -> Plan:
    remaining = set(applied)
    state = dict.fromkeys(heads)
    steps: list[Step] = []
    for rid in reversed(graph.ordered(doomed)):
        revision = graph.get(rid)
        remaining.discard(rid)
        removed = (rid,) if rid in state else ()
        state.pop(rid, None)
        added: list[str] = []
        for parent in dict.fromkeys(revision.down_revisions):
            if (
                parent in remaining
                and parent not in state
                and not any(child in remaining for child in graph.children(parent))
            ):
                added.append(parent)
                state[parent] = None
        steps.append(Downgrade(revision, removed, tuple(added)))
    return tuple(steps)


def plan_stamp(
    graph: RevisionGraph,
    current_heads: Sequence[str],
    targets: Sequence[str],
    purge: bool = False,
) -> Plan:
    """Plan rewriting the version table to ``targets`` without running migrations.

    Each target replaces the current heads on its own line (heads it builds on or that build
    on it) or is added beside them; ``base`` removes every head and ``label@base`` the heads
    of that branch. With ``purge`` the table is emptied first, even of unknown revisions.
    Return one :class:`Stamp` step, or an empty plan when nothing changes.
    """
    recorded = tuple(dict.fromkeys(current_heads))
    heads = () if purge else known_heads(graph, recorded)
    if not purge:
        applied_revisions(graph, heads)
    state = heads
    replacements: dict[str, None] = {}
    for target in targets:
        destination = resolve_destination(graph, target, heads)
        if destination.remove_from is not None:
            # A move down ("base", "label@base", "-1"): take the line off, keep the rest.
            state = heads_after_removal(graph, state, graph.descendants(destination.remove_from))
        else:
            replacements.update(dict.fromkeys(destination.revisions))
    if replacements:
        new = tuple(replacements)
        _check_stamp_targets(graph, new, targets)
        lineage = graph.ancestors(new) | graph.descendants(new)
        state = tuple(h for h in state if h not in lineage) + new
    removed = tuple(h for h in recorded if h not in state)
    added = tuple(h for h in state if h not in recorded)
    if not removed and not added:
        return ()
    return (Stamp(removed, added),)


def _check_stamp_targets(
    graph: RevisionGraph, new: tuple[str, ...], targets: Sequence[str]
) -> None:
    """Refuse targets where one lies behind what another needs."""
    needed = graph.ancestors(new)
    for rid in new:
        for child in graph.children(rid):
            if child in needed:
                raise CommandError(
                    f"Can't stamp {' '.join(targets)}: revision {rid!r} is behind {child!r}, "
                    "which another target builds on.",
                    hint="Stamp only the newest revision of each branch.",
                )


def _apply(
    what: str, heads: tuple[str, ...], removed: tuple[str, ...], added: tuple[str, ...]
) -> tuple[str, ...]:
    for rid in removed:
        if rid not in heads:
            raise VersionTableError(
                f"Can't {what}: the version table should hold {rid!r} but holds "
                f"{', '.join(heads) or 'nothing'}.",
                hint="Run 'strata current' to see the heads, then plan again.",
            )
    kept = tuple(h for h in heads if h not in removed)
    for rid in added:
        if rid in kept:
            raise VersionTableError(
                f"Can't {what}: the version table already holds {rid!r}.",
                hint="Run 'strata current' to see the heads, then plan again.",
            )
    return kept + added
