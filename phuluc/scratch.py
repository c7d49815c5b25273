"""Scratch folders in the temp folder, named after the process that made them.

An archive member unpacked for reading is a scratch file, removed once it is read (it may be read after
the archive has been walked on: files wait for a worker); a LibreOffice conversion and its profile live
in a folder of their own, removed when done; a process killed by kill -9 cannot remove its folder, so each name carries the process id
("phuluc-zip-4711-…") and `sweep` removes, at the start of the next batch, the folders of processes that
no longer run.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_NAME = re.compile(r"^phuluc-[a-z]+-(\d+)-")


def folder(kind: str) -> Path:
    """A new scratch folder of this process, `kind` naming what it holds ("zip", "lo")."""
    return Path(tempfile.mkdtemp(prefix=f"phuluc-{kind}-{os.getpid()}-"))


def file(kind: str, suffix: str) -> Path:
    """A new, empty scratch file of this process."""
    handle, name = tempfile.mkstemp(prefix=f"phuluc-{kind}-{os.getpid()}-", suffix=suffix)
    os.close(handle)
    return Path(name)


@contextmanager
def temporary(kind: str) -> Iterator[Path]:
    """A scratch folder removed when the block ends."""
    path = folder(kind)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sweep() -> int:
    """Remove the scratch folders and files left by processes that are gone; how many were removed."""
    removed = 0
    for path in Path(tempfile.gettempdir()).glob("phuluc-*-*-*"):
        match = _NAME.match(path.name)
        if match and not _running(int(match.group(1))):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
