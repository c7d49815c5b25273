"""Plain-text and Markdown reports → RawDocument.

Three table styles reach us as text, and one reader serves them all:
- tab-separated rows (Markdown renderings): a grid; merged header cells are inferred;
- `pdftotext -layout` output: words positioned by character column, read by extract.layout;
- plain PDF-to-text output, where each cell may sit on its own line and the columns are lost: rows are
  cut where a serial number and a name begin, and their tokens are kept in reading order.
A table starts at its "STT" header line; a table that goes on after a repeated header (a new page) is
one table. Everything outside the tables is body text. Form feeds separate pages.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from phuluc.errors import PhulucError
from phuluc.extract import layout
from phuluc.extract.tables import (CAPTION, MARKER, ROMAN, SERIAL, TABLE_END, TOTAL, TOTAL_NAME, header_from_grid,
                                   is_numbering, is_section, serial, title_above)
from phuluc.model import HeaderCell, RawDocument, RawRow, RawTable, TextBlock
from phuluc.settings import DEFAULT, Settings
from phuluc.vi import ratings
from phuluc.vi.numbers import is_number
from phuluc.vi.text import clean, fold, nfc

_MARKUP = re.compile(r"</?(?:b|strong|i|em|u|br|span)[^>]*>|\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_FOOTNOTE = re.compile(r"<sup>.*?</sup>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_ANCHOR = re.compile(r"^(?:số\s*)?s?tt\b", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?[-–]?\s*\d{1,3}\s*[-–]?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Line:
    text: str  # markup removed, NFC, trailing space removed
    page: int
    no: int  # 1-based line number in the file

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def read(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read a .txt or .md report."""
    data = path.read_bytes()
    fmt = "md" if path.suffix.lower() in {".md", ".markdown"} else "text"
    return parse(_decode(data, path), source=str(path), sha256=hashlib.sha256(data).hexdigest(), fmt=fmt)


def parse(text: str, *, source: str, sha256: str, fmt: str) -> RawDocument:
    """A report's text (pages separated by form feeds) → RawDocument; other readers that can render
    their pages as positioned text (PDF) come through here too."""
    lines = _lines(nfc(text))
    tables, used = _tables(lines)
    blocks = _blocks([ln for ln in lines if ln.no not in used])
    return RawDocument(source=source, sha256=sha256, format=fmt, blocks=tuple(blocks), tables=tuple(tables))


def _decode(data: bytes, path: Path) -> str:
    if not data.strip():
        raise PhulucError("empty_file", file=str(path))
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data[:4096] and not utf16:
        raise PhulucError("binary_file", file=str(path))
    try:
        return nfc(data.decode("utf-16" if utf16 else "utf-8-sig"))
    except UnicodeDecodeError:
        raise PhulucError("not_utf8", file=str(path)) from None


def _lines(text: str) -> list[_Line]:
    out = []
    no = 0
    for page, chunk in enumerate(text.split("\f"), start=1):
        for raw in chunk.split("\n"):
            no += 1
            line = _HEADING.sub("", _MARKUP.sub("", _FOOTNOTE.sub("", raw.replace("\r", ""))))
            out.append(_Line(line.rstrip(" \r"), page, no))
    return out


def _blocks(lines: list[_Line]) -> list[TextBlock]:
    """Paragraphs: runs of non-blank lines, joined with single spaces."""
    blocks, run = [], []
    for ln in lines + [_Line("", 0, 0)]:
        if ln.blank:
            if run:
                blocks.append(TextBlock(clean(" ".join(x.text for x in run)), run[0].page))
            run = []
        else:
            run.append(ln)
    return blocks


# ---------------------------------------------------------------- finding tables


@dataclass
class _Segment:
    title: str | None
    header: list[_Line]
    body: list[_Line]
    style: str  # "tab" | "layout" | "stream"

    @property
    def signature(self) -> str:
        """The header from its "STT" line on: a page's repeat of it has the same signature."""
        start = next((k for k, ln in enumerate(self.header) if _is_anchor(ln)), 0)
        return fold(" ".join(ln.text for ln in self.header[start:])).replace(" ", "")


def _is_anchor(line: _Line) -> bool:
    first = line.text.split("\t")[0].strip() if "\t" in line.text else line.text.strip()
    return bool(_ANCHOR.match(first))


def _tables(lines: list[_Line]) -> tuple[list[RawTable], set[int]]:
    anchors = [i for i, ln in enumerate(lines) if _is_anchor(ln)]
    starts = [_header_start(lines, a) for a in anchors]
    tables: list[RawTable] = []
    used: set[int] = set()
    prev: _Segment | None = None
    for k, a in enumerate(anchors):
        stop = starts[k + 1] if k + 1 < len(anchors) else len(lines)
        seg, end = _segment(lines, starts[k], a, stop)
        used.update(ln.no for ln in lines[starts[k]:end])
        table = _raw_table(seg)
        if table is None:
            continue
        if prev is not None and _continues(prev, seg, tables[-1], table):
            last = tables[-1]
            tables[-1] = RawTable(last.header, last.rows + table.rows, last.ncols, last.title,
                                  tuple(sorted(set(last.pages + table.pages))))
        else:
            tables.append(table)
        prev = seg
    return tables, used


def _header_start(lines: list[_Line], anchor: int) -> int:
    """Where the header above an "STT" line begins: positioned headers stack a few lines over it, up
    to the caption, the "Phụ lục"/"Biểu số" line or a title running across the page."""
    start = anchor
    if "\t" not in lines[anchor].text:
        while start > 0 and not lines[start - 1].blank and not CAPTION.match(lines[start - 1].text) \
                and not MARKER.search(lines[start - 1].text) and not _running(lines[start - 1].text):
            start -= 1
    return start


def _running(text: str) -> bool:
    """A line of running text (a title, a sentence): long, without the wide gaps between columns."""
    text = text.strip()
    return len(text) >= 30 and not re.search(r"\S\s{2,}\S", text)


def _segment(lines: list[_Line], start: int, anchor: int, stop: int) -> tuple[_Segment, int]:
    """The header, body and title of the table whose "STT" line is `lines[anchor]`."""
    tab = "\t" in lines[anchor].text
    body_start = anchor + 1
    if tab:
        while body_start < stop and (lines[body_start].blank or _tab_header(lines[body_start])):
            body_start += 1
    else:
        stt_x = len(lines[anchor].text) - len(lines[anchor].text.lstrip())
        positioned = _positional([lines[anchor]])
        while body_start < stop and not _body_start(lines, body_start, stt_x):
            if positioned and lines[body_start].blank and not _more_header(lines, body_start, stop):
                break
            body_start += 1
    end = body_start
    while end < stop:
        ln = lines[end]
        if tab and not ln.blank and "\t" not in ln.text and not is_section(ln.text):
            break
        if not tab and TABLE_END.search(ln.text):
            break
        end += 1
    body = [ln for ln in lines[body_start:end] if not ln.blank]
    header = [ln for ln in lines[start:body_start] if not ln.blank]
    if tab:
        body = [ln for ln in body if not _is_anchor(ln) and not _tab_header(ln)]
        style = "tab"
    else:
        style = "layout" if _positional(body) else "stream"
    title = title_above([ln.text for ln in lines[:start]])
    return _Segment(title, header, body, style), end


def _tab_header(line: _Line) -> bool:
    """A header row of a tab table: headings under merged cells, or the column numbering."""
    cells = line.text.split("\t")
    return len(cells) > 2 and (not cells[0].strip() and not cells[1].strip() and any(
        c.strip() and not is_number(c) for c in cells[2:]) or is_numbering(cells))


def _body_start(lines: list[_Line], i: int, stt_x: int) -> bool:
    """Whether a non-tab line starts the body: a serial number then a name or figures, a section
    line, or a total line; a header numbering row "1 2 3 …" sits away from the STT column."""
    text = lines[i].text
    words = text.split()
    if not words or is_numbering(words):
        return False
    x = len(text) - len(text.lstrip())
    if SERIAL.match(words[0]) and abs(x - stt_x) <= 4:
        rest = words[1] if len(words) > 1 else _next_text(lines, i)
        return bool(rest) and not rest.startswith("(")
    if is_section(text):  # a section title opens the body when rows follow it
        after = [k for k in range(i + 1, min(i + 8, len(lines))) if not lines[k].blank][:3]
        return any(_body_start(lines, k, stt_x) for k in after)
    return bool(TOTAL.match(text.strip()) and any(is_number(w) for w in words))


def _more_header(lines: list[_Line], i: int, stop: int) -> bool:
    """After a blank line inside a positioned header: does the header go on (maximum tokens, column
    numbering, upper-case headings), or do wrapped names of the first row begin?"""
    nxt = next((ln.text.strip() for ln in lines[i:stop] if not ln.blank), "")
    return bool(re.search(r"\(\d+\s*đ\)|^\(\d+\)|tiêu chí|chỉ số", nxt, re.IGNORECASE)
                or nxt.upper() == nxt and not is_section(nxt) and not any(c.isdigit() for c in nxt))


def _next_text(lines: list[_Line], i: int) -> str:
    for ln in lines[i + 1:i + 4]:
        if not ln.blank:
            return ln.text.split()[0]
    return ""


def _positional(body: list[_Line]) -> bool:
    """Layout text keeps columns apart with runs of spaces; stream text does not."""
    wide = sum(1 for ln in body if len(re.findall(r"\S\s{2,}(?=\S)", ln.text.strip())) >= 3)
    return wide >= max(1, len(body) // 3)


def _continues(prev: _Segment, seg: _Segment, last: RawTable, table: RawTable) -> bool:
    """A table goes on over a page when the new part has no title of its own and repeats the header
    or carries the numbering on; positioned parts must also have the same columns."""
    if seg.title is not None or prev.style != seg.style:
        return False
    if seg.style != "stream" and last.ncols != table.ncols:
        return False
    return prev.signature == seg.signature or serial(last.rows, -1) + 1 == serial(table.rows, 0)


# ---------------------------------------------------------------- segment → RawTable


def _raw_table(seg: _Segment) -> RawTable | None:
    if not seg.body:
        return None
    read = {"tab": _tab_table, "layout": _layout_table, "stream": _stream_table}[seg.style]
    header, rows, ncols = read(seg)
    pages = tuple(sorted({r.page for r in rows if r.page is not None}))
    return RawTable(header=header, rows=tuple(rows), ncols=ncols, title=seg.title, pages=pages)


def _tab_table(seg: _Segment) -> tuple[tuple[HeaderCell, ...], list[RawRow], int]:
    grid = [ln.text.split("\t") for ln in seg.header]
    rows = [RawRow(tuple(clean(c) for c in ln.text.split("\t")), ln.page, True, ln.no) for ln in seg.body]
    ncols = max(len(r) for r in grid + [list(r.cells) for r in rows])
    return header_from_grid(grid), rows, ncols


def _layout_table(seg: _Segment) -> tuple[tuple[HeaderCell, ...], list[RawRow], int]:
    header = [layout.line_words(ln.text, ln.no, ln.page) for ln in seg.header]
    stt_x = min(len(ln.text) - len(ln.text.lstrip()) for ln in seg.header if _is_anchor(ln))
    data, fragments = [], []
    for ln in seg.body:
        words = layout.line_words(ln.text, ln.no, ln.page)
        if len(words) == 1 and words[0].x0 > stt_x + 4 and _PAGE_NUMBER.match(ln.text.strip()):
            continue  # a page number between two parts of the table
        (fragments if _fragment(ln, stt_x) else data).append(words)
    g = layout.grid(header, data, gap=2)
    name_col = _name_column(g.rows)
    rows = [list(r) for r in g.rows]
    named = [bool(r[name_col]) for r in rows]
    page_of = {ln.no: ln.page for ln in seg.body}
    name_end = g.spans[name_col + 1][0] if name_col + 1 < len(g.spans) else float("inf")
    for frag in fragments:  # a wrapped name starts in the name column, on the page of its row
        if frag[0].x0 < name_end:
            same_page = [k for k, no in enumerate(g.lines) if page_of[no] == frag[0].page]
            _attach(rows, named, g.lines, frag, name_col, same_page)
    raw = [RawRow(tuple(clean(c) for c in r), page_of[no], True, no) for r, no in zip(rows, g.lines)]
    cells = tuple(HeaderCell(text=clean(t), row=0, col=j) for j, t in enumerate(g.header) if t)
    return cells, raw, len(g.header)


def _fragment(line: _Line, stt_x: int) -> bool:
    """A line holding only part of a wrapped name: text, no figures, away from the STT column."""
    text = line.text.strip()
    x = len(line.text) - len(line.text.lstrip())
    return (not any(is_number(w) for w in text.split()) and x > stt_x + 2
            and not is_section(text) and not TOTAL.match(text))


def _name_column(rows: tuple[tuple[str, ...], ...]) -> int:
    """The leftmost column that holds words in most rows: the unit names."""
    counts = [sum(1 for r in rows if r[j] and not is_number(r[j]) and not _rating(r[j]))
              for j in range(len(rows[0]))] if rows else [0]
    best = max(counts)
    return next(j for j, n in enumerate(counts) if n >= best * 0.5) if best else 1


def _rating(text: str) -> bool:
    return all(w in ratings.words() for w in fold(text).split())


def _attach(rows: list[list[str]], named: list[bool], lines: tuple[int, ...], frag: list[layout.Word],
            col: int, candidates: list[int]) -> None:
    """Give a wrapped-name fragment to the row it belongs to.

    Rows whose number line carries its name take the fragments below them (text wrapped down); rows
    printed with an empty name (number line centred on a wrapped name) take the fragments around them.
    """
    no = frag[0].line
    text = " ".join(w.text for w in frag)
    above = max((i for i in candidates if lines[i] < no), default=None)
    below = min((i for i in candidates if lines[i] > no), default=None)
    if below is not None and (above is None or named[above] and not named[below]):
        target, before = below, True
    elif above is not None and below is not None and not named[above] and not named[below]:
        target = above if no <= (lines[above] + lines[below]) / 2 else below
        before = target == below
    elif above is not None:
        target, before = above, False
    else:
        return
    cur = rows[target][col]
    rows[target][col] = f"{text} {cur}".strip() if before else f"{cur} {text}".strip()


def _stream_table(seg: _Segment) -> tuple[tuple[HeaderCell, ...], list[RawRow], int]:
    """Rows of a table whose columns the text lost: cut where a serial number and a name begin."""
    rows: list[list[str]] = []
    meta: list[tuple[int, int]] = []
    expected = 1
    body = seg.body
    for i, ln in enumerate(body):
        words = ln.text.split()
        starts = _stream_start(words, body[i + 1].text.split() if i + 1 < len(body) else [], expected)
        if starts == "row":
            rows.append([words[0].rstrip("."), ""])
            meta.append((ln.page, ln.no))
            expected = int(words[0].rstrip(".")) + 1
            words = words[1:]
        elif starts == "section":
            rows.append([words[0], " ".join(words[1:])] if ROMAN.match(words[0]) else ["", " ".join(words)])
            meta.append((ln.page, ln.no))
            expected = 1
            continue
        elif starts == "total" or not rows:
            rows.append(["", ""])
            meta.append((ln.page, ln.no))
        for w in words:
            _stream_token(rows[-1], w)
    header = tuple(HeaderCell(text=clean(ln.text), row=0, col=j) for j, ln in enumerate(seg.header))
    out = [RawRow(tuple(clean(c) for c in r), page, False, no) for r, (page, no) in zip(rows, meta)
           if r[0] or TOTAL_NAME.match(r[1]) or len(r) == 2]
    return header, out, max((len(r.cells) for r in out), default=0)


def _stream_start(words: list[str], following: list[str], expected: int) -> str | None:
    if not words:
        return None
    head = words[0].rstrip(".")
    if SERIAL.match(words[0]) and (expected == 1 or int(head) in (expected, 1)):
        nxt = words[1] if len(words) > 1 else (following[0] if following else "")
        if nxt and not is_number(nxt) and not nxt.startswith("("):
            return "row"
    line = " ".join(words)
    if is_section(line):
        return "section"
    total = TOTAL.match(line)
    if total and all(is_number(w) for w in line[total.end():].split()):
        return "total"
    return None


def _stream_token(row: list[str], token: str) -> None:
    """Add one printed token to a stream row: name words until the first figure, then figures, then
    the rating words (kept together as the last cell); the row is complete once rated."""
    figures = len(row) > 2
    rated = figures and not is_number(row[-1])
    if is_number(token) and not rated:
        row.append(token)
    elif not figures:
        row[1] = f"{row[1]} {token}".strip()
    elif _rating(token) and (not rated or _rating(f"{row[-1]} {token}")):
        if rated:
            row[-1] = f"{row[-1]} {token}"
        else:
            row.append(token)
    # anything else after the figures is a heading repeated on a new page: not part of the row
