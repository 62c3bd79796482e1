"""Broken histories and bad input: one clear line, a distinct exit code, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_tutorial import strata
from tests.projects import add_revision, make_project, table_names, version_rows

CREATE = 'op.create_table("{0}", sa.Column("id", sa.Integer, primary_key=True))'


@pytest.fixture
def applied(tmp_path: Path, db_url: str) -> Path:
    """A project at revision r1 (table t1 created), with --url fixed in the ini."""
    config = make_project(tmp_path, db_url)
    ini = tmp_path / "strata.ini"
    ini.write_text(ini.read_text().replace("sqlite:///%(here)s/app.db", db_url.replace("%", "%%")))
    add_revision(config, "r1", None, CREATE.format("t1"), 'op.drop_table("t1")')
    strata(tmp_path, "upgrade", "head")
    return tmp_path


def unchanged(url: str) -> bool:
    return version_rows(url) == {"r1"} and "t1" in table_names(url) and "t2" not in table_names(url)


def versions_dir(root: Path) -> Path:
    return root / "migrations" / "versions"


def write(root: Path, name: str, rev: str, down: str | None, body: str = "pass") -> Path:
    path = versions_dir(root) / name
    path.write_text(
        f'"""{rev}"""\nimport sqlalchemy as sa\nfrom sqlstrata import op\n\n'
        f"revision = {rev!r}\ndown_revision = {down!r}\n\n\n"
        f"def upgrade():\n    {body}\n\n\ndef downgrade():\n    pass\n"
    )
    return path


def test_duplicate_revision_id(applied: Path, db_url: str) -> None:
    write(applied, "copy_of_r1.py", "r1", None)
    proc = strata(applied, "upgrade", "head", code=3)
    assert "declared twice" in proc.stderr
    assert "copy_of_r1.py" in proc.stderr and "r1.py" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len([ln for ln in proc.stderr.splitlines() if not ln.startswith("INFO")]) == 1
    assert unchanged(db_url)


def test_cycle(applied: Path, db_url: str) -> None:
    write(applied, "ra.py", "ra", "rb")
    write(applied, "rb.py", "rb", "ra")
    proc = strata(applied, "heads", code=3)
    assert "cycle" in proc.stderr and ("ra.py" in proc.stderr or "rb.py" in proc.stderr)
    strata(applied, "upgrade", "head", code=3)
    assert unchanged(db_url)


def test_missing_down_revision(applied: Path, db_url: str) -> None:
    write(applied, "r2.py", "r2", "nope", CREATE.format("t2"))
    proc = strata(applied, "upgrade", "head", code=3)
    assert "'nope'" in proc.stderr and "r2.py" in proc.stderr and "does not exist" in proc.stderr
    assert unchanged(db_url)


def test_module_that_fails_to_import(applied: Path, db_url: str) -> None:
    path = write(applied, "r2.py", "r2", "r1", CREATE.format("t2"))
    path.write_text(path.read_text().replace("import sqlalchemy as sa", "import not_installed_xyz"))
    proc = strata(applied, "upgrade", "head", code=1)
    assert "r2.py" in proc.stderr and "not_installed_xyz" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert unchanged(db_url)


def test_unknown_and_ambiguous_targets(applied: Path, db_url: str) -> None:
    write(applied, "r2aa.py", "r2aa", "r1", CREATE.format("t2"))
    write(applied, "r2ab.py", "r2ab", "r1", CREATE.format("t2"))
    proc = strata(applied, "upgrade", "r2a", code=4)
    assert "r2aa" in proc.stderr and "r2ab" in proc.stderr
    proc = strata(applied, "upgrade", "zzzz", code=4)
    assert "'zzzz'" in proc.stderr
    proc = strata(applied, "upgrade", "head", code=4)
    assert "several heads" in proc.stderr and "merge" in proc.stderr
    assert unchanged(db_url)


def test_failing_migration_reports_one_line(applied: Path, db_url: str, backend: str) -> None:
    write(applied, "r2.py", "r2", "r1", "op.execute('SELECT * FROM no_such_table')")
    proc = strata(applied, "upgrade", "head", code=5)
    assert "r2" in proc.stderr and "no_such_table" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert unchanged(db_url)


def test_missing_config(tmp_path: Path) -> None:
    proc = strata(tmp_path, "heads", code=2)
    assert "strata init" in proc.stderr and "Traceback" not in proc.stderr


def test_database_at_unknown_revision(applied: Path, db_url: str) -> None:
    (versions_dir(applied) / "r1.py").rename(versions_dir(applied) / "r1.py.bak")
    write(applied, "r9.py", "r9", None)
    proc = strata(applied, "upgrade", "head", code=11)  # the history knows r1 ran
    assert "r1" in proc.stderr and "gone" in proc.stderr
    proc = strata(applied, "upgrade", "head", "--no-verify", code=4)  # the graph lacks it
    assert "'r1'" in proc.stderr
    assert version_rows(db_url) == {"r1"}


def test_password_is_masked(applied: Path, db_url: str, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("no password in a SQLite URL")
    import sqlalchemy as sa

    url = sa.make_url(db_url).set(password="s3cret-pw").render_as_string(hide_password=False)
    # PostgreSQL here trusts local connections whatever the password; MariaDB refuses it.
    proc = strata(applied, "--url", url, "current", "-v", code=0 if backend == "postgresql" else 1)
    assert "s3cret-pw" not in proc.stdout + proc.stderr
    if backend == "postgresql":
        assert "***" in proc.stdout
