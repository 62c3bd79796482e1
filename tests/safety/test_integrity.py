"""Integrity: edited, deleted and re-parented scripts, the sum file, and the history log."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_tutorial import strata
from tests.projects import add_revision, make_project, version_rows

CREATE = 'op.create_table("{0}", sa.Column("id", sa.Integer, primary_key=True))'


@pytest.fixture
def applied(tmp_path: Path, db_url: str) -> Path:
    """r1 <- r2 applied; r3 written but not applied."""
    config = make_project(tmp_path, db_url)
    ini = tmp_path / "strata.ini"
    ini.write_text(ini.read_text().replace("sqlite:///%(here)s/app.db", db_url.replace("%", "%%")))
    add_revision(config, "r1", None, CREATE.format("t1"), 'op.drop_table("t1")')
    add_revision(config, "r2", "r1", CREATE.format("t2"), 'op.drop_table("t2")')
    strata(tmp_path, "upgrade", "head")
    add_revision(config, "r3", "r2", CREATE.format("t3"), 'op.drop_table("t3")')
    return tmp_path


def versions(root: Path) -> Path:
    return root / "migrations" / "versions"


def test_clean_verify(applied: Path) -> None:
    assert "OK" in strata(applied, "verify").stdout


def test_edited_script_is_caught(applied: Path, db_url: str) -> None:
    path = versions(applied) / "r2.py"
    path.write_text(path.read_text() + "\n# edited after it ran\n")
    out = strata(applied, "verify", code=10).stdout
    assert "edited: r2" in out
    proc = strata(applied, "upgrade", "head", code=10)
    assert "r2" in proc.stderr and "Traceback" not in proc.stderr
    assert version_rows(db_url) == {"r2"}  # refused before touching anything
    strata(applied, "upgrade", "head", "--no-verify")
    assert version_rows(db_url) == {"r3"}


def test_accepting_an_edit(applied: Path) -> None:
    path = versions(applied) / "r1.py"
    path.write_text(path.read_text() + "\n# a comment, on purpose\n")
    strata(applied, "verify", code=10)
    strata(applied, "verify", "--accept", "r1")
    strata(applied, "verify")
    strata(applied, "upgrade", "head")


def test_crlf_copy_is_not_an_edit(applied: Path) -> None:
    path = versions(applied) / "r1.py"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    strata(applied, "verify")


def test_deleted_script_is_caught(applied: Path) -> None:
    # Keep the graph whole: r2 now starts at base, r1's script is gone.
    (versions(applied) / "r1.py").unlink()
    path = versions(applied) / "r2.py"
    path.write_text(path.read_text().replace("down_revision = 'r1'", "down_revision = None"))
    out = strata(applied, "verify", code=11).stdout
    assert "missing: r1" in out


def test_reordered_script_is_caught(applied: Path) -> None:
    config_root = applied
    path = versions(config_root) / "r2.py"
    path.write_text(path.read_text().replace("down_revision = 'r1'", "down_revision = None"))
    out = strata(applied, "verify", code=12).stdout
    assert "reordered: r2" in out


def test_log_shows_every_step(applied: Path) -> None:
    strata(applied, "downgrade", "r1")
    strata(applied, "stamp", "r2")
    text = strata(applied, "log").stdout.splitlines()
    assert text[0].split()[:4] == ["id", "revision", "direction", "outcome"]
    entries = json.loads(strata(applied, "log", "--format", "json").stdout)
    got = [(e["revision"], e["direction"], e["outcome"]) for e in entries]
    assert got == [
        ("r1", "upgrade", "applied"),
        ("r2", "upgrade", "applied"),
        ("r2", "downgrade", "applied"),
        ("r1", "unstamp", "applied"),
        ("r2", "stamp", "applied"),
    ]
    first = entries[0]
    assert first["checksum"].startswith("sha256-v1:") and first["tool_version"]
    assert first["host"] and first["username"] and first["duration_ms"] is not None
    assert first["statements_applied"] == 1
    assert len(json.loads(strata(applied, "log", "-n", "2", "--format", "json").stdout)) == 2


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_parallel_heads_conflict_in_the_sum_file(tmp_path: Path) -> None:
    config = make_project(tmp_path, f"sqlite:///{tmp_path / 'x.db'}")
    add_revision(config, "r1", None, CREATE.format("t1"))
    strata(tmp_path, "hash")
    strata(tmp_path, "verify", "--offline")
    assert git(tmp_path, "init", "-q", "-b", "main").returncode == 0
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    git(tmp_path, "checkout", "-qb", "feature")
    add_revision(config, "fa", "r1", CREATE.format("ta"))
    strata(tmp_path, "hash")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "feature revision")
    git(tmp_path, "checkout", "-q", "main")
    add_revision(config, "mb", "r1", CREATE.format("tb"))
    strata(tmp_path, "verify", "--offline", code=13)  # forgot to re-hash: caught
    strata(tmp_path, "hash")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "main revision")
    merged = git(tmp_path, "merge", "feature")
    assert merged.returncode != 0 and "strata.sum" in merged.stdout + merged.stderr
    # Taking one side of the conflict leaves the other side's revision unhashed.
    git(tmp_path, "checkout", "--ours", "migrations/strata.sum")
    out = strata(tmp_path, "verify", "--offline", code=13).stdout
    assert "fa" in out


def test_sum_file_handles_merges(tmp_path: Path) -> None:
    config = make_project(tmp_path, f"sqlite:///{tmp_path / 'x.db'}")
    add_revision(config, "r1", None)
    add_revision(config, "a", "r1")
    add_revision(config, "b", "r1")
    add_revision(config, "m", ("a", "b"))
    strata(tmp_path, "hash")
    strata(tmp_path, "verify", "--offline")
    path = versions(tmp_path) / "b.py"
    path.write_text(path.read_text() + "# changed\n")
    out = strata(tmp_path, "verify", "--offline", code=13).stdout
    assert "b" in out and "m" in out  # the merge's chain covers its parents
