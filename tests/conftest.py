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
    url = run_database(backend)
    empty_database(url)
    return url


_RUN_DATABASES: dict[str, str] = {}


def run_database(backend: str) -> str:
    """A database of this test run's own on the server the environment names.

    Several test runs (developers, CI) may share one server; each creates and later drops
    ``strata_test_<pid>`` so they never see each other's tables.
    """
    if backend in _RUN_DATABASES:
        return _RUN_DATABASES[backend]
    given = os.environ.get(ENV_VARS[backend])
    if not given:
        if os.environ.get("STRATA_TEST_REQUIRE_ALL"):
            pytest.fail(f"{ENV_VARS[backend]} is not set but STRATA_TEST_REQUIRE_ALL is")
        pytest.skip(f"{ENV_VARS[backend]} not set")
    name = f"strata_test_{os.getpid()}"
    admin = sa.create_engine(given, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        quote = conn.dialect.identifier_preparer.quote
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quote(name)}")
        conn.exec_driver_sql(f"CREATE DATABASE {quote(name)}")
    admin.dispose()
    url = sa.make_url(given).set(database=name).render_as_string(hide_password=False)
    _RUN_DATABASES[backend] = url
    return url


def drop_run_databases() -> None:
    for backend, url in _RUN_DATABASES.items():
        given = os.environ[ENV_VARS[backend]]
        name = sa.make_url(url).database
        admin = sa.create_engine(given, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )
            quote = conn.dialect.identifier_preparer.quote
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quote(str(name))}")
        admin.dispose()
    _RUN_DATABASES.clear()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    drop_run_databases()


def empty_database(url: str) -> None:
    """Drop everything a previous test left behind."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            schemas = conn.execute(
                sa.text(
                    "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' "
                    "AND nspname NOT IN ('information_schema', 'public')"
                )
            ).scalars()
            for schema in list(schemas):
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        else:
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
            for name in sa.inspect(conn).get_table_names():
                conn.exec_driver_sql(f"DROP TABLE `{name.replace('`', '``')}`")
            for (view,) in conn.exec_driver_sql(
                "SELECT table_name FROM information_schema.views WHERE table_schema = DATABASE()"
            ):
                conn.exec_driver_sql(f"DROP VIEW `{view.replace('`', '``')}`")
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
