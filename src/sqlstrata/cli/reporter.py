"""The Reporter: the one place that prints. Human text, quiet, or JSON."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO


@dataclass
class Reporter:
    """Writes results to stdout and problems to stderr."""

    quiet: bool = False
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    def line(self, text: str = "") -> None:
        """A result line (suppressed by --quiet)."""
        if not self.quiet:
            self.out.write(text + "\n")

    def result(self, text: str) -> None:
        """Output that is the point of the command; printed even when quiet."""
        self.out.write(text + "\n")

    def json(self, value: Any) -> None:
        self.out.write(json.dumps(value, indent=2, default=str) + "\n")

    def error(self, text: str) -> None:
        self.err.write(f"ERROR: {text}\n")

    def progress(self, action: str, path: object) -> None:
        """``Generating /path/env.py ...  done``, as Alembic prints it."""
        if not self.quiet:
            self.out.write(f"  {action} {path} ...  done\n")
