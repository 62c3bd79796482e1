"""The remaining commands and global options, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_tutorial import strata
from tests.projects import add_revision, make_project, table_names, version_rows

CREATE = 'op.create_table("{0}", sa.Column("id", sa.Integer, primary_key=True))'


@pytest.fixture
def chain(tmp_path: Path, db_url: str) -> Path:
    """r1 <- r2 <- r3, with the ini pointing at the test database."""
    config = make_project(tmp_path, db_url)
    ini = tmp_path / "strata.ini"
    ini.write_text(ini.read_text().replace("sqlite:///%(here)s/app.db", db_url.replace("%", "%%")))
    add_revision(config, "r1", None, CREATE.format("t1"), 'op.drop_table("t1")', message="one")
    add_revision(config, "r2", "r1", CREATE.format("t2"), 'op.drop_table("t2")', message="two")
    add_revision(config, "r3", "r2", CREATE.format("t3"), 'op.drop_table("t3")', message="three")
    return tmp_path


def test_stamp_offline_and_several_revisions(chain: Path, db_url: str) -> None:
    sql = strata(chain, "stamp", "r2", "--sql").stdout
    assert "CREATE TABLE strata_version" in sql and "'r2'" in sql
    assert table_names(db_url) == set()
    sql = strata(chain, "stamp", "r1:r3", "--sql").stdout
    assert (
        "UPDATE strata_version SET version_num='r3' WHERE strata_version.version_num = 'r1'" in sql
    )
    strata(chain, "stamp", "r2")
    assert version_rows(db_url) == {"r2"} and "t1" not in table_names(db_url)
    strata(chain, "upgrade", "head")
    assert version_rows(db_url) == {"r3"} and "t3" in table_names(db_url)
    assert "t2" not in table_names(db_url)  # stamping skipped r2's script


def test_ensure_version(chain: Path, db_url: str) -> None:
    assert "CREATE TABLE strata_version" in strata(chain, "ensure-version", "--sql").stdout
    assert table_names(db_url) == set()
    strata(chain, "ensure-version")
    assert table_names(db_url) == {"strata_version"}
    strata(chain, "ensure-version")  # a second time is fine
    assert version_rows(db_url) == set()


def test_current_check_heads(chain: Path) -> None:
    proc = strata(chain, "current", "--check-heads", code=1)
    assert "upgrade" in proc.stderr
    strata(chain, "upgrade", "head")
    assert strata(chain, "current", "--check-heads").stdout.strip() == "r3 (head)"


def test_heads_show_history_verbose_and_json(chain: Path) -> None:
    assert strata(chain, "heads").stdout.strip() == "r3 (head)"
    verbose = strata(chain, "heads", "-v").stdout
    assert "Rev: r3 (head)" in verbose and "Parent: r2" in verbose and "r3.py" in verbose
    shown = strata(chain, "show", "r2").stdout
    assert "Rev: r2" in shown and "two" in shown
    assert "Rev: r3 (head)" in strata(chain, "show", "head").stdout
    data = json.loads(strata(chain, "history", "--format", "json").stdout)
    assert [d["revision"] for d in data] == ["r3", "r2", "r1"]
    assert data[0]["is_head"] and data[2]["down_revisions"] == []
    assert "Path:" in strata(chain, "history", "-v").stdout
    strata(chain, "upgrade", "r2")
    state = json.loads(strata(chain, "current", "--format", "json").stdout)
    assert state["heads"] == ["r2"]


def test_branch_labels_and_depends_on(tmp_path: Path, db_url: str) -> None:
    config = make_project(tmp_path, db_url)
    add_revision(config, "a1", None, CREATE.format("a1"), labels=("shop",))
    add_revision(config, "a2", "a1", CREATE.format("a2"))
    add_revision(config, "b1", None, CREATE.format("b1"), labels=("auth",))
    add_revision(config, "b2", "b1", CREATE.format("b2"), depends=("a1",))
    args = ("--url", db_url)
    strata(tmp_path, *args, "upgrade", "auth@head")
    assert version_rows(db_url) == {"a1", "b2"}  # b2 needed a1 first
    strata(tmp_path, *args, "upgrade", "shop@head")
    assert version_rows(db_url) == {"a2", "b2"}
    strata(tmp_path, *args, "downgrade", "auth@base")
    assert version_rows(db_url) == {"a2"}
    heads = strata(tmp_path, *args, "heads", "--resolve-dependencies").stdout.split()
    assert "a2" in heads
    strata(tmp_path, *args, "revision", "-m", "more auth", "--head", "auth@head", "--rev-id", "b3")
    assert "b3" in strata(tmp_path, *args, "heads").stdout
    proc = strata(tmp_path, *args, "revision", "-m", "x", "--branch-label", "shop", code=1)
    assert "shop" in proc.stderr


def test_x_arguments_reach_env_py(chain: Path) -> None:
    env = chain / "migrations" / "env.py"
    env.write_text(
        env.read_text().replace(
            "target_metadata = None",
            "target_metadata = None\n"
            "import sys\n"
            "sys.stderr.write('X=%r\\n' % (context.get_x_argument(as_dictionary=True),))",
        )
    )
    proc = strata(chain, "-x", "tenant=acme", "-x", "dry", "current")
    assert "X={'tenant': 'acme', 'dry': ''}" in proc.stderr


def test_env_var_in_url(tmp_path: Path, db_url: str) -> None:
    strata(tmp_path, "init", "migrations")
    ini = tmp_path / "strata.ini"
    ini.write_text(ini.read_text().replace("sqlite:///%(here)s/app.db", "${APP_DB_URL}"))
    env = {**os.environ, "APP_DB_URL": db_url}
    proc = subprocess.run(
        [sys.executable, "-m", "sqlstrata", "ensure-version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "strata_version" in table_names(db_url)
    env.pop("APP_DB_URL")
    proc = subprocess.run(
        [sys.executable, "-m", "sqlstrata", "ensure-version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "APP_DB_URL" in proc.stderr


def test_edit_opens_the_file(chain: Path) -> None:
    env = {**os.environ, "EDITOR": f"{sys.executable} -c 'import sys; print(sys.argv[1])'"}
    proc = subprocess.run(
        [sys.executable, "-m", "sqlstrata", "edit", "r2"],
        cwd=chain,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("r2.py")


def test_rev_id_rules(chain: Path) -> None:
    proc = strata(chain, "revision", "-m", "bad", "--rev-id", "a-b", code=1)
    assert "'a-b'" in proc.stderr and "Traceback" not in proc.stderr
    proc = strata(chain, "revision", "-m", "dup", "--rev-id", "r1", code=1)
    assert "r1" in proc.stderr and "Traceback" not in proc.stderr
    proc = strata(chain, "revision", "-m", "not head", "--head", "r1", code=1)
    assert "--splice" in proc.stderr


def test_python_api(chain: Path, db_url: str) -> None:
    from sqlstrata import command
    from sqlstrata.config import Config

    config = Config(chain / "strata.ini", url_override=db_url)
    command.upgrade(config, "head")
    assert command.current(config).heads == ("r3",)
    command.downgrade(config, "r1")
    assert version_rows(db_url) == {"r1"}
    assert [v.revision.id for v in command.history(config)] == ["r3", "r2", "r1"]


def test_heads_does_not_import_sqlalchemy_or_revisions(chain: Path) -> None:
    """Commands that only need the graph read headers without importing anything heavy."""
    code = (
        "import sys\n"
        "from sqlstrata.cli.main import main\n"
        "rc = main(['heads'])\n"
        "heavy = [m for m in ('sqlalchemy', 'mako', 'rich') if m in sys.modules]\n"
        "revs = [m for m in sys.modules if m.endswith(('r1', 'r2', 'r3'))]\n"
        "print('HEAVY', heavy, 'REVS', revs, 'RC', rc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=chain, capture_output=True, text=True, check=True
    )
    assert "HEAVY [] REVS [] RC 0" in proc.stdout, proc.stdout + proc.stderr


def test_quiet_silences_progress_but_not_errors(chain: Path) -> None:
    proc = strata(chain, "-q", "upgrade", "head")
    assert proc.stderr == "" and proc.stdout == ""
    proc = strata(chain, "-q", "upgrade", "nope", code=4)
    assert "ERROR" in proc.stderr
