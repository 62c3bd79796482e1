"""Shared fixtures: one database URL per backend, each emptied before the test.

SQLite always runs. PostgreSQL and MariaDB run when STRATA_TEST_POSTGRESQL_URL /
STRATA_TEST_MYSQL_URL are set; with STRATA_TEST_REQUIRE_ALL=1 (CI) a missing URL fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

BACKENDS = ("sqlite", "postgresql", "mysql")
ENV_VARS = {"postgresql": "STRATA_TEST_POSTGRESQL_URL", "mysql": "STRATA_TEST_MYSQL_URL"}


def backend_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url = os.environ.get(ENV_VARS[backend])
    if not url:
        if os.environ.get("STRATA_TEST_REQUIRE_ALL"):
            pytest.fail(f"{ENV_VARS[backend]} is not set but STRATA_TEST_REQUIRE_ALL is")
        pytest.skip(f"{ENV_VARS[backend]} not set")
    empty_database(url)
    return url


def empty_database(url: str) -> None:
    """Drop everything a previous test left behind."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            schemas = conn.exec_driver_sql(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' "
                "AND nspname NOT IN ('information_schema', 'public')"
            ).scalars()
            for schema in list(schemas):
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        else:
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
            for name in sa.inspect(conn).get_table_names():
                conn.exec_driver_sql(f"DROP TABLE `{name}`")
            for (view,) in conn.exec_driver_sql(
                "SELECT table_name FROM information_schema.views WHERE table_schema = DATABASE()"
            ):
                conn.exec_driver_sql(f"DROP VIEW `{view}`")
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    yield backend_url(backend, tmp_path)


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    eng = sa.create_engine(db_url)
    yield eng
    eng.dispose()
