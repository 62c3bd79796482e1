"""Compare the history log with the scripts on disk. Pure.

Problems, in the order ``strata verify`` reports them (each kind has its own exit code):
an applied script was edited since it ran; an applied script is missing from disk; the
history no longer matches the graph (a script's parents changed: reordered or re-based).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlstrata.graph.graph import RevisionGraph
from sqlstrata.runtime import history as h

Kind = Literal["edited", "missing", "reordered"]

EXIT_CODES: dict[str, int] = {"edited": 10, "missing": 11, "reordered": 12, "sumfile": 13}


@dataclass(frozen=True, slots=True)
class Problem:
    kind: Kind
    revision: str
    detail: str


@dataclass(frozen=True, slots=True)
class AppliedRecord:
    """What the history says about a revision that is applied now."""

    revision: str
    checksum: str | None
    down_revisions: tuple[str, ...]


def applied_records(entries: Iterable[h.HistoryEntry]) -> dict[str, AppliedRecord]:
    """Replay the history: the revisions it says are applied, with their recorded checksum."""
    applied: dict[str, AppliedRecord] = {}
    for e in entries:
        done = e.outcome in (h.APPLIED, h.RESOLVED_APPLIED, h.ACCEPTED)
        if not done:
            continue
        if e.direction in ("upgrade", "stamp", "accept"):
            applied[e.revision] = AppliedRecord(e.revision, e.checksum, e.down_revisions)
        elif e.direction in ("downgrade", "unstamp"):
            applied.pop(e.revision, None)
    return applied


def check(graph: RevisionGraph, entries: Iterable[h.HistoryEntry]) -> tuple[Problem, ...]:
    """Every disagreement between the history and the graph, sorted by kind then revision."""
    problems: list[Problem] = []
    for rec in applied_records(entries).values():
        if rec.revision not in graph:
            problems.append(
                Problem("missing", rec.revision, "it was applied but its script is gone")
            )
            continue
        if rec.checksum is None:
            continue  # stamped, never run: there is nothing recorded to compare
        rev = graph.get(rec.revision)
        if tuple(rec.down_revisions) != tuple(rev.down_revisions):
            was = ", ".join(rec.down_revisions) or "<base>"
            now = ", ".join(rev.down_revisions) or "<base>"
            problems.append(
                Problem("reordered", rec.revision, f"it ran on top of {was}; now it revises {now}")
            )
        elif rev.checksum and rec.checksum != rev.checksum:
            problems.append(
                Problem("edited", rec.revision, f"{rev.path} changed after it was applied")
            )
    order = {"edited": 0, "missing": 1, "reordered": 2}
    return tuple(sorted(problems, key=lambda p: (order[p.kind], p.revision)))


def exit_code(problems: Iterable[object]) -> int:
    """The exit code of the first (most important) problem kind; 0 when there is none.

    ``problems`` holds :class:`Problem` values or kind names (``"sumfile"``).
    """
    kinds = [p if isinstance(p, str) else str(getattr(p, "kind", "edited")) for p in problems]
    codes = [EXIT_CODES[k] for k in kinds]
    return min(codes) if codes else 0


def describe(problems: Iterable[Problem]) -> str:
    return "; ".join(f"{p.revision}: {p.detail}" for p in problems)
