"""Build migration environments in a temporary directory for tests, without the CLI."""

from __future__ import annotations

import textwrap
from pathlib import Path

import sqlalchemy as sa

from sqlstrata.commands.init import init
from sqlstrata.config import Config

HEADER = '''"""{message}

Revision ID: {rev}
Revises: {down}
"""
import sqlalchemy as sa

from sqlstrata import op

revision = {rev!r}
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = {depends!r}

'''


def make_project(root: Path, url: str, template: str = "generic") -> Config:
    """``strata init`` into ``root/migrations`` and return a Config pointing at ``url``."""
    ini = root / "strata.ini"
    init(root / "migrations", template, config_file=ini)
    return Config(ini, url_override=url)


def add_revision(
    config: Config,
    rev: str,
    down: str | tuple[str, ...] | None,
    upgrade: str = "pass",
    downgrade: str = "pass",
    *,
    message: str | None = None,
    labels: tuple[str, ...] | None = None,
    depends: tuple[str, ...] | None = None,
) -> Path:
    """Write a revision file whose upgrade()/downgrade() bodies are the given code."""
    path = Path(config.script_location) / "versions" / f"{rev}.py"
    body = HEADER.format(
        message=message or f"revision {rev}", rev=rev, down=down, labels=labels, depends=depends
    )
    body += "def upgrade():\n" + textwrap.indent(textwrap.dedent(upgrade).strip(), "    ")
    body += "\n\n\ndef downgrade():\n" + textwrap.indent(textwrap.dedent(downgrade).strip(), "    ")
    path.write_text(body + "\n")
    return path


def table_names(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def version_rows(url: str, table: str = "strata_version") -> set[str]:
    engine = sa.create_engine(url)
    try:
        if not sa.inspect(engine).has_table(table):
            return set()
        with engine.connect() as conn:
            rows = conn.execute(sa.text(f"SELECT version_num FROM {table}")).scalars()
            return set(rows)
    finally:
        engine.dispose()
