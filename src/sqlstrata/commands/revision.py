"""Commands that write revision files: revision, merge, edit."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlstrata.commands.loading import (
    revision_graph,
    run_environment,
    script_directory,
    script_settings,
)
from sqlstrata.errors import CommandError
from sqlstrata.runtime.request import MigrationRequest

if TYPE_CHECKING:
    from sqlstrata.config import Config
    from sqlstrata.graph.graph import RevisionGraph

# Characters the target grammar gives a meaning to cannot appear in a revision id.
_REV_ID = re.compile(r"^[A-Za-z0-9_]{1,32}$")


def _check_rev_id(graph: RevisionGraph, rev_id: str) -> None:
    if not _REV_ID.match(rev_id):
        raise CommandError(
            f"Can't use {rev_id!r} as a revision id: use 1 to 32 letters, digits or underscores.",
            hint="Characters like '-', '+', '@' and ':' have a meaning in revision targets.",
        )
    if rev_id in graph:
        raise CommandError(
            f"Can't create revision {rev_id!r}: it exists already ({graph.get(rev_id).path}).",
            hint="Choose another --rev-id or leave it out.",
        )


def _parents(graph: RevisionGraph, head: str, splice: bool) -> tuple[str, ...]:
    """The down_revisions of a new revision placed on ``head``."""
    from sqlstrata.errors import MultipleHeadsError
    from sqlstrata.graph.targets import resolve

    if head == "base":
        return ()
    try:
        parents = resolve(graph, head)
    except MultipleHeadsError as exc:
        raise CommandError(
            "Can't create a revision: there are several heads "
            f"({', '.join(exc.heads)}) and it is not clear which one to build on.",
            hint="Pass --head REV, or run 'strata merge heads -m \"merge\"' first.",
        ) from exc
    for parent in parents:
        if parent not in graph.heads and not splice:
            raise CommandError(
                f"Can't create a revision on {parent!r}: it is not a head.",
                hint="Pass --splice to branch from a revision that already has children.",
            )
    return parents


def revision(
    config: Config,
    message: str | None = None,
    sql: bool = False,
    head: str = "head",
    splice: bool = False,
    branch_label: str | Sequence[str] | None = None,
    version_path: str | None = None,
    rev_id: str | None = None,
    depends_on: str | Sequence[str] | None = None,
    template_args: dict[str, Any] | None = None,
    autogenerate: bool = False,
    *,
    renames: Sequence[str] = (),
    strict_renames: bool = False,
    ask: Callable[[Any], bool] | None = None,
    process_revision_directives: Callable[..., Any] | None = None,
    environment: bool = True,
) -> Path | None:
    """Write a new revision file from script.py.mako; return its path.

    With ``autogenerate`` the body compares target_metadata with the database (see
    :func:`sqlstrata.commands.autogen.autogenerate_revision`, which takes ``renames``,
    ``strict_renames``, ``ask`` and ``process_revision_directives``); then ``None`` means a
    hook left nothing to write. ``environment=False`` skips running env.py for
    ``revision_environment`` (autogenerate has run it already).
    """
    from sqlstrata.graph.targets import resolve
    from sqlstrata.scripts.write import new_revision_id, write_revision

    if autogenerate:
        from sqlstrata.commands.autogen import autogenerate_revision

        paths = autogenerate_revision(
            config,
            message,
            sql=sql,
            head=head,
            splice=splice,
            branch_label=_as_tuple(branch_label),
            version_path=version_path,
            rev_id=rev_id,
            depends_on=_as_tuple(depends_on),
            renames=renames,
            strict_renames=strict_renames,
            ask=ask,
            process_revision_directives=process_revision_directives,
        )
        return paths[0] if paths else None
    script = script_directory(config)
    graph = revision_graph(script)
    env_args: dict[str, Any] = {}
    if config.revision_environment and environment:
        env_args = run_environment(config, MigrationRequest("revision", sql=sql)).template_args
    rev_id = rev_id or new_revision_id()
    _check_rev_id(graph, rev_id)
    labels = _as_tuple(branch_label)
    for label in labels:
        if label in graph.label_map:
            raise CommandError(
                f"Can't add branch label {label!r}: revision {graph.label_map[label]} has it.",
                hint="Choose another label.",
            )
    deps: list[str] = []
    for dep in _as_tuple(depends_on):
        deps.extend(resolve(graph, dep) if dep not in graph.label_map else (dep,))
    path = write_revision(
        script_settings(config),
        rev_id=rev_id,
        message=message,
        down_revisions=_parents(graph, head, splice),
        branch_labels=labels,
        depends_on=tuple(deps),
        version_path=Path(version_path) if version_path else None,
        template_args={"config": config, **env_args, **(template_args or {})},
        create_date=datetime.now(),
    )
    return path


def merge(
    config: Config,
    revisions: str | Sequence[str],
    message: str | None = None,
    branch_label: str | Sequence[str] | None = None,
    rev_id: str | None = None,
) -> Path:
    """Write a merge revision joining ``revisions`` (e.g. ``heads``); return its path."""
    from sqlstrata.graph.targets import resolve
    from sqlstrata.scripts.write import new_revision_id, write_revision

    script = script_directory(config)
    graph = revision_graph(script)
    parents: list[str] = []
    for target in _as_tuple(revisions):
        for rid in resolve(graph, target):
            if rid not in parents:
                parents.append(rid)
    if len(parents) < 2:
        raise CommandError(
            f"Can't merge {' '.join(_as_tuple(revisions))}: it names fewer than two revisions.",
            hint="Name two or more heads, or 'heads'.",
        )
    rev_id = rev_id or new_revision_id()
    _check_rev_id(graph, rev_id)
    return write_revision(
        script_settings(config),
        rev_id=rev_id,
        message=message,
        down_revisions=tuple(parents),
        branch_labels=_as_tuple(branch_label),
        depends_on=(),
        version_path=None,
        template_args={"config": config},
        create_date=datetime.now(),
    )


def edit(config: Config, rev: str) -> Path:
    """Open the file of ``rev`` in $EDITOR; return its path."""
    import os
    import shlex
    import subprocess

    from sqlstrata.graph.targets import resolve

    graph = revision_graph(script_directory(config))
    ids = resolve(graph, rev)
    if len(ids) != 1:
        raise CommandError(f"Can't edit {rev!r}: it names {len(ids)} revisions, not one.")
    path = graph.get(ids[0]).path
    if path is None:
        raise CommandError(f"Can't edit {rev!r}: its file is unknown.")
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise CommandError(
            f"Can't edit {path}: no editor set.", hint="Set $EDITOR (e.g. EDITOR=vim)."
        )
    completed = subprocess.run([*shlex.split(editor), path], check=False)
    if completed.returncode != 0:
        raise CommandError(f"Can't edit {path}: the editor exited with {completed.returncode}.")
    return Path(path)


def _as_tuple(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)
