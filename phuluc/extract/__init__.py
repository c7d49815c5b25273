"""Files → RawDocument, one reader per format. Readers know formats, not frameworks.

Which reader reads a file is decided by its content (extract/sniff.py), not by its name."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from phuluc.errors import PhulucError
from phuluc.extract import sniff
from phuluc.model import RawDocument
from phuluc.settings import DEFAULT, Settings

Reader = Callable[[Path, Settings], RawDocument]


@dataclass(frozen=True, slots=True)
class _Lazy:
    """A reader imported when it is first called: a process that reads a text report loads no PDF, OCR or
    Office library (pdfplumber and OpenCV alone cost a command a quarter of a second)."""

    module: str
    function: str

    def __call__(self, path: Path, settings: Settings = DEFAULT, **options: object) -> RawDocument:
        read = getattr(importlib.import_module(f"phuluc.extract.{self.module}"), self.function)
        return read(path, settings, **options)


READERS: dict[sniff.Kind, Reader] = {
    "pdf": _Lazy("pdf", "read"), "text": _Lazy("text", "read"),
    "docx": _Lazy("word", "read_docx"), "doc": _Lazy("word", "read_converted"),
    "rtf": functools.partial(_Lazy("word", "read_converted"), fmt="rtf"),
    "xlsx": _Lazy("excel", "read_xlsx"), "xls": _Lazy("excel", "read_xls"),
    "spreadsheetml": _Lazy("excel", "read_spreadsheetml"),
    "odt": _Lazy("opendocument", "read_odt"), "ods": _Lazy("opendocument", "read_ods"),
    "html": _Lazy("html", "read"), "image": _Lazy("image", "read"),
}


def supported(path: Path) -> bool:
    """Whether the file's name is that of a report file (its content then decides how it is read)."""
    return path.suffix.lower() in sniff.SUFFIXES


def read_document(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read one report file; a file whose content is of no format phuluc reads raises PhulucError."""
    if not path.is_file():
        raise PhulucError("not_found", file=str(path))
    kind = sniff.kind(path) if path.stat().st_size else "text"  # the text reader says a file is empty
    if kind is None:
        raise PhulucError("unknown_content", file=str(path), suffix=path.suffix or "?")
    document = READERS[kind](path, settings)
    settings.budget.check_rows(sum(len(table.rows) for table in document.tables))
    return document
