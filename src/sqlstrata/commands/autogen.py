"""Commands that compare the models with the database: ``check`` and ``revision --autogenerate``.

Both run env.py with an ``autogenerate`` request; the comparison itself happens in
:mod:`sqlstrata.autogen.produce` while env.py's ``context.run_migrations()`` runs, with the
options env.py gave ``context.configure()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlstrata.commands.loading import run_environment
from sqlstrata.errors import CommandError
from sqlstrata.runtime.request import MigrationRequest

if TYPE_CHECKING:
    from sqlstrata.autogen.describe import Change
    from sqlstrata.autogen.produce import AutogenResult
    from sqlstrata.autogen.renames import RenameCandidate
    from sqlstrata.config import Config


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What ``strata check`` found: the pending upgrade operations, described."""

    changes: tuple[Change, ...]
    warnings: tuple[str, ...] = ()

    @property
    def up_to_date(self) -> bool:
        return not self.changes


def check(config: Config) -> CheckResult:
    """Compare the models with the database at head; describe what a migration would do."""
    from sqlstrata.autogen.produce import AutogenRequest

    runs, _ = _run(config, AutogenRequest(check=True))
    return CheckResult(
        tuple(c for run in runs for c in run.changes),
        tuple(w for run in runs for w in run.warnings),
    )


def autogenerate_revision(
    config: Config,
    message: str | None = None,
    *,
    sql: bool = False,
    head: str = "head",
    splice: bool = False,
    branch_label: Sequence[str] = (),
    version_path: str | None = None,
    rev_id: str | None = None,
    depends_on: Sequence[str] = (),
    renames: Sequence[str] = (),
    strict_renames: bool = False,
    ask: Callable[[RenameCandidate], bool] | None = None,
    process_revision_directives: Callable[..., Any] | None = None,
) -> tuple[Path, ...]:
    """Write the revision(s) autogenerate produces; return their paths (none when a
    ``process_revision_directives`` hook removed every script)."""
    from sqlstrata.autogen.produce import AutogenRequest
    from sqlstrata.scripts.write import new_revision_id

    if sql:
        raise CommandError(
            "Can't autogenerate with --sql: autogenerate reads the database.",
            hint="Leave out --sql, or write the revision by hand.",
        )
    request = AutogenRequest(
        message=message,
        rev_id=rev_id or new_revision_id(),
        head=head,
        splice=splice,
        branch_label=tuple(branch_label),
        version_path=version_path,
        depends_on=tuple(depends_on),
        renames=tuple(renames),
        strict_renames=strict_renames,
        ask=ask,
        process_revision_directives=process_revision_directives,
    )
    return _write(config, *_run(config, request))


def _write(config: Config, runs: list[AutogenResult], env_args: dict[str, Any]) -> tuple[Path, ...]:
    """Write each script of the first run, with every run's template arguments (multidb:
    one run per database, one pair of upgrade/downgrade tokens each) over those env.py
    gave ``context.configure(template_args=...)``."""
    from sqlstrata.commands.revision import revision

    paths = []
    for index, script in enumerate(runs[0].scripts):
        template_args: dict[str, Any] = dict(env_args)
        for run in runs:
            if index < len(run.rendered):
                template_args.update(run.template_args(index))
        path = revision(
            config,
            script.message,
            head=script.head,
            splice=script.splice,
            branch_label=script.branch_label or None,
            version_path=script.version_path,
            rev_id=script.rev_id,
            depends_on=script.depends_on or None,
            template_args=template_args,
            environment=False,
        )
        if path is not None:
            paths.append(path)
    return tuple(paths)


def _run(config: Config, request: Any) -> tuple[list[AutogenResult], dict[str, Any]]:
    result = run_environment(config, MigrationRequest("autogenerate", autogen=request))
    if not result.autogen:
        raise CommandError(
            "Can't autogenerate: env.py did not call context.run_migrations().",
            hint="Call context.configure(connection=..., target_metadata=...) and "
            "context.run_migrations() in env.py, as the templates do.",
        )
    return result.autogen, result.template_args
