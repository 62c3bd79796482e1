"""The checksum of a revision script: stable across platforms and sqlstrata versions.

SHA-256 of the script's bytes after removing a UTF-8 byte order mark and turning CRLF and
lone CR line endings into LF, so a checkout on Windows and one on Linux agree. The value
names its algorithm (``sha256-v1:...``); a future change of normalisation gets a new name
and old values stay comparable by the old rule.
"""

from __future__ import annotations

import codecs
import hashlib

ALGORITHM = "sha256-v1"


def normalized(data: bytes) -> bytes:
    """The bytes the checksum is taken of."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def script_checksum(data: bytes) -> str:
    """``sha256-v1:<hex>`` of the normalized bytes."""
    return f"{ALGORITHM}:{hashlib.sha256(normalized(data)).hexdigest()}"
