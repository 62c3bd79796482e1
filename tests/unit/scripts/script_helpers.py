"""Helpers for the script-layer tests: writing revision files and a script.py.mako."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

AN_HOUR_AGO = time.time() - 3600

# A template in the shape of Alembic's generic one: the variables it uses are the contract.
SCRIPT_MAKO = '''\
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from typing import Sequence, Union

${imports if imports else ""}

# revision identifiers, used by sqlstrata.
revision: str = ${repr(up_revision)}
down_revision: Union[str, Sequence[str], None] = ${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = ${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''


def write_file(path: Path, text: str, *, dedent: bool = True, old: bool = True) -> Path:
    """Write ``text`` to ``path`` (creating directories); date it an hour back if ``old``.

    The header cache ignores files modified in the last two seconds, so tests that expect
    caching write "old" files.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text) if dedent else text, encoding="utf-8")
    if old:
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    return path


def revision_text(
    rev: str,
    down: str | tuple[str, ...] | None = None,
    *,
    message: str = "a change",
    labels: str | tuple[str, ...] | None = None,
    depends: str | tuple[str, ...] | None = None,
) -> str:
    """Return a modern (annotated) revision script declaring the given header."""
    return (
        f'"""{message}\n\nRevision ID: {rev}\n"""\n'
        "from typing import Sequence, Union\n\n"
        f"revision: str = {rev!r}\n"
        f"down_revision: Union[str, Sequence[str], None] = {down!r}\n"
        f"branch_labels: Union[str, Sequence[str], None] = {labels!r}\n"
        f"depends_on: Union[str, Sequence[str], None] = {depends!r}\n\n\n"
        "def upgrade() -> None:\n    pass\n\n\n"
        "def downgrade() -> None:\n    pass\n"
    )


def write_revision_file(directory: Path, rev: str, down: str | None = None, **kw: object) -> Path:
    """Write ``<directory>/<rev>_x.py`` declaring ``rev`` (an hour old)."""
    text = revision_text(rev, down, **kw)  # type: ignore[arg-type]
    return write_file(directory / f"{rev}_x.py", text, dedent=False)
