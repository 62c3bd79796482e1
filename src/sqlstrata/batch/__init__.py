"""Batch mode: change a table SQLite-style, by rebuilding it, where ALTER cannot.

``with op.batch_alter_table("t") as batch:`` collects column, constraint and index changes
(:mod:`~sqlstrata.batch.operations`) and applies them when the block ends
(:mod:`~sqlstrata.batch.run`): in place where the database can, otherwise by a rebuild that
creates ``_strata_tmp_<table>`` with the new definition, copies every row, drops the old
table, renames the new one and recreates its indexes and triggers.

Planning is pure (:mod:`~sqlstrata.batch.plan`, :mod:`~sqlstrata.batch.draft` over the
values of :mod:`~sqlstrata.batch.shape`, SQL text handled by :mod:`~sqlstrata.batch.sqltext`),
and so is writing the statements (:mod:`~sqlstrata.batch.emit`). Only
:mod:`~sqlstrata.batch.reflect`, :mod:`~sqlstrata.batch.reflect_mysql`,
:mod:`~sqlstrata.batch.checks` and :mod:`~sqlstrata.batch.run` talk to the database.

What a rebuild keeps: every row; the primary key; foreign keys of the table and of the tables
that reference it (SQLite: their ``REFERENCES`` resolve to the new table and
``PRAGMA foreign_key_check`` finds no new violation; elsewhere they are dropped and created
again); unique constraints and every CHECK constraint, named or not (on SQLite read from the
stored ``CREATE TABLE``); server defaults, generated columns, comments, ``COLLATE`` and
``AUTOINCREMENT`` with its counter, serial and identity sequences; indexes exactly as
created (partial and expression ones included); triggers; PostgreSQL EXCLUDE constraints.
Renamed columns are renamed in place first (except on MySQL), so the database updates the
views, triggers and foreign keys that name them.

What it reports: a view or trigger the change would break, a foreign key of another table on
a dropped column, ON DELETE actions that dropping the old table would fire (SQLite with
foreign keys enforced) are errors, raised before anything is lost. A CHECK that uses a
dropped column is dropped with it, and privileges or row security policies of a rebuilt
PostgreSQL table are not carried over; both are logged as warnings.
"""

from __future__ import annotations

from sqlstrata.batch.operations import BatchOperations
from sqlstrata.batch.request import BatchEntry, BatchRequest

__all__ = ["BatchEntry", "BatchOperations", "BatchRequest"]
