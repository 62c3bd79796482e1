"""Dialects: per-database capability flags plus a table from operation type to handler."""
