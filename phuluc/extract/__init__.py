"""Files → RawDocument, one reader per format. Readers know formats, not frameworks.

Which reader reads a file is decided by its content (extract/sniff.py), not by its name."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from phuluc.errors import PhulucError
from phuluc.extract import excel, html, image, opendocument, pdf, sniff, text, word
from phuluc.model import RawDocument
from phuluc.settings import DEFAULT, Settings

Reader = Callable[[Path, Settings], RawDocument]

READERS: dict[sniff.Kind, Reader] = {
    "pdf": pdf.read, "text": text.read,
    "docx": word.read_docx, "doc": word.read_converted, "rtf": functools.partial(word.read_converted, fmt="rtf"),
    "xlsx": excel.read_xlsx, "xls": excel.read_xls, "spreadsheetml": excel.read_spreadsheetml,
    "odt": opendocument.read_odt, "ods": opendocument.read_ods,
    "html": html.read, "image": image.read,
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
