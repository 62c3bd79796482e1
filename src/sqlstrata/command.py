"""The commands as Python functions: ``sqlstrata.command.upgrade(config, "head")``."""

from __future__ import annotations

from sqlstrata.commands.info import branches, heads, history, show
from sqlstrata.commands.init import init, list_templates
from sqlstrata.commands.migrate import current, downgrade, ensure_version, stamp, upgrade
from sqlstrata.commands.revision import edit, merge, revision

__all__ = [
    "branches",
    "current",
    "downgrade",
    "edit",
    "ensure_version",
    "heads",
    "history",
    "init",
    "list_templates",
    "merge",
    "revision",
    "show",
    "stamp",
    "upgrade",
]
