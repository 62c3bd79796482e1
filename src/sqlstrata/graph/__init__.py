"""Pure revision graph: revisions, the graph, target resolution and plans. No I/O here.

``revision.py`` holds the :class:`Revision` value, ``graph.py`` the :class:`RevisionGraph`,
``heads.py`` the rules for version-table heads, ``targets.py`` the target grammar and
``plan.py`` the plans (upgrade, downgrade, stamp) and their steps.
"""

from __future__ import annotations

from sqlstrata.graph.graph import RevisionGraph
from sqlstrata.graph.plan import (
    Downgrade,
    Plan,
    Stamp,
    Step,
    Upgrade,
    VersionTableChanges,
    apply_plan,
    plan_downgrade,
    plan_stamp,
    plan_upgrade,
    version_table_changes,
)
from sqlstrata.graph.revision import Revision
from sqlstrata.graph.targets import iterate_range, resolve

__all__ = [
    "Downgrade",
    "Plan",
    "Revision",
    "RevisionGraph",
    "Stamp",
    "Step",
    "Upgrade",
    "VersionTableChanges",
    "apply_plan",
    "iterate_range",
    "plan_downgrade",
    "plan_stamp",
    "plan_upgrade",
    "resolve",
    "version_table_changes",
]
