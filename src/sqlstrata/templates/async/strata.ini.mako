# An async (asyncio) single database configuration.

[strata]
# path to migration scripts.
# this is typically a path given in POSIX (e.g. forward slashes)
# format, relative to the token %(here)s which refers to the location of this
# ini file
script_location = ${script_location}

# template used to generate migration file names; The default value is %%(rev)s_%%(slug)s
# Uncomment the line below if you want the files to be prepended with date and time
# file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s

# sys.path path, will be prepended to sys.path if present.
# defaults to the current working directory.
prepend_sys_path = .

# timezone to use when rendering the date within the migration file
# as well as the filename. Leave blank for localtime.
# timezone =

# the migration lock held while upgrade/downgrade/stamp run: auto (the database's
# own lock, or a lock row where it has none), table (always the lock row) or none.
# A lock row whose holder stopped its heartbeat for migration_lock_expiry seconds
# (the process was killed) is taken over by the next run.
# migration_lock = auto
# migration_lock_expiry = 30

# max length of characters to apply to the "slug" field
# truncate_slug_length = 40

# set to 'true' to run the environment during
# the 'revision' command, regardless of autogenerate
# revision_environment = false

# set to 'true' to allow .pyc files without a source .py file
# to be detected as revisions in the versions/ directory
# sourceless = false

# version location specification; defaults to ${script_location_rel}/versions.
# version_locations = %(here)s/bar:%(here)s/bat:${script_location_rel}/versions

# path_separator for version_locations and prepend_sys_path: os, space, newline, ; or :
path_separator = os

# the output encoding used when revision files are written from script.py.mako
# output_encoding = utf-8

# the database; an embedded SQLite file next to this config works out of the box.
# ${"${"}ENV_VAR} references are expanded, e.g. sqlalchemy.url = ${"${"}DATABASE_URL}
sqlalchemy.url = sqlite+aiosqlite:///%(here)s/app.db

# the name of the table that records the applied revisions
# version_table = strata_version


[post_write_hooks]
# post_write_hooks defines scripts or Python functions that are run
# on newly generated revision scripts.

# format using "ruff" - use the exec runner, execute a binary
# hooks = ruff
# ruff.type = exec
# ruff.executable = %(here)s/.venv/bin/ruff
# ruff.options = format REVISION_SCRIPT_FILENAME

# Logging configuration
[loggers]
keys = root,sqlalchemy,sqlstrata

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_sqlstrata]
level = INFO
handlers =
qualname = sqlstrata

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
