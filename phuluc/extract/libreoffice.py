"""LibreOffice, headless, for the formats no Python library reads with their tables intact.

Word 97–2003 (.doc) and RTF keep tables, merged cells and paragraphs in structures only a word processor
rebuilds faithfully; `soffice --convert-to docx` does, and the result is read by extract/word.py like any
Word file. Each process keeps its own LibreOffice profile (a shared one is locked by the first instance,
and a second conversion then silently does nothing), made on first use and removed at exit. A conversion
that outlives `TIMEOUT` is killed, so one file cannot hold up a batch.
"""

from __future__ import annotations

import functools
import multiprocessing.util
import shutil
import subprocess
from pathlib import Path

from phuluc import processes, scratch
from phuluc.errors import PhulucError

TIMEOUT = 120.0  # s; a long report converts in a few seconds, the first start of a profile in ~5
PACKAGES = "libreoffice-writer-nogui libreoffice-calc-nogui"  # Debian's packages, without a GUI


def available() -> bool:
    return _binary() is not None


def convert(path: Path, suffix: str, out: Path, filter_name: str | None = None) -> Path:
    """`path` converted to the format of `suffix` ("docx", "odt", "xls", "pdf", …) in folder `out`;
    `filter_name` picks the export filter where a suffix has several ("MS Word 97" for "doc")."""
    binary = _binary()
    if binary is None:
        raise PhulucError("needs_tool", file=str(path), tool="LibreOffice", packages=PACKAGES)
    target = f"{suffix}:{filter_name}" if filter_name else suffix
    command = [binary, f"-env:UserInstallation={_profile().as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--nodefault", "--convert-to", target, "--outdir", str(out), str(path)]
    # in the reading worker's process group, so that LibreOffice is killed with a file given up on
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        _, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        processes.kill_tree(process.pid)  # soffice and the soffice.bin it started
        process.communicate()
        raise PhulucError("unreadable", file=str(path), reason=f"LibreOffice > {TIMEOUT:.0f} s") from None
    result = out / f"{path.stem}.{suffix}"
    if process.returncode != 0 or not result.is_file():
        reason = (err.decode("utf-8", "replace").strip().splitlines() or ["LibreOffice"])[-1][:200]
        raise PhulucError("unreadable", file=str(path), reason=reason)
    return result


def converted(path: Path, suffix: str) -> bytes:
    """The bytes of `path` converted to the format of `suffix`, made in a scratch folder removed at once."""
    with scratch.temporary("convert") as out:
        return convert(path, suffix, out).read_bytes()


def _binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.cache
def _profile() -> Path:
    """This process's profile, removed when it exits: a multiprocessing finalizer runs in an ingest
    worker too, where atexit handlers do not."""
    folder = scratch.folder("lo")
    multiprocessing.util.Finalize(None, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, exitpriority=0)
    return folder
