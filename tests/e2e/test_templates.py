"""Every environment template works as generated: init, revision, upgrade, downgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.e2e.test_tutorial import strata
from tests.projects import table_names, version_rows

BODY = """
def upgrade() -> None:
    op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("account")
"""

ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+psycopg_async",
    "mysql": "mysql+aiomysql",
}


def only_revision(root: Path, versions: str = "migrations/versions") -> Path:
    (path,) = sorted((root / versions).glob("*.py"))
    return path


def fill(path: Path, body: str) -> None:
    text = path.read_text()
    path.write_text(text[: text.index("def upgrade(")] + body.lstrip())


def test_list_templates(tmp_path: Path) -> None:
    out = strata(tmp_path, "list-templates").stdout
    for name in ("generic", "async", "multidb", "pyproject"):
        assert f"\n{name} - " in out


def test_unknown_template(tmp_path: Path) -> None:
    proc = strata(tmp_path, "init", "-t", "nope", "migrations", code=1)
    assert "generic" in proc.stderr and not (tmp_path / "migrations").exists()


def test_generic_works_with_no_editing(tmp_path: Path) -> None:
    strata(tmp_path, "init", "migrations")
    strata(tmp_path, "revision", "-m", "create account")
    fill(only_revision(tmp_path), BODY)
    strata(tmp_path, "upgrade", "head")
    url = f"sqlite:///{tmp_path / 'app.db'}"
    assert "account" in table_names(url)


def test_package_flag(tmp_path: Path) -> None:
    strata(tmp_path, "init", "--package", "migrations")
    assert (tmp_path / "migrations" / "__init__.py").is_file()
    assert (tmp_path / "migrations" / "versions" / "__init__.py").is_file()
    strata(tmp_path, "revision", "-m", "x")
    assert len(list((tmp_path / "migrations" / "versions").glob("*_x.py"))) == 1


@pytest.mark.parametrize("lock", ["auto", "table"])
def test_async_template(tmp_path: Path, db_url: str, backend: str, lock: str) -> None:
    url = sa.make_url(db_url).set(drivername=ASYNC_DRIVERS[backend])
    async_url = url.render_as_string(hide_password=False)
    strata(tmp_path, "init", "-t", "async", "migrations")
    ini = tmp_path / "strata.ini"
    ini.write_text(ini.read_text().replace("# migration_lock = auto", f"migration_lock = {lock}"))
    strata(tmp_path, "revision", "-m", "create account")
    fill(only_revision(tmp_path), BODY)
    strata(tmp_path, "--url", async_url, "upgrade", "head")
    assert "account" in table_names(db_url)
    # The lock row's table; on MySQL GET_LOCK's holder also says there who it is.
    assert ("strata_lock" in table_names(db_url)) is (lock == "table" or backend == "mysql")
    strata(tmp_path, "--url", async_url, "downgrade", "base")
    assert "account" not in table_names(db_url)
    sql = strata(tmp_path, "--url", async_url, "upgrade", "head", "--sql").stdout
    assert "CREATE TABLE account" in sql


def test_pyproject_template(tmp_path: Path, db_url: str) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')
    strata(tmp_path, "init", "-t", "pyproject", "migrations")
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith('[project]\nname = "app"\n') and "[tool.strata]" in text
    assert not (tmp_path / "strata.ini").exists()
    strata(tmp_path, "revision", "-m", "create account")
    fill(only_revision(tmp_path), BODY)
    proc = strata(tmp_path, "--url", db_url, "upgrade", "head")
    assert "Running upgrade" in proc.stderr  # logging works without ini logging sections
    assert "account" in table_names(db_url)


def test_multidb_template(tmp_path: Path, db_url: str) -> None:
    strata(tmp_path, "init", "-t", "multidb", "migrations")
    ini = tmp_path / "strata.ini"
    other = f"sqlite:///{tmp_path / 'other.db'}"
    ini.write_text(
        ini.read_text()
        .replace("sqlite:///%(here)s/engine1.db", db_url.replace("%", "%%"))
        .replace("sqlite:///%(here)s/engine2.db", other)
    )
    strata(tmp_path, "revision", "-m", "split")
    path = only_revision(tmp_path)
    text = path.read_text()
    assert "def upgrade_engine1()" in text and "def downgrade_engine2()" in text
    text = text.replace(
        'def upgrade_engine1() -> None:\n    """Upgrade engine1 schema."""\n    pass',
        'def upgrade_engine1() -> None:\n    op.create_table("one", sa.Column("id", sa.Integer))',
    ).replace(
        'def upgrade_engine2() -> None:\n    """Upgrade engine2 schema."""\n    pass',
        'def upgrade_engine2() -> None:\n    op.create_table("two", sa.Column("id", sa.Integer))',
    )
    path.write_text(text)
    strata(tmp_path, "upgrade", "head")
    assert "one" in table_names(db_url) and "two" not in table_names(db_url)
    assert "two" in table_names(other) and "one" not in table_names(other)
    assert version_rows(db_url) == version_rows(other) != set()


@pytest.mark.parametrize("flag", ["-c", "STRATA_CONFIG"])
def test_config_elsewhere(tmp_path: Path, flag: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    strata(project, "init", "migrations")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ini = str(project / "strata.ini")
    if flag == "-c":
        out = strata(elsewhere, "-c", ini, "revision", "-m", "from elsewhere").stdout
    else:
        import os
        import subprocess
        import sys

        proc = subprocess.run(
            [sys.executable, "-m", "sqlstrata", "revision", "-m", "from elsewhere"],
            cwd=elsewhere,
            env={**os.environ, "STRATA_CONFIG": ini},
            capture_output=True,
            text=True,
            check=True,
        )
        out = proc.stdout
    assert str(project / "migrations" / "versions") in out
