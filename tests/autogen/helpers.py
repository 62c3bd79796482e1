"""Helpers for autogenerate tests: snapshots without a database, and projects whose env.py
takes its target metadata (and extra configure() options) from ``config.attributes``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite

from sqlstrata.autogen.diff import diff
from sqlstrata.autogen.directives import flatten
from sqlstrata.autogen.from_metadata import snapshot_from_metadata
from sqlstrata.autogen.options import DiffOptions
from sqlstrata.autogen.snapshot import SchemaSnapshot
from sqlstrata.config import Config
from sqlstrata.ops import operations as ops
from tests.projects import make_project

DIALECTS = {
    "sqlite": sqlite.dialect,
    "postgresql": postgresql.dialect,
    "mysql": mysql.dialect,
}


def sa_dialect(name: str) -> Any:
    return DIALECTS[name]()


def snap(metadata: sa.MetaData, dialect: str = "postgresql") -> SchemaSnapshot:
    return snapshot_from_metadata(metadata, sa_dialect(dialect))


def changes(
    old: sa.MetaData | SchemaSnapshot,
    new: sa.MetaData | SchemaSnapshot,
    dialect: str = "postgresql",
    **options: Any,
) -> list[ops.Operation]:
    """The flattened upgrade operations from ``old`` to ``new``."""
    a = old if isinstance(old, SchemaSnapshot) else snap(old, dialect)
    b = new if isinstance(new, SchemaSnapshot) else snap(new, dialect)
    comments = options.pop("comments", dialect != "sqlite")
    return list(flatten(diff(a, b, DiffOptions(dialect=dialect, comments=comments, **options))))


def kinds(operations: Iterable[ops.Operation]) -> list[str]:
    return [type(op).__name__ for op in operations]


ENV_METADATA = (
    'target_metadata = config.attributes.get("target_metadata")\n'
    'configure_options = config.attributes.get("configure", {})'
)


def autogen_project(root: Path, url: str, metadata: sa.MetaData | None = None) -> Config:
    """A generic project whose env.py reads ``config.attributes["target_metadata"]`` and
    passes ``config.attributes["configure"]`` on to ``context.configure()``."""
    config = make_project(root, url)
    env = Path(config.script_location) / "env.py"
    text = env.read_text().replace("target_metadata = None", ENV_METADATA)
    text = text.replace(
        "connection=connection, target_metadata=target_metadata",
        "connection=connection, target_metadata=target_metadata, **configure_options",
    )
    env.write_text(text)
    if metadata is not None:
        config.attributes["target_metadata"] = metadata
    return config


def revision_files(config: Config) -> list[Path]:
    return sorted((Path(config.script_location) / "versions").glob("*.py"))


# The generic script template imports ``op`` and ``sa`` whether or not the body uses them.
TEMPLATE_IMPORTS = ("`sqlalchemy`", "`sqlstrata.op`")


def ruff_problems(path: Path) -> list[str]:
    """What ``ruff check`` (pycodestyle errors and warnings, pyflakes; line length 100)
    finds in what autogenerate wrote into a file: the functions and the imports, not the
    template's header (its trailing space after an empty "Revises:", its unconditional
    ``op`` and ``sa`` imports)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "E,F,W",
            "--line-length",
            "100",
            "--output-format",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    found = json.loads(proc.stdout or "[]")
    body = next(
        i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("def ")
    )
    return [
        f"{item['code']} {item['message']} (line {item['location']['row']})"
        for item in found
        if (item["location"]["row"] >= body or item["code"].startswith("F"))
        and not (item["code"] == "F401" and any(t in item["message"] for t in TEMPLATE_IMPORTS))
    ]
