[tool.strata]
# path to migration scripts, relative to this file's directory via %(here)s
script_location = "${script_location}"

# template used to generate migration file names
# file_template = "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s"

# additional paths to be prepended to sys.path
prepend_sys_path = ["."]

# timezone to use when rendering the date within the migration file
# timezone = "UTC"

# the migration lock: "auto" (the database's own lock, or a lock row where it has
# none), "table" (always the lock row) or "none"; a lock row whose holder stopped
# its heartbeat for migration_lock_expiry seconds is taken over.
# migration_lock = "auto"
# migration_lock_expiry = 30

# max length of characters to apply to the "slug" field
# truncate_slug_length = 40

# set to true to run the environment during the 'revision' command
# revision_environment = false

# version locations; defaults to <script_location>/versions
# version_locations = ["%(here)s/migrations/versions"]

# the database; an embedded SQLite file next to this file works out of the box.
# ${"${"}ENV_VAR} references are expanded.
"sqlalchemy.url" = "sqlite:///%(here)s/app.db"

# post write hooks run on newly generated revision scripts
# [[tool.strata.post_write_hooks]]
# name = "ruff"
# type = "exec"
# executable = "ruff"
# options = "format REVISION_SCRIPT_FILENAME"
