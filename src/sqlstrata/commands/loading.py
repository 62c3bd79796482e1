"""Shared by the commands: the script directory, the graph, and running env.py for a request."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlstrata.errors import CommandError

if TYPE_CHECKING:
    from sqlstrata.config import Config
    from sqlstrata.graph.graph import RevisionGraph
    from sqlstrata.runtime.request import MigrationRequest, RunResult
    from sqlstrata.scripts.directory import ScriptDirectory, ScriptSettings


def script_settings(config: Config) -> ScriptSettings:
    """The script-directory settings a config describes."""
    from pathlib import Path

    from sqlstrata.scripts.directory import ScriptSettings
    from sqlstrata.scripts.hooks import parse_hooks

    location = Path(config.script_location)
    return ScriptSettings(
        script_location=location,
        version_locations=tuple(Path(p) for p in config.version_locations)
        or (location / "versions",),
        recursive_version_locations=config.recursive_version_locations,
        sourceless=config.sourceless,
        file_template=config.file_template,
        truncate_slug_length=config.truncate_slug_length,
        timezone=config.timezone,
        output_encoding=config.output_encoding,
        post_write_hooks=parse_hooks(config.post_write_hooks),
    )


def script_directory(config: Config) -> ScriptDirectory:
    from sqlstrata.scripts.directory import ScriptDirectory

    return ScriptDirectory(script_settings(config))


def revision_graph(script: ScriptDirectory) -> RevisionGraph:
    from sqlstrata.graph.graph import RevisionGraph

    return RevisionGraph.build(script.revisions())


@contextmanager
def prepended_sys_path(config: Config) -> Iterator[None]:
    """Put ``prepend_sys_path`` entries in front of sys.path while env.py and scripts run."""
    added = [p for p in config.prepend_sys_path if p not in sys.path]
    sys.path[:0] = added
    try:
        yield
    finally:
        for p in added:
            if p in sys.path:
                sys.path.remove(p)


def run_environment(config: Config, request: MigrationRequest) -> RunResult:
    """Run env.py for ``request`` and return what it recorded."""
    from sqlalchemy.exc import SQLAlchemyError

    from sqlstrata.runtime.compat import alembic_names
    from sqlstrata.runtime.environment import EnvironmentContext

    script = script_directory(config)
    graph: RevisionGraph | None = None
    if request.verb in ("upgrade", "downgrade", "stamp"):
        # A broken history is reported before anything connects to the database.
        with alembic_names():
            graph = revision_graph(script)
    env = EnvironmentContext(
        config,
        script,
        request,
        graph=(lambda: graph) if graph is not None else (lambda: revision_graph(script)),
        default_version_table=config.version_table,
    )
    from sqlstrata.runtime.logs import logging_as

    try:
        with (
            prepended_sys_path(config),
            alembic_names(),
            logging_as("alembic" if config.alembic_compatible else "sqlstrata"),
        ):
            return env.run_env()
    except SQLAlchemyError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CommandError(
            f"Can't {request.verb if request.verb != 'read' else 'read the database'}: "
            f"{type(exc).__name__}: {first}",
            hint="Check sqlalchemy.url and that the database is reachable.",
        ) from exc
