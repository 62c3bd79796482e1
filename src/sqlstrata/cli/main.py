"""``strata``: click commands. Wiring only: parse, call a command function, report.

Command modules are imported inside each command so ``strata heads`` loads neither
SQLAlchemy's engine nor Mako.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from sqlstrata.cli.reporter import Reporter

if TYPE_CHECKING:
    from sqlstrata.config import Config

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Options:
    """The global options, shared by every command."""

    config_file: str | None = None
    name: str | None = None
    x: tuple[str, ...] = ()
    url: str | None = None
    quiet: bool = False
    raiseerr: bool = False
    reporter: Reporter = field(default_factory=Reporter)
    _config: Config | None = None

    def config(self) -> Config:
        """Find and load the configuration (once)."""
        if self._config is None:
            from sqlstrata.config import Config
            from sqlstrata.config.sources import find_config

            source = find_config(self.config_file, os.environ, Path.cwd(), section=self.name)
            self._config = Config.from_source(
                source, cmd_opts=self, x_arguments=self.x, url_override=self.url
            )
            _setup_logging(self._config, self.quiet)
        return self._config


def _setup_logging(config: Config, quiet: bool) -> None:
    """Log progress to stderr unless the config file sets up logging itself (env.py does)."""
    logger = logging.getLogger("sqlstrata")
    if quiet:
        # env.py's fileConfig() would reset a logger level; this holds until main() returns.
        logging.disable(logging.INFO)
        return
    if config.has_logging_config:
        return
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-5.5s [%(name)s] %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


class _StderrHandler(logging.Handler):
    """Write to whatever sys.stderr is at the time of the record."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


pass_options = click.make_pass_decorator(Options)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-c",
    "--config",
    "config_file",
    envvar="STRATA_CONFIG",
    help="Config file (strata.ini, "
    "pyproject.toml or alembic.ini). Default: found in the current directory.",
)
@click.option("-n", "--name", help="Config section to use (default: strata).")
@click.option("-x", "x", multiple=True, help="KEY=VALUE passed to env.py (repeatable).")
@click.option("--url", help="Database URL; overrides sqlalchemy.url.")
@click.option("-q", "--quiet", is_flag=True, help="Print only results and errors.")
@click.option("--raiseerr", is_flag=True, help="Show the full traceback on errors.")
@click.version_option(package_name="sqlstrata", prog_name="strata")
@click.pass_context
def cli(
    ctx: click.Context,
    config_file: str | None,
    name: str | None,
    x: tuple[str, ...],
    url: str | None,
    quiet: bool,
    raiseerr: bool,
) -> None:
    """Database schema migrations for SQLAlchemy."""
    ctx.obj = Options(config_file, name, x, url, quiet, raiseerr, Reporter(quiet=quiet))


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning errors into one line and an exit code."""
    from sqlstrata.cli import commands  # noqa: F401  (registers the commands on ``cli``)

    try:
        # Without standalone mode click returns the code of a ctx.exit()/Exit instead.
        returned = cli.main(args=argv, prog_name="strata", standalone_mode=False)
    except click.exceptions.Abort:
        Reporter().error("Aborted.")
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except Exception as exc:
        return _report_error(exc, argv)
    finally:
        logging.disable(logging.NOTSET)
    return returned if isinstance(returned, int) else 0


def _report_error(exc: Exception, argv: list[str] | None) -> int:
    from sqlstrata.errors import StrataError

    args = sys.argv[1:] if argv is None else argv
    if "--raiseerr" in args:
        raise exc
    reporter = Reporter()
    if isinstance(exc, StrataError):
        reporter.error(str(exc))
        return exit_code(exc)
    reporter.error(
        f"Can't finish the command: unexpected {type(exc).__name__}: {exc}. "
        "Run again with --raiseerr for the traceback."
    )
    return 1


def exit_code(exc: Exception) -> int:
    """Distinct exit codes per error family, documented in the README."""
    from sqlstrata import errors

    if isinstance(exc, errors.ChecksumMismatchError):
        from sqlstrata.runtime.integrity import exit_code as integrity_code

        return integrity_code(exc.problems)
    codes: list[tuple[type[Exception], int]] = [
        (errors.ConfigError, 2),
        (errors.GraphError, 3),
        (errors.ResolutionError, 4),
        (errors.MigrationError, 5),
        (errors.VersionTableError, 6),
        (errors.PendingFailureError, 14),
        (errors.LockError, 15),
        (errors.IntegrityError, 10),
    ]
    for cls, code in codes:
        if isinstance(exc, cls):
            return code
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
