"""Pure text and JSON shapes for revisions, as the listing commands print them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlstrata.commands.info import RevisionView

if TYPE_CHECKING:
    from sqlstrata.runtime.history import HistoryEntry


def _ids(ids: tuple[str, ...]) -> str:
    return ", ".join(ids) if ids else "<base>"


def markers(view: RevisionView) -> str:
    """`` (head) (branchpoint) (mergepoint) (current)`` and branch labels, as applicable."""
    parts = []
    if view.revision.branch_labels:
        parts.append(f"({', '.join(view.revision.branch_labels)})")
    if view.is_head:
        parts.append("(head)")
    if view.is_branch_point:
        parts.append("(branchpoint)")
    if view.is_merge_point:
        parts.append("(mergepoint)")
    if view.is_current:
        parts.append("(current)")
    return (" " + " ".join(parts)) if parts else ""


def line(view: RevisionView) -> str:
    """``1975ea83b712 -> ae1027a6acf (head), Add a column``."""
    rev = view.revision
    return f"{_ids(rev.down_revisions)} -> {rev.id}{markers(view)}, {rev.message or ''}".rstrip(
        ", "
    )


def head_line(view: RevisionView) -> str:
    """``ae1027a6acf (head)``: the short form ``heads`` and ``current`` print."""
    return f"{view.revision.id}{markers(view)}"


def verbose(view: RevisionView) -> str:
    """A multi-line description of one revision."""
    rev = view.revision
    rows = [f"Rev: {rev.id}{markers(view)}"]
    if rev.is_merge:
        rows.append(f"Merges: {_ids(rev.down_revisions)}")
    else:
        rows.append(f"Parent: {_ids(rev.down_revisions)}")
    if view.is_branch_point:
        rows.append(f"Branches into: {', '.join(view.children)}")
    if rev.branch_labels:
        rows.append(f"Branch names: {', '.join(rev.branch_labels)}")
    if rev.depends_on:
        rows.append(f"Also depends on: {', '.join(rev.depends_on)}")
    rows.append(f"Path: {rev.path}")
    rows.append("")
    rows.append(f"    {rev.message or ''}".rstrip())
    rows.append("")
    return "\n".join(rows)


def branch_lines(view: RevisionView, children: list[RevisionView]) -> list[str]:
    """A branch point and, indented under it, each of its children."""
    out = [line(view)]
    pad = " " * len(_ids(view.revision.down_revisions))
    for child in children:
        out.append(f"{pad} -> {line(child)}")
    return out


def as_json(view: RevisionView) -> dict[str, Any]:
    rev = view.revision
    return {
        "revision": rev.id,
        "down_revisions": list(rev.down_revisions),
        "branch_labels": list(rev.branch_labels),
        "depends_on": list(rev.depends_on),
        "message": rev.message,
        "path": rev.path,
        "is_head": view.is_head,
        "is_branch_point": view.is_branch_point,
        "is_merge_point": view.is_merge_point,
        "is_current": view.is_current,
    }


def history_rows(entries: Sequence[HistoryEntry]) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "revision": e.revision,
            "direction": e.direction,
            "down_revisions": list(e.down_revisions),
            "checksum": e.checksum,
            "started_at": e.started_at.isoformat() if e.started_at else None,
            "finished_at": e.finished_at.isoformat() if e.finished_at else None,
            "duration_ms": e.duration_ms,
            "outcome": e.outcome,
            "error": e.error,
            "statements_applied": e.statements_applied,
            "tool_version": e.tool_version,
            "host": e.host,
            "username": e.username,
        }
        for e in entries
    ]


HISTORY_HEADER = [
    "id",
    "revision",
    "direction",
    "outcome",
    "started (UTC)",
    "took",
    "stmts",
    "by",
    "error",
]


def history_cells(entries: Sequence[HistoryEntry]) -> list[list[str]]:
    """One row of cells per history entry."""
    return [
        [
            str(e.id),
            e.revision,
            e.direction,
            e.outcome,
            e.started_at.strftime("%Y-%m-%d %H:%M:%S") if e.started_at else "",
            "" if e.duration_ms is None else f"{e.duration_ms}ms",
            str(e.statements_applied),
            f"{e.username}@{e.host}",
            (e.error or "").splitlines()[0][:60] if e.error else "",
        ]
        for e in entries
    ]


def history_table(entries: Sequence[HistoryEntry]) -> str:
    """A plain-text table of the history log (one line per entry)."""
    if not entries:
        return "(the history log is empty)"
    rows = [HISTORY_HEADER, *history_cells(entries)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HISTORY_HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)
