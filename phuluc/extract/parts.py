"""What the readers of formats that state their structure share: Word, Excel, OpenDocument and HTML.

Such a file says where its paragraphs and its table cells are, and which cells are merged, so its reader
only turns it into parts in document order — body paragraphs (strings) and grids (cell texts with
explicit spans) — and `document` lays them out as one page: the ruled finder finds the tables in the
grids (a grid with an "STT" header row holds a table), every other row of a grid is body text, one block
per row (the document header "ỦY BAN NHÂN DÂN | CỘNG HÒA …", the signature block, a sheet's title and
caption rows), and extract/assemble.py titles the tables and joins a table that goes on after a repeated
header, as for every other format. Spreadsheets store numbers as numbers: `number_text` prints one the
way the sheet shows it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from phuluc.budget import GaveUp, Limit
from phuluc.errors import PhulucError, reason
from phuluc.extract import assemble
from phuluc.extract.page import Grid, Line, Page, text_line
from phuluc.model import RawDocument
from phuluc.settings import Settings
from phuluc.vi.text import clean

Part = str | Grid
MAX_CELLS = 1_000_000  # a report's table has a few thousand cells; more is a broken or hostile file


def check_size(rows: int, cols: int) -> None:
    """Give up on a table too large to hold before its cells are made: a hostile span, a cell at
    XFD1048576 or a merge of a whole sheet would take gigabytes."""
    if rows * cols > MAX_CELLS:
        raise GaveUp(Limit.CELLS, rows=rows, cols=cols, limit=MAX_CELLS)


def document(path: Path, data: bytes, fmt: str, parts: list[Part], settings: Settings) -> RawDocument:
    """Paragraphs and grids in document order as one page for extract/assemble.py: each paragraph a
    block of body text, each grid read by the ruled finder."""
    lines: list[Line] = []
    grids: list[Grid] = []
    for at, part in enumerate(parts):
        if isinstance(part, str):
            texts = [clean(t) for t in part.split("\n") if clean(t)]
            lines += [text_line(t, None, len(lines) + k + 1, float(at)) for k, t in enumerate(texts)]
            if texts:
                lines.append(text_line("", None, len(lines) + 1, float(at)))
        else:
            n = len(part.texts)
            grids.append(replace(part, pages=(None,) * n, tops=(float(at),) * n, top=float(at), bottom=float(at)))
    return assemble.document([Page(None, tuple(lines), tuple(grids))], source=str(path),
                             sha256=hashlib.sha256(data).hexdigest(), fmt=fmt, settings=settings)


def sheet_grid(cells: Sequence[Sequence[str]], merges: Iterable[tuple[int, int, int, int]]) -> Grid:
    """A spreadsheet as one grid from A1 to its last filled cell; `merges` (first row, first column,
    last row, last column; 0-based, inclusive) become spans, cut at the grid's edge."""
    height = max((r + 1 for r, row in enumerate(cells) if any(row)), default=0)
    width = max((c + 1 for row in cells for c, t in enumerate(row) if t), default=0)
    spans = {(r0, c0): (min(r1 + 1, height) - r0, min(c1 + 1, width) - c0)
             for r0, c0, r1, c1 in merges if r0 < height and c0 < width and (r0, c0) != (r1, c1)}
    texts = tuple(tuple(list(row[:width]) + [""] * (width - len(row))) for row in cells[:height])
    return Grid(texts, spans, lines=tuple(range(1, height + 1)))


def read_bytes(path: Path) -> bytes:
    """The file's bytes; an empty file is an error of its own."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise unreadable(path, e) from None
    if not data:
        raise PhulucError("empty_file", file=str(path))
    return data


def unreadable(path: Path, e: Exception) -> PhulucError:
    """A library's error on a damaged file, as the first line of its message."""
    return PhulucError("unreadable", file=str(path), reason=reason(e))


_SHOWN_NUMBER = re.compile(r"\d[\d.,'\u00a0\u202f]*")  # digits with any locale's separators


def shown_number(value: float, shown: str, percent: bool = False) -> str:
    """A stored number (OpenDocument's office:value, an exported page's x:num or sdval) printed as
    `number_text` prints it, with the decimals of `shown`, the text the sheet displays for it in its own
    locale ("5.00", "5,00", "1 234,50 ₫", "78,13%"): the displayed digits may follow any locale, the
    stored value is exact. A fraction shown as a percentage is × 100."""
    decimals = _shown_decimals(value * 100 if percent else value, shown)
    return number_text(value, ("0." + "0" * decimals if decimals else "0") + ("%" if percent else ""))


def _shown_decimals(value: float, shown: str) -> int:
    """The first count of decimals whose print has the displayed digits; a display that is no plain
    decimal ("1.5E+03", "1 1/2") gives 0, and the number keeps the digits it needs."""
    match = _SHOWN_NUMBER.search(shown)
    if match is None:
        return 0
    digits = re.sub(r"\D", "", match.group())
    shown_as = (digits, "0" + digits)  # "0" + : a format without the leading zero (".5")
    return next((d for d in range(11) if f"{abs(value):.{d}f}".replace(".", "") in shown_as), 0)  # as number_text: ≤ 10


_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')  # quoted text, escapes, [Red], padding


def number_text(value: float, number_format: str = "General") -> str:
    """The Vietnamese print of a numeric cell (decimal comma, no thousands separator, so "1,527" can
    only be read back as 1.527): at least the decimals its number format shows ("0.00" → "5,00"),
    more where the value needs them; a percent format shows the fraction × 100 with "%"."""
    section = _FORMAT_NOISE.sub("", number_format.split(";")[0])
    percent = "%" in section
    if percent:
        value *= 100
    exact = "" if isinstance(value, int) else f"{round(value, 10):.10f}".rstrip("0").partition(".")[2]
    shown = re.search(r"\.([0?]+)", section) if re.search(r"[0#?]", section) and "E" not in section.upper() \
        else None
    decimals = max(len(exact), len(shown.group(1)) if shown else 0)
    text = f"{value:.{decimals}f}".replace(".", ",")
    return text + "%" if percent else text
