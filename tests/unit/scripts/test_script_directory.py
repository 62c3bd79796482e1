"""The script directory: which files are revisions, where they are looked for, loading one."""

from __future__ import annotations

import os
import py_compile
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from script_helpers import revision_text, write_file, write_revision_file

import sqlstrata
from sqlstrata.errors import ConfigError, ScriptError
from sqlstrata.scripts import ScriptDirectory, ScriptSettings, script_files


def ids(directory: ScriptDirectory) -> list[str]:
    return sorted(revision.id for revision in directory.revisions())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    return tmp_path / "migrations"


def test_settings_defaults(tmp_path: Path) -> None:
    settings = ScriptSettings(tmp_path)
    assert settings.version_locations == (tmp_path / "versions",)
    assert settings.file_template == "%(rev)s_%(slug)s"
    assert settings.truncate_slug_length == 40
    assert settings.output_encoding == "utf-8"
    assert not settings.recursive_version_locations and not settings.sourceless
    assert settings.post_write_hooks == ()
    explicit = ScriptSettings(tmp_path, version_locations=(tmp_path / "a",))
    assert explicit.version_locations == (tmp_path / "a",)


def test_settings_reject_a_useless_slug_length(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="truncate_slug_length"):
        ScriptSettings(tmp_path, truncate_slug_length=0)


def test_paths(project: Path) -> None:
    directory = ScriptDirectory(ScriptSettings(project))
    assert directory.env_py_path == project / "env.py"
    assert directory.template_path == project / "script.py.mako"


def test_revisions_of_a_chain(project: Path) -> None:
    versions = project / "versions"
    write_revision_file(versions, "a1")
    write_revision_file(versions, "b2", "a1")
    revisions = ScriptDirectory(ScriptSettings(project)).revisions()
    assert [(r.id, r.down_revisions) for r in revisions] == [("a1", ()), ("b2", ("a1",))]
    assert revisions[0].path == str(versions / "a1_x.py")


def test_missing_script_location_suggests_init(tmp_path: Path) -> None:
    directory = ScriptDirectory(ScriptSettings(tmp_path / "nowhere"))
    with pytest.raises(ScriptError, match="does not exist") as caught:
        directory.revisions()
    assert "strata init" in caught.value.hint


def test_missing_default_versions_directory_is_empty(tmp_path: Path) -> None:
    assert ScriptDirectory(ScriptSettings(tmp_path)).revisions() == ()


def test_missing_explicit_version_location_is_an_error(tmp_path: Path) -> None:
    settings = ScriptSettings(tmp_path, version_locations=(tmp_path / "typo",))
    with pytest.raises(ScriptError, match=r"version location .*typo does not exist"):
        ScriptDirectory(settings).revisions()


def test_only_revision_scripts_are_read(project: Path) -> None:
    versions = project / "versions"
    write_revision_file(versions, "a1")
    write_file(versions / "__init__.py", "revision = 'init'\n")
    write_file(versions / ".#a1_x.py", "revision = 'editor-lock'\n")
    write_file(versions / "helpers.py", "def helper():\n    return 1\n")
    write_file(versions / "notes.txt", "revision = 'text'\n")
    write_file(versions / "__pycache__" / "stale.py", "revision = 'cache'\n")
    write_file(versions / "sub" / "b2_x.py", revision_text("b2", "a1"), dedent=False)
    assert ids(ScriptDirectory(ScriptSettings(project))) == ["a1"]


def test_recursive_version_locations(project: Path) -> None:
    versions = project / "versions"
    write_revision_file(versions, "a1")
    write_revision_file(versions / "2024" / "01", "b2", "a1")
    write_revision_file(versions / "2024" / "02" / "deeper", "c3", "b2")
    write_revision_file(versions / ".hidden", "h1")
    assert ids(ScriptDirectory(ScriptSettings(project))) == ["a1"]
    recursive = ScriptSettings(project, recursive_version_locations=True)
    assert ids(ScriptDirectory(recursive)) == ["a1", "b2", "c3"]


def test_multiple_version_locations(tmp_path: Path) -> None:
    write_revision_file(tmp_path / "app" / "versions", "a1")
    write_revision_file(tmp_path / "lib" / "versions", "l1", labels="lib")
    settings = ScriptSettings(
        tmp_path,
        version_locations=(tmp_path / "app" / "versions", tmp_path / "lib" / "versions"),
    )
    revisions = ScriptDirectory(settings).revisions()
    assert [(r.id, r.branch_labels) for r in revisions] == [("a1", ()), ("l1", ("lib",))]
    for location in settings.version_locations:
        assert (location / "__pycache__" / "sqlstrata-headers.json").is_file()


def test_nested_locations_list_each_file_once(tmp_path: Path) -> None:
    outer = tmp_path / "versions"
    write_revision_file(outer, "a1")
    write_revision_file(outer / "inner", "b2", "a1")
    settings = ScriptSettings(
        tmp_path, version_locations=(outer, outer / "inner"), recursive_version_locations=True
    )
    assert [r.id for r in ScriptDirectory(settings).revisions()] == ["a1", "b2"]


def test_sourceless_pyc_files(project: Path) -> None:
    versions = project / "versions"
    source = write_revision_file(versions, "p1")
    py_compile.compile(str(source), cfile=str(versions / "p1_x.pyc"), doraise=True)
    write_revision_file(versions, "s1", "p1")
    py_compile.compile(str(versions / "s1_x.py"), cfile=str(versions / "s1_x.pyc"), doraise=True)
    source.unlink()  # p1 now exists only as bytecode; s1 has both
    assert ids(ScriptDirectory(ScriptSettings(project))) == ["s1"]
    sourceless = ScriptDirectory(ScriptSettings(project, sourceless=True))
    assert ids(sourceless) == ["p1", "s1"]
    paths = sorted(Path(r.path or "").name for r in sourceless.revisions())
    assert paths == ["p1_x.pyc", "s1_x.py"]
    names = [p.name for p in script_files(versions, recursive=False, sourceless=True)]
    assert names == ["p1_x.pyc", "s1_x.py"]


def test_load_module_runs_upgrade(project: Path) -> None:
    text = revision_text("a1") + textwrap.dedent(
        """
        CALLS = []


        def upgrade() -> None:
            CALLS.append("upgrade")
        """
    )
    write_file(project / "versions" / "a1_x.py", text, dedent=False)
    directory = ScriptDirectory(ScriptSettings(project))
    (revision,) = directory.revisions()
    module = directory.load_module(revision)
    module.upgrade()
    assert module.CALLS == ["upgrade"]
    assert module.revision == "a1"
    assert directory.load_module(revision) is not module  # a fresh import each time


def test_load_module_failure_names_the_file(project: Path) -> None:
    path = write_file(
        project / "versions" / "a1_x.py",
        revision_text("a1") + "\nimport strata_missing_dependency_xyz\n",
        dedent=False,
    )
    directory = ScriptDirectory(ScriptSettings(project))
    (revision,) = directory.revisions()  # the header alone does not need the import
    with pytest.raises(ScriptError) as caught:
        directory.load_module(revision)
    assert str(path) in str(caught.value)
    assert "strata_missing_dependency_xyz" in str(caught.value)


def test_load_module_without_a_file(project: Path) -> None:
    from sqlstrata.graph.revision import Revision

    with pytest.raises(ScriptError, match="has no file"):
        ScriptDirectory(ScriptSettings(project)).load_module(Revision("a1"))


def test_listing_revisions_imports_nothing_heavy(project: Path) -> None:
    versions = project / "versions"
    previous = None
    for number in range(300):
        rev = f"{number:012x}"
        write_revision_file(versions, rev, previous)
        previous = rev
    write_file(
        versions / "zz_boom.py",
        revision_text("boom", previous) + "\nraise RuntimeError('imported')\n",
        dedent=False,
    )
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from sqlstrata.scripts import ScriptDirectory, ScriptSettings
        for _ in range(2):  # cold, then from the cache
            revisions = ScriptDirectory(ScriptSettings(Path({str(project)!r}))).revisions()
        assert len(revisions) == 301, len(revisions)
        heavy = [m for m in sys.modules if m.split(".")[0] in ("mako", "sqlalchemy", "alembic")]
        scripts = [m for m in sys.modules if m.startswith("_strata_script_")]
        assert not heavy, heavy
        assert not scripts, scripts
        assert "subprocess" not in sys.modules
        """
    )
    source_root = str(Path(sqlstrata.__file__).parent.parent)
    env = {**os.environ, "PYTHONPATH": source_root}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
