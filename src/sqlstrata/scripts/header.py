"""Reading a revision script's header (its identity and links) without importing it.

A header is the module-level assignments ``revision``, ``down_revision``, ``branch_labels`` and
``depends_on`` (plain or annotated), plus the first line of the module docstring as the message
(``"empty message"`` when there is none). Values are ``str``, ``None``, or a tuple / list of
``str``.

Reading goes in three steps, cheapest first:

1. A line-oriented pass that understands the shape every Alembic / sqlstrata template produces:
   comments, an optional triple-quoted docstring, one-line imports and one-line header
   assignments, followed by code that never mentions a header name outside comment lines. It
   gives up (never guesses) on anything else.
2. ``ast``: the module-level assignments with literal values. Assignments inside ``if`` blocks,
   tuple unpacking, imports of a header name and computed values are not literal.
3. Importing the module and reading its attributes, when step 2 found a non-literal header.
   ``.pyc`` files (``sourceless``) are always read this way.

A file that binds no ``revision`` is not a revision script (a helper module, say): it is skipped
by directory scans, and :func:`read_header` raises :class:`ScriptError` for it. Star imports and
``globals()`` tricks are not followed. Syntax errors are reported here only when the file needs
step 2; otherwise they surface when the module is loaded to run.

The checksum is :func:`sqlstrata.scripts.checksum.script_checksum` of the file's bytes (BOM
and line endings normalised, so a Windows checkout does not look modified).
"""

from __future__ import annotations

import ast
import codecs
import hashlib
import io
import os
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlstrata.errors import ScriptError
from sqlstrata.graph.revision import Revision
from sqlstrata.scripts.checksum import script_checksum
from sqlstrata.scripts.loader import import_script

HEADER_NAMES: Final = ("revision", "down_revision", "branch_labels", "depends_on")
EMPTY_MESSAGE: Final = "empty message"

_Values = dict[str, object]


@dataclass(frozen=True, slots=True)
class ScriptHeader:
    """What reading one script file found.

    ``revision`` is ``None`` when the file is not a revision script. ``imported`` is true when
    the module had to be executed to read it; such results depend on more than the file itself
    (computed values), so the header cache does not keep them.
    """

    revision: Revision | None
    imported: bool = False


class _GiveUp(Exception):
    """The line pass met a shape it does not understand; let ``ast`` decide."""


class _NotLiteral(Exception):
    """A header value is not a literal; the module must be imported to know it."""


def read_header(path: str | os.PathLike[str]) -> Revision:
    """Read the revision declared by the script at ``path``.

    Raise ScriptError if the file cannot be read or parsed, fails to import when importing is
    needed, declares invalid values, or declares no ``revision`` at all.
    """
    found = inspect_script(path)
    if found.revision is None:
        raise ScriptError(
            f"Can't read revision header of {os.fspath(path)}: it assigns no 'revision'.",
            path=os.fspath(path),
            hint="Add revision = '<id>' at module level, or move the file out of the "
            "version locations.",
        )
    return found.revision


def inspect_script(path: str | os.PathLike[str]) -> ScriptHeader:
    """Read the header of the script at ``path``; ``revision`` is ``None`` for a non-revision."""
    name = os.fspath(path)  # plain strings: pathlib is slow for 10,000 files
    data = _read_bytes(name)
    if name.endswith(".pyc"):
        return _header_by_import(name, f"sha256-v1:{hashlib.sha256(data).hexdigest()}")
    checksum = script_checksum(data)
    text = _decode(name, data)
    try:
        values, doc = _scan_lines(text)
    except _GiveUp:
        try:
            values, doc = _scan_ast(text, name)
        except _NotLiteral:
            return _header_by_import(name, checksum)
    return ScriptHeader(_revision_from(values, doc, name, checksum))


# -- step 1: the line pass ---------------------------------------------------------------------
# One regular expression matches the prologue every template produces: blank and comment lines,
# an optional triple-quoted docstring, then one-line imports and one-line header assignments
# with plain values. The rest of the file must not mention a header name outside comment lines.

_NAMES = r"(?:revision|down_revision|branch_labels|depends_on)"
_STR = r"""(?:'[^'\\\n]*'|"[^"\\\n]*")"""
_ITEMS = rf"[ \t]*(?:{_STR}[ \t]*,[ \t]*)*(?:{_STR}[ \t]*)?"
_VALUE = rf"(?:None|{_STR}|\({_ITEMS}\)|\[{_ITEMS}\])"
_ASSIGN = r"[ \t]*(?::[^=#'\"\n]*)?=[ \t]*"
_END = r"[ \t]*(?:#[^\n]*)?(?:\n|\Z)"
_BLANK = r"[ \t\f]*(?:#[^\n]*)?\n"
_IMPORT = (  # an import that binds no header name
    rf"(?:from[ \t]+[\w.]+[ \t]+import|import)[ \t]+(?![^\n]*\b{_NAMES}\b)[\w \t,.]+{_END}"
)
# A triple-quoted docstring without backslashes, in both quote styles (unrolled for speed).
_DOC2 = r'[^"\\]*(?:"(?!"")[^"\\]*)*'
_DOC1 = r"[^'\\]*(?:'(?!'')[^'\\]*)*"
_PROLOGUE = re.compile(
    rf"(?:{_BLANK})*"
    rf"(?:[rRuU]?(?:\"\"\"(?P<doc2>{_DOC2})\"\"\"|'''(?P<doc1>{_DOC1})'''){_END})?"
    rf"(?P<body>(?:{_NAMES}{_ASSIGN}{_VALUE}{_END}|{_IMPORT}|{_BLANK})*)"
)
_HEADER_LINE = re.compile(rf"^({_NAMES}){_ASSIGN}({_VALUE})", re.MULTILINE)
_HEADER_WORD = re.compile(rf"\b{_NAMES}\b")
_STR_RE = re.compile(_STR)


def _scan_lines(text: str) -> tuple[_Values, str | None]:
    """Read the header from the usual template shape, or raise _GiveUp."""
    if "revision" not in text:
        return {}, None  # nothing can bind ``revision``: not a revision script
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        raise _GiveUp
    prologue = _PROLOGUE.match(text)
    assert prologue is not None  # every part of the pattern is optional
    doc = prologue.group("doc2")
    if doc is None:
        doc = prologue.group("doc1")
    _check_no_header_words(text, prologue.end())
    values: _Values = {}
    for header in _HEADER_LINE.finditer(text, prologue.start("body"), prologue.end()):
        values[header.group(1)] = _simple_value(header.group(2))
    return values, None if doc is None else doc.split("\n", 1)[0]


def _check_no_header_words(text: str, offset: int) -> None:
    """Give up if a header name appears in the rest of the text outside comment lines."""
    if all(text.find(word, offset) < 0 for word in ("revision", "branch_labels", "depends_on")):
        return  # the usual case, found without the slower regular expression
    for match in _HEADER_WORD.finditer(text, offset):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not text[line_start : match.start()].lstrip().startswith("#"):
            raise _GiveUp


def _simple_value(source: str) -> object:
    """Evaluate a value the prologue pattern accepted: None, a string, a tuple / list."""
    if source == "None":
        return None
    if source[0] not in "([":
        return source[1:-1]
    items = tuple(item[1:-1] for item in _STR_RE.findall(source))
    if source[0] == "(" and len(items) == 1 and "," not in _STR_RE.sub("", source):
        return items[0]  # ("a") is a parenthesised string, not a tuple
    return items


# -- step 2: ast -------------------------------------------------------------------------------


def _scan_ast(text: str, path: str) -> tuple[_Values, str | None]:
    """Read literal module-level header assignments; raise _NotLiteral if one is computed."""
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        raise ScriptError(
            f"Can't read revision header of {path}: SyntaxError at line {exc.lineno}: {exc.msg}.",
            path=path,
            hint=f"Fix the syntax error in {path}.",
        ) from exc
    values: _Values = {}
    for statement in tree.body:
        assignment = _header_assignment(statement)
        if assignment is not None:
            names, node = assignment
            value = _literal(node)
            for name in names:
                values[name] = value
        elif _binds_header(statement):
            raise _NotLiteral
    doc = ast.get_docstring(tree, clean=False)
    return values, None if doc is None else doc.split("\n", 1)[0]


def _header_assignment(statement: ast.stmt) -> tuple[list[str], ast.expr] | None:
    """Return the header names a plain ``name = value`` statement assigns, and the value."""
    if isinstance(statement, ast.AnnAssign):
        target = statement.target
        if isinstance(target, ast.Name) and target.id in HEADER_NAMES and statement.value:
            return [target.id], statement.value
        return None
    if not isinstance(statement, ast.Assign):
        return None
    simple = (ast.Name, ast.Attribute, ast.Subscript)
    if not all(isinstance(target, simple) for target in statement.targets):
        return None
    names = [
        target.id
        for target in statement.targets
        if isinstance(target, ast.Name) and target.id in HEADER_NAMES
    ]
    return (names, statement.value) if names else None


def _literal(node: ast.expr) -> object:
    """Return the value of a constant or a tuple / list of constants; else raise _NotLiteral."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple | ast.List) and all(
        isinstance(element, ast.Constant) for element in node.elts
    ):
        return tuple(element.value for element in node.elts if isinstance(element, ast.Constant))
    raise _NotLiteral


def _binds_header(statement: ast.stmt) -> bool:
    """Tell whether a module-level statement binds a header name in any way but ``name = x``."""
    stack: list[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name in HEADER_NAMES:
                return True
            continue  # its body is another scope
        if isinstance(node, ast.Lambda):
            continue
        if _bound_name(node) in HEADER_NAMES:
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def _bound_name(node: ast.AST) -> str | None:
    """Return the name ``node`` binds in its scope, if it is a binding node."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
        return node.id
    if isinstance(node, ast.alias):
        return node.asname or node.name.split(".", 1)[0]
    if isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar):
        return node.name
    if isinstance(node, ast.MatchMapping):
        return node.rest
    return None


# -- step 3: import ----------------------------------------------------------------------------


def _header_by_import(path: str, checksum: str) -> ScriptHeader:
    """Import the module at ``path`` and read its header attributes."""
    module = import_script(Path(path))
    values = {name: getattr(module, name) for name in HEADER_NAMES if hasattr(module, name)}
    doc = module.__doc__
    first_line = doc.split("\n", 1)[0] if isinstance(doc, str) else None
    return ScriptHeader(_revision_from(values, first_line, path, checksum), imported=True)


# -- shared ------------------------------------------------------------------------------------


def _revision_from(values: _Values, doc: str | None, path: str, checksum: str) -> Revision | None:
    """Check the header values and build the Revision (``None`` without ``revision``)."""
    if "revision" not in values:
        return None
    revision = values["revision"]
    if not isinstance(revision, str) or not revision.strip():
        raise ScriptError(
            f"Can't read revision header of {path}: 'revision' must be a non-empty string, "
            f"not {revision!r}.",
            path=path,
            hint="Set revision = '<id>' at module level.",
        )
    message = (doc or "").strip() or EMPTY_MESSAGE
    return Revision(
        id=revision,
        down_revisions=_ids(values.get("down_revision"), "down_revision", path),
        branch_labels=_ids(values.get("branch_labels"), "branch_labels", path),
        depends_on=_ids(values.get("depends_on"), "depends_on", path),
        message=message,
        path=path,
        checksum=checksum,
    )


def _ids(value: object, name: str, path: str) -> tuple[str, ...]:
    """Normalise None / str / sequence of str to a tuple of non-empty strings."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple | list) and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise ScriptError(
        f"Can't read revision header of {path}: {name!r} must be None, a string or a tuple "
        f"of non-empty strings, not {value!r}.",
        path=path,
        hint=f"Fix the {name} assignment in {path}.",
    )


def _read_bytes(path: str) -> bytes:
    """Read the whole file, turning OS errors into ScriptError."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as exc:
        raise ScriptError(
            f"Can't read revision script {path}: {exc.strerror or exc}.",
            path=path,
            hint="Check that the file exists and is readable.",
        ) from exc


def _decode(path: str, data: bytes) -> str:
    """Decode Python source, honouring a BOM or a coding cookie in the first two lines."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        if b"coding" in b"\n".join(data.split(b"\n", 2)[:2]):
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            return data.decode(encoding)
        return data.decode("utf-8")
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        raise ScriptError(
            f"Can't read revision script {path}: it is not valid text ({exc}).",
            path=path,
            hint="Save the file as UTF-8, or declare its encoding in a coding comment.",
        ) from exc
