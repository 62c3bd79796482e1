"""The script checksum is stable across line endings, BOMs and platforms."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from sqlstrata.scripts.checksum import script_checksum

TEXT = b'"""x"""\nrevision = "a"\ndown_revision = None\n\n\ndef upgrade():\n    pass\n'


def test_value_names_its_algorithm() -> None:
    assert script_checksum(TEXT) == "sha256-v1:" + hashlib.sha256(TEXT).hexdigest()


def test_crlf_cr_and_bom_do_not_change_it() -> None:
    base = script_checksum(TEXT)
    assert script_checksum(TEXT.replace(b"\n", b"\r\n")) == base
    assert script_checksum(TEXT.replace(b"\n", b"\r")) == base
    assert script_checksum(b"\xef\xbb\xbf" + TEXT) == base


def test_content_changes_it() -> None:
    assert script_checksum(TEXT + b"# edited\n") != script_checksum(TEXT)


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",))),
        max_size=8,
    )
)
def test_line_endings_never_matter(lines: list[str]) -> None:
    lf = "\n".join(lines).encode()
    assert script_checksum(lf) == script_checksum("\r\n".join(lines).encode())
