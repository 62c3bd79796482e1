"""Benchmark sqlstrata against Alembic on a long revision history, in the same run.

Builds two equivalent projects (one per tool) with N linear revisions that each create a
table, then times, as a user would run them (separate processes, best of R runs):

- ``heads``            read the history and print the head
- ``history``          print every revision
- ``upgrade head``     apply every revision to an empty SQLite file
- ``upgrade head`` noop  the same with nothing left to do

Usage: python bench/bench_history.py [--revisions 2000] [--upgrade-revisions 300] [--repeat 3]
Needs alembic installed (a test dependency); sqlstrata never imports it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = '''"""revision {i}"""
from {tool} import op
import sqlalchemy as sa

revision = "r{i:05d}"
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("t{i:05d}", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("t{i:05d}")
'''


def make_project(root: Path, tool: str, revisions: int) -> Path:
    cmd = "strata" if tool == "sqlstrata" else "alembic"
    subprocess.run(
        [sys.executable, "-m", tool if tool == "sqlstrata" else "alembic", "init", "migrations"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    ini = root / ("strata.ini" if tool == "sqlstrata" else "alembic.ini")
    text = ini.read_text()
    if tool == "alembic":
        text = text.replace("driver://user:pass@localhost/dbname", "sqlite:///%(here)s/app.db")
    ini.write_text(text)
    versions = root / "migrations" / "versions"
    for i in range(revisions):
        down = None if i == 0 else f"r{i - 1:05d}"
        (versions / f"r{i:05d}.py").write_text(SCRIPT.format(i=i, down=down, tool=tool))
    del cmd
    return root


def timed(root: Path, tool: str, *args: str) -> float:
    module = "sqlstrata" if tool == "sqlstrata" else "alembic"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", module, *args], cwd=root, check=True, capture_output=True)
    return time.perf_counter() - start


def best(repeat: int, fn: object) -> float:
    return min(fn() for _ in range(repeat))  # type: ignore[operator]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--revisions", type=int, default=2000)
    parser.add_argument("--upgrade-revisions", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="strata-bench-"))
    rows = []
    try:
        for label, n, command in [
            ("heads", args.revisions, ("heads",)),
            ("history", args.revisions, ("history",)),
        ]:
            times = {}
            for tool in ("sqlstrata", "alembic"):
                root = base / f"{label}-{tool}"
                root.mkdir()
                make_project(root, tool, n)
                timed(root, tool, *command)  # warm caches (both tools may cache)
                times[tool] = best(args.repeat, lambda r=root, t=tool, c=command: timed(r, t, *c))
            rows.append((f"{label} ({n} revisions)", times))
        n = args.upgrade_revisions
        times = {}
        noop = {}
        for tool in ("sqlstrata", "alembic"):
            root = base / f"upgrade-{tool}"
            root.mkdir()
            make_project(root, tool, n)

            def fresh(r: Path = root, t: str = tool) -> float:
                db = r / "app.db"
                if db.exists():
                    os.remove(db)
                return timed(r, t, "upgrade", "head")

            times[tool] = best(args.repeat, fresh)
            noop[tool] = best(args.repeat, lambda r=root, t=tool: timed(r, t, "upgrade", "head"))
        rows.append((f"upgrade head, SQLite ({n} revisions)", times))
        rows.append((f"upgrade head, nothing to do ({n} revisions)", noop))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"{'benchmark':45} {'sqlstrata':>10} {'alembic':>10} {'ratio':>7}")
    for label, t in rows:
        ratio = t["alembic"] / t["sqlstrata"]
        print(f"{label:45} {t['sqlstrata']:9.3f}s {t['alembic']:9.3f}s {ratio:6.2f}x")


if __name__ == "__main__":
    main()
