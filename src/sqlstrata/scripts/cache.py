"""The header cache: repeated commands do not re-read unchanged revision scripts.

One JSON file per version location, ``<location>/__pycache__/sqlstrata-headers.json``, maps each
script's path (relative to the location, ``/``-separated) to its modification time in
nanoseconds, its size and the header read from it (or ``null`` for a file that is not a
revision). An entry is used only while the file's ``mtime_ns`` and size are unchanged.

Rules that keep the cache honest:

- A file modified less than two seconds before it was read is not cached: its next edit might
  keep the same timestamp (file systems store coarse times) and the same size.
- Headers that needed the module to be imported are never cached (their values may come from
  other files).
- The cache is an optimisation only: an unreadable, corrupt or unwritable cache is ignored, and
  never makes a command fail.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

from sqlstrata.graph.revision import Revision
from sqlstrata.scripts.header import ScriptHeader, inspect_script

CACHE_DIRNAME: Final = "__pycache__"
CACHE_FILENAME: Final = "sqlstrata-headers.json"
CACHE_FORMAT: Final = 2  # 2: checksums carry their algorithm name
RACY_WINDOW_NS: Final = 2_000_000_000

_log = logging.getLogger(__name__)

# [mtime_ns, size, [id, down_revisions, branch_labels, depends_on, message, checksum] | None]
_Entry = list[object]


def cache_path(location: Path) -> Path:
    """Return where the header cache of a version location is stored."""
    return location / CACHE_DIRNAME / CACHE_FILENAME


def read_headers(
    location: Path,
    files: Sequence[str],
    read: Callable[[str], ScriptHeader] = inspect_script,
) -> tuple[Revision, ...]:
    """Return the revisions declared by ``files`` (all inside ``location``), in file order.

    Unchanged files come from the cache; the others are read with ``read`` and the cache is
    rewritten when anything changed. Files that are not revision scripts are left out.
    """
    cached = _load(cache_path(location))
    fresh: dict[str, _Entry] = {}
    revisions: list[Revision] = []
    changed = False
    now_ns = time.time_ns()
    root = os.fspath(location).rstrip(os.sep) + os.sep
    for file in files:
        key = _key(root, file)
        try:
            stat: os.stat_result | None = os.stat(file)
        except OSError:
            stat = None  # vanished or unreadable: let ``read`` report it
        entry = cached.get(key)
        hit, revision = _lookup(entry, stat, file)
        if hit and entry is not None:
            fresh[key] = entry
        else:
            changed = True
            header = read(file)
            revision = header.revision
            if stat is not None and _cacheable(header, stat, now_ns):
                fresh[key] = [stat.st_mtime_ns, stat.st_size, _dump(revision)]
        if revision is not None:
            revisions.append(revision)
    if changed or fresh.keys() != cached.keys():
        _save(cache_path(location), fresh)
    return tuple(revisions)


def _key(root: str, path: str) -> str:
    """Return the cache key of ``path``: its path relative to the location, ``/``-separated."""
    relative = path[len(root) :] if path.startswith(root) else os.path.relpath(path, root)
    return relative.replace(os.sep, "/") if os.sep != "/" else relative


def _lookup(
    entry: _Entry | None, stat: os.stat_result | None, file: str
) -> tuple[bool, Revision | None]:
    """Return (hit, revision) for a cache entry checked against the file as it is now."""
    if entry is None or stat is None:
        return False, None
    if entry[0] != stat.st_mtime_ns or entry[1] != stat.st_size:
        return False, None
    if entry[2] is None:
        return True, None  # known not to be a revision script
    revision = _load_revision(entry[2], file)
    return revision is not None, revision


def _cacheable(header: ScriptHeader, stat: os.stat_result, now_ns: int) -> bool:
    """Tell whether a freshly read header may be cached (see the module docstring)."""
    return not header.imported and stat.st_mtime_ns < now_ns - RACY_WINDOW_NS


def _dump(revision: Revision | None) -> list[object] | None:
    """Turn a revision into its JSON form (without the path, which is the key)."""
    if revision is None:
        return None
    return [
        revision.id,
        list(revision.down_revisions),
        list(revision.branch_labels),
        list(revision.depends_on),
        revision.message,
        revision.checksum,
    ]


def _load_revision(data: object, file: str) -> Revision | None:
    """Rebuild a revision from its JSON form; ``None`` if the data is malformed."""
    if not isinstance(data, list) or len(data) != 6:
        return None
    rev_id, down, labels, depends, message, checksum = data
    if type(rev_id) is not str or {type(down), type(labels), type(depends)} != {list}:
        return None
    return Revision(
        id=rev_id,
        down_revisions=tuple(down),
        branch_labels=tuple(labels),
        depends_on=tuple(depends),
        message=message if isinstance(message, str) else None,
        path=file,
        checksum=checksum if isinstance(checksum, str) else None,
    )


def _load(path: Path) -> dict[str, _Entry]:
    """Read a cache file; any problem gives an empty cache."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return {}
    entries = data.get("entries")
    if not isinstance(entries, dict):
        return {}
    return {
        key: value
        for key, value in entries.items()
        if isinstance(value, list) and len(value) == 3 and isinstance(value[0], int)
    }


def _save(path: Path, entries: dict[str, _Entry]) -> None:
    """Write a cache file atomically; give up quietly if the directory is not writable."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        payload = json.dumps({"format": CACHE_FORMAT, "entries": entries}, separators=(",", ":"))
        temporary.write_text(payload, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        _log.debug("Not writing the header cache %s: %s", path, exc)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
