"""The autogenerate round-trip property on SQLite, PostgreSQL and MariaDB, for random schemas.

From empty: autogenerate, upgrade, and autogenerate again finds nothing; the downgrade leaves
an empty schema. For random pairs A -> B: the migration generated at A takes the database to
a state that compares equal to B, and its downgrade back to one equal to A.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqlstrata import command
from sqlstrata.autogen.describe import describe
from sqlstrata.autogen.produce import compare_metadata
from sqlstrata.commands.autogen import check
from sqlstrata.config import Config
from tests.autogen.helpers import autogen_project, revision_files, ruff_problems
from tests.autogen.strategies import SchemaSpec, schema_pairs, schema_specs
from tests.conftest import empty_database, run_database

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def project(backend: str) -> Iterator[tuple[Config, str]]:
    """A new project on an empty database."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if backend == "sqlite":
            url = f"sqlite:///{root / 'test.db'}"
        else:
            url = run_database(backend)
            empty_database(url)
        yield autogen_project(root, url), url


def leftovers(url: str) -> set[str]:
    """Tables (besides sqlstrata's version table and history log) and enum types left."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            insp = sa.inspect(conn)
            found = set(insp.get_table_names()) - {
                "strata_version",
                "strata_history",
                "strata_lock",
            }
            if conn.dialect.name == "postgresql":
                found |= {f"type {e['name']}" for e in insp.get_enums(schema="*")}  # type: ignore[attr-defined]
            return found
    finally:
        engine.dispose()


def scripts(config: Config) -> str:
    return "\n\n".join(p.read_text() for p in revision_files(config))


def generate(config: Config, spec: SchemaSpec, message: str) -> Path:
    config.attributes["target_metadata"] = spec.build()
    path = command.revision(config, message, autogenerate=True)
    assert path is not None
    return path


def assert_matches(config: Config, spec: SchemaSpec, when: str) -> None:
    """The database at head compares equal to ``spec``: ``strata check`` passes."""
    config.attributes["target_metadata"] = spec.build()
    pending = check(config).changes
    assert not pending, f"{when}: {[c.description for c in pending]}\n{scripts(config)}"


def assert_reflects_as(url: str, spec: SchemaSpec, when: str, config: Config) -> None:
    """The database (at any revision) compares equal to ``spec``."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            pending = compare_metadata(conn, spec.build())
    finally:
        engine.dispose()
    assert not pending, f"{when}: {[describe(op).description for op in pending]}\n{scripts(config)}"


@SETTINGS
@given(data=st.data())
def test_from_empty_and_back(backend: str, data: st.DataObject) -> None:
    spec = data.draw(schema_specs(backend), label="schema")
    with project(backend) as (config, url):
        path = generate(config, spec, "create")
        problems = ruff_problems(path)
        assert not problems, f"{problems}\n{path.read_text()}"
        command.upgrade(config, "head")
        assert_matches(config, spec, "after upgrade")
        command.downgrade(config, "base")
        assert leftovers(url) == set(), scripts(config)


@SETTINGS
@given(data=st.data())
def test_random_pairs(backend: str, data: st.DataObject) -> None:
    a, b = data.draw(schema_pairs(backend), label="schemas")
    with project(backend) as (config, url):
        generate(config, a, "a")
        command.upgrade(config, "head")
        generate(config, b, "b")
        command.upgrade(config, "head")
        assert_matches(config, b, "at B")
        command.downgrade(config, "-1")
        assert_reflects_as(url, a, "back at A", config)
        command.downgrade(config, "base")
        assert leftovers(url) == set(), scripts(config)


@pytest.fixture(autouse=True)
def _quiet_sqlalchemy_warnings() -> Iterator[None]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        yield
