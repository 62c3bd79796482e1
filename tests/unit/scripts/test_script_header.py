"""Reading revision headers: every Alembic header shape, the import fallback, and its errors."""

from __future__ import annotations

import hashlib
import py_compile
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from script_helpers import revision_text, write_file

from sqlstrata.errors import ScriptError
from sqlstrata.graph.revision import Revision
from sqlstrata.scripts.header import EMPTY_MESSAGE, inspect_script, read_header
from sqlstrata.scripts.loader import import_script, module_name_for

TUTORIAL_STYLE = '''\
"""Add a column

Revision ID: ae1027a6acf
Revises: 1975ea83b712
Create Date: 2011-11-08 12:37:36.714947

"""

# revision identifiers, used by Alembic.
revision = 'ae1027a6acf'
down_revision = '1975ea83b712'

from alembic import op
import sqlalchemy as sa

def upgrade():
    op.add_column('account', sa.Column('last_transaction_date', sa.DateTime))

def downgrade():
    op.drop_column('account', 'last_transaction_date')
'''

MODERN_STYLE = '''\
"""create account table

Revision ID: 1975ea83b712
Revises:
Create Date: 2024-11-08 11:40:27.089406

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "1975ea83b712"
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("account")
'''


def header_of(tmp_path: Path, text: str, name: str = "script.py") -> Revision:
    return read_header(write_file(tmp_path / name, text, dedent=False))


def test_tutorial_style_header(tmp_path: Path) -> None:
    revision = header_of(tmp_path, TUTORIAL_STYLE)
    assert revision.id == "ae1027a6acf"
    assert revision.down_revisions == ("1975ea83b712",)
    assert revision.branch_labels == ()
    assert revision.depends_on == ()
    assert revision.message == "Add a column"
    assert revision.path == str(tmp_path / "script.py")


def test_modern_annotated_header(tmp_path: Path) -> None:
    revision = header_of(tmp_path, MODERN_STYLE)
    assert revision == Revision(
        id="1975ea83b712",
        message="create account table",
        path=str(tmp_path / "script.py"),
        checksum="sha256-v1:" + hashlib.sha256(MODERN_STYLE.encode()).hexdigest(),
    )
    assert revision.is_base


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("down_revision = ('ae1', 'bf2')", ("ae1", "bf2")),
        ("down_revision = ['ae1', 'bf2']", ("ae1", "bf2")),
        ('down_revision: Union[str, Sequence[str], None] = ("ae1", "bf2",)', ("ae1", "bf2")),
        ("down_revision = (\n    'ae1',\n    'bf2',\n)", ("ae1", "bf2")),  # needs ast
        ("down_revision = ('ae1')", ("ae1",)),  # a parenthesised string, not a tuple
        ("down_revision = ()", ()),
        ("down_revision = ''", ()),
    ],
)
def test_down_revision_shapes(tmp_path: Path, assignment: str, expected: tuple[str, ...]) -> None:
    text = f'"""merge"""\nrevision = "cc3"\n{assignment}\n\ndef upgrade():\n    pass\n'
    revision = header_of(tmp_path, text)
    assert revision.down_revisions == expected
    assert revision.is_merge == (len(expected) > 1)


@pytest.mark.parametrize(
    ("labels", "depends", "expected_labels", "expected_depends"),
    [
        ("'shoppingcart'", "None", ("shoppingcart",), ()),
        ("('shoppingcart', 'cart')", "'55af2cb1c267'", ("shoppingcart", "cart"), ("55af2cb1c267",)),
        ("None", "['55af2cb1c267', 'networking']", (), ("55af2cb1c267", "networking")),
    ],
)
def test_branch_labels_and_depends_on(
    tmp_path: Path,
    labels: str,
    depends: str,
    expected_labels: tuple[str, ...],
    expected_depends: tuple[str, ...],
) -> None:
    text = (
        '"""branch"""\n'
        "revision = 'b1'\n"
        "down_revision = None\n"
        f"branch_labels = {labels}  # a trailing comment\n"
        f"depends_on = {depends}\n"
    )
    revision = header_of(tmp_path, text)
    assert revision.branch_labels == expected_labels
    assert revision.depends_on == expected_depends


@pytest.mark.parametrize(
    ("docstring", "message"),
    [
        ('"""create account table\n\nRevision ID: x\n"""', "create account table"),
        ("'''  padded message  '''", "padded message"),
        ('r"""raw message"""', "raw message"),
        ('"""\n\nRevision ID: x\n"""', EMPTY_MESSAGE),
        ('"""with an escape\\n here"""', "with an escape"),  # read by ast
        ('"single-quoted docstring"', "single-quoted docstring"),  # read by ast
        ("", EMPTY_MESSAGE),
    ],
)
def test_message_is_the_first_docstring_line(tmp_path: Path, docstring: str, message: str) -> None:
    revision = header_of(tmp_path, f"{docstring}\nrevision = 'a1'\ndown_revision = None\n")
    assert revision.message == message


def test_header_is_read_without_importing(tmp_path: Path) -> None:
    text = MODERN_STYLE + "\nraise RuntimeError('imported!')\n"
    path = write_file(tmp_path / "boom.py", text, dedent=False)
    header = inspect_script(path)
    assert header.revision is not None and header.revision.id == "1975ea83b712"
    assert not header.imported
    assert module_name_for(path) not in sys.modules


def test_ast_path_does_not_import_either(tmp_path: Path) -> None:
    text = (
        '"""m"""\nimport os\nX = os.sep\nrevision = "a1"\ndown_revision = None\nraise SystemExit\n'
    )
    header = inspect_script(write_file(tmp_path / "late.py", text, dedent=False))
    assert header.revision is not None and header.revision.id == "a1"
    assert not header.imported


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Header-looking text inside a string in the code is not a header.
        ("def upgrade():\n    op.execute('''\nrevision = 'fake'\n''')\n", "real"),
        # A later module-level assignment wins, as it does when Python runs the file.
        ("def upgrade():\n    pass\n\nrevision = 'later'\n", "later"),
        # A function-local variable of the same name does not count.
        ("def upgrade():\n    revision = 'local'\n", "real"),
        ("class Helper:\n    revision = 'attribute'\n", "real"),
    ],
)
def test_line_pass_is_never_fooled(tmp_path: Path, body: str, expected: str) -> None:
    text = (
        f'"""doc\nrevision = \'in docstring\'\n"""\nrevision = "real"\ndown_revision = None\n{body}'
    )
    assert header_of(tmp_path, text).id == expected


@pytest.mark.parametrize(
    "source",
    [
        "BASE = 'ae'\nrevision = BASE + '1'\ndown_revision = None\n",
        "revision = 'ae1'\ndown_revision = tuple(['x', 'y'])\n",
        "import os\nif os.sep:\n    revision = 'ae1'\nelse:\n    revision = 'zz'\n",
        "revision, down_revision = 'ae1', None\n",
        "revision = f'ae{1}'\ndown_revision = None\n",
    ],
)
def test_computed_values_fall_back_to_import(tmp_path: Path, source: str) -> None:
    path = write_file(tmp_path / "computed.py", f'"""computed"""\n{source}', dedent=False)
    header = inspect_script(path)
    assert header.imported
    assert header.revision is not None
    assert header.revision.id == "ae1"
    assert header.revision.message == "computed"
    assert module_name_for(path) in sys.modules


def test_computed_down_revision_keeps_its_value(tmp_path: Path) -> None:
    text = "PARENTS = ['a', 'b']\nrevision = 'm1'\ndown_revision = tuple(PARENTS)\n"
    assert header_of(tmp_path, text).down_revisions == ("a", "b")


def test_broken_import_names_the_file_and_the_exception(tmp_path: Path) -> None:
    text = "revision = 'a' + 'b'\nraise ValueError('the script is broken')\n"
    path = write_file(tmp_path / "broken.py", text, dedent=False)
    with pytest.raises(ScriptError) as caught:
        read_header(path)
    assert str(path) in str(caught.value)
    assert "ValueError: the script is broken" in str(caught.value)
    assert caught.value.path == str(path)
    assert isinstance(caught.value.__cause__, ValueError)
    assert module_name_for(path) not in sys.modules


def test_missing_module_gives_a_clear_error(tmp_path: Path) -> None:
    text = "import strata_no_such_module_xyz\nrevision = 'a' + 'b'\n"
    path = write_file(tmp_path / "needs_module.py", text, dedent=False)
    with pytest.raises(ScriptError) as caught:
        import_script(path)
    message = str(caught.value)
    assert str(path) in message
    assert "'strata_no_such_module_xyz', which is not installed" in message
    assert "Install the package" in caught.value.hint


@pytest.mark.parametrize(
    "text",
    [
        "import os\n\n\ndef helper():\n    return os.sep\n",
        '"""Shared helpers for the revisions: not a revision."""\nVALUE = 1\n',
        "# mentions revision only in a comment\nx = 1\n",
        "",
    ],
)
def test_files_without_revision_are_not_revisions(tmp_path: Path, text: str) -> None:
    path = write_file(tmp_path / "helpers.py", text, dedent=False)
    assert inspect_script(path).revision is None
    with pytest.raises(ScriptError, match="assigns no 'revision'"):
        read_header(path)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("revision = 5\n", "'revision' must be a non-empty string"),
        ("revision = None\n", "'revision' must be a non-empty string"),
        ("revision = 'a'\ndown_revision = (1, 2)\n", "'down_revision' must be None"),
        ("revision = 'a'\ndepends_on = ('',)\n", "'depends_on' must be None"),
    ],
)
def test_invalid_values_are_errors(tmp_path: Path, text: str, complaint: str) -> None:
    with pytest.raises(ScriptError, match=complaint):
        header_of(tmp_path, text)


def test_syntax_error_is_reported_when_the_header_needs_ast(tmp_path: Path) -> None:
    text = "x = (\nrevision = 'a'\n"
    with pytest.raises(ScriptError, match=r"SyntaxError at line \d+") as caught:
        header_of(tmp_path, text)
    assert "script.py" in str(caught.value)


def test_checksum_ignores_crlf_but_not_content(tmp_path: Path) -> None:
    lf = header_of(tmp_path, MODERN_STYLE, "lf.py")
    crlf = header_of(tmp_path, MODERN_STYLE.replace("\n", "\r\n"), "crlf.py")
    other = header_of(tmp_path, MODERN_STYLE.replace("account", "accounts"), "other.py")
    assert lf.checksum == crlf.checksum
    assert lf.checksum != other.checksum
    assert crlf.message == "create account table"


def test_coding_cookie_is_honoured(tmp_path: Path) -> None:
    text = '# -*- coding: latin-1 -*-\n"""ajouter café"""\nrevision = \'c1\'\n'
    path = tmp_path / "latin.py"
    path.write_bytes(text.encode("latin-1"))
    assert read_header(path).message == "ajouter café"


def test_undecodable_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(b"revision = '\xff'\n")
    with pytest.raises(ScriptError, match="not valid text"):
        read_header(path)


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="Can't read revision script"):
        read_header(tmp_path / "missing.py")


def test_sourceless_pyc_is_read_by_import(tmp_path: Path) -> None:
    text = revision_text("1975ea83b712", "0aa", message="create account table")
    source = write_file(tmp_path / "src" / "ab1_x.py", text, dedent=False)
    compiled = tmp_path / "ab1_x.pyc"
    py_compile.compile(str(source), cfile=str(compiled), doraise=True)
    header = inspect_script(compiled)
    assert header.imported
    assert header.revision is not None
    assert header.revision.id == "1975ea83b712"
    assert header.revision.down_revisions == ("0aa",)
    assert header.revision.message == "create account table"
    assert (
        header.revision.checksum == "sha256-v1:" + hashlib.sha256(compiled.read_bytes()).hexdigest()
    )


# -- the header read without import equals what Python sees when it runs the file -------------

_ids = st.text(alphabet="0123456789abcdef", min_size=1, max_size=12)
_value = st.one_of(
    st.none(),
    _ids,
    st.tuples(st.sampled_from(["tuple", "list"]), st.lists(_ids, min_size=0, max_size=3)),
)


def _render(value: object, quote: str) -> str:
    if value is None:
        return "None"
    if isinstance(value, str):
        return f"{quote}{value}{quote}"
    assert isinstance(value, tuple)
    kind, items = value
    body = ", ".join(f"{quote}{item}{quote}" for item in items)
    if kind == "tuple":
        return f"({body},)" if len(items) == 1 else f"({body})"
    return f"[{body}]"


@settings(max_examples=60, deadline=None)
@given(
    rev=_ids,
    down=_value,
    labels=_value,
    depends=_value,
    quote=st.sampled_from(["'", '"']),
    annotated=st.booleans(),
    headers_first=st.booleans(),
    message=st.text(alphabet="abc XYZ-_.", max_size=20),
)
def test_header_matches_the_imported_module(
    rev: str,
    down: object,
    labels: object,
    depends: object,
    quote: str,
    annotated: bool,
    headers_first: bool,
    message: str,
) -> None:
    annotation = ": Union[str, Sequence[str], None]" if annotated else ""
    headers = (
        "# revision identifiers\n"
        f"revision{': str' if annotated else ''} = {quote}{rev}{quote}\n"
        f"down_revision{annotation} = {_render(down, quote)}\n"
        f"branch_labels{annotation} = {_render(labels, quote)}\n"
        f"depends_on{annotation} = {_render(depends, quote)}\n"
    )
    imports = "import os\nfrom os import path as os_path  # noqa\n"
    middle = headers + imports if headers_first else imports + headers
    text = (
        f'"""{message}\n\nRevision ID: {rev}\n"""\n'
        f"from typing import Sequence, Union\n{middle}\n\ndef upgrade():\n    pass\n"
    )
    with tempfile.TemporaryDirectory() as directory:
        path = write_file(Path(directory) / "prop.py", text, dedent=False)
        header = inspect_script(path)
        module = import_script(path)
    assert not header.imported
    assert header.revision is not None
    expected = (
        module.revision,
        _as_tuple(module.down_revision),
        _as_tuple(module.branch_labels),
        _as_tuple(module.depends_on),
        (module.__doc__ or "").split("\n", 1)[0].strip() or EMPTY_MESSAGE,
    )
    got = header.revision
    assert (got.id, got.down_revisions, got.branch_labels, got.depends_on, got.message) == expected


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    assert isinstance(value, tuple | list)
    return tuple(value)
