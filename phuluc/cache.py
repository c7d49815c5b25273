"""Values derived from the data phuluc ships (the register's name keys), kept between processes in the
user's cache folder ($XDG_CACHE_HOME/phuluc, else ~/.cache/phuluc): a command then loads in milliseconds
what it would fold letter by letter again. A value is filed under a digest of everything it is made
from, so new data or new code is a new file; a cache that cannot be read or written costs the building."""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def digest(parts: Iterable[bytes]) -> str:
    """A name for what a value is made from (marshal's format is the Python version's, so it counts)."""
    h = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:32]


def cached(name: str, made_from: str, build: Callable[[], Any]) -> Any:
    """`build()`'s value (made of marshal's types: str, tuple, dict …) as filed under `made_from`, else
    built and filed for the next process."""
    path = _folder() / f"{name}-{made_from}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{name}-", delete=False) as tmp:
            tmp.write(marshal.dumps(value))
        os.replace(tmp.name, path)  # whole or not at all, whoever else writes it at the same time
        for stale in path.parent.glob(f"{name}-*.marshal"):  # made from what is no longer there
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
    return value


def _folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "phuluc"
