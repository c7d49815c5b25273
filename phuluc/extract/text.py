"""Plain-text and Markdown reports → RawDocument.

Three table styles reach us as text: tab-separated rows (Markdown renderings), `pdftotext -layout`
output (words positioned by character column) and plain PDF-to-text output (columns lost). The reader
only decodes the file (a rendering of a legacy-font PDF from its TCVN3/VNI mojibake too, as there are no
font names to go by), drops markup and cuts it into pages (form feeds) of lines; extract/assemble.py
finds the tables and hands each to the finder for its style. Everything outside the tables is body text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from phuluc.errors import PhulucError
from phuluc.extract import assemble, sniff
from phuluc.extract.page import Page, text_line
from phuluc.model import RawDocument
from phuluc.settings import DEFAULT, Settings
from phuluc.vi.legacy import decode_plain
from phuluc.vi.text import nfc

_MARKUP = re.compile(r"</?(?:b|strong|i|em|u|br|span)[^>]*>|\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
# a footnote mark: its text up to the first </sup>, never past another <sup> (unclosed ones are left as they
# are, and each is scanned only to the next, so a line of thousands stays linear)
_FOOTNOTE = re.compile(r"<sup>(?:(?!</?sup>).)*</sup>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def read(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read a .txt or .md report."""
    data = path.read_bytes()
    settings.budget.check_text(len(data))
    fmt = "md" if path.suffix.lower() in {".md", ".markdown"} else "text"
    return assemble.document(pages(_decode(data, path)), source=str(path), sha256=hashlib.sha256(data).hexdigest(),
                             fmt=fmt, settings=settings)


def _decode(data: bytes, path: Path) -> str:
    """The file's text, NFC, legacy-font mojibake decoded before anything reads it."""
    if not data.strip():
        raise PhulucError("empty_file", file=str(path))
    marked = sniff.bom(data)
    if b"\x00" in data[:4096] and marked is None:
        raise PhulucError("binary_file", file=str(path))
    codec, size = marked or ("utf-8", 0)
    try:
        text = data[size:].decode(codec)
    except UnicodeDecodeError:
        raise PhulucError("not_utf8", file=str(path)) from None
    return decode_plain(nfc(text))


def pages(text: str) -> list[Page]:
    """A report's text (pages separated by form feeds) as pages of lines, markup removed."""
    out, no = [], 0
    for number, chunk in enumerate(nfc(text).split("\f"), start=1):
        lines = []
        for raw in chunk.split("\n"):
            no += 1
            line = _HEADING.sub("", _MARKUP.sub("", _FOOTNOTE.sub("", raw.replace("\r", ""))))
            lines.append(text_line(line.rstrip(" \r"), number, no))
        out.append(Page(number, tuple(lines)))
    return out
