"""PDFs with a text layer → RawDocument.

pdfplumber gives the words of each page with their positions; legacy Vietnamese fonts (TCVN3, VNI) are
decoded to Unicode word by word from their font names before anything else reads them. Each page is
then laid out as monospaced text, a word at the column its position gives, as `pdftotext -layout`
does, and the text reader finds the tables, their headers, wrapped cells and continuations over pages:
one reader for every format that can be seen as positioned text. A page without a usable text layer (a
scan, or glyphs that map to nothing, "(cid:12)") is read by OCR (extract/ocr.py): its ruled tables come
back as tables with a confidence per cell, its other words join the text path; a document of mixed
pages is read page by page with the right method. Without Tesseract such pages are reported as needing
OCR, never read as empty.
"""

from __future__ import annotations

import hashlib
import statistics
from dataclasses import replace
from pathlib import Path

import pdfplumber

from phuluc.errors import PhulucError
from phuluc.extract import assemble, text
from phuluc.model import RawDocument, RawTable
from phuluc.settings import DEFAULT, Settings
from phuluc.vi.legacy import decode_font_text

_UNMAPPED = "(cid:"
_LINE_TOLERANCE = 0.45  # words whose tops differ by less than this share of the text height share a line
_WORD_GAP = 0.5  # a gap under half the font size is a space between words; wider is a gap between columns
_BLANK_GAP = 1.6  # a vertical gap over this many line heights is a blank line, as pdftotext prints it


def read(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    data = path.read_bytes()
    try:
        pdf = pdfplumber.open(path)
    except Exception as e:  # pdfminer raises several unrelated types for a damaged file
        raise PhulucError("unreadable", file=str(path), reason=str(e) or type(e).__name__) from None
    with pdf:
        pages, missing = [], []
        for number, page in enumerate(pdf.pages, start=1):
            words = _words(page)
            if not _usable(words):
                missing.append(number)
            pages.append(_layout(words))
    scanned = _ocr(path, missing, pages, settings) if missing else []
    doc = assemble.document(text.pages("\f".join(pages)), source=str(path),
                            sha256=hashlib.sha256(data).hexdigest(), fmt="pdf-scanned" if missing else "pdf",
                            settings=settings)
    if not scanned:
        return doc
    return replace(doc, tables=tuple(sorted(doc.tables + tuple(scanned), key=lambda t: t.pages[:1])))


def _ocr(path: Path, missing: list[int], pages: list[str], settings: Settings) -> list[RawTable]:
    """Pages without a text layer, by OCR: ruled tables as RawTables, the other words laid out into
    `pages` like a text page. Without Tesseract the pages are reported as needing OCR."""
    from phuluc.extract import ocr  # OpenCV and Tesseract load for scans only

    if not ocr.available():
        raise PhulucError("needs_ocr", file=str(path), pages=", ".join(map(str, missing)))
    tables, words = ocr.ocr_tables(ocr.ocr_pages(path, missing, workers=settings.ocr.processes))
    for number, page_words in words.items():
        pages[number - 1] = _layout(page_words)
    return tables


def _words(page: pdfplumber.page.Page) -> list[dict]:
    """The page's words, decoded from legacy font encodings."""
    words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False, use_text_flow=False)
    for w in words:
        w["text"] = decode_font_text(w["text"], w["fontname"])
    return words


def _usable(words: list[dict]) -> bool:
    """A text layer is usable when it has words and most of them map to characters."""
    if not words:
        return False
    unmapped = sum(1 for w in words if _UNMAPPED in w["text"])
    return unmapped < len(words) / 3


def _layout(words: list[dict]) -> str:
    """The page as monospaced lines: each word at the column its x position gives."""
    if not words:
        return ""
    # a narrow character width: printed words then fit in the span they cover, so a line of tight
    # headings is not pushed right word after word
    char_width = statistics.quantiles([(w["x1"] - w["x0"]) / max(len(w["text"]), 1) for w in words] * 2,
                                      n=10)[1]
    height = statistics.median(w["bottom"] - w["top"] for w in words)
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(w["top"] - lines[-1][0]["top"]) < _LINE_TOLERANCE * height:
            lines[-1].append(w)
        else:
            lines.append([w])
    out: list[str] = []
    previous = None
    for line in lines:
        top = min(w["top"] for w in line)
        if previous is not None and top - previous > _BLANK_GAP * height:
            out.append("")
        previous = top
        text_line, last = "", None
        for w in sorted(line, key=lambda w: w["x0"]):
            if last is not None and w["x0"] - last["x1"] < _WORD_GAP * w["size"]:
                text_line += " " + w["text"]  # the next word of the same phrase
            else:
                column = round(w["x0"] / char_width)
                text_line += " " * max(column - len(text_line), 2 if text_line else 0) + w["text"]
            last = w
        out.append(text_line)
    return "\n".join(out) + "\n"
