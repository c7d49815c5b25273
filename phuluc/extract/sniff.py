"""What a file is, from its content: offices and portals name files loosely.

A PDF saved as ".doc", a Word 2007 file renamed ".xls", a portal's "Excel" export that is an HTML table
or an XML Spreadsheet 2003, an RTF file Word saved as ".doc": each is read for what it is. The extension
only decides whether a file is looked at (`SUFFIXES`); the first bytes decide how it is read. Containers are looked into: a
ZIP holds Word, Excel or OpenDocument by its members, an OLE2 compound file holds Word 97–2003 or Excel
97–2003 by its streams.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path
from typing import Literal

Kind = Literal["pdf", "docx", "xlsx", "doc", "xls", "odt", "ods", "rtf", "html", "spreadsheetml", "image", "text"]

# The extensions of the files a report arrives in; a file with another one is not a report.
SUFFIXES = frozenset({".pdf", ".docx", ".doc", ".rtf", ".odt", ".xlsx", ".xls", ".ods", ".html", ".htm",
                      ".txt", ".md", ".markdown", ".png", ".jpg", ".jpeg", ".tif", ".tiff"})
# a damaged container is handed to the reader its name promises, which says what is wrong with it
_BY_SUFFIX: dict[str, Kind] = {".docx": "docx", ".xlsx": "xlsx", ".odt": "odt", ".ods": "ods", ".doc": "doc",
                               ".xls": "xls"}
_TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
_HEAD = 8192
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_ODF = {"application/vnd.oasis.opendocument.text": "odt", "application/vnd.oasis.opendocument.spreadsheet": "ods"}
_OOXML = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
_OLE_STREAMS = {"WordDocument": "doc", "Workbook": "xls", "Book": "xls"}  # "Book": Excel 5/95
# the start of a web page; in a text file only a page's own opening counts (Markdown may hold tags)
_PAGE = re.compile(rb"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_SPREADSHEET_ML = re.compile(rb"urn:schemas-microsoft-com:office:spreadsheet\"|progid=\"Excel\.Sheet\"")  # XML 2003
_MARKUP = re.compile(rb"<(?:html|head|body|table|meta|title)\b", re.I)


def kind(path: Path) -> Kind | None:
    """The format of the file at `path` by its content; None when it is none phuluc reads."""
    with path.open("rb") as f:
        head = f.read(_HEAD)
    if b"%PDF-" in head[:1024]:  # a few bytes of junk before the header are tolerated, as readers do
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path) or _BY_SUFFIX.get(path.suffix.lower())
    if head.startswith(_OLE):
        return _ole_kind(path) or _BY_SUFFIX.get(path.suffix.lower())
    if head.startswith(_IMAGES):
        return "image"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    page = _as_ascii(head).lstrip()
    if page.startswith(b"<?xml") and _SPREADSHEET_ML.search(page):
        return "spreadsheetml"
    if _PAGE.match(page) or (path.suffix.lower() not in _TEXT_SUFFIXES and page.startswith(b"<")
                             and _MARKUP.search(page)):
        return "html"
    return "text" if path.suffix.lower() in _TEXT_SUFFIXES else None


def bom(data: bytes) -> tuple[str, int] | None:
    """The codec a byte-order mark names and the mark's length; None without one. UTF-32's marks come
    first: its little-endian one starts as UTF-16's."""
    return next(((codec, len(mark)) for mark, codec in _BOMS if data.startswith(mark)), None)


def _as_ascii(head: bytes) -> bytes:
    """The first bytes with a BOM dropped and a wide encoding narrowed, so markup is found in any."""
    marked = bom(head)
    if marked is None:
        return head
    codec, size = marked
    return head[size:].decode(codec, "ignore").encode("ascii", "ignore")


def _zip_kind(path: Path) -> Kind | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype in _ODF:
                    return _ODF[mimetype]
    except (zipfile.BadZipFile, OSError, KeyError, NotImplementedError):
        return None
    return next((k for member, k in _OOXML.items() if member in names), None)


def _ole_kind(path: Path) -> Kind | None:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            return next((k for stream, k in _OLE_STREAMS.items() if ole.exists(stream)), None)
    except (OSError, ValueError):  # olefile raises OSError on a damaged header, ValueError on bad sectors
        return None
