"""Dialects: per-database capability flags plus a table from operation type to handler.

``base`` defines the Dialect value and DialectContext; ``generic`` holds the standard-SQL
handlers; ``sqlite``, ``postgresql``, ``mysql`` (also MariaDB), ``mssql`` and ``oracle``
override what differs; ``registry.dialect_for(name)`` builds the right one. ``build`` turns
operations into SQLAlchemy schema objects, ``ddl`` and ``comments`` render what SQLAlchemy
has no construct for.
"""
