"""The file a report was read from, found again by the name it was loaded under.

A report's `file_name` is the path as given to `phuluc ingest` (relative to the folder it ran in), or
"archive.zip:member" for a member of an archive. The bytes found there are the report's only if their
SHA-256 is the one stored: a file edited or replaced since would show another report's page.
"""

from __future__ import annotations

import enum
import hashlib
import re
import zipfile
from pathlib import Path

from phuluc.extract.sources import MAX_MEMBER_BYTES

_MEMBER = re.compile(r"(?i)^(.+?\.zip):(.+)$")


class Unavailable(enum.StrEnum):
    """Why a report's source cannot be shown (the keys of its sentence in messages.yaml)."""

    MISSING = "source_missing"
    CHANGED = "source_changed"


def original(file_name: str, sha256: str) -> bytes | Unavailable:
    """The bytes of the source `file_name`, if they are still those loaded."""
    try:
        data = _read(file_name)
    except (OSError, KeyError, zipfile.BadZipFile):
        return Unavailable.MISSING
    if data is None:
        return Unavailable.MISSING
    return data if hashlib.sha256(data).hexdigest() == sha256 else Unavailable.CHANGED


def _read(file_name: str) -> bytes | None:
    """A file's bytes, or an archive member's (None for a member past the size ingest would unpack)."""
    path = Path(file_name)
    if path.is_file() or (member := _MEMBER.match(file_name)) is None:
        return path.read_bytes()
    with zipfile.ZipFile(member[1]) as archive:
        info = archive.getinfo(member[2])
        if info.file_size > MAX_MEMBER_BYTES:
            return None
        with archive.open(info) as stream:
            return stream.read(MAX_MEMBER_BYTES + 1)
