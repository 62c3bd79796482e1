"""Writing revision files: ids, slugs, file names, rendering the template, reading it back."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from script_helpers import SCRIPT_MAKO, write_file

from sqlstrata.errors import CommandError, ConfigError, ScriptError
from sqlstrata.scripts import (
    ScriptDirectory,
    ScriptSettings,
    new_revision_id,
    read_header,
    revision_filename,
    slugify,
    write_revision,
)

WHEN = datetime(2024, 3, 5, 7, 8, 9, tzinfo=UTC)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    location = tmp_path / "migrations"
    write_file(location / "script.py.mako", SCRIPT_MAKO, dedent=False)
    (location / "versions").mkdir()
    return location


def test_new_revision_id() -> None:
    made = {new_revision_id() for _ in range(200)}
    assert len(made) == 200
    assert all(re.fullmatch(r"[0-9a-f]{12}", rev) for rev in made)


@pytest.mark.parametrize(
    ("message", "length", "slug"),
    [
        ("Add a column", 40, "add_a_column"),
        ("  Add   'user'.email -- NOT NULL!  ", 40, "add_user_email_not_null"),
        ("create account table", 14, "create_account"),  # cut lands on a word end
        ("create account table", 16, "create_account"),  # cut inside "table"
        ("create account table", 15, "create_account"),  # cut on the underscore
        ("supercalifragilistic", 5, "super"),  # one long word is cut inside
        ("", 40, ""),
        (None, 40, ""),
        ("Ajouter le champ été", 40, "ajouter_le_champ_été"),
    ],
)
def test_slugify(message: str | None, length: int, slug: str) -> None:
    assert slugify(message, length) == slug
    assert len(slug) <= length


def filename(template: str, message: str = "Add a column", length: int = 40) -> str:
    return revision_filename(
        template,
        rev_id="ae1027a6acf",
        message=message,
        create_date=WHEN,
        truncate_slug_length=length,
    )


def test_default_file_name() -> None:
    assert filename("%(rev)s_%(slug)s") == "ae1027a6acf_add_a_column.py"


def test_all_file_template_tokens() -> None:
    template = "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d%(second).2d-%(rev)s_%(slug)s"
    assert filename(template) == "2024_03_05_070809-ae1027a6acf_add_a_column.py"
    assert filename("%(epoch)s_%(rev)s") == f"{int(WHEN.timestamp())}_ae1027a6acf.py"


def test_file_template_percent_escape() -> None:
    assert filename("100%%_%(rev)s") == "100%_ae1027a6acf.py"


def test_file_template_subdirectories() -> None:
    assert filename("%(year)d/%(month).2d/%(rev)s") == "2024/03/ae1027a6acf.py"


def test_slug_truncation_in_file_name() -> None:
    name = filename("%(rev)s_%(slug)s", "add a very long message about the account table", 20)
    assert name == "ae1027a6acf_add_a_very_long.py"


@pytest.mark.parametrize(
    ("template", "complaint"),
    [
        ("%(rev)s_%(nope)s", "unknown token 'nope'"),
        ("%(rev)s_%(slug)", "not a valid %-format"),
        ("../%(rev)s", "not a relative path"),
        ("/abs/%(rev)s", "not a relative path"),
        ("a//%(rev)s", "not a relative path"),
    ],
)
def test_bad_file_templates(template: str, complaint: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(complaint)):
        filename(template)


def test_written_revision_reads_back(project: Path) -> None:
    settings = ScriptSettings(project)
    path = write_revision(
        settings,
        rev_id="ae1027a6acf",
        message="Add a column",
        down_revisions=("1975ea83b712",),
        create_date=WHEN,
    )
    assert path == project / "versions" / "ae1027a6acf_add_a_column.py"
    text = path.read_text()
    assert "Revises: 1975ea83b712\nCreate Date: 2024-03-05 07:08:09+00:00" in text
    assert "down_revision: Union[str, Sequence[str], None] = '1975ea83b712'" in text
    assert "def upgrade() -> None:\n    pass" in text
    compile(text, str(path), "exec")
    revision = read_header(path)
    assert (revision.id, revision.down_revisions, revision.message) == (
        "ae1027a6acf",
        ("1975ea83b712",),
        "Add a column",
    )
    assert ScriptDirectory(settings).revisions() == (revision,)


def test_merge_labels_depends_and_template_args(project: Path) -> None:
    path = write_revision(
        ScriptSettings(project),
        rev_id="m1",
        message="merge heads",
        down_revisions=("a1", "b2"),
        branch_labels=("shoppingcart",),
        depends_on=("d4", "e5"),
        template_args={
            "imports": "import os",
            "upgrades": "op.create_table('account')",
            "downgrades": "op.drop_table('account')",
        },
        create_date=WHEN,
    )
    text = path.read_text()
    assert "Revises: a1, b2" in text
    assert "down_revision: Union[str, Sequence[str], None] = ('a1', 'b2')" in text
    assert "import os\n" in text
    assert "    op.create_table('account')" in text
    assert "    op.drop_table('account')" in text
    revision = read_header(path)
    assert revision.down_revisions == ("a1", "b2")
    assert revision.branch_labels == ("shoppingcart",)
    assert revision.depends_on == ("d4", "e5")


def test_alembic_generic_template_renders(tmp_path: Path) -> None:
    alembic = pytest.importorskip("alembic")
    template = Path(alembic.__file__).parent / "templates" / "generic" / "script.py.mako"
    location = tmp_path / "migrations"
    write_file(location / "script.py.mako", template.read_text(), dedent=False)
    path = write_revision(
        ScriptSettings(location),
        rev_id="abc123",
        message="from alembic",
        down_revisions=("parent1",),
        create_date=WHEN,
    )
    revision = read_header(path)
    assert (revision.id, revision.down_revisions, revision.message) == (
        "abc123",
        ("parent1",),
        "from alembic",
    )
    compile(path.read_text(), str(path), "exec")


def test_method_on_script_directory(project: Path) -> None:
    directory = ScriptDirectory(ScriptSettings(project))
    path = directory.write_revision(rev_id="a1", message="first")
    assert [r.id for r in directory.revisions()] == ["a1"]
    assert path.name == "a1_first.py"


def test_file_template_with_subdirectories(project: Path) -> None:
    template = "%(year)d/%(month).2d/%(rev)s_%(slug)s"
    flat = ScriptSettings(project, file_template=template)
    with pytest.raises(ConfigError, match="subdirectory") as caught:
        write_revision(flat, rev_id="a1", message="m", create_date=WHEN)
    assert "recursive_version_locations" in caught.value.hint
    settings = ScriptSettings(project, file_template=template, recursive_version_locations=True)
    path = write_revision(settings, rev_id="a1", message="m", create_date=WHEN)
    assert path == project / "versions" / "2024" / "03" / "a1_m.py"
    assert [r.id for r in ScriptDirectory(settings).revisions()] == ["a1"]


def test_timezone_applies_to_name_and_create_date(project: Path) -> None:
    settings = ScriptSettings(
        project, timezone="Asia/Tokyo", file_template="%(year)d%(month).2d%(day).2d_%(hour).2d"
    )
    path = write_revision(settings, rev_id="a1", message="m", create_date=WHEN)
    assert path.name == "20240305_16.py"
    assert "Create Date: 2024-03-05 16:08:09+09:00" in path.read_text()


def test_unknown_timezone(project: Path) -> None:
    settings = ScriptSettings(project, timezone="Mars/Olympus_Mons")
    with pytest.raises(ConfigError, match="timezone 'Mars/Olympus_Mons'"):
        write_revision(settings, rev_id="a1", message="m", create_date=WHEN)


def test_output_encoding(tmp_path: Path) -> None:
    location = tmp_path / "migrations"
    # Mako takes a coding comment on the first line as the template's own; use the second.
    cookie = "# A latin-1 revision.\n# -*- coding: latin-1 -*-\n"
    write_file(location / "script.py.mako", cookie + SCRIPT_MAKO, dedent=False)
    settings = ScriptSettings(location, output_encoding="latin-1")
    path = write_revision(settings, rev_id="a1", message="ajouter café", create_date=WHEN)
    assert "ajouter café".encode("latin-1") in path.read_bytes()
    assert read_header(path).message == "ajouter café"


def test_unencodable_message(project: Path) -> None:
    settings = ScriptSettings(project, output_encoding="ascii")
    with pytest.raises(ScriptError, match="ascii cannot encode"):
        write_revision(settings, rev_id="a1", message="café", create_date=WHEN)
    assert list((project / "versions").iterdir()) == []


def test_unknown_output_encoding(project: Path) -> None:
    settings = ScriptSettings(project, output_encoding="utf-99")
    with pytest.raises(ConfigError, match="output_encoding 'utf-99'"):
        write_revision(settings, rev_id="a1", message="m", create_date=WHEN)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("line one\n${undefined_thing.attribute}\n", r"AttributeError: .* \(line 2: "),
        ("ok\n${1 / 0}\n", r"ZeroDivisionError: division by zero \(line 2: \$\{1 / 0\}\)"),
        ("ok\n% if up_revision:\nunterminated\n", r"SyntaxException: Unterminated control"),
    ],
)
def test_template_errors(tmp_path: Path, template: str, expected: str) -> None:
    location = tmp_path / "migrations"
    write_file(location / "script.py.mako", template, dedent=False)
    with pytest.raises(ScriptError, match=expected) as caught:
        write_revision(ScriptSettings(location), rev_id="a1", message="m", create_date=WHEN)
    assert "script.py.mako" in str(caught.value)
    assert not (location / "versions").exists() or not any((location / "versions").iterdir())


def test_missing_template(tmp_path: Path) -> None:
    (tmp_path / "versions").mkdir()
    with pytest.raises(ScriptError, match=r"script\.py\.mako does not exist"):
        write_revision(ScriptSettings(tmp_path), rev_id="a1", message="m")


def test_existing_file_is_not_overwritten(project: Path) -> None:
    settings = ScriptSettings(project)
    path = write_revision(settings, rev_id="a1", message="m", create_date=WHEN)
    before = path.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        write_revision(settings, rev_id="a1", message="m", create_date=WHEN)
    assert path.read_bytes() == before


def test_version_path_must_be_a_location(project: Path, tmp_path: Path) -> None:
    other = project / "other_versions"
    other.mkdir()
    settings = ScriptSettings(project, version_locations=(project / "versions", other))
    path = write_revision(settings, rev_id="a1", message="m", version_path=other)
    assert path.parent == other
    with pytest.raises(CommandError, match="not one of the version locations"):
        write_revision(settings, rev_id="b2", message="m", version_path=tmp_path)


def test_version_path_inside_a_recursive_location(project: Path) -> None:
    inside = project / "versions" / "feature"
    inside.mkdir()
    flat = ScriptSettings(project)
    with pytest.raises(CommandError):
        write_revision(flat, rev_id="a1", message="m", version_path=inside)
    recursive = ScriptSettings(project, recursive_version_locations=True)
    path = write_revision(recursive, rev_id="a1", message="m", version_path=inside)
    assert path.parent == inside


@pytest.mark.parametrize("rev_id", ["", "a-b", "a@b", "a b", "../x"])
def test_invalid_revision_ids(project: Path, rev_id: str) -> None:
    with pytest.raises(CommandError, match="may contain only"):
        write_revision(ScriptSettings(project), rev_id=rev_id, message="m")


def test_template_args_cannot_change_the_identity(project: Path) -> None:
    with pytest.raises(CommandError, match="may not set up_revision"):
        write_revision(
            ScriptSettings(project), rev_id="a1", message="m", template_args={"up_revision": "x"}
        )


def test_no_message(project: Path) -> None:
    path = write_revision(ScriptSettings(project), rev_id="a1", message=None, create_date=WHEN)
    assert path.name == "a1_.py"
    assert read_header(path).message == "empty message"
