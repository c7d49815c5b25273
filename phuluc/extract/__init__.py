"""Files → RawDocument, one reader per format. Readers know formats, not frameworks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from phuluc.errors import PhulucError
from phuluc.extract import excel, pdf, text, word
from phuluc.model import RawDocument
from phuluc.settings import DEFAULT, Settings

READERS: dict[str, Callable[[Path, Settings], RawDocument]] = {
    ".txt": text.read, ".md": text.read, ".markdown": text.read,
    ".pdf": pdf.read, ".docx": word.read_docx, ".xlsx": excel.read_xlsx,
}


def supported(path: Path) -> bool:
    return path.suffix.lower() in READERS


def read_document(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read one report file; a file of a format phuluc does not read raises PhulucError."""
    if not path.is_file():
        raise PhulucError("not_found", file=str(path))
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise PhulucError("unsupported_format", file=str(path), suffix=path.suffix or "?")
    return reader(path, settings)
