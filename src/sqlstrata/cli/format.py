"""Pure text and JSON shapes for revisions, as the listing commands print them."""

from __future__ import annotations

from typing import Any

from sqlstrata.commands.info import RevisionView


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
