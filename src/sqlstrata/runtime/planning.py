"""Turn a MigrationRequest into a Plan, given the graph and the current heads. Pure."""

from __future__ import annotations

from sqlstrata.errors import CommandError
from sqlstrata.graph.graph import RevisionGraph
from sqlstrata.graph.plan import Step, plan_downgrade, plan_stamp, plan_upgrade
from sqlstrata.graph.targets import resolve
from sqlstrata.runtime.request import MigrationRequest


def starting_heads(graph: RevisionGraph, starting_rev: str | None) -> tuple[str, ...]:
    """The heads an offline script starts from: the START of ``START:END``, else base."""
    if not starting_rev:
        return ()
    return resolve(graph, starting_rev)


def plan_for(
    request: MigrationRequest, graph: RevisionGraph, heads: tuple[str, ...]
) -> tuple[Step, ...]:
    if request.verb == "upgrade":
        return tuple(plan_upgrade(graph, heads, _one(request)))
    if request.verb == "downgrade":
        return tuple(plan_downgrade(graph, heads, _one(request)))
    if request.verb == "stamp":
        return tuple(plan_stamp(graph, heads, request.targets, purge=request.purge))
    raise CommandError(f"Can't plan {request.verb!r}: it changes nothing.")


def _one(request: MigrationRequest) -> str:
    if len(request.targets) != 1:
        raise CommandError(f"Can't {request.verb}: give exactly one target revision.")
    return request.targets[0]
