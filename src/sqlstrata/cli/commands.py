"""The strata subcommands: parse arguments, call ``sqlstrata.commands``, report the result."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from sqlstrata.cli.main import Options, cli, pass_options

if TYPE_CHECKING:
    from sqlstrata.autogen.renames import RenameCandidate
    from sqlstrata.commands.info import RevisionView

FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("-t", "--template", default="generic", show_default=True, help="See list-templates.")
@click.option("--package", is_flag=True, help="Write __init__.py files in the directory.")
@pass_options
def init(opts: Options, directory: str, template: str, package: bool) -> None:
    """Create a migration environment in DIRECTORY and its config file."""
    from sqlstrata.commands.init import init as run_init

    done = run_init(directory, template, package, config_file=opts.config_file)
    for action, path in done:
        opts.reporter.progress(action, path)
    config = next((p for a, p in done if p.name in ("strata.ini", "pyproject.toml")), None)
    if config is None:
        config = done[-1][1]
    opts.reporter.line(
        f"Please edit the configuration and connection settings in {config!s} "
        "before proceeding (an SQLite file database works as it is)."
    )


@cli.command("list-templates")
@pass_options
def list_templates(opts: Options) -> None:
    """List the environment templates."""
    from sqlstrata.commands.init import list_templates as templates

    opts.reporter.result("Available templates:\n")
    for template in templates():
        opts.reporter.result(f"{template.name} - {template.description}")
    opts.reporter.result("\nTemplates are used via the 'init' command, e.g.:\n")
    opts.reporter.result("  strata init --template generic ./migrations")


@cli.command()
@click.option("-m", "--message", help="Message of the revision.")
@click.option("--sql", is_flag=True, help="Run env.py in offline mode (revision_environment).")
@click.option("--head", default="head", show_default=True, help="Revision to build on.")
@click.option("--splice", is_flag=True, help="Allow building on a revision that is not a head.")
@click.option("--branch-label", multiple=True, help="Branch label for the new revision.")
@click.option("--version-path", help="Directory to write the file in.")
@click.option("--rev-id", help="Revision id to use instead of a generated one.")
@click.option("--depends-on", multiple=True, help="Revisions this one depends on.")
@click.option(
    "--autogenerate", is_flag=True, help="Fill in the changes from target_metadata vs the database."
)
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD:NEW",
    help="With --autogenerate: a rename, not a drop and an add (TABLE:NEW or TABLE.COL:NEW).",
)
@click.option(
    "--strict-renames",
    is_flag=True,
    help="With --autogenerate: fail instead of dropping and adding what may be a rename.",
)
@pass_options
def revision(
    opts: Options,
    message: str | None,
    sql: bool,
    head: str,
    splice: bool,
    branch_label: tuple[str, ...],
    version_path: str | None,
    rev_id: str | None,
    depends_on: tuple[str, ...],
    autogenerate: bool,
    renames: tuple[str, ...],
    strict_renames: bool,
) -> None:
    """Create a new revision file."""
    from sqlstrata.commands.revision import revision as run_revision

    if (renames or strict_renames) and not autogenerate:
        raise click.UsageError("--rename and --strict-renames need --autogenerate.")
    path = run_revision(
        opts.config(),
        message,
        sql=sql,
        head=head,
        splice=splice,
        branch_label=branch_label or None,
        version_path=version_path,
        rev_id=rev_id,
        depends_on=depends_on or None,
        autogenerate=autogenerate,
        renames=renames,
        strict_renames=strict_renames,
        ask=_ask_rename if autogenerate and sys.stdin.isatty() else None,
    )
    if path is None:
        opts.reporter.line("No revision written: process_revision_directives left nothing.")
        return
    opts.reporter.progress("Generating", path)


def _ask_rename(candidate: RenameCandidate) -> bool:
    """Ask, as Django does, whether a dropped and an added object are one renamed."""
    return click.confirm(candidate.question, default=False, prompt_suffix=" ", err=True)


@cli.command()
@FORMAT
@pass_options
def check(opts: Options, fmt: str) -> None:
    """Fail (exit 1) when the models and the database at head differ; list the changes."""
    from sqlstrata.commands.autogen import check as run_check

    result = run_check(opts.config())
    if fmt == "json":
        opts.reporter.json(
            {
                "up_to_date": result.up_to_date,
                "changes": [change.as_json() for change in result.changes],
                "warnings": list(result.warnings),
            }
        )
    elif result.up_to_date:
        opts.reporter.line("No new upgrade operations detected.")
    else:
        opts.reporter.result("New upgrade operations detected:")
        for change in result.changes:
            opts.reporter.result(f"  - {change.description}")
    if not result.up_to_date:
        from sqlstrata.errors import CommandError

        raise CommandError(
            f"Can't pass the check: the models and the database differ "
            f"({len(result.changes)} pending change{'s' if len(result.changes) > 1 else ''}).",
            hint="Write the migration with 'strata revision --autogenerate -m MESSAGE'.",
        )


@cli.command()
@click.argument("revisions", nargs=-1, required=True)
@click.option("-m", "--message", help="Message of the merge revision.")
@click.option("--branch-label", multiple=True, help="Branch label for the merge revision.")
@click.option("--rev-id", help="Revision id to use instead of a generated one.")
@pass_options
def merge(
    opts: Options,
    revisions: tuple[str, ...],
    message: str | None,
    branch_label: tuple[str, ...],
    rev_id: str | None,
) -> None:
    """Create a merge revision joining REVISIONS (e.g. 'heads')."""
    from sqlstrata.commands.revision import merge as run_merge

    path = run_merge(opts.config(), revisions, message, branch_label or None, rev_id)
    opts.reporter.progress("Generating", path)


# "-1" is a revision, not an option.
RELATIVE = {"ignore_unknown_options": True}

LOCK_TIMEOUT = click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=300.0,
    show_default=True,
    help="Seconds to wait for another process's migration lock.",
)
RESUME = click.option(
    "--resume", is_flag=True, help="First finish a migration that failed halfway."
)
NO_VERIFY = click.option(
    "--no-verify", is_flag=True, help="Don't compare applied scripts with the history log."
)


@cli.command(context_settings=RELATIVE)
@click.argument("revision")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it.")
@click.option("--tag", help="A tag env.py can read with context.get_tag_argument().")
@LOCK_TIMEOUT
@RESUME
@NO_VERIFY
@pass_options
def upgrade(
    opts: Options,
    revision: str,
    sql: bool,
    tag: str | None,
    lock_timeout: float,
    resume: bool,
    no_verify: bool,
) -> None:
    """Upgrade to REVISION (head, heads, an id, +N, label@head; START:END with --sql)."""
    from sqlstrata.commands.migrate import upgrade as run_upgrade

    run_upgrade(
        opts.config(),
        revision,
        sql=sql,
        tag=tag,
        lock_timeout=lock_timeout,
        resume=resume,
        verify=not no_verify,
    )


@cli.command(context_settings=RELATIVE)
@click.argument("revision")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it.")
@click.option("--tag", help="A tag env.py can read with context.get_tag_argument().")
@LOCK_TIMEOUT
@RESUME
@NO_VERIFY
@pass_options
def downgrade(
    opts: Options,
    revision: str,
    sql: bool,
    tag: str | None,
    lock_timeout: float,
    resume: bool,
    no_verify: bool,
) -> None:
    """Downgrade to REVISION (base, an id, -N; START:END with --sql)."""
    from sqlstrata.commands.migrate import downgrade as run_downgrade

    run_downgrade(
        opts.config(),
        revision,
        sql=sql,
        tag=tag,
        lock_timeout=lock_timeout,
        resume=resume,
        verify=not no_verify,
    )


@cli.command(context_settings=RELATIVE)
@click.argument("revisions", nargs=-1, required=True)
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it.")
@click.option("--tag", help="A tag env.py can read with context.get_tag_argument().")
@click.option("--purge", is_flag=True, help="Delete every version row first.")
@LOCK_TIMEOUT
@pass_options
def stamp(
    opts: Options,
    revisions: tuple[str, ...],
    sql: bool,
    tag: str | None,
    purge: bool,
    lock_timeout: float,
) -> None:
    """Record REVISIONS in the version table without running migrations."""
    from sqlstrata.commands.migrate import stamp as run_stamp

    run_stamp(opts.config(), revisions, sql=sql, tag=tag, purge=purge, lock_timeout=lock_timeout)


@cli.command()
@click.option("-v", "--verbose", is_flag=True, help="Describe each revision.")
@click.option("--check-heads", is_flag=True, help="Fail unless the database is at every head.")
@FORMAT
@pass_options
def current(opts: Options, verbose: bool, check_heads: bool, fmt: str) -> None:
    """Show the revision(s) the database is at."""
    from sqlstrata.cli import format as f
    from sqlstrata.commands.info import RevisionView
    from sqlstrata.commands.migrate import current as run_current

    state = run_current(opts.config(), check_heads=check_heads)
    heads = set(state.graph_heads)
    views = [RevisionView(r, r.id in heads, False, r.is_merge) for r in state.revisions]
    if fmt == "json":
        opts.reporter.json(
            {
                "url": state.url,
                "heads": list(state.heads),
                "revisions": [f.as_json(v) for v in views],
            }
        )
        return
    if verbose:
        opts.reporter.result(f"Current revision(s) for {state.url}:")
    for v in views:
        opts.reporter.result(f.verbose(v) if verbose else f.head_line(v))


@cli.command()
@click.option("-r", "--rev-range", help="START:END, e.g. ae1027:head, -3:current, 1975ea:")
@click.option("-v", "--verbose", is_flag=True, help="Describe each revision.")
@click.option("-i", "--indicate-current", is_flag=True, help="Mark the database's current heads.")
@FORMAT
@pass_options
def history(
    opts: Options, rev_range: str | None, verbose: bool, indicate_current: bool, fmt: str
) -> None:
    """List the revisions, newest first."""
    from sqlstrata.commands.info import history as run_history

    _show_views(opts, run_history(opts.config(), rev_range, indicate_current), verbose, fmt)


@cli.command()
@click.option("-v", "--verbose", is_flag=True, help="Describe each revision.")
@click.option("--resolve-dependencies", is_flag=True, help="Leave out heads others depend on.")
@FORMAT
@pass_options
def heads(opts: Options, verbose: bool, resolve_dependencies: bool, fmt: str) -> None:
    """Show the head revisions."""
    from sqlstrata.cli import format as f
    from sqlstrata.commands.info import heads as run_heads

    views = run_heads(opts.config(), resolve_dependencies)
    if fmt == "json":
        opts.reporter.json([f.as_json(v) for v in views])
        return
    for v in views:
        opts.reporter.result(f.verbose(v) if verbose else f.head_line(v))


@cli.command()
@click.option("-v", "--verbose", is_flag=True, help="Describe each revision.")
@FORMAT
@pass_options
def branches(opts: Options, verbose: bool, fmt: str) -> None:
    """Show the branch points."""
    from sqlstrata.cli import format as f
    from sqlstrata.commands.info import branches as run_branches
    from sqlstrata.commands.info import show as run_show

    views = run_branches(opts.config())
    if fmt == "json":
        opts.reporter.json([f.as_json(v) for v in views])
        return
    for v in views:
        children = [run_show(opts.config(), c)[0] for c in v.children]
        if verbose:
            opts.reporter.result(f.verbose(v))
        for text in f.branch_lines(v, children):
            opts.reporter.result(text)


@cli.command(context_settings=RELATIVE)
@click.argument("revision")
@FORMAT
@pass_options
def show(opts: Options, revision: str, fmt: str) -> None:
    """Describe REVISION (an id, a prefix, head, current ...)."""
    from sqlstrata.commands.info import show as run_show

    _show_views(opts, run_show(opts.config(), revision), True, fmt)


@cli.command()
@click.argument("revision")
@pass_options
def edit(opts: Options, revision: str) -> None:
    """Open the file of REVISION in $EDITOR."""
    from sqlstrata.commands.revision import edit as run_edit

    run_edit(opts.config(), revision)


@cli.command("ensure-version")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it.")
@pass_options
def ensure_version(opts: Options, sql: bool) -> None:
    """Create the version table if it does not exist."""
    from sqlstrata.commands.migrate import ensure_version as run_ensure

    run_ensure(opts.config(), sql=sql)


def _show_views(opts: Options, views: tuple[RevisionView, ...], verbose: bool, fmt: str) -> None:
    from sqlstrata.cli import format as f

    if fmt == "json":
        opts.reporter.json([f.as_json(v) for v in views])
        return
    for v in views:
        opts.reporter.result(f.verbose(v) if verbose else f.line(v))


@cli.command("log")
@click.option("-n", "--limit", type=click.IntRange(min=1), help="Only the newest N entries.")
@FORMAT
@pass_options
def log_(opts: Options, limit: int | None, fmt: str) -> None:
    """Show the history log: every upgrade, downgrade and stamp, newest last."""
    from sqlstrata.cli import format as f
    from sqlstrata.commands.safety import log as run_log

    entries = run_log(opts.config())
    if limit is not None:
        entries = entries[-limit:]
    if fmt == "json":
        opts.reporter.json(f.history_rows(entries))
        return
    if not entries:
        opts.reporter.result(f.history_table(entries))
        return
    opts.reporter.table(f.HISTORY_HEADER, f.history_cells(entries), f.history_table(entries))


@cli.command()
@click.option("--accept", "accept_rev", help="Record a deliberate edit of applied script REV.")
@click.option("--offline", is_flag=True, help="Only check the sum file; don't connect.")
@FORMAT
@pass_options
def verify(opts: Options, accept_rev: str | None, offline: bool, fmt: str) -> None:
    """Compare the scripts with the sum file and the history log.

    Exit codes: 10 edited after being applied, 11 applied but missing from disk,
    12 history no longer matches the graph, 13 sum file out of date.
    """
    from sqlstrata.commands import safety

    config = opts.config()
    if accept_rev is not None:
        safety.accept(config, accept_rev)
        opts.reporter.line(f"Accepted the current script of {accept_rev}.")
        return
    result = safety.verify(config, database=not offline)
    diff = result.sum_difference
    if fmt == "json":
        opts.reporter.json(
            {
                "problems": [
                    {"kind": p.kind, "revision": p.revision, "detail": p.detail}
                    for p in result.problems
                ],
                "sum_file": None if diff is None else diff.describe() or "ok",
                "exit_code": result.exit_code,
            }
        )
    else:
        for p in result.problems:
            opts.reporter.result(f"{p.kind}: {p.revision}: {p.detail}")
        if diff is not None and not diff.ok:
            opts.reporter.result(f"sumfile: {diff.describe()} (run 'strata hash' if intended)")
        if result.exit_code == 0:
            opts.reporter.line("OK: the scripts match the history log and the sum file.")
    if result.exit_code:
        raise click.exceptions.Exit(result.exit_code)


@cli.command("hash")
@pass_options
def hash_(opts: Options) -> None:
    """Rewrite the sum file (strata.sum) from the scripts."""
    from sqlstrata.commands.safety import write_hash

    opts.reporter.progress("Writing", write_hash(opts.config()))


@cli.command()
@click.argument("revision")
@click.option("--applied", "outcome", flag_value="applied", help="It is fully applied now.")
@click.option("--rolled-back", "outcome", flag_value="rolled-back", help="It is undone now.")
@pass_options
def resolve(opts: Options, revision: str, outcome: str | None) -> None:
    """Mark a migration that failed halfway as applied or rolled back after a manual fix."""
    from sqlstrata.commands.safety import resolve as run_resolve

    if outcome is None:
        raise click.UsageError("say --applied or --rolled-back")
    run_resolve(opts.config(), revision, outcome)
    opts.reporter.line(f"Recorded {revision} as {outcome}.")
