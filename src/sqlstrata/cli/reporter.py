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
        if _is_terminal(self.err):
            from rich.console import Console
            from rich.markup import escape

            Console(file=self.err, highlight=False).print(f"[bold red]ERROR:[/] {escape(text)}")
            return
        self.err.write(f"ERROR: {text}\n")

    def table(self, header: list[str], rows: list[list[str]], plain: str) -> None:
        """A table: drawn with rich on a terminal, ``plain`` text otherwise."""
        if not _is_terminal(self.out):
            self.result(plain)
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(*header, show_lines=False)
        for row in rows:
            table.add_row(*row)
        Console(file=self.out).print(table)

    def progress(self, action: str, path: object) -> None:
        """``Generating /path/env.py ...  done``, as Alembic prints it."""
        if not self.quiet:
            self.out.write(f"  {action} {path} ...  done\n")


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
