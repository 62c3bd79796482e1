"""The sum file: a committed hash per revision, chained along the graph. Pure.

``<script_location>/strata.sum`` lists every revision in topological order with its script
checksum and a chain hash over its own checksum and its parents' chain hashes; the first
line holds a hash over everything. Two branches that each add a revision both change that
first line, so version control reports a conflict when they meet, not the deploy. Branches
and merges are handled because a merge's chain covers all its parents.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlstrata.graph.graph import RevisionGraph

HEADER = "strata-sum v1"
FILENAME = "strata.sum"


@dataclass(frozen=True, slots=True)
class SumEntry:
    revision: str
    checksum: str
    chain: str


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def entries(graph: RevisionGraph) -> tuple[SumEntry, ...]:
    chains: dict[str, str] = {}
    out = []
    for rev_id in graph.topological_order():
        rev = graph.get(rev_id)
        checksum = rev.checksum or "-"
        parents = sorted(chains[p] for p in (*rev.down_revisions, *graph.dependencies(rev.id)))
        chains[rev.id] = _sha(" ".join([rev.id, checksum, *parents]))
        out.append(SumEntry(rev.id, checksum, chains[rev.id]))
    return tuple(out)


def render(graph: RevisionGraph) -> str:
    """The sum file's text for ``graph``."""
    lines = [f"{e.revision} {e.checksum} {e.chain}" for e in entries(graph)]
    total = _sha("\n".join(lines))
    return "\n".join([f"{HEADER} h1:{total}", *lines]) + "\n"


@dataclass(frozen=True, slots=True)
class SumDifference:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    corrupt: bool = False

    @property
    def ok(self) -> bool:
        return not (self.added or self.removed or self.changed or self.corrupt)

    def describe(self) -> str:
        parts = []
        if self.corrupt:
            parts.append("the file is not a valid sum file (an unresolved merge conflict?)")
        if self.added:
            parts.append(f"not in the sum file: {', '.join(self.added)}")
        if self.removed:
            parts.append(f"in the sum file but gone: {', '.join(self.removed)}")
        if self.changed:
            parts.append(f"changed or moved: {', '.join(self.changed)}")
        return "; ".join(parts)


def compare(text: str, graph: RevisionGraph) -> SumDifference:
    """How the scripts differ from a committed sum file."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith(f"{HEADER} h1:"):
        return SumDifference((), (), (), corrupt=True)
    recorded: dict[str, str] = {}
    for line in lines[1:]:
        parts = line.split()
        if len(parts) != 3:
            return SumDifference((), (), (), corrupt=True)
        recorded[parts[0]] = parts[2]
    expected_total = _sha("\n".join(lines[1:]))
    corrupt = lines[0] != f"{HEADER} h1:{expected_total}"
    now = {e.revision: e.chain for e in entries(graph)}
    return SumDifference(
        added=tuple(sorted(set(now) - set(recorded))),
        removed=tuple(sorted(set(recorded) - set(now))),
        changed=tuple(sorted(r for r in set(now) & set(recorded) if now[r] != recorded[r])),
        corrupt=corrupt,
    )
