"""What phuluc derives from the data it ships (the register's index, the parsed configuration), kept
between processes in the user's cache folder ($XDG_CACHE_HOME/phuluc, else ~/.cache/phuluc): a command
then opens in milliseconds what it would parse and fold letter by letter again. Each file is filed under
a digest of everything it is made from, so new data or new code is a new file; a cache that cannot be
read or written costs the building. Files made from other data are removed once no process has used
them for a week: two installs (a new version beside the old, two checkouts) share the folder without
deleting the file the other is about to open."""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_DIGEST = 32  # hex digits of a file's name that say what it is made from
UNUSED = 7 * 24 * 3600  # seconds after its last use that a file made from other data may be removed


def digest(parts: Iterable[bytes]) -> str:
    """A name for what a value is made from (marshal's format is the Python version's, so it counts)."""
    h = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:_DIGEST]


def cached(name: str, made_from: str, build: Callable[[], Any]) -> Any:
    """`build()`'s value (made of marshal's types: str, tuple, dict …) as filed under `made_from`, else
    built and filed for the next process."""
    path = _folder() / f"{name}-{made_from}.marshal"
    try:
        value = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    else:
        _used(path)
        return value
    value = build()
    with contextlib.suppress(OSError, ValueError):  # ValueError: a type marshal does not know (a date)
        _file(path, name, lambda tmp: tmp.write_bytes(marshal.dumps(value)))
    return value


def cached_file(name: str, made_from: str, suffix: str, build: Callable[[Path], None]) -> Path:
    """The file `build(path)` writes, as filed under `made_from` (built now if it is not there yet).
    Where the cache folder cannot be written, the file is kept in the system's temporary folder."""
    path = _folder() / f"{name}-{made_from}{suffix}"
    fallback = Path(tempfile.gettempdir()) / f"phuluc-{os.getuid()}" / path.name
    for built in (path, fallback):
        if built.is_file():
            _used(built)
            return built
    try:
        return _file(path, name, build)
    except OSError:
        return _file(fallback, name, build)


def _file(path: Path, name: str, build: Callable[[Path], None]) -> Path:
    """`path` written by `build` to a temporary file beside it, then put in place whole (whoever else
    builds it at the same time), and the files of `name` made from anything else and unused for a
    week removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-")
    os.close(fd)
    try:
        build(Path(tmp))
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    unused = time.time() - UNUSED
    for stale in path.parent.glob(f"{name}-{'[0-9a-f]' * _DIGEST}{path.suffix}"):  # made from what is gone
        with contextlib.suppress(OSError):
            if stale != path and stale.stat().st_mtime < unused:
                stale.unlink()
    return path


def _used(path: Path) -> None:
    """Mark `path` as used now (its modification time), so that no other install removes it."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "phuluc"
