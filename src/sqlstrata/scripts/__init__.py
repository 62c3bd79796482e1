"""Revision files: header parsing without import, the header cache, loading and writing.

This package does file I/O on the script directory only. It never touches a database and never
imports SQLAlchemy; Mako and subprocess are imported only when a revision is written.
"""

from __future__ import annotations

from sqlstrata.scripts.directory import ScriptDirectory, ScriptSettings, script_files
from sqlstrata.scripts.header import ScriptHeader, inspect_script, read_header
from sqlstrata.scripts.hooks import HookSpec, parse_hooks, run_hooks
from sqlstrata.scripts.write import new_revision_id, revision_filename, slugify, write_revision

__all__ = [
    "HookSpec",
    "ScriptDirectory",
    "ScriptHeader",
    "ScriptSettings",
    "inspect_script",
    "new_revision_id",
    "parse_hooks",
    "read_header",
    "revision_filename",
    "run_hooks",
    "script_files",
    "slugify",
    "write_revision",
]
