"""The commands as Python functions: ``sqlstrata.command.upgrade(config, "head")``."""

from __future__ import annotations

from sqlstrata.commands.autogen import check
from sqlstrata.commands.info import branches, heads, history, show
from sqlstrata.commands.init import init, list_templates
from sqlstrata.commands.migrate import current, downgrade, ensure_version, stamp, upgrade
from sqlstrata.commands.revision import edit, merge, revision
from sqlstrata.commands.safety import log, resolve, verify, write_hash

__all__ = [
    "branches",
    "check",
    "current",
    "downgrade",
    "edit",
    "ensure_version",
    "heads",
    "history",
    "init",
    "list_templates",
    "log",
    "merge",
    "resolve",
    "revision",
    "show",
    "stamp",
    "upgrade",
    "verify",
    "write_hash",
]
