"""Version-table heads: checking the heads a database reports against the graph.

What belongs here: the rules every caller shares about the ids read from the version table
(they must exist in the graph, and no head may lie behind another applied revision) and the
set of revisions those heads mean is applied.

"Applied" is every head plus everything it builds on, ``depends_on`` included. A head never
has an applied child through ``down_revisions``; a revision that others only depend on may
stay a head, as in Alembic.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlstrata.errors import UnknownRevisionError, VersionTableError
from sqlstrata.graph.graph import RevisionGraph


def known_heads(graph: RevisionGraph, heads: Iterable[str]) -> tuple[str, ...]:
    """Return ``heads`` without duplicates; raise if the graph lacks one of them."""
    unique = tuple(dict.fromkeys(heads))
    for rid in unique:
        if rid not in graph:
            raise missing_head_error(rid)
    return unique


def missing_head_error(revision_id: str) -> UnknownRevisionError:
    """Return the error for a version-table head that no revision script declares."""
    return UnknownRevisionError(
        revision_id,
        hint=f"Can't locate revision {revision_id!r} recorded in the version table: the "
        "database is at a revision missing from the revision scripts. Restore the script, "
        "or run 'strata stamp --purge <revision>' to record where the database is.",
    )


def applied_revisions(graph: RevisionGraph, heads: Iterable[str]) -> frozenset[str]:
    """Return every revision the (known) ``heads`` mean is applied.

    Raise :class:`VersionTableError` when a head has an applied child, i.e. the version
    table lists a revision together with one that builds on it.
    """
    listed = tuple(heads)
    applied = graph.ancestors(listed, include_dependencies=True)
    for head in listed:
        for child in graph.children(head):
            if child in applied:
                raise VersionTableError(
                    f"Can't use the version table heads {', '.join(listed)}: {head!r} is "
                    f"listed as a head but {child!r}, which builds on it, is applied too.",
                    hint="Run 'strata stamp' with the revisions the database is really at.",
                )
    return applied


def heads_after_removal(
    graph: RevisionGraph, heads: Iterable[str], removed: Iterable[str]
) -> tuple[str, ...]:
    """Return the heads once ``removed`` (and only those) are no longer applied.

    A parent of a removed revision becomes a head again when it stays applied and no
    applied revision builds on it any more.
    """
    current = tuple(heads)
    applied = graph.ancestors(current, include_dependencies=True)
    gone = applied & frozenset(removed)
    remaining = applied - gone
    result = dict.fromkeys(h for h in current if h not in gone)
    for rid in graph.ordered(gone):
        for parent in graph.get(rid).down_revisions:
            if (
                parent in remaining
                and parent not in result
                and not _has_child_in(graph, parent, remaining)
            ):
                result[parent] = None
    return tuple(result)


def _has_child_in(graph: RevisionGraph, revision_id: str, revisions: frozenset[str]) -> bool:
    return any(child in revisions for child in graph.children(revision_id))
