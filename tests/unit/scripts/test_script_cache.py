"""The header cache: hits for unchanged files, re-reads for changed ones, never a failure."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from script_helpers import AN_HOUR_AGO, revision_text, write_file, write_revision_file

from sqlstrata.scripts.cache import CACHE_FORMAT, cache_path, read_headers
from sqlstrata.scripts.header import ScriptHeader, inspect_script


class CountingReader:
    """inspect_script, counting the files it was asked to read."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def __call__(self, path: str) -> ScriptHeader:
        self.read.append(os.path.basename(path))
        return inspect_script(path)


def files_in(location: Path) -> list[str]:
    return sorted(str(path) for path in location.glob("*.py"))


def load(location: Path, reader: Callable[[str], ScriptHeader]) -> list[str]:
    return [revision.id for revision in read_headers(location, files_in(location), reader)]


def test_second_read_comes_from_the_cache(tmp_path: Path) -> None:
    for rev, down in [("a1", None), ("b2", "a1"), ("c3", "b2")]:
        write_revision_file(tmp_path, rev, down)
    first, second = CountingReader(), CountingReader()
    assert load(tmp_path, first) == ["a1", "b2", "c3"]
    assert cache_path(tmp_path).is_file()
    assert load(tmp_path, second) == ["a1", "b2", "c3"]
    assert first.read == ["a1_x.py", "b2_x.py", "c3_x.py"]
    assert second.read == []


def test_cached_revision_equals_a_fresh_read(tmp_path: Path) -> None:
    path = write_file(
        tmp_path / "m1_x.py",
        revision_text("m1", ("a", "b"), message="merge", labels="lbl", depends=("d",)),
        dedent=False,
    )
    (fresh,) = read_headers(tmp_path, [str(path)])
    (cached,) = read_headers(tmp_path, [str(path)], CountingReader())
    assert cached == fresh
    assert cached.down_revisions == ("a", "b")
    assert cached.checksum is not None


def test_cache_is_keyed_by_mtime_and_size(tmp_path: Path) -> None:
    path = write_revision_file(tmp_path, "a1")
    load(tmp_path, CountingReader())
    # Same size, same mtime: the cache cannot tell, and answers from what it knows.
    path.write_text(path.read_text().replace("'a1'", "'z9'"))
    os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    assert load(tmp_path, CountingReader()) == ["a1"]
    # A new mtime makes it read the file again.
    os.utime(path, (AN_HOUR_AGO + 10, AN_HOUR_AGO + 10))
    reader = CountingReader()
    assert load(tmp_path, reader) == ["z9"]
    assert reader.read == ["a1_x.py"]


def test_modified_file_is_read_again(tmp_path: Path) -> None:
    write_revision_file(tmp_path, "a1")
    path = write_revision_file(tmp_path, "b2", "a1")
    load(tmp_path, CountingReader())
    write_file(path, revision_text("b2", "a1", message="a longer message now"), dedent=False)
    reader = CountingReader()
    revisions = read_headers(tmp_path, files_in(tmp_path), reader)
    assert reader.read == ["b2_x.py"]
    assert revisions[1].message == "a longer message now"


def test_recently_modified_files_are_not_cached(tmp_path: Path) -> None:
    write_file(tmp_path / "a1_x.py", revision_text("a1"), dedent=False, old=False)
    load(tmp_path, CountingReader())
    reader = CountingReader()
    load(tmp_path, reader)
    assert reader.read == ["a1_x.py"]  # its next edit could keep the same mtime


def test_imported_headers_are_not_cached(tmp_path: Path) -> None:
    write_file(tmp_path / "c1_x.py", "revision = 'c' + '1'\n", dedent=False)
    load(tmp_path, CountingReader())
    reader = CountingReader()
    assert load(tmp_path, reader) == ["c1"]
    assert reader.read == ["c1_x.py"]


def test_non_revisions_are_cached_too(tmp_path: Path) -> None:
    write_file(tmp_path / "helpers.py", "def helper():\n    return 1\n", dedent=False)
    write_revision_file(tmp_path, "a1")
    load(tmp_path, CountingReader())
    reader = CountingReader()
    assert load(tmp_path, reader) == ["a1"]
    assert reader.read == []


def test_deleted_files_leave_the_cache(tmp_path: Path) -> None:
    write_revision_file(tmp_path, "a1")
    gone = write_revision_file(tmp_path, "b2", "a1")
    load(tmp_path, CountingReader())
    gone.unlink()
    assert load(tmp_path, CountingReader()) == ["a1"]
    entries = json.loads(cache_path(tmp_path).read_text())["entries"]
    assert sorted(entries) == ["a1_x.py"]


def test_subdirectory_keys_are_relative(tmp_path: Path) -> None:
    nested = write_revision_file(tmp_path / "2024" / "01", "a1")
    read_headers(tmp_path, [str(nested)])
    entries = json.loads(cache_path(tmp_path).read_text())["entries"]
    assert list(entries) == ["2024/01/a1_x.py"]
    reader = CountingReader()
    assert [r.path for r in read_headers(tmp_path, [str(nested)], reader)] == [str(nested)]
    assert reader.read == []


def test_corrupt_cache_is_ignored_and_replaced(tmp_path: Path) -> None:
    write_revision_file(tmp_path, "a1")
    cache_path(tmp_path).parent.mkdir()
    cache_path(tmp_path).write_text("{ not json")
    assert load(tmp_path, CountingReader()) == ["a1"]
    assert json.loads(cache_path(tmp_path).read_text())["format"] == CACHE_FORMAT


def test_malformed_entries_are_misses(tmp_path: Path) -> None:
    path = write_revision_file(tmp_path, "a1")
    stat = path.stat()
    cache_path(tmp_path).parent.mkdir()
    bogus = {"format": CACHE_FORMAT, "entries": {"a1_x.py": [stat.st_mtime_ns, stat.st_size, 7]}}
    cache_path(tmp_path).write_text(json.dumps(bogus))
    reader = CountingReader()
    assert load(tmp_path, reader) == ["a1"]
    assert reader.read == ["a1_x.py"]


def test_unwritable_cache_location_never_fails(tmp_path: Path) -> None:
    write_revision_file(tmp_path, "a1")
    (tmp_path / "__pycache__").write_text("a file where the cache directory should be")
    assert load(tmp_path, CountingReader()) == ["a1"]
    assert load(tmp_path, CountingReader()) == ["a1"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
