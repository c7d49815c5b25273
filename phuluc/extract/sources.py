"""Where report files come from: files, folders (recursive) and `.zip` archives as offices send them.

An archive member is unpacked to a temporary file only when its turn comes, so a batch of any size
holds one member at a time. Archives are untrusted input: a member whose name leaves the archive's own
tree ("../x", "/etc/x"), an archive inside the archive, an encrypted member, or one that unpacks to far
more than it should (a zip bomb) is skipped with its reason, never written.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from phuluc import scratch

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one report file; a scan of a long report stays far below
MAX_RATIO = 200  # unpacked ÷ packed size of a large member; text compresses ~10×, bombs ~1000×
_CHUNK = 1 << 20
_MAX_SUFFIX = 16


@dataclass(frozen=True, slots=True)
class Source:
    """One file to ingest: `name` is what the user sees ("batch.zip:2024/a.pdf"), `path` a file on
    disk, `skip` the message key of why it is not read (then `path` is None)."""

    name: str
    path: Path | None
    skip: str | None = None
    temporary: bool = False

    def release(self) -> None:
        """Remove the unpacked copy of an archive member."""
        if self.temporary and self.path is not None:
            self.path.unlink(missing_ok=True)


def walk(paths: list[Path]) -> Iterator[Source]:
    """Every file under `paths`, in a stable order, archives opened member by member."""
    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.name)):
                yield from _file(file)
        else:
            yield from _file(path)


def count(paths: list[Path]) -> int:
    """How many sources `walk` yields, without unpacking anything (for a progress bar)."""
    return sum(1 for _ in _names(paths))


def _names(paths: list[Path]) -> Iterator[str]:
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.name)) if path.is_dir() else [path]
        for file in files:
            if _is_zip(file):
                try:
                    with zipfile.ZipFile(file) as archive:
                        yield from (m.filename for m in archive.infolist() if _listed(m))
                except (zipfile.BadZipFile, OSError):
                    yield str(file)
            else:
                yield str(file)


def _hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def _file(path: Path) -> Iterator[Source]:
    if not _is_zip(path):
        yield Source(str(path), path)
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        yield Source(str(path), None, "bad_archive")
        return
    with archive:
        members = [m for m in archive.infolist() if _listed(m)]
        for k, member in enumerate(members):
            name = f"{path}:{member.filename}"
            if k >= MAX_MEMBERS:
                yield Source(name, None, "archive_too_large")
                continue
            reason = _refuse(member)
            if reason:
                yield Source(name, None, reason)
                continue
            target = scratch.file("zip", _suffix(member.filename))
            reason = _unpack(archive, member, target)
            yield Source(name, None, reason) if reason else Source(name, target, temporary=True)


def _suffix(name: str) -> str:
    """A member's extension for its unpacked copy: one no file system refuses (a 300-character
    "extension" is none; the file is then no report by its name)."""
    suffix = PurePosixPath(name).suffix
    return suffix if len(suffix) <= _MAX_SUFFIX and suffix[1:].isalnum() else ""


def _listed(member: zipfile.ZipInfo) -> bool:
    """Members that are files a person put there (not folders, not macOS resource forks)."""
    parts = _path(member).parts
    return not member.is_dir() and bool(parts) and not any(_hidden(p) for p in parts if p not in (".", ".."))


def _path(member: zipfile.ZipInfo) -> PurePosixPath:
    """The member's path as written, a Windows zipper's backslashes as the separators they are."""
    return PurePosixPath(member.filename.replace("\\", "/"))


def _refuse(member: zipfile.ZipInfo) -> str | None:
    """Why a member is not unpacked at all, from its header alone."""
    name = _path(member)
    if name.is_absolute() or ".." in name.parts or ":" in name.parts[0]:
        return "unsafe_member"
    if name.suffix.lower() in (".zip", ".rar", ".7z", ".gz", ".tar", ".tgz"):
        return "nested_archive"
    if member.flag_bits & 0x1:
        return "encrypted_member"
    if member.file_size > MAX_MEMBER_BYTES or (
            member.file_size > _CHUNK and member.file_size > MAX_RATIO * max(member.compress_size, 1)):
        return "zip_bomb"
    return None


def _unpack(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path) -> str | None:
    """Copy a member out, stopping as soon as it grows past what its header declared (headers can lie)."""
    written = 0
    try:
        with archive.open(member) as src, target.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > member.file_size or written > MAX_MEMBER_BYTES:
                    raise _TooLarge
                dst.write(chunk)
    except _TooLarge:
        target.unlink(missing_ok=True)
        return "zip_bomb"
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        target.unlink(missing_ok=True)
        return "bad_archive"
    return None


class _TooLarge(Exception):
    pass
