"""The script directory: where revision files live, and the settings that shape it.

:class:`ScriptSettings` is the value the configuration layer builds; :class:`ScriptDirectory`
finds revision files in the version locations and reads their headers through the header cache
(:mod:`sqlstrata.scripts.cache`), imports one module when it has to run, and writes new ones
(:mod:`sqlstrata.scripts.write`, imported only then).

Which files are revision scripts: ``*.py`` files (and, when ``sourceless`` is set, ``*.pyc``
files that have no ``.py`` beside them) directly in each version location, or anywhere below it
when ``recursive_version_locations`` is set; hidden files and directories, ``__init__`` files and
``__pycache__`` directories are skipped, and so is any file that assigns no ``revision``.
The default version location (``<script_location>/versions``) may be missing (version control
drops empty directories); one that is configured explicitly must exist.
"""

from __future__ import annotations

import os
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlstrata.errors import ConfigError, ScriptError
from sqlstrata.graph.revision import Revision
from sqlstrata.scripts.cache import read_headers
from sqlstrata.scripts.hooks import HookSpec
from sqlstrata.scripts.loader import import_script

DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s"


@dataclass(frozen=True, slots=True)
class ScriptSettings:
    """How the script directory is laid out and how new revision files are written.

    An empty ``version_locations`` means the default, ``(script_location / "versions",)``.
    """

    script_location: Path
    version_locations: tuple[Path, ...] = ()
    recursive_version_locations: bool = False
    sourceless: bool = False
    file_template: str = DEFAULT_FILE_TEMPLATE
    truncate_slug_length: int = 40
    timezone: str | None = None
    output_encoding: str = "utf-8"
    post_write_hooks: tuple[HookSpec, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.version_locations:
            object.__setattr__(self, "version_locations", (self.default_version_location,))
        if self.truncate_slug_length < 1:
            raise ConfigError(
                f"Can't use truncate_slug_length = {self.truncate_slug_length}: it must be "
                "at least 1.",
                hint="Set truncate_slug_length to a positive number (the default is 40).",
            )

    @property
    def default_version_location(self) -> Path:
        """Return ``<script_location>/versions``."""
        return self.script_location / "versions"


class ScriptDirectory:
    """The revision files of one project, read and written on demand (nothing is kept)."""

    def __init__(self, settings: ScriptSettings) -> None:
        self.settings = settings

    @property
    def env_py_path(self) -> Path:
        """Return the path of the environment script, ``env.py``."""
        return self.settings.script_location / "env.py"

    @property
    def template_path(self) -> Path:
        """Return the path of the template new revision files are rendered from."""
        return self.settings.script_location / "script.py.mako"

    def revisions(self) -> tuple[Revision, ...]:
        """Return every revision in the version locations, read from headers (no imports)."""
        self._check_script_location()
        found: list[Revision] = []
        seen: set[str] = set()
        for location in self.settings.version_locations:
            if not location.is_dir():
                if location == self.settings.default_version_location:
                    continue
                raise ScriptError(
                    f"Can't read revisions: the version location {location} does not exist.",
                    path=str(location),
                    hint="Create the directory, or correct version_locations.",
                )
            files = _script_paths(
                location,
                recursive=self.settings.recursive_version_locations,
                sourceless=self.settings.sourceless,
            )
            if len(self.settings.version_locations) > 1:
                files = _not_seen(location, files, seen)
            found.extend(read_headers(location, files))
        return tuple(found)

    def load_module(self, revision: Revision) -> types.ModuleType:
        """Import the file of ``revision`` (to run its upgrade() / downgrade())."""
        if revision.path is None:
            raise ScriptError(
                f"Can't load revision {revision.id}: it has no file.",
                hint="Only revisions read from the script directory can be run.",
            )
        return import_script(Path(revision.path))

    def write_revision(
        self,
        *,
        rev_id: str,
        message: str | None,
        down_revisions: Sequence[str] = (),
        branch_labels: Sequence[str] = (),
        depends_on: Sequence[str] = (),
        version_path: Path | None = None,
        template_args: Mapping[str, Any] | None = None,
        create_date: datetime | None = None,
    ) -> Path:
        """Write a new revision file from ``script.py.mako``; see :func:`write.write_revision`."""
        self._check_script_location()
        from sqlstrata.scripts.write import write_revision

        return write_revision(
            self.settings,
            rev_id=rev_id,
            message=message,
            down_revisions=down_revisions,
            branch_labels=branch_labels,
            depends_on=depends_on,
            version_path=version_path,
            template_args=template_args,
            create_date=create_date,
        )

    def _check_script_location(self) -> None:
        location = self.settings.script_location
        if not location.is_dir():
            raise ScriptError(
                f"Can't use the script directory {location}: it does not exist.",
                path=str(location),
                hint=f"Run 'strata init {location}' to create it, or correct script_location.",
            )


def script_files(location: Path, *, recursive: bool, sourceless: bool) -> tuple[Path, ...]:
    """Return the candidate revision files under ``location``, sorted by path."""
    paths = _script_paths(location, recursive=recursive, sourceless=sourceless)
    return tuple(Path(path) for path in paths)


def _script_paths(location: Path, *, recursive: bool, sourceless: bool) -> list[str]:
    """Return the candidate revision files as strings (pathlib is slow for 10,000 files)."""
    files: list[str] = []
    pending = [os.fspath(location)]
    while pending:
        directory = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError as exc:
            raise ScriptError(
                f"Can't read revisions from {directory}: {exc.strerror or exc}.",
                path=directory,
                hint="Check that the directory exists and is readable.",
            ) from exc
        names = {entry.name for entry in entries} if sourceless else set()
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name.startswith("__init__."):
                continue
            if name.endswith(".py") or (
                sourceless and name.endswith(".pyc") and name[:-1] not in names
            ):
                if not entry.is_dir(follow_symlinks=False):
                    files.append(entry.path)
            elif recursive and name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
    files.sort()
    return files


def _not_seen(location: Path, files: list[str], seen: set[str]) -> list[str]:
    """Drop files already found through another (enclosing) version location; record the rest."""
    root = os.fspath(location)
    absolute_root = os.path.abspath(root)
    fresh: list[str] = []
    for file in files:
        key = absolute_root + file[len(root) :]
        if key not in seen:
            seen.add(key)
            fresh.append(file)
    return fresh
