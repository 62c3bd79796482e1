"""Commands about the history log and integrity: log, verify, hash, resolve."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlstrata.commands.loading import revision_graph, run_environment, script_directory
from sqlstrata.errors import CommandError
from sqlstrata.runtime.request import MigrationRequest

if TYPE_CHECKING:
    from sqlstrata.config import Config
    from sqlstrata.runtime.history import HistoryEntry
    from sqlstrata.runtime.integrity import Problem
    from sqlstrata.scripts.sumfile import SumDifference


def log(config: Config) -> tuple[HistoryEntry, ...]:
    """Every row of the history log, oldest first."""
    return run_environment(config, MigrationRequest("read")).history


@dataclass(frozen=True, slots=True)
class Verification:
    problems: tuple[Problem, ...]
    sum_difference: SumDifference | None

    @property
    def exit_code(self) -> int:
        from sqlstrata.runtime.integrity import exit_code

        kinds: list[object] = list(self.problems)
        if self.sum_difference is not None and not self.sum_difference.ok:
            kinds.append("sumfile")
        return exit_code(kinds)


def sum_path(config: Config) -> Path:
    from sqlstrata.scripts.sumfile import FILENAME

    return Path(config.script_location) / FILENAME


def verify(config: Config, database: bool = True) -> Verification:
    """Compare the scripts with the sum file and (``database``) with the history log."""
    from sqlstrata.runtime.integrity import check
    from sqlstrata.scripts.sumfile import compare

    graph = revision_graph(script_directory(config))
    path = sum_path(config)
    difference = compare(path.read_text(encoding="utf-8"), graph) if path.is_file() else None
    problems: tuple[Problem, ...] = ()
    if database:
        problems = check(graph, log(config))
    return Verification(problems, difference)


def accept(config: Config, revision: str) -> None:
    """Record that the applied script of ``revision`` was edited on purpose."""
    run_environment(config, MigrationRequest("accept", (revision,)))


def write_hash(config: Config) -> Path:
    """Rewrite the sum file from the scripts; return its path."""
    from sqlstrata.scripts.sumfile import render

    graph = revision_graph(script_directory(config))
    path = sum_path(config)
    path.write_text(render(graph), encoding="utf-8")
    return path


def resolve(config: Config, revision: str, outcome: str) -> None:
    """Mark a half-applied migration as ``applied`` or ``rolled-back`` after a manual fix."""
    if outcome not in ("applied", "rolled-back"):
        raise CommandError(f"Can't resolve {revision}: say --applied or --rolled-back.")
    run_environment(config, MigrationRequest("resolve", (revision,), resolution=outcome))
