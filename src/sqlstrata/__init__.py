"""sqlstrata: database schema migrations for SQLAlchemy."""

from __future__ import annotations

__version__ = "0.1.0"
