"""Hostile and broken report files, and the runs that feed them to `phuluc` (issue 10).

    python3 scripts/fuzz.py OUT [--count 250] [--seed 0] [--index N]

`generate` writes `count` inputs into a folder, the same bytes for the same seed: damaged copies of the
shared fixtures (../shared/fixtures, read in place, never copied into the repo) and files built here —
truncations and byte damage in every format, text in odd encodings, malformed and bombing PDFs, broken
Word/Excel/OpenDocument packages, XML entity bombs and XXE, hostile archives and file names, injection
payloads in good reports, inputs that punish a quadratic path, wrong suffixes, image bombs — and good
reports that must load. Input `i` depends only on the seed and `i` (`--index` writes that one alone).

`run_batch` ingests them all in one `phuluc ingest` and checks the batch kept its integrity; `run_each`
extracts them one process each and measures every run. tests/test_fuzz.py runs a CI-sized set,
bench/fuzz.py the full one.
"""

from __future__ import annotations

import argparse
import enum
import functools
import io
import json
import os
import random
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import AnyStr, Literal, NamedTuple

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FIXTURES = SHARED / "fixtures"
MAX_BYTES = 8 << 20  # the largest input on disk: bombs are small files that expand
PEAK_LIMIT_MB = 1536  # a run above it fails the bench
MEMORY_CAP_MB = 4096  # a run above it is killed, so a bomb cannot take the machine down
GRACE = 5.0  # seconds past the budget a process may take to start and stop
LEAK = "root:x:0:0"  # /etc/passwd's first line: an XXE that was resolved
TRACEBACK = "a traceback"
GAVE_UP = ("bỏ dở", "gave up")  # phuluc's words for a file abandoned at its budget (vi, en)
ESCAPE_TARGET = Path("/tmp/phuluc-fuzz-escaped.txt")  # where an absolute archive member would be written


class Hostile(enum.Enum):
    """What an input attacks; `GOOD` is a report that must load."""

    GOOD = "good"
    TRUNCATION = "truncation"
    CORRUPTION = "corruption"
    TEXT_ENCODING = "encoding"
    PDF_STRUCTURE = "pdf"
    PDF_BOMB = "pdf-bomb"
    OFFICE_STRUCTURE = "office"
    XML_ENTITY = "xml-entity"
    ARCHIVE = "archive"
    HOSTILE_NAME = "name"
    INJECTION = "injection"
    QUADRATIC = "quadratic"
    WRONG_SUFFIX = "suffix"
    IMAGE = "image"


@dataclass(frozen=True)
class Case:
    """One generated input: `good` says it is a report that must load exactly once."""

    index: int
    path: Path
    hostile: Hostile
    variant: str
    good: bool

    def describe(self, seed: int) -> str:
        """The input and how to make it again."""
        return (f"{self.path.name!r} ({self.hostile.value}/{self.variant}; "
                f"python3 scripts/fuzz.py OUT --seed {seed} --index {self.index})")


class Made(NamedTuple):
    """What a builder returns: the bytes, the suffix, and an exact file name where the name is the attack."""

    data: bytes
    suffix: str
    good: bool = False
    name: str | None = None


Builder = Callable[[random.Random, int], Made]


# ---------------------------------------------------------------- base material: the shared fixtures


@functools.cache
def _truths() -> dict[Path, dict]:
    """Every fixture beside its truth (format, unit names)."""
    if not FIXTURES.is_dir():
        raise FileNotFoundError(f"{FIXTURES} is missing: the fuzz inputs are made from the shared fixtures")
    return {truth.with_name(truth.name[: -len(".truth.json")]): json.loads(truth.read_text(encoding="utf-8"))
            for truth in sorted(FIXTURES.glob("*.truth.json"))}


@functools.cache
def _fixtures(fmt: str) -> tuple[Path, ...]:
    """The fixtures of one truth format ("pdf", "pdf-scanned", "md", "text", "docx", "xlsx")."""
    return tuple(path for path, truth in _truths().items() if truth["format"] == fmt and path.is_file())


def _fixture(rng: random.Random, fmt: str) -> tuple[Path, bytes]:
    path = rng.choice(_fixtures(fmt))
    return path, _read(path)


@functools.cache
def _read(path: Path) -> bytes:
    return path.read_bytes()


def _units(path: Path) -> list[str]:
    """The printed unit names of a fixture's table rows."""
    return [row["unit_raw"] for table in _truths()[path]["tables"] for row in table["rows"] if row.get("unit_raw")]


def _text_fixture(rng: random.Random) -> tuple[Path, str]:
    path, data = _fixture(rng, rng.choice(("md", "text")))
    return path, data.decode("utf-8")


def _unique(data: bytes, mark: int) -> bytes:
    """The same report in bytes no other input has (`mark` differs between them), so no input's sha256
    is another's: a zip comment, a PDF or HTML comment, a last line of blanks spelling `mark` in binary."""
    if data.startswith(b"PK"):
        return _zip(_members(data), comment=b"fuzz %d" % mark)
    if data.lstrip().startswith(b"%PDF"):
        return data + b"\n%%fuzz %d\n" % mark
    if data.lstrip()[:1] == b"<":
        return data + b"\n<!-- fuzz %d -->\n" % mark
    return data + b"\n" + f"{mark:b}".replace("0", " ").replace("1", "\t").encode() + b" \n"


def _member_mark(index: int, k: int) -> int:
    """The mark of the k-th report inside input `index`: apart from every input's own mark."""
    return 1_000_000 + 100 * index + k


# ---------------------------------------------------------------- containers: zip, PDF, OLE, ODF, TIFF


@dataclass(frozen=True)
class _Member:
    """A zip member; `fill` makes it one that inflates to `size` copies of one byte (a bomb)."""

    name: str
    data: bytes = b""
    fill: int | None = None
    size: int = 0
    stored: bool = False
    flags: int = 0


def _members(data: bytes) -> list[_Member]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [_Member(info.filename, archive.read(info), stored=info.compress_type == zipfile.ZIP_STORED)
                for info in archive.infolist()]


def _zip(members: Iterable[_Member], comment: bytes = b"") -> bytes:
    """A zip written by hand: the same bytes every time, and members no zip library would write."""
    body, central = bytearray(), bytearray()
    count = 0
    for m in members:
        name = m.name.encode("utf-8")
        flags = m.flags | (0x800 if not name.isascii() else 0)
        packed, crc, size = _packed(m)
        fields = struct.pack("<HHHHHIIIHH", 20, flags, 0 if m.stored else 8, 0, 0x21, crc, len(packed), size,
                             len(name), 0)
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(body))
        central += name
        body += b"PK\x03\x04" + fields + name + packed
        count += 1
    end = struct.pack("<HHHHIIH", 0, 0, count, count, len(central), len(body), len(comment))
    return bytes(body + central + b"PK\x05\x06" + end + comment)


def _packed(m: _Member) -> tuple[bytes, int, int]:
    """A member's stored bytes, CRC-32 and unpacked size."""
    if m.fill is not None:
        return _inflating(m.fill, m.size, raw=True), _crc_of_fill(m.fill, m.size), m.size
    if m.stored:
        return m.data, zlib.crc32(m.data), len(m.data)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    return deflate.compress(m.data) + deflate.flush(), zlib.crc32(m.data), len(m.data)


@functools.cache
def _inflating(fill: int, size: int, raw: bool = False) -> bytes:
    """A deflate stream of `size` copies of byte `fill`, made in milliseconds: one fully flushed chunk
    repeated (a full flush resets the window, so every chunk after the first compresses alike)."""
    chunk = 1 << 22
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15 if raw else 15)
    first = deflate.compress(bytes([fill]) * min(chunk, size)) + deflate.flush(zlib.Z_FULL_FLUSH)
    whole, tail = divmod(max(size - chunk, 0), chunk)
    again = deflate.compress(bytes([fill]) * chunk) + deflate.flush(zlib.Z_FULL_FLUSH) if whole else b""
    last = deflate.compress(bytes([fill]) * tail) + deflate.flush(zlib.Z_FULL_FLUSH) if tail else b""
    end = b"\x03\x00" + (b"" if raw else _adler_of_fill(fill, size).to_bytes(4, "big"))
    return first + again * whole + last + end


def _adler_of_fill(fill: int, size: int) -> int:
    a = (1 + size * fill) % 65521
    b = (size + fill * size * (size + 1) // 2) % 65521
    return (b << 16) | a


@functools.cache
def _crc_of_fill(fill: int, size: int) -> int:
    crc, chunk = 0, bytes([fill]) * (1 << 20)
    for _ in range(size >> 20):
        crc = zlib.crc32(chunk, crc)
    return zlib.crc32(chunk[: size & ((1 << 20) - 1)], crc)


def _edit_zip(data: bytes, edits: dict[str, Callable[[bytes], bytes | None]]) -> bytes:
    """A package with some members changed (an edit returning None drops the member)."""
    out = []
    for m in _members(data):
        edit = edits.get(m.name)
        changed = edit(m.data) if edit else m.data
        if changed is not None:
            out.append(_Member(m.name, changed, stored=m.stored))
    return _zip(out)


def _pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF of `objects` (numbered from 1, the catalog first) with a true xref table: the frame each
    malformed PDF breaks."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n" % (len(objects) + 1, start) + b"%%EOF\n"
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"", length: bytes | None = None) -> bytes:
    return (b"<< /Length " + (length or b"%d" % len(content)) + b" " + extra + b" >>\nstream\n" + content
            + b"\nendstream")


COURIER = b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"


def _ascii(text: str) -> str:
    """Vietnamese without its marks, for the standard PDF fonts."""
    bare = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in bare if not unicodedata.combining(c)).encode("ascii", "replace").decode()


def _page_text(lines: Iterable[str]) -> bytes:
    """A content stream that prints the lines top to bottom."""
    shown = b"".join(b"(" + _ascii(line).encode().replace(b"\\", b"\\\\").replace(b"(", b"\\(")
                     .replace(b")", b"\\)") + b") '\n" for line in lines)
    return b"BT /F1 7 Tf 9 TL 20 820 Td\n" + shown + b"ET"


def _report_lines(rng: random.Random) -> list[str]:
    """The lines of a layout-text fixture: a report's words where a PDF puts them."""
    _, data = _fixture(rng, "text")
    return data.decode("utf-8").splitlines()[:90]


def _text_pdf(rng: random.Random, page: bytes = b"", font: bytes = COURIER, mediabox: bytes = b"[0 0 595 842]",
              catalog: bytes = b"/Pages 2 0 R", pages: bytes = b"/Kids [3 0 R] /Count 1", prefix: bytes = b"",
              length: bytes | None = None, extra: Sequence[bytes] = ()) -> list[bytes]:
    """The objects of a one-page PDF with a text layer; each keyword is the part a variant replaces."""
    return [b"<< /Type /Catalog " + catalog + b" >>",
            b"<< /Type /Pages " + pages + b" >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox + b" /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R " + page + b">>",
            _stream(prefix + _page_text(_report_lines(rng)), length=length),
            font, *extra]


def _blank_pdf(count: int, mediabox: bytes) -> bytes:
    """`count` pages with nothing on them: no text layer, so a reader renders them for OCR."""
    kids = b" ".join(b"%d 0 R" % (n + 3) for n in range(count))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox + b" >>"
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
                 *[page] * count])


def _ole(stream: str, data: bytes) -> bytes:
    """An OLE2 compound file holding one stream (a Word 97 or Excel 97 container around `data`)."""
    sector = 512
    data = data.ljust(max(4096, -(-len(data) // sector) * sector), b"\0")  # past the mini-stream cutoff
    count = len(data) // sector
    free, end = 0xFFFFFFFF, 0xFFFFFFFE
    fat = [0xFFFFFFFD, end, *range(3, 2 + count), end]
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<10I", 0, 1, 1, 0, 4096, end, 0, end, 0, 0)  # the FAT is sector 0
              + struct.pack("<108I", *[free] * 108))
    entries = _ole_entry("Root Entry", 5, 1, end, 0) + _ole_entry(stream, 2, free, 2, len(data))
    directory = entries + (bytes(64) + struct.pack("<HBB3I", 0, 0, 0, free, free, free) + bytes(48)) * 2
    return header + struct.pack("<128I", *fat, *[free] * (128 - len(fat))) + directory + data


def _ole_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1, 0xFFFFFFFF, 0xFFFFFFFF, child)
            + bytes(16 + 4 + 16) + struct.pack("<III", start, size, 0))


ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2"')
ODF_TYPES = {"text": "application/vnd.oasis.opendocument.text",
             "spreadsheet": "application/vnd.oasis.opendocument.spreadsheet"}


def _odf(kind: Literal["text", "spreadsheet"], body: str, doctype: str = "") -> bytes:
    """An OpenDocument package whose content.xml holds `body`."""
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                f'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                f'"{ODF_TYPES[kind]}"/><manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document-content {ODF_NS}><office:body>'
               f"<office:{kind}>{body}</office:{kind}></office:body></office:document-content>")
    return _zip([_Member("mimetype", ODF_TYPES[kind].encode(), stored=True),
                 _Member("META-INF/manifest.xml", manifest.encode()), _Member("content.xml", content.encode())])


def _blocks(text: str) -> list[str | list[str]]:
    """A tab-separated report as paragraphs (str) and table rows (lists of cells)."""
    return [line.split("\t") if "\t" in line else line.lstrip("#*- ").strip() for line in text.splitlines()
            if line.strip()]


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _odf_cell(text: str) -> str:
    return f'<table:table-cell office:value-type="string"><text:p>{_xml(text)}</text:p></table:table-cell>'


def _odt_body(blocks: list[str | list[str]]) -> str:
    """Paragraphs, and each run of rows one table."""
    out, rows = [], []
    for block in [*blocks, ""]:
        if isinstance(block, list):
            rows.append("<table:table-row>" + "".join(map(_odf_cell, block)) + "</table:table-row>")
            continue
        if rows:
            out.append('<table:table table:name="T">' + "".join(rows) + "</table:table>")
            rows = []
        out.append(f"<text:p>{_xml(block)}</text:p>" if block else "")
    return "".join(out)


def _ods_body(blocks: list[str | list[str]]) -> str:
    rows = ("<table:table-row>" + "".join(map(_odf_cell, b if isinstance(b, list) else [b])) + "</table:table-row>"
            for b in blocks)
    return '<table:table table:name="Sheet1">' + "".join(rows) + "</table:table>"


def _md_fixture(rng: random.Random) -> tuple[Path, str]:
    path, data = _fixture(rng, "md")
    return path, data.decode("utf-8")


def _odt(rng: random.Random) -> bytes:
    return _odf("text", _odt_body(_blocks(_md_fixture(rng)[1])))


def _ods(rng: random.Random) -> bytes:
    return _odf("spreadsheet", _ods_body([b for b in _blocks(_md_fixture(rng)[1]) if isinstance(b, list)]))


def _rtf(rng: random.Random) -> bytes:
    """A report as RTF: paragraphs, and its tables as RTF table rows."""
    out = [r"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}"]
    for block in _blocks(_md_fixture(rng)[1]):
        if isinstance(block, str):
            out.append(_rtf_text(block) + r"\par")
            continue
        cells = "".join(rf"\cellx{900 * (k + 1)}" for k in range(len(block)))
        out.append(r"\trowd" + cells + r"\pard\intbl " + "".join(_rtf_text(c) + r"\cell " for c in block) + r"\row")
    return ("\n".join(out) + "}").encode("ascii")


def _rtf_text(text: str) -> str:
    def char(c: str) -> str:
        if c in "\\{}":
            return "\\" + c
        return c if ord(c) < 128 else rf"\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?"

    return "".join(map(char, text))


@functools.cache
def _html(seed: int) -> bytes:
    """A good web-page report, made by the corpus generator."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import make_corpus

    spec = make_corpus.draw_spec(seed, make_corpus.Options(appendix=True, long=False))
    with tempfile.TemporaryDirectory() as tmp:
        return make_corpus.render(spec, "html", Path(tmp)).read_bytes()


def _picture(rng: random.Random, fmt: str) -> bytes:
    """A page image with a report's first lines on it."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (900, 500), 255)
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(_report_lines(rng)[:30]):
        draw.text((10, 10 + 16 * k), _ascii(line)[:140], fill=0)
    out = io.BytesIO()
    image.save(out, fmt, **({"save_all": True, "append_images": [image] * 2} if fmt == "TIFF" else {}))
    return out.getvalue()


def _png(width: int, height: int, pixels: bytes) -> bytes:
    """A one-bit grey PNG by hand: its header may declare any size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@functools.cache
def _tiff_frames(count: int) -> bytes:
    """A TIFF of `count` blank A4 pages at 200 dpi, every frame's directory pointing at one shared strip."""
    from PIL import Image

    one = io.BytesIO()
    Image.new("1", (1654, 2339), 1).save(one, "TIFF", compression="group4", strip_size=1 << 30)  # one strip
    frame = Image.open(io.BytesIO(one.getvalue()))
    offset, size = frame.tag_v2[273][0], frame.tag_v2[279][0]
    strip = one.getvalue()[offset: offset + size]
    strip += b"\0" * (len(strip) % 2)  # directories start on a word boundary
    tags = [(256, 3, 1654), (257, 3, 2339), (258, 3, 1), (259, 3, 4), (262, 3, frame.tag_v2[262]), (273, 4, 16),
            (277, 3, 1), (278, 3, 2339), (279, 4, len(strip)), (282, 5, 8), (283, 5, 8), (296, 3, 2)]
    out = bytearray(b"II*\x00" + struct.pack("<I", 16 + len(strip)) + struct.pack("<II", 200, 1) + strip)
    for k in range(count):
        start = len(out)
        following = start + 2 + 12 * len(tags) + 4 if k + 1 < count else 0
        out += struct.pack("<H", len(tags)) + b"".join(map(_tiff_tag, tags)) + struct.pack("<I", following)
    return bytes(out)


def _tiff_tag(entry: tuple[int, int, int]) -> bytes:
    """A TIFF directory entry of one value: a SHORT is padded, a LONG or a RATIONAL's offset fills the field."""
    tag, kind, value = entry
    return struct.pack("<HHI", tag, kind, 1) + (struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value))


def _zipped_reports(rng: random.Random) -> bytes:
    members = [_fixture(rng, fmt) for fmt in ("md", "docx")]
    return _zip(_Member(f"thang/{path.name}", data) for path, data in members)


BASES: dict[str, tuple[str, Callable[[random.Random], bytes]]] = {
    "pdf": (".pdf", lambda rng: _fixture(rng, "pdf")[1]),
    "scan": (".pdf", lambda rng: _fixture(rng, "pdf-scanned")[1]),
    "docx": (".docx", lambda rng: _fixture(rng, "docx")[1]),
    "xlsx": (".xlsx", lambda rng: _fixture(rng, "xlsx")[1]),
    "md": (".md", lambda rng: _fixture(rng, "md")[1]),
    "txt": (".txt", lambda rng: _fixture(rng, "text")[1]),
    "html": (".html", lambda rng: _html(rng.randint(1, 6))),
    "odt": (".odt", _odt),
    "ods": (".ods", _ods),
    "rtf": (".rtf", _rtf),
    "doc": (".doc", lambda rng: _ole("WordDocument", b"\xec\xa5\xc1\x00" + rng.randbytes(6000))),
    "xls": (".xls", lambda rng: _ole("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00" + rng.randbytes(6000))),
    "png": (".png", lambda rng: _picture(rng, "PNG")),
    "jpg": (".jpg", lambda rng: _picture(rng, "JPEG")),
    "tiff": (".tiff", lambda rng: _picture(rng, "TIFF")),
    "zip": (".zip", _zipped_reports),
}


# ---------------------------------------------------------------- the classes


def _interleave(first: Sequence[str], second: Sequence[str]) -> list[tuple[str, str]]:
    """Every pair of the two, ordered so that the first len(first) pairs already hold each item of both
    (len(first) ≥ len(second))."""
    return [(a, second[(k + r) % len(second)]) for r in range(len(second)) for k, a in enumerate(first)]


CUTS = {"0": lambda data, rng: 0, "1": lambda data, rng: 1, "half": lambda data, rng: len(data) // 2,
        "random": lambda data, rng: rng.randrange(2, max(3, len(data) - 1))}


def _truncated(fmt: str, where: str) -> Builder:
    def build(rng: random.Random, index: int) -> Made:
        suffix, base = BASES[fmt]
        data = base(rng)
        return Made(data[: CUTS[where](data, rng)], suffix)

    return build


def _flip(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 16)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)


def _overwrite(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 8)):
        start = rng.randrange(len(data))
        data[start: start + 64] = rng.randbytes(len(data[start: start + 64]))


def _chunk(data: bytearray, rng: random.Random) -> slice:
    start = rng.randrange(len(data))
    return slice(start, start + rng.randint(1, min(4096, len(data) - start)))


def _duplicate(data: bytearray, rng: random.Random) -> None:
    chunk = _chunk(data, rng)
    data[chunk.start: chunk.start] = data[chunk]


def _delete(data: bytearray, rng: random.Random) -> None:
    del data[_chunk(data, rng)]


DAMAGE: dict[str, Callable[[bytearray, random.Random], None]] = {
    "flip": _flip, "overwrite": _overwrite, "duplicate": _duplicate, "delete": _delete}


def _corrupted(fmt: str, edit: str) -> Builder:
    """Byte damage: flipped bits, spans overwritten with noise, a chunk duplicated or deleted."""
    def build(rng: random.Random, index: int) -> Made:
        suffix, base = BASES[fmt]
        data = bytearray(base(rng))
        DAMAGE[edit](data, rng)
        return Made(bytes(data), suffix)

    return build


GOOD_FORMATS = ("md", "txt", "docx", "xlsx", "pdf", "html", "odt")  # html and odt are built here


def _good(fmt: str) -> Builder:
    def build(rng: random.Random, index: int) -> Made:
        suffix, base = BASES[fmt]
        return Made(_unique(base(rng), index), suffix, good=True)

    return build


def _cp1258(text: str) -> bytes:
    """Windows-1258: base letters with their tone marks as separate characters, composed where it can."""
    out = bytearray()
    for char in text:
        base, *marks = unicodedata.normalize("NFD", char)
        rest = []
        for mark in marks:
            joined = unicodedata.normalize("NFC", base + mark)
            if len(joined) == 1 and _encodes(joined, "cp1258"):
                base = joined
            else:
                rest.append(mark)
        out += (base + "".join(rest)).encode("cp1258", "replace")
    return bytes(out)


def _encodes(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _invalid_utf8(data: bytes, rng: random.Random) -> bytes:
    """Stray continuation bytes, cut sequences, overlong forms and surrogates through valid UTF-8."""
    out = bytearray(data)
    for _ in range(rng.randint(5, 50)):
        out[rng.randrange(len(out)):0] = rng.choice((b"\x80", b"\xc3", b"\xe1\xbb", b"\xc0\xaf", b"\xed\xa0\x80",
                                                    b"\xff", b"\xf8\x88\x80\x80\x80"))
    return bytes(out)


ENCODINGS: dict[str, Callable[[str, random.Random], bytes]] = {
    "utf16le-bom": lambda t, rng: t.encode("utf-16"),
    "utf16be-bom": lambda t, rng: b"\xfe\xff" + t.encode("utf-16-be"),
    "utf16le-nobom": lambda t, rng: t.encode("utf-16-le"),
    "utf16be-nobom": lambda t, rng: t.encode("utf-16-be"),
    "utf32-bom": lambda t, rng: t.encode("utf-32"),
    "utf32-nobom": lambda t, rng: t.encode("utf-32-le"),
    "cp1258": lambda t, rng: _cp1258(t),
    "latin1": lambda t, rng: t.encode("latin-1", "replace"),
    "invalid-utf8": lambda t, rng: _invalid_utf8(t.encode(), rng),
    "nul-bytes": lambda t, rng: t.encode().replace(b" ", b"\x00", rng.randint(1, 10 ** 6)),
    "nul-interleaved": lambda t, rng: bytes(b for c in t.encode() for b in (c, 0)),
    "long-line": lambda t, rng: (t.replace("\n", " ") + " " + "9,5 " * 500_000).encode(),
    "crlf": lambda t, rng: t.replace("\n", "\r\n").encode(),
    "cr-only": lambda t, rng: t.replace("\n", "\r").encode(),
}


def _encoded(name: str) -> Builder:
    def build(rng: random.Random, index: int) -> Made:
        path, text = _text_fixture(rng)
        return Made(ENCODINGS[name](text, rng), path.suffix)

    return build


def _pdf_variant(make: Callable[[random.Random], bytes]) -> Builder:
    return lambda rng, index: Made(make(rng), ".pdf")


def _broken_xref(rng: random.Random) -> bytes:
    data = _pdf(_text_pdf(rng))
    start = data.rindex(b"xref\n")
    how = rng.choice(("garbled", "startxref", "count", "keyword"))
    if how == "garbled":
        table = re.sub(rb"\d{10} 00000 n", lambda m: b"%010d 00000 n" % rng.randrange(10 ** 10), data[start:])
        return data[:start] + table
    if how == "startxref":
        return re.sub(rb"startxref\n\d+", b"startxref\n%d" % rng.choice((0, 10 ** 9, len(data) - 3)), data)
    if how == "count":
        return data[:start] + re.sub(rb"xref\n0 \d+", b"xref\n0 %d" % rng.choice((1, 999999)), data[start:])
    return data[:start] + data[start:].replace(b"xref", b"xfer", 1)


def _no_trailer(rng: random.Random) -> bytes:
    data = _pdf(_text_pdf(rng))
    cut = data.rindex(b"trailer")
    return data[:cut] + (b"startxref\n%d\n%%%%EOF\n" % data.rindex(b"xref\n") if rng.random() < 0.5 else b"")


def _self_reference(**parts: bytes) -> Callable[[random.Random], bytes]:
    """Object 6 is `6 0 R`, and the catalog's /Pages, the page tree's /Kids or the content's /Length is it;
    or the page tree holds itself."""
    return lambda rng: _pdf(_text_pdf(rng, extra=[b"6 0 R"], **parts))


def _deep(nested: bytes, where: Literal["page", "prefix"]) -> Callable[[random.Random], bytes]:
    """Arrays or dictionaries nested deep, in the page dictionary or in front of the content stream."""
    return lambda rng: _pdf(_text_pdf(rng, **{where: nested + b" "}))


BAD_BOXES = (b"[0 0 /Wide (tall)]", b"[null true false 0]", b"[0 0 1e999 nan]", b"[0 0]", b"(A4)",
             b"[0 0 595 842 9 9]", b"[0 0 -595 -842]", b"[0 0 0 0]", b"[1e38 1e38 -1e38 -1e38]")


def _bad_mediabox(rng: random.Random) -> bytes:
    box = rng.choice(BAD_BOXES)
    return _pdf(_text_pdf(rng, mediabox=box, page=b"/CropBox " + rng.choice(BAD_BOXES) + b" "))


def _font(widths: bytes, bbox: bytes) -> tuple[bytes, bytes]:
    """A Type 1 font of our own name (so its /Widths and descriptor are used) and its descriptor (object 6)."""
    return (b"<< /Type /Font /Subtype /Type1 /BaseFont /FuzzSans /FirstChar 32 /LastChar 126 /Widths [" + widths
            + b"] /FontDescriptor 6 0 R >>",
            b"<< /Type /FontDescriptor /FontName /FuzzSans /Flags 32 /FontBBox " + bbox
            + b" /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>")


def _bad_bbox(rng: random.Random) -> bytes:
    font, descriptor = _font(b"600 " * 95, rng.choice(BAD_BOXES))
    return _pdf(_text_pdf(rng, font=font, extra=[descriptor]))


def _zero_width(rng: random.Random) -> bytes:
    font, descriptor = _font(b"0 " * 95, b"[0 -200 1000 800]")
    return _pdf(_text_pdf(rng, font=font, extra=[descriptor]))


def _count_lies(rng: random.Random) -> bytes:
    count = rng.choice((b"0", b"-1", b"1000000000", b"3000", b"1.5", b"/Many"))
    return _pdf(_text_pdf(rng, pages=b"/Kids [3 0 R] /Count " + count))


def _encrypted(rng: random.Random) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1, encrypt="mat-khau")
    text = pdf.beginText(20, 820)
    text.setFont("Courier", 7)
    for line in _report_lines(rng):
        text.textLine(_ascii(line))
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _header_only(rng: random.Random) -> bytes:
    return rng.choice((b"%PDF-1.7\n", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", b"%PDF-", b"%PDF-1.7\n%%EOF\n"))


PDF_STRUCTURES: dict[str, Callable[[random.Random], bytes]] = {
    "broken-xref": _broken_xref, "no-trailer": _no_trailer,
    "self-ref-pages": _self_reference(catalog=b"/Pages 6 0 R"),
    "self-ref-kids": _self_reference(pages=b"/Kids 6 0 R /Count 1"),
    "self-ref-length": _self_reference(length=b"6 0 R"),
    "page-tree-cycle": _self_reference(pages=b"/Kids [3 0 R 2 0 R] /Count 2"),
    "deep-arrays": _deep(b"[" * 100_000 + b"]" * 100_000, "page"),
    "deep-dicts": _deep(b"<< /A " * 30_000 + b">> " * 30_000, "page"),
    "deep-content": _deep(b"[" * 100_000 + b"]" * 100_000 + b" TJ\n", "prefix"),
    "bad-mediabox": _bad_mediabox, "bad-bbox": _bad_bbox,
    "count-lies": _count_lies, "zero-width-glyphs": _zero_width, "encrypted": _encrypted,
    "header-only": _header_only,
}


@functools.cache
def _deflate_bomb() -> bytes:
    """A page whose content stream inflates to 1 GiB of zeros (about 1 MB on disk)."""
    content = _stream(_inflating(0, 1 << 30), b"/Filter /FlateDecode")
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>", content])


PDF_BOMBS: dict[str, Callable[[], bytes]] = {
    "huge-page": lambda: _blank_pdf(1, b"[0 0 14400 14400]"),
    "deflate-bomb": _deflate_bomb,
    "3000-pages": lambda: _blank_pdf(3000, b"[0 0 595 842]"),
}


def _sub_first(pattern: bytes, new: bytes, data: bytes, fallback: tuple[bytes, bytes]) -> bytes:
    """Replace the first match of `pattern`, else insert `fallback[1]` at the first `fallback[0]`."""
    if re.search(pattern, data):
        return re.sub(pattern, new, data, count=1)
    return data.replace(fallback[0], fallback[1], 1)


def _package_edit(fmt: Literal["docx", "xlsx"], member: str, edit: Callable[[bytes], bytes | None]) -> Builder:
    """A Word or Excel fixture with one member changed (or, where `edit` returns None, gone)."""
    return lambda rng, index: Made(_edit_zip(_fixture(rng, fmt)[1], {member: edit}), f".{fmt}")


def _many_strings(xml: bytes) -> bytes:
    return xml.replace(b"</sst>", b"<si><t>x</t></si>" * 1_000_000 + b"</sst>")


def _giant_string(xml: bytes) -> bytes:
    return xml.replace(b"</sst>", b"<si><t>" + b"Xa " * 20_000_000 + b"</t></si></sst>")


def _ods_repeats(rng: random.Random, index: int) -> Made:
    row = ('<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated='
           '"16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')
    return Made(_odf("spreadsheet", f'<table:table table:name="S">{row}</table:table>'), ".ods")


def _odt_span(rng: random.Random, index: int) -> Made:
    cell = ('<table:table-cell table:number-columns-spanned="100000000" table:number-rows-spanned="100000000">'
            "<text:p>STT</text:p></table:table-cell>")
    body = _odt_body(_blocks(_md_fixture(rng)[1]))
    return Made(_odf("text", body.replace("<table:table-row>", "<table:table-row>" + cell, 1)), ".odt")


def _package_swapped(rng: random.Random, index: int) -> Made:
    """The right member names holding the wrong things."""
    _, docx = _fixture(rng, "docx")
    _, xlsx = _fixture(rng, "xlsx")
    filler = rng.choice((_picture(rng, "PNG"), rng.randbytes(5000), b"", b"{\"json\": true}",
                         _members(xlsx)[-1].data))
    if rng.random() < 0.5:
        return Made(_edit_zip(docx, {DOCUMENT: lambda _: filler}), ".docx")
    return Made(_edit_zip(xlsx, {"xl/workbook.xml": lambda _: _members(docx)[0].data,
                                 "[Content_Types].xml": lambda _: filler}), ".xlsx")


XFD_CELL = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
XFD_MERGE = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'

DOCUMENT, SHEET, STRINGS = "word/document.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"
GRID_SPAN = (b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="100000000"/>')

OFFICE_STRUCTURES: dict[str, Builder] = {
    "docx-no-content-types": _package_edit("docx", "[Content_Types].xml", lambda _: None),
    "docx-no-body": _package_edit("docx", DOCUMENT, lambda xml: re.sub(rb"<w:body>.*</w:body>", b"", xml, flags=re.S)),
    "docx-gridspan-1e8": _package_edit("docx", DOCUMENT, lambda xml: _sub_first(
        rb'<w:gridSpan w:val="\d+"/>', b'<w:gridSpan w:val="100000000"/>', xml, GRID_SPAN)),
    "xlsx-cell-xfd1048576": _package_edit("xlsx", SHEET, lambda xml: xml.replace(b"</sheetData>", XFD_CELL, 1)),
    "xlsx-merge-a1-xfd1048576": _package_edit("xlsx", SHEET, lambda xml: _sub_first(
        rb"<mergeCells.*?</mergeCells>", XFD_MERGE, xml, (b"</sheetData>", b"</sheetData>" + XFD_MERGE))),
    "xlsx-shared-strings-1e6": _package_edit("xlsx", STRINGS, _many_strings),
    "xlsx-shared-string-60mb": _package_edit("xlsx", STRINGS, _giant_string),
    "xlsx-missing-sheet": _package_edit("xlsx", SHEET, lambda _: None),
    "package-wrong-content": _package_swapped,
    "ods-repeated-1e6x16384": _ods_repeats,
    "odt-spanned-1e8": _odt_span,
}


def _laughs() -> bytes:
    """The billion laughs: nine entities each ten times the one before."""
    return b'<!ENTITY lol0 "lol">' + b"".join(b'<!ENTITY lol%d "' % k + b"&lol%d;" % (k - 1) * 10 + b'">'
                                              for k in range(1, 10))


XXE = b'<!ENTITY xxe SYSTEM "file:///etc/passwd">'
TEXT_ELEMENT = rb"(<(?:w:|text:)?(?:t|p)(?: [^>]*)?>)([^<]{3,})(</)"


def _with_entity(xml: bytes, root: bytes, declarations: bytes, reference: bytes, names: Sequence[str]) -> bytes:
    """`xml` with a DOCTYPE declaring the entities and `reference` where the table prints unit names
    (so an entity that resolves lands in the stored rows), else in the first text element."""
    doctype = b"<!DOCTYPE " + root + b" [" + declarations + b"]>"
    head, declared, rest = xml.partition(b"?>") if xml.startswith(b"<?xml") else (b"", b"", xml)
    swapped = rest
    for name in names[:3]:
        swapped = _replace_last(swapped, b">" + _xml(name).encode() + b"<", b">" + reference + b"<")
    if swapped == rest:
        swapped = re.sub(TEXT_ELEMENT, lambda m: m.group(1) + reference + m.group(3), rest, count=1)
    return head + declared + doctype + swapped


PACKAGE_XML = {"docx": (DOCUMENT, b"w:document"), "xlsx": (STRINGS, b"sst")}


def _entity_builder(fmt: str, declarations: bytes, reference: bytes) -> Builder:
    """An entity (a bomb or an external file) in the XML of a Word, Excel, OpenDocument file or a web page."""
    def build(rng: random.Random, index: int) -> Made:
        if fmt in PACKAGE_XML:
            member, root = PACKAGE_XML[fmt]
            path, data = _fixture(rng, fmt)
            edit = {member: lambda x: _with_entity(x, root, declarations, reference, _units(path))}
            return Made(_edit_zip(data, edit), f".{fmt}")
        if fmt == "odt":
            doctype = "<!DOCTYPE office:document-content [" + declarations.decode() + "]>"
            body = _odt_body(_blocks(_md_fixture(rng)[1])).replace("<text:p>", "<text:p>" + reference.decode(), 3)
            return Made(_odf("text", body, doctype), ".odt")
        if fmt == "spreadsheetml":
            return Made(_spreadsheet_ml(declarations, reference), ".xls")
        page = re.sub(rb"(<td[^>]*>)", lambda m: m.group(1) + reference, _html(rng.randint(1, 6)), count=5)
        return Made(b"<!DOCTYPE html [" + declarations + b"]>\n" + page.split(b">", 1)[1], ".html")

    return build


def _spreadsheet_ml(declarations: bytes, reference: bytes) -> bytes:
    """An XML Spreadsheet 2003 (a portal's "Excel" export) with the entity in a cell."""
    return (b'<?xml version="1.0"?><!DOCTYPE Workbook [' + declarations + b']><Workbook xmlns="urn:schemas-'
            b'microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
            b'<Worksheet ss:Name="S"><Table><Row><Cell><Data ss:Type="String">STT</Data></Cell><Cell>'
            b'<Data ss:Type="String">' + reference + b"</Data></Cell></Row></Table></Worksheet></Workbook>")


ENTITY_FORMATS = ("docx", "xlsx", "odt", "html", "spreadsheetml")


def _archive(make: Callable[[random.Random, int], bytes]) -> Builder:
    return lambda rng, index: Made(make(rng, index), ".zip")


def _report_member(rng: random.Random, index: int, k: int, name: str) -> _Member:
    """A good report (bytes of its own) under a hostile member name."""
    return _Member(name, _unique(_fixture(rng, "md")[1], _member_mark(index, k)))


def _nested(rng: random.Random, index: int) -> bytes:
    inner = _zip([_report_member(rng, index, 0, "bao-cao.md")])
    return _zip([_Member("lop-1/lop-2.zip", _zip([_Member("lop-3.zip", inner)])), _Member("inner.zip", inner),
                 _Member("disguised.docx", inner)])


def _bomb(rng: random.Random, index: int) -> bytes:
    return _zip([_report_member(rng, index, 0, "bao-cao.md"), _Member("bomb.txt", fill=0, size=1 << 30),
                 _Member("spaces.md", fill=0x20, size=300 << 20)])


def _lying_bomb(rng: random.Random, index: int) -> bytes:
    """A member whose headers say 100 bytes while it inflates to 200 MB."""
    data = _zip([_Member("bao-cao.txt", fill=0x31, size=200 << 20)])
    return data.replace(struct.pack("<I", 200 << 20), struct.pack("<I", 100))


TRAVERSAL = ("../../evil.txt", "..\\..\\evil.txt", str(ESCAPE_TARGET), "a/../../evil.md", "C:/evil.txt",
             "C:\\Windows\\evil.txt", "./../evil.md", "//server/share/evil.txt")


def _traversal(rng: random.Random, index: int) -> bytes:
    return _zip(_report_member(rng, index, k, name) for k, name in enumerate(TRAVERSAL))


def _long_extension(rng: random.Random, index: int) -> bytes:
    names = ("bao-cao." + "x" * 300, "x" * 250 + ".md")
    return _zip(_report_member(rng, index, k, name) for k, name in enumerate(names))


HOSTILE_NAMES = ("[/]notes.txt", "[red]x[/red].md", "[bold]bao-cao.md", "\x1b[31mdo.txt", "\x1b[2J\x1b[H.md",
                 "\x1b]0;title\x07.txt", "\x9b31mcsi.md", "bao\ncao.txt", "bao\rcao.md", ":warning: bao-cao.md",
                 "[link=http://x]y[/link].txt", "{file} %s %n.md", "tab\tname.txt", "\u202eevil\u202dtxt.md")


def _named_members(rng: random.Random, index: int) -> bytes:
    return _zip(_report_member(rng, index, k, name) for k, name in enumerate(HOSTILE_NAMES))


def _corrupt_directory(rng: random.Random, index: int) -> bytes:
    data = bytearray(_zipped_reports(rng))
    start = data.rindex(b"PK\x01\x02")
    how = rng.choice(("signature", "offset", "count", "noise"))
    if how == "signature":
        data[start: start + 4] = b"PK\x09\x09"
    elif how == "offset":
        data[-6:-2] = struct.pack("<I", rng.randrange(10 ** 9))
    elif how == "count":
        data[-12:-10] = struct.pack("<H", 65535)
    else:
        data[start: start + 46] = rng.randbytes(46)
    return bytes(data)


def _encrypted_flag(rng: random.Random, index: int) -> bytes:
    return _zip([_Member("bao-cao.md", _fixture(rng, "md")[1], flags=1)])


ARCHIVES: dict[str, Callable[[random.Random, int], bytes]] = {
    "nested": _nested, "bomb": _bomb, "lying-bomb": _lying_bomb, "traversal": _traversal,
    "long-extension": _long_extension, "hostile-member-names": _named_members,
    "corrupt-central-directory": _corrupt_directory, "encrypted-member": _encrypted_flag,
}


NOTE = "Ghi chú: tháng này không có bảng điểm.\n".encode()  # no report: the batch lists it by name


def _hostile_name(name: str, kind: Literal["report", "note"]) -> Builder:
    """A file whose name attacks the terminal or the markup that prints it: a good report (stored under
    that name) or a note that is no report (printed with that name in the list of skipped files)."""
    def build(rng: random.Random, index: int) -> Made:
        if kind == "note":
            return Made(NOTE, Path(name).suffix, name=name)
        fmt = "md" if name.endswith(".md") else "text"
        return Made(_unique(_fixture(rng, fmt)[1], index), Path(name).suffix, good=True, name=name)

    return build


PAYLOADS = ("[/red]", "[/]", "[bold]", "\x1b[2J", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-1+1",
            "@SUM(1)", "\t=1+2", "\r=1+2", "'; DROP TABLE reports; --")
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _injected(payload: str, fmt: str) -> Builder:
    """A good report with one unit name replaced by `payload`."""
    def build(rng: random.Random, index: int) -> Made:
        path, data = _fixture(rng, fmt)
        name = rng.choice(_units(path) or ["UBND"])
        if fmt == "docx":
            swap = XML_ILLEGAL.sub("", payload)  # XML 1.0 has no ESC, even as a reference
            edit = {DOCUMENT: lambda x: _replace_last(x, _xml(name).encode(), _xml(swap).encode())}
            return Made(_unique(_edit_zip(data, edit), index), ".docx", good=True)
        text = data.decode("utf-8")
        cell = f"\t{name}\t" if f"\t{name}\t" in text else name
        swap = cell.replace(name, payload.ljust(len(name)) if fmt == "text" else payload)
        return Made(_unique(_replace_last(text, cell, swap).encode(), index), path.suffix, good=True)

    return build


def _replace_last(text: AnyStr, old: AnyStr, new: AnyStr) -> AnyStr:
    """`text` with the last `old` (the table's copy of a name the body may also print) replaced."""
    head, found, tail = text.rpartition(old)
    return head + new + tail if found else text


def _header_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip().startswith("STT")), text.splitlines()[0])


def _repeated_header(rng: random.Random, index: int) -> Made:
    path, text = _text_fixture(rng)
    header = _header_line(text)
    return Made(text.replace(header, "\n".join([header] * 10_000), 1).encode(), path.suffix)


def _unclosed_sup(rng: random.Random, index: int) -> Made:
    path, text = _md_fixture(rng)
    header = _header_line(text)
    return Made(text.replace(header, "<sup>" * 20_000 + "\n" + header, 1).encode(), ".md")


def _first_row(text: str) -> str:
    return next((line for line in text.splitlines() if re.match(r"\d+\t", line)), "1\tXã A\t10\t10")


def _many_rows(rng: random.Random, index: int) -> Made:
    _, text = _md_fixture(rng)
    row = "\t".join(_first_row(text).split("\t")[1:6])  # the name and the first figures: 5 MB in all
    rows = "\n".join(f"{k}\t{row}" for k in range(1, 100_001))
    return Made((text.replace(_first_row(text), rows, 1)).encode(), ".md")


def _wide_row(rng: random.Random, index: int) -> Made:
    _, text = _md_fixture(rng)
    return Made(text.replace(_first_row(text), "1\t" + "9,5\t" * 100_000, 1).encode(), ".md")


def _long_name(rng: random.Random, index: int) -> Made:
    path, text = _md_fixture(rng)
    name = rng.choice(_units(path) or ["UBND"])
    return Made(_replace_last(text, name, "Xã Mường " * 20_000).encode(), ".md")


QUADRATIC: dict[str, Builder] = {
    "10000-header-lines": _repeated_header, "20000-unclosed-sup": _unclosed_sup, "100k-rows": _many_rows,
    "100k-cells-in-a-row": _wide_row, "180k-char-unit-name": _long_name,
}


def _renamed(fmt: str, suffix: str, good: bool, name: str | None = None) -> Builder:
    """A report of one format under another format's name (the content decides how it is read), or
    under a name that is only a suffix (".pdf", as a save dialog may leave it) or has none."""
    return lambda rng, index: Made(_unique(BASES[fmt][1](rng), index), suffix, good=good, name=name)


WRONG_SUFFIXES: dict[str, Builder] = {
    "pdf-as-docx": _renamed("pdf", ".docx", True), "docx-as-pdf": _renamed("docx", ".pdf", True),
    "html-as-xls": _renamed("html", ".xls", True), "xlsx-as-doc": _renamed("xlsx", ".doc", True),
    "md-as-pdf": _renamed("md", ".pdf", False), "upper-case-suffix": _renamed("pdf", ".PDF", True),
    "random-as-pdf": lambda rng, index: Made(rng.randbytes(rng.randint(1, 20000)), ".pdf"),
    "random-as-docx": lambda rng, index: Made(b"PK\x03\x04" + rng.randbytes(rng.randint(1, 20000)), ".docx"),
    "empty-pdf": lambda rng, index: Made(b"", ".pdf"), "empty-docx": lambda rng, index: Made(b"", ".docx"),
    "empty-txt": lambda rng, index: Made(b"", ".txt"), "empty-zip": lambda rng, index: Made(b"", ".zip"),
    "only-suffix-pdf": _renamed("pdf", ".pdf", False, ".pdf"), "only-suffix-md": _renamed("md", ".md", False, ".md"),
    "no-suffix": _renamed("md", "", False, "bao-cao"),
}


def _truncated_image(fmt: str) -> Builder:
    def build(rng: random.Random, index: int) -> Made:
        suffix, base = BASES[fmt]
        data = base(rng)
        return Made(data[: rng.randrange(len(data) // 4, len(data) - 8)], suffix)

    return build


def _bad_crc(rng: random.Random, index: int) -> Made:
    data = bytearray(_picture(rng, "PNG"))
    data[29] ^= 0xFF  # the IHDR chunk's CRC
    return Made(bytes(data), ".png")


IMAGES: dict[str, Builder] = {
    "truncated-png": _truncated_image("png"), "truncated-jpeg": _truncated_image("jpg"),
    "png-bad-crc": _bad_crc,
    "png-100000x100000": lambda rng, index: Made(_png(100_000, 100_000, _inflating(0, 100_000 * 12_501)), ".png"),
    "tiff-500-frames": lambda rng, index: Made(_tiff_frames(500), ".tiff"),
}


@functools.cache
def _variants() -> dict[Hostile, list[tuple[str, Builder]]]:
    """Every class's variants, in the order a run takes them."""
    formats = list(BASES)
    return {
        Hostile.GOOD: [(fmt, _good(fmt)) for fmt in GOOD_FORMATS],
        Hostile.TRUNCATION: [(f"{fmt}-{where}", _truncated(fmt, where))
                             for fmt, where in _interleave(formats, list(CUTS))],
        Hostile.CORRUPTION: [(f"{fmt}-{edit}", _corrupted(fmt, edit))
                             for fmt, edit in _interleave(formats, list(DAMAGE))],
        Hostile.TEXT_ENCODING: [(name, _encoded(name)) for name in ENCODINGS],
        Hostile.PDF_STRUCTURE: [(name, _pdf_variant(make)) for name, make in PDF_STRUCTURES.items()],
        Hostile.PDF_BOMB: [(name, _pdf_variant(lambda rng, make=make: make())) for name, make in PDF_BOMBS.items()],
        Hostile.OFFICE_STRUCTURE: list(OFFICE_STRUCTURES.items()),
        Hostile.XML_ENTITY: [(f"{fmt}-{kind}", _entity_builder(fmt, *entity)) for kind, entity in
                             (("billion-laughs", (_laughs(), b"&lol9;")), ("xxe", (XXE, b"&xxe;")))
                             for fmt in ENTITY_FORMATS],
        Hostile.ARCHIVE: [(name, _archive(make)) for name, make in ARCHIVES.items()],
        Hostile.HOSTILE_NAME: [(f"{kind}-{_slug(name)}", _hostile_name(name, kind))
                               for name, kind in _interleave(HOSTILE_NAMES, ("report", "note"))],
        Hostile.INJECTION: [(f"{fmt}-{_slug(payload)}", _injected(payload, fmt))
                            for payload, fmt in _interleave(PAYLOADS, ("md", "text", "docx"))],
        Hostile.QUADRATIC: list(QUADRATIC.items()),
        Hostile.WRONG_SUFFIX: list(WRONG_SUFFIXES.items()),
        Hostile.IMAGE: list(IMAGES.items()),
    }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.encode("unicode_escape").decode().lower()).strip("-") or "x"


# how often each class comes, out of their sum: a CI run of ~250 holds each several times
WEIGHTS = {Hostile.GOOD: 12, Hostile.TRUNCATION: 30, Hostile.CORRUPTION: 24, Hostile.TEXT_ENCODING: 18,
           Hostile.PDF_STRUCTURE: 22, Hostile.PDF_BOMB: 5, Hostile.OFFICE_STRUCTURE: 16, Hostile.XML_ENTITY: 14,
           Hostile.ARCHIVE: 12, Hostile.HOSTILE_NAME: 12, Hostile.INJECTION: 22, Hostile.QUADRATIC: 8,
           Hostile.WRONG_SUFFIX: 16, Hostile.IMAGE: 8}


def schedule(count: int) -> list[tuple[Hostile, int]]:
    """The class of each input and its occurrence number within the class, by smooth weighted round
    robin: the classes spread evenly, and a longer run starts with a shorter one."""
    credit = dict.fromkeys(WEIGHTS, 0)
    seen: Counter[Hostile] = Counter()
    out = []
    for _ in range(count):
        for hostile, weight in WEIGHTS.items():
            credit[hostile] += weight
        pick = max(credit, key=credit.__getitem__)
        credit[pick] -= sum(WEIGHTS.values())
        out.append((pick, seen[pick]))
        seen[pick] += 1
    return out


def make_case(out_dir: Path, index: int, seed: int = 0) -> Case:
    """Write input `index` of the run of `seed` into `out_dir`."""
    return _write(out_dir.absolute(), index, seed, *schedule(index + 1)[index])


def _write(out_dir: Path, index: int, seed: int, hostile: Hostile, occurrence: int) -> Case:
    choices = _variants()[hostile]
    variant, build = choices[occurrence % len(choices)]
    made = build(random.Random(f"fuzz/{seed}/{index}"), index)
    stem = f"{index:04d}-{hostile.value}-{variant}"
    path = out_dir / stem / made.name if made.name else out_dir / f"{stem}{made.suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(made.data)
    return Case(index, path, hostile, variant, made.good)


def generate(out_dir: Path, count: int, seed: int = 0) -> list[Case]:
    """`count` inputs in `out_dir`, the same bytes for the same seed."""
    out_dir = out_dir.absolute()  # the names phuluc prints and stores, whatever folder it runs in
    out_dir.mkdir(parents=True, exist_ok=True)
    return [_write(out_dir, index, seed, *slot) for index, slot in enumerate(schedule(count))]


# ---------------------------------------------------------------- running phuluc


PHULUC = (sys.executable, "-m", "phuluc.pipeline")
_UNSET = ("COLUMNS", "LINES", "TERM", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "PHULUC_DB", "PHULUC_LANG")


def ci_environment(scratch: Path) -> dict[str, str]:
    """The environment CI runs in (CI=true, no terminal, no width), with its own temp folder."""
    scratch.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    return {**env, "CI": "true", "TMPDIR": str(scratch)}


@functools.cache
def _has_option(command: str, option: str) -> bool:
    """Whether `phuluc COMMAND --help` lists `option` (a phuluc before the per-file budget has none)."""
    shown = subprocess.run([*PHULUC, command, "--help"], capture_output=True, text=True,
                           env={**os.environ, "COLUMNS": "200"}, stdin=subprocess.DEVNULL)
    return option in shown.stdout


def _budget(command: str, timeout: float) -> list[str]:
    return ["--file-timeout", f"{timeout:g}"] if _has_option(command, "--file-timeout") else []


@dataclass(frozen=True)
class Run:
    """One supervised process: `stopped` says why the guard killed it ("time" or "memory")."""

    exit_code: int | None
    stdout: bytes
    stderr: bytes
    seconds: float
    peak_mb: float
    stopped: Literal["time", "memory"] | None

    def text(self) -> str:
        return (self.stdout + b"\n" + self.stderr).decode("utf-8", "replace")


# Runs the command and writes its tree's largest ru_maxrss (KiB) to argv[1]. A process forked from this
# large one and then exec'd would count this one's memory as its own; one forked from the small wrapper
# does not. A command killed by a signal kills the wrapper with the same signal.
MEASURED = ("import os, resource, subprocess, sys\n"
            "code = subprocess.call(sys.argv[2:])\n"
            "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
            "os.kill(os.getpid(), -code) if code < 0 else sys.exit(code)\n")


def supervise(argv: Sequence[str], env: dict[str, str], cwd: Path, guard: float) -> Run:
    """Run a command with stdin closed, killing its process tree past `guard` seconds or MEMORY_CAP_MB;
    peak memory is the larger of the sampled sum over the tree (workers included, whatever session
    they start) and its largest process's ru_maxrss."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rusage:
        start = time.monotonic()
        process = subprocess.Popen([sys.executable, "-c", MEASURED, rusage.name, *argv], stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
        status, sampled, stopped = _watch(process.pid, start + guard)
        seconds = time.monotonic() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        largest = int(rusage.read() or 0) / 1024
        return Run(None if stopped else process.returncode, out.read(), err.read(), seconds,
                   max(sampled, largest), stopped)


def _watch(pid: int, deadline: float) -> tuple[int, float, Literal["time", "memory"] | None]:
    """Wait for `pid`, sampling its tree's memory every tenth of a second; kill the tree at a limit and,
    once it exits, whatever of it is left running."""
    peak, stopped, tree = 0.0, None, {}
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            _kill(tree)
            return status, peak, stopped
        living = _tree(pid)
        tree.update(living)
        peak = max(peak, sum(map(_resident_mb, living)))
        if stopped is None and (time.monotonic() > deadline or peak > MEMORY_CAP_MB):
            stopped = "time" if time.monotonic() > deadline else "memory"
            _kill(tree)
        time.sleep(0.1)


def _stat(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command name (state, ppid, pgrp, …), None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _tree(root: int) -> dict[int, str]:
    """`root` and its living descendants, each with its start time (so a reused id is told apart)."""
    stats = {int(entry.name): _stat(int(entry.name)) for entry in os.scandir("/proc") if entry.name.isdigit()}
    parents = {pid: int(fields[1]) for pid, fields in stats.items() if fields}
    tree, grown = {root}, True
    while grown:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grown = bool(children)
    return {pid: stats[pid][18] for pid in tree if stats.get(pid)}


def _resident_mb(pid: int) -> float:
    fields = _stat(pid)
    return int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20) if fields else 0.0


def _kill(tree: dict[int, str]) -> None:
    """SIGKILL to the processes of this run still alive (same id and start time) and their process groups."""
    for pid, started in tree.items():
        fields = _stat(pid)
        if fields is None or fields[18] != started:
            continue
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def _output_problems(run: Run) -> list[str]:
    """What no output may hold: a traceback, a raw escape byte, a resolved XXE."""
    text = run.text()
    return [why for bad, why in (("Traceback" in text, TRACEBACK),
                                 (b"\x1b" in run.stdout + run.stderr, "a raw ESC byte in the output"),
                                 (LEAK in text, "/etc/passwd in the output (XXE)")) if bad]


# ---------------------------------------------------------------- one process per input


@dataclass(frozen=True)
class FileResult:
    """`phuluc extract --json` of one input, measured."""

    case: Case
    run: Run
    budget: float

    @property
    def lines(self) -> list[str]:
        return [line for line in self.run.text().splitlines() if line.strip()]

    @property
    def gave_up(self) -> bool:
        return self.run.exit_code == 1 and any(words in self.run.text() for words in GAVE_UP)

    @property
    def clean(self) -> bool:
        """Exit 0 with JSON, or exit 1 with a one-line message."""
        if self.run.exit_code == 0:
            return _is_json(self.run.stdout)
        return self.run.exit_code == 1 and len(self.lines) == 1 and not _output_problems(self.run)

    @property
    def timed_out(self) -> bool:
        """Past the budget without a clean message saying it stopped."""
        over = self.run.stopped == "time" or self.run.seconds > self.budget + GRACE
        return over and not (self.run.exit_code == 1 and self.clean)

    @property
    def traceback(self) -> bool:
        return TRACEBACK in _output_problems(self.run)

    @property
    def bad_exit(self) -> bool:
        """Killed for its memory, or an exit status other than 0 and 1 (a signal, a crash)."""
        return self.run.stopped == "memory" or (self.run.stopped is None and self.run.exit_code not in (0, 1))

    def messy(self) -> list[str]:
        """What else a clean run has none of: a raw escape, a leak, a message over several lines, no JSON,
        a library's output."""
        out = [why for why in _output_problems(self.run) if why != TRACEBACK]
        if self.run.exit_code == 1 and len(self.lines) != 1:
            out.append(f"exit 1 with {len(self.lines)} lines of message, the first {self.lines[:1]}")
        if self.run.exit_code == 0 and not _is_json(self.run.stdout):
            out.append("exit 0 without JSON")
        if self.run.exit_code == 0 and self.run.stderr.strip():
            out.append(f"exit 0 with more than the JSON: {_first_line(self.run.stderr)!r}")
        return out

    def problems(self) -> list[str]:
        flagged = ((self.traceback, TRACEBACK), (self.bad_exit, f"exit {self.run.exit_code} ({self.run.stopped})"),
                   (self.timed_out, f"ran {self.run.seconds:.0f} s past a {self.budget:g} s budget"),
                   (self.run.peak_mb > PEAK_LIMIT_MB, f"peak {self.run.peak_mb:.0f} MB"))
        return [why for bad, why in flagged if bad] + self.messy()


def _first_line(data: bytes) -> str:
    return next((line for line in data.decode("utf-8", "replace").splitlines() if line.strip()), "")[:200]


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def extract_one(case: Case, timeout: float, scratch: Path) -> FileResult:
    """`phuluc extract --json` of one input under its budget."""
    folder = scratch / f"{case.index:04d}"
    argv = [*PHULUC, "extract", "--json", *_budget("extract", timeout), str(case.path)]
    run = supervise(argv, ci_environment(folder / "tmp"), folder.parent, timeout + GRACE + 25)
    return FileResult(case, run, timeout)


def run_each(cases: Sequence[Case], timeout: float, parallel: int = 2,
             on_result: Callable[[FileResult], object] | None = None) -> list[FileResult]:
    """One `phuluc extract --json` process per input, `parallel` at a time; the results in input order,
    each also handed to `on_result` as it comes."""
    with tempfile.TemporaryDirectory(prefix="fuzz-each-") as scratch, ThreadPoolExecutor(parallel) as pool:
        futures = [pool.submit(extract_one, case, timeout, Path(scratch)) for case in cases]
        for future in as_completed(futures):
            if on_result:
                on_result(future.result())
        return [future.result() for future in futures]


# ---------------------------------------------------------------- one batch over all inputs


@dataclass(frozen=True)
class BatchResult:
    """One `phuluc ingest` over every input, and what its integrity checks found."""

    run: Run
    problems: tuple[str, ...]
    loaded: int

    @property
    def ok(self) -> bool:
        return not self.problems


def run_batch(cases: Sequence[Case], db_path: Path, timeout: float, workers: int, guard: float = 3600.0,
              seed: int = 0) -> BatchResult:
    """Ingest all inputs in one process, then a clean batch of the good ones alone, and check: exit 0
    or 1, no traceback, no escape byte or leak, the summary printed and adding up, every input named
    or loaded, each reason on one line, every good report loaded once with the clean batch's counts."""
    folder = Path(os.path.commonpath([case.path.parent for case in cases]))
    ESCAPE_TARGET.unlink(missing_ok=True)
    run = _ingest([folder], db_path, timeout, workers, guard)
    good = [case for case in cases if case.good]
    clean_db = db_path.with_name(db_path.stem + "-clean.db")
    clean = _ingest([case.path for case in good], clean_db, timeout, workers, guard)
    problems = [*_batch_run_problems(run, "the batch", guard), *_batch_run_problems(clean, "the clean batch", guard)]
    loaded = _loaded(db_path)
    if run.stopped is None:
        problems += _listing_problems(run, cases, loaded, seed)
        problems += _good_problems(good, loaded, _loaded(clean_db), seed)
    problems += _leak_problems(db_path, loaded)
    return BatchResult(run, tuple(problems), sum(n for n, _ in loaded.values()))


def _ingest(paths: Sequence[Path], db_path: Path, timeout: float, workers: int, guard: float) -> Run:
    db_path.unlink(missing_ok=True)
    argv = [*PHULUC, "ingest", *map(str, paths), "--db", f"sqlite:///{db_path}", "--workers", str(workers),
            "--verbose", *_budget("ingest", timeout)]
    scratch = db_path.with_name(db_path.name + ".scratch")
    return supervise(argv, ci_environment(scratch / "tmp"), scratch, guard)


def _batch_run_problems(run: Run, what: str, guard: float) -> list[str]:
    if run.stopped:
        return [f"{what} was killed ({run.stopped}) after {run.seconds:.0f} s, guard {guard:g} s, "
                f"peak {run.peak_mb:.0f} MB"]
    out = [f"{what}: {why}" for why in _output_problems(run)]
    return out + ([f"{what} exited {run.exit_code}"] if run.exit_code not in (0, 1) else [])


def _loaded(db_path: Path) -> dict[str, tuple[int, int]]:
    """file name → (reports, score rows) stored from it."""
    if not db_path.exists():
        return {}
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        found = db.execute("SELECT r.file_name, COUNT(DISTINCT r.id), COUNT(w.id) FROM reports r "
                           "LEFT JOIN tables t ON t.report_id = r.id AND t.kind = 'scores' "
                           "LEFT JOIN rows w ON w.table_id = t.id AND NOT w.is_total_row GROUP BY r.file_name")
        return {name: (reports, rows) for name, reports, rows in found}


class _Labels(NamedTuple):
    """The words of the ingest summary in phuluc's default language."""

    title: str
    rows: dict[str, str]
    skipped: str
    failed: str
    more: re.Pattern
    nothing: str


def _labels() -> _Labels:
    from phuluc import messages

    def t(key: str, **params: object) -> str:
        return messages.text("cli", key, "vi", **params)

    rows = {key: t(key) for key in ("files", "reports", "rows", "findings", "skipped", "failures")}
    more = re.compile(r"\s*… " + re.escape(t("more", count=987654321)).replace("987654321", r"([\d.,]+)"))
    return _Labels(t("summary_title"), rows, t("skipped"), t("failed"), more, t("nothing_loaded"))


def shown(name: str) -> str:
    """A file name as phuluc prints it: control characters and bidirectional overrides written out."""
    from phuluc.messages import printable

    return printable(name)


def _summary(text: str, labels: _Labels) -> dict[str, int] | None:
    """The counts of the summary table, or None where it was not printed whole."""
    counts = {}
    for key, label in labels.rows.items():
        found = re.search(rf"│ {re.escape(label)}\s*│ (\d+)", text)
        if found is None and key != "findings":
            return None
        counts[key] = int(found.group(1)) if found else 0
    return counts if labels.title in text else None


def _listing_problems(run: Run, cases: Sequence[Case], loaded: dict[str, tuple[int, int]], seed: int) -> list[str]:
    """Every input counted and named in the listing, each reason on one line, then the summary, last and
    adding up."""
    labels = _labels()
    text = run.stdout.decode("utf-8", "replace")
    counts = _summary(text, labels)
    if counts is None:
        return ["the summary table was not printed"]
    out = _stray_output(run, text, labels)
    if counts["files"] != counts["reports"] + counts["skipped"] + counts["failures"]:
        out.append(f"the summary does not add up: {counts}")
    if counts["reports"] != sum(n for n, _ in loaded.values()):
        out.append(f"the summary says {counts['reports']} reports loaded, the database holds "
                   f"{sum(n for n, _ in loaded.values())}")
    listing = text.split(labels.title, 1)[0]
    out += _wrapped_lines(listing, labels)
    more = labels.more.search(listing)
    unnamed = [case for case in cases if _sources(case) and not _named(case, listing, loaded, labels)]
    expected = sum(map(_sources, cases))
    if counts["files"] != expected or len(unnamed) > (int(re.sub(r"\D", "", more.group(1))) if more else 0):
        out.append(f"the summary counts {counts['files']} files where the inputs hold {expected}; "
                   f"{len(unnamed)} inputs neither loaded nor named (past the listed skips, or passed over):")
        out += [f"  {case.describe(seed)}" for case in unnamed[:_SHOWN_UNNAMED]]
    return out


_SHOWN_UNNAMED = 30


def _stray_output(run: Run, text: str, labels: _Labels) -> list[str]:
    """Lines no part of phuluc's own output: a library's warnings on stdout after the summary, which
    ends the output, or on stderr (the listing before it is checked line by line)."""
    closing = text.split(labels.title, 1)[-1].rsplit("┘", 1)[-1]
    after = [line for line in closing.splitlines() if line.strip() and line.strip() != labels.nothing]
    errors = [line for line in run.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return [f"{len(lines)} stray lines {where}, the first {lines[0][:160]!r}"
            for lines, where in ((after, "after the summary"), (errors, "on stderr")) if lines]


def _sources(case: Case) -> int:
    """How many files an input holds for a batch: an archive its members, a damaged archive itself; a
    hidden file (".pdf", a macOS "__MACOSX/._x" fork) none, as phuluc passes those over, as git does."""
    if _hidden(case.path.name):
        return 0
    if case.path.suffix.lower() != ".zip":
        return 1
    import zipfile

    try:
        with zipfile.ZipFile(case.path) as archive:
            return sum(1 for member in archive.infolist() if not member.is_dir()
                       and not any(map(_hidden, PurePosixPath(member.filename.replace("\\", "/")).parts)))
    except (zipfile.BadZipFile, OSError):
        return 1


def _hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..") or name == "__MACOSX"


def _named(case: Case, listing: str, loaded: dict[str, tuple[int, int]], labels: _Labels) -> bool:
    """Whether the input (or, for an archive, some member of it) was loaded or listed with its reason."""
    name = str(case.path)
    if name in loaded or any(stored.startswith(name + ":") for stored in loaded):
        return True
    joined = listing.replace("\n", "")
    return any(re.search(rf"{re.escape(label)}\s?{re.escape(shown(name))}(:|$)", joined, re.M)
               for label in (labels.skipped, labels.failed))


def _wrapped_lines(listing: str, labels: _Labels) -> list[str]:
    """Lines of the listing that are no listing line of their own: a reason (or name) broken over lines."""
    starts = (f"  {labels.skipped} ", f"  {labels.failed} ")
    lines = [line for line in listing.splitlines() if line.strip()]
    broken = [(before, line) for before, line in zip(["", *lines], lines)
              if not line.startswith(starts) and not labels.more.match(line) and line.strip() != labels.nothing]
    return [f"a reason is broken over lines: {before.strip()[:100]!r} / {line.strip()[:60]!r} "
            f"({len(broken)} broken lines in all)" for before, line in broken[:5]]


def _good_problems(good: Sequence[Case], loaded: dict[str, tuple[int, int]], clean: dict[str, tuple[int, int]],
                   seed: int) -> list[str]:
    """Every good report loaded exactly once, with the rows a batch of the good files alone stores."""
    out = []
    for case in good:
        name = str(case.path)
        if name not in clean:
            out.append(f"a good report did not load in the clean batch: {case.describe(seed)}")
        elif loaded.get(name, (0, 0))[0] != 1:
            out.append(f"a good report loaded {loaded.get(name, (0, 0))[0]} times: {case.describe(seed)}")
        elif loaded[name] != clean[name]:
            out.append(f"{loaded[name][1]} score rows where the clean batch stores {clean[name][1]}: "
                       f"{case.describe(seed)}")
    return out


def _leak_problems(db_path: Path, loaded: dict[str, tuple[int, int]]) -> list[str]:
    """Nothing of /etc/passwd stored, nothing written outside the archive, no refused member loaded."""
    out = []
    if db_path.exists() and LEAK.encode() in db_path.read_bytes():
        out.append("/etc/passwd is in the database (XXE)")
    written = {PurePosixPath(name.replace("\\", "/")).name for name in TRAVERSAL}
    escaped = {ESCAPE_TARGET, *(path for name in written for path in db_path.parent.rglob(name))}
    out += [f"an archive member was written outside the archive: {path}" for path in sorted(escaped) if path.exists()]
    out += [f"a member whose name leaves its archive was loaded: {name!r}" for name in loaded
            if name.endswith(tuple(":" + member for member in TRAVERSAL))]
    return out


# ---------------------------------------------------------------- command line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=250)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--index", type=int, help="write only this input")
    args = parser.parse_args()
    cases = ([make_case(args.out, args.index, args.seed)] if args.index is not None
             else generate(args.out, args.count, args.seed))
    for case in cases:
        print(f"{case.index:5d}  {case.hostile.value:<11} {'good' if case.good else '    '}  "
              f"{case.path.stat().st_size:>9}  {shown(str(case.path))}")


if __name__ == "__main__":
    main()
