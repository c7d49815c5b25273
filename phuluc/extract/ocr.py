"""Scanned pages (of a PDF, or images) → positioned words, and ruled tables read cell by cell.

A scan has no text layer, so each page is rendered (at `settings.ocr.dpi`, to which an image is resampled,
extract/image.py; colour dropped: a red seal or a blue signature fades to white), its paper evened out (a
shadow or a darker half would hide faint print), turned upright (a landscape page is often scanned
sideways), straightened and read with Tesseract. Sizes of print are set in points, so they hold at any
resolution. Ruled tables are not read as running text: on a page turned by half a degree, with ruling lines
through every row, page-level OCR of a table is noise, and a blank (not applicable) cell leaves no trace
among positioned words, so the column of every later figure in its row would be guessed (laid out for
text.parse, a scanned appendix kept 23 % of its cells). The grid is found from its ruling lines instead
(long straight strokes, which a round seal, a signature or a letter is not), merged cells are the elementary
cells whose shared border is not printed, and every cell is read on its own: names and headings as
Vietnamese text (column numbers such as "(3)=(2)/(1)" with their own characters), figures with a figure-only
character set and no dictionary, more than once, so that a figure no two readings agree on is doubtful. A
cell with ink is never blank: unreadable after every look, it keeps its best reading with a confidence below
`settings.ocr.low_confidence`, and the checks abstain on it. Cells go to Tesseract stacked in montages, one
cell per line, a few runs per page instead of one per cell (0.2 s each).

A page's result is a list of word dicts in the shape pdf.py lays out (text, x0, x1, top, bottom, size
in PDF points, fontname "ocr"), each with its confidence "conf" (0–1). A table cell is one such dict
with a "cell" key (table, row, col, rowspan, colspan) and the cell's box; `grids` turns the cells
into the ruled grids every PDF reader hands to the table finders (a confidence per cell) and the other
words into lines of text, where the metadata and the summary are found as on any text page.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
from rapidfuzz.distance import Levenshtein

from phuluc import processes, progress
from phuluc.extract import page as page_grid
from phuluc.extract import tesseract
from phuluc.extract.tables import ROMAN
from phuluc.settings import OcrSettings, Settings
from phuluc.vi.numbers import NotANumber, is_number, parse_number
from phuluc.vi.text import clean, strip_marks

LANG = "vie"

# Sizes of print are in points, as printed; `Scale` turns them into pixels at the rendering resolution.
_MAX_SKEW = 5.0  # degrees; a scan turned further is not a slightly rotated page
_SKEW_SCALE = 0.33  # the skew is measured on a third of the page: enough pixels, a tenth of the time
_TURN_SCALE = 0.5  # the orientation on half of it: the letters of body text stay apart, their marks on them
_PAPER = 6.0  # pt; every stroke of print is thinner, so a closing this wide leaves the paper alone
_PAPER_SCALE = 0.25  # the paper is estimated on a quarter of the page: it varies slowly
_LETTER = (2.0, 12.0)  # pt; the height of a letter or figure (with its marks), between small print and a heading
_LETTER_GAP = 1.5  # pt; letters of a word are closer than this, words of a line and lines of a page further
_SIDEWAYS = 1.1  # letters merge into this many times fewer words along the lines than across them
_UPSIDE_DOWN = 1.25  # letter pairs uneven at the foot outnumber those uneven at the top this many times
_VOTES = 8  # letter pairs needed to tell a page upside down
_INK_BLOCK = 7.5  # pt; the neighbourhood a pixel's darkness is judged against
_H_LINE = 20.0  # pt; a horizontal ruling line is at least this long (no letter stroke is)
_V_LINE = 12.0  # pt; a vertical one at least a row high
_SNAP = 2.0  # pt; line centres closer than this are one ruling line
_LINE_EDGE = 1.2  # pt; the blurred edge of a ruling line, whitened with it and bridged between lines
_STAMP_SCALE = 0.25  # seals are looked for on a quarter of the page
_STAMP_RADII = (25, 80)  # pt; an official round seal is 3.5–4.5 cm across
_SEAL_REACH = 1.5  # a seal's outer ring lies up to this many times further out than its inner one
_LONG = 0.5  # a ruling line printed along half its table needs no other evidence
_COVERED = 0.5  # a border printed along at least half its length separates two cells
_MARGIN = 1.2  # pt; a cell is read inside its borders
_SPECK = 0.6  # pt; ink blobs smaller than this square are noise, not a "-" or a "."
_DOT = 1.2  # pt; a full stop or a comma is no wider or taller than this
_PAD = 4.0  # pt; white space around each cell in a montage
_MONTAGE_HEIGHT = 30000  # px; a taller montage is split (Tesseract refuses images over 32767 px)
_FIGURE_CHARS = "0123456789,./-%"
_NUMBERING_CHARS = "0123456789()=+-/:x"  # a column numbering heading, "(5)=(6)+(8)", "(3)=(2)/(1)"
_FIGURE_LANG = "eng"  # figures only: the English model misreads fewer digits than the Vietnamese one
_DASH_HEIGHT = 2.5  # pt; a stroke no taller than this and wider than tall is a "-"
_DASH_CONFIDENCE = 0.95  # a dash told by its shape is as sure as a clean reading
_NOISE_CONFIDENCE = 0.5  # below this a reading is a guess
_WORD_CONFIDENCE = 0.8  # a cell read as letters with less confidence than this may be a misread figure
_LETTERS = re.compile(r"[^\W\d_]")
_HEADING_MARK = re.compile(r"[()=+]")  # in column numbers and formulas, "(3)=(2)/(1)"
_MAXIMUM = re.compile(r"\((\d{1,2}(?:[.,]\d+)?)\s*[4d]\)")  # a criterion's maximum, "đ" misread


def _spellings(*phrases: str, whole: bool = False) -> tuple[re.Pattern[str], dict[str, str]]:
    """Phrases keyed by their letters without marks, and a pattern that finds those keys (only as
    a cell's whole text where `whole`)."""
    words = {strip_marks(p).casefold(): p for p in phrases}
    edges = (r"^\s*", r"\s*$") if whole else (r"\b", r"\b")
    return re.compile(edges[0] + "(" + "|".join(map(re.escape, words)) + ")" + edges[1]), words


# the words by which normalize/ knows a column's role, and a unit's kind after "UBND"
_HEADING_WORDS = _spellings("quy đổi", "xếp loại", "xếp hạng", "thứ hạng", "tổng điểm", "điểm đạt", "đạt được",
                            "tổng số điểm", "điểm trung bình", "ghi chú", "tiêu chí", "chỉ số", "đơn vị")
_UNIT_WORDS = _spellings("UBND xã", "UBND phường", "UBND thị trấn", "UBND huyện", "UBND thị xã",
                         "UBND thành phố", "UBND quận", "UBND tỉnh")
_TOTAL_WORDS = _spellings("tổng số", "tổng cộng", "cộng", whole=True)  # a total row's name cell ("TỐNG SỐ")


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell of a ruled grid (merged cells span several grid rows/columns); `box` is in pixels, on
    the centre of its ruling lines: x0, y0, x1, y1."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Grid:
    """A ruled table found on a page: its line positions in pixels and its (merged) cells."""

    xs: tuple[int, ...]  # the vertical ruling lines, left to right
    ys: tuple[int, ...]  # the horizontal ones, top to bottom
    cells: tuple[Cell, ...]

    @property
    def box(self) -> tuple[int, int, int, int]:
        """x0, y0, x1, y1 of the outer frame."""
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


@dataclass(frozen=True, slots=True)
class Scan:
    """What OCR read on one page: its words and cells (dicts in points, as `_cell_word` and `read_text`
    make them) and the size of the page they were read on (width, height in points; turned upright)."""

    words: list[dict]
    size: tuple[float, float]


def available() -> bool:
    """Whether Tesseract and its Vietnamese and English models are installed (Debian packages, not
    downloads): their engines start, once per process (extract/tesseract.py)."""
    return all(map(tesseract.installed, (LANG, _FIGURE_LANG)))


# ---------------------------------------------------------------- pages


@dataclass(frozen=True, slots=True)
class Scale:
    """A rendering resolution: the sizes of print, given in points, in pixels of the page image."""

    dpi: int

    @property
    def per_point(self) -> float:
        return self.dpi / 72

    def px(self, points: float) -> int:
        """`points` in whole pixels."""
        return round(points * self.per_point)

    def area(self, side: float) -> int:
        """The area in pixels of a square `side` points wide."""
        return round((side * self.per_point) ** 2)


_MAX_PIXELS = 40_000_000  # of a rendered page: an A2 sheet at 300 dpi has 35 Mpx


def render(path: str, number: int, dpi: int) -> np.ndarray:
    """The page at `dpi` as one grey channel: the brightest of R, G and B, so black print stays black
    while a red stamp or a blue signature fades to near white (on a grey scan it is the grey).

    A page larger than a sheet would make more than `_MAX_PIXELS` at `dpi` (a phone photo placed at
    72 dpi makes a page of 40 × 55 in; a hostile one states 200 × 200 in) is rendered to that many,
    as the image reader takes a photo for an A4 sheet: its words come back in the points of that
    smaller page, and the memory stays that of a large sheet."""
    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[number - 1]
        width, height = page.get_size()
        scale = min(Scale(dpi).per_point, math.sqrt(_MAX_PIXELS / max(1.0, width * height)))
        pixels = page.render(scale=scale).to_numpy()
    finally:
        pdf.close()
    if pixels.ndim == 2:
        return pixels
    return np.maximum(np.maximum(pixels[..., 0], pixels[..., 1]), pixels[..., 2])  # 10× a max along the axis


Loader = Callable[[str, int, int], np.ndarray]  # (path, 1-based page, dpi) → the page as one grey channel


def ocr_pages(path: Path, pages: list[int], settings: Settings, render: Loader = render) -> dict[int, Scan]:
    """Positioned words (and table cells) of the 1-based `pages` of a file, each page given by `render`
    (a module-level function, so that it reaches the workers: a PDF's pages by default, an image's
    frames from extract/image.py), read in up to `settings.ocr.processes` processes: Tesseract and
    the image work are CPU-bound, one page per core."""
    workers = max(1, min(settings.ocr.processes, os.cpu_count() or 1, len(pages)))
    read = functools.partial(read_page, str(path), settings=settings.ocr, render=render)
    if workers == 1:
        return _counted(pages, map(read, pages))
    with ProcessPoolExecutor(max_workers=workers, initializer=processes.die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        return _counted(pages, pool.map(read, pages))


def _counted(pages: list[int], read: Iterator[Scan]) -> dict[int, Scan]:
    """The pages' words as they come, each page told to whoever follows the reading (phuluc/progress.py)."""
    out = {}
    for number, words in zip(pages, read):
        out[number] = words
        progress.page_done(len(out), len(pages))
    return out


def read_page(path: str, number: int, settings: OcrSettings, render: Loader = render) -> Scan:
    """One page: rendered at `settings.dpi` by `render`, its paper evened out, turned upright,
    straightened, its ruled tables read cell by cell (doubtful below `settings.low_confidence`) and the
    rest as text."""
    scale = Scale(settings.dpi)
    rendered = render(path, number, settings.dpi)
    if rendered.min() == rendered.max():  # a page of one colour has nothing printed on it
        return Scan([], _points(rendered, scale))
    gray = straighten(upright(flatten(rendered, scale), scale))
    ink = binarize(gray, scale)
    horizontal, vertical = ruling_lines(ink, scale)
    lines = cv2.dilate(horizontal | vertical, _square(scale.px(_LINE_EDGE)))
    seals = stamps(ink & ~lines, scale)
    grids = find_grids(horizontal, vertical, scale, seals)
    words: list[dict] = []
    for t, grid in enumerate(grids):
        words += [_cell_word(t, cell, text, conf, scale)
                  for cell, text, conf in read_grid(gray, ink, lines, grid, scale, settings.low_confidence, seals)]
    return Scan(words + read_text(gray, ink, [g.box for g in grids], scale), _points(gray, scale))


def _points(image: np.ndarray, scale: Scale) -> tuple[float, float]:
    """The size of a page image in points: width, height."""
    return image.shape[1] / scale.per_point, image.shape[0] / scale.per_point


def flatten(gray: np.ndarray, scale: Scale) -> np.ndarray:
    """The page divided by its paper, so that paper is white everywhere: under uneven light (a shadow
    along the spine, a darker half) faint print in the shade would otherwise be as grey as the bright
    paper and be lost to every threshold. The paper is what a closing wider than any stroke of print
    leaves, on a quarter of the page and smoothed."""
    small = cv2.resize(gray, None, fx=_PAPER_SCALE, fy=_PAPER_SCALE, interpolation=cv2.INTER_AREA)
    k = max(3, round(scale.px(_PAPER) * _PAPER_SCALE) | 1)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.resize(cv2.GaussianBlur(paper, (k, k), 0), (gray.shape[1], gray.shape[0]),
                       interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(paper, 1), scale=255)


def upright(gray: np.ndarray, scale: Scale) -> np.ndarray:
    """The page turned by quarter turns so that its print reads left to right, top down: a landscape
    table is often scanned sideways, and a sheet can go through the feeder upside down."""
    turns = quarter_turns(gray, scale)
    return np.ascontiguousarray(np.rot90(gray, turns)) if turns else gray


def quarter_turns(gray: np.ndarray, scale: Scale) -> int:
    """How many counter-clockwise quarter turns make the page upright (0–3).

    Letters close up into words along the lines of print, not across them: dilated along the lines
    they merge into far fewer blobs. Upright and upside-down print then differ in their outline:
    letters stand on the baseline, so neighbours in a word share their foot and differ in their top
    (ascenders, capitals, Vietnamese marks); turned over, it is the other way. An upright-looking
    page is turned over only on clear evidence; a sideways one goes the likelier way."""
    letters = _letters(gray, scale)
    if not letters.any():
        return 0
    gap = round(scale.px(_LETTER_GAP) * _TURN_SCALE) + 1  # a kernel this wide closes gaps one pixel narrower
    along = cv2.connectedComponents(cv2.dilate(letters, np.ones((1, gap), np.uint8)))[0]
    across = cv2.connectedComponents(cv2.dilate(letters, np.ones((gap, 1), np.uint8)))[0]
    sideways = along > _SIDEWAYS * across
    if sideways:
        letters = np.ascontiguousarray(np.rot90(letters))
    ragged_top, ragged_foot = _outlines(letters, gap, scale.px(_LETTER[0]) * _TURN_SCALE)
    if sideways:  # one of two ways up it must be: the likelier
        return 3 if ragged_foot > ragged_top else 1
    return 2 if ragged_foot >= _VOTES and ragged_foot > _UPSIDE_DOWN * ragged_top else 0


def _letters(gray: np.ndarray, scale: Scale) -> np.ndarray:
    """The marks of half the page that are letter-sized (not ruling lines, not specks), as 1 on 0."""
    small = cv2.resize(gray, None, fx=_TURN_SCALE, fy=_TURN_SCALE, interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink)
    largest = scale.px(_LETTER[1]) * _TURN_SCALE
    keep = (np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) <= largest) & (
        stats[:, cv2.CC_STAT_AREA] >= 2)
    keep[0] = False
    return keep[labels].astype(np.uint8)


def _outlines(letters: np.ndarray, gap: int, shortest: float) -> tuple[int, int]:
    """Of the pairs of neighbouring letters in a word: how many differ clearly more in their tops
    than in their feet, and how many the other way. Letters are taken with their marks (closed up
    across the line) and words are letters closed up along it; dots and commas (shorter than
    `shortest`) are left out."""
    glyphs = cv2.dilate(letters, np.ones((gap, 1), np.uint8))
    _, words = cv2.connectedComponents(cv2.dilate(glyphs, np.ones((1, gap), np.uint8)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(glyphs)
    word_of = np.zeros(count, np.int32)
    word_of[labels[labels > 0]] = words[labels > 0]
    tall = np.flatnonzero(stats[:, cv2.CC_STAT_HEIGHT] >= shortest)
    tall = tall[tall > 0]
    tall = tall[np.lexsort((stats[tall, cv2.CC_STAT_LEFT], word_of[tall]))]
    top = stats[tall, cv2.CC_STAT_TOP]
    foot = top + stats[tall, cv2.CC_STAT_HEIGHT]
    pair = word_of[tall][1:] == word_of[tall][:-1]
    tops, feet = np.abs(np.diff(top))[pair], np.abs(np.diff(foot))[pair]
    return int(np.sum(tops > feet + 1)), int(np.sum(feet > tops + 1))  # a pixel apart is noise


def skew_angle(gray: np.ndarray) -> float:
    """How far the print is turned, in degrees (counter-clockwise positive, as cv2 rotates).

    The ink is projected onto the vertical axis along candidate slopes: along the true slope text
    lines and ruling lines fall into few rows, so the projection is the most peaked (largest sum of
    squares). A coarse search, then a fine one around the best."""
    small = cv2.resize(gray, None, fx=_SKEW_SCALE, fy=_SKEW_SCALE, interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1])
    if len(ys) < 100:
        return 0.0
    xs = xs - xs.mean()

    def peakedness(angle: float) -> float:
        """Sum of squared ink counts per row along the slope `angle`: highest when lines align."""
        rows = np.round(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    best = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, 0.2), key=peakedness)
    return float(max(np.arange(best - 0.2, best + 0.2 + 1e-9, 0.02), key=peakedness))


def straighten(gray: np.ndarray) -> np.ndarray:
    """The page turned back by its skew, the corners filled with paper white."""
    angle = skew_angle(gray)
    if abs(angle) < 0.02:
        return gray
    h, w = gray.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(gray, turn, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def binarize(gray: np.ndarray, scale: Scale) -> np.ndarray:
    """Ink as 255 on 0: a threshold against the local mean, so that what is left of uneven
    brightness does not swallow faint lines or turn grey paper into ink."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                 scale.px(_INK_BLOCK) | 1, 15)


# ---------------------------------------------------------------- ruled grids


def ruling_lines(ink: np.ndarray, scale: Scale) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines: what survives an opening with a long thin kernel."""
    across, down = (scale.px(_H_LINE), 1), (1, scale.px(_V_LINE))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, across))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, down))
    return horizontal, vertical


def _square(width: int) -> np.ndarray:
    """A square kernel `width` pixels wide, odd so that it is centred."""
    return np.ones((width | 1, width | 1), np.uint8)


def _segments(mask: np.ndarray) -> np.ndarray:
    """Bounding boxes (x, y, w, h) of the connected strokes of a line mask, top to bottom: their outer
    contours' (a twentieth of the time of labelling every pixel of a page)."""
    contours = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)[0]
    boxes = sorted((cv2.boundingRect(c) for c in contours), key=lambda b: (b[1], b[0]))
    return np.array(boxes, dtype=np.int64).reshape(-1, 4)


def stamps(marks: np.ndarray, scale: Scale) -> list[tuple[float, float, float]]:
    """Round seals (centre x, y and radius in px) among the marks that are not ruling lines: a seal
    printed over a table has straight-looking flanks that would pass for short ruling lines."""
    small = cv2.resize(255 - marks, None, fx=_STAMP_SCALE, fy=_STAMP_SCALE, interpolation=cv2.INTER_AREA)
    px = scale.per_point * _STAMP_SCALE
    found = cv2.HoughCircles(small, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=_STAMP_RADII[0] * px, param1=300,
                             param2=0.5, minRadius=round(_STAMP_RADII[0] * px), maxRadius=round(_STAMP_RADII[1] * px))
    return [] if found is None else [(x / _STAMP_SCALE, y / _STAMP_SCALE, r / _STAMP_SCALE) for x, y, r in found[0]]


def _on_stamp(segment: Sequence[int], seals: Sequence[tuple[float, float, float]], snap: int) -> bool:
    """Whether a line segment (x, y, w, h) runs along a seal's rings (the circle found may be the
    outer or the inner one): most of its length lies in a band around it. A table line passing
    under the seal runs far outside it."""
    x, y, w, h = segment
    t = np.linspace(0.0, 1.0, 16)
    xs, ys = (x + t * w, np.full(16, y + h / 2)) if w >= h else (np.full(16, x + w / 2), y + t * h)
    return any(np.mean(np.abs(np.hypot(xs - cx, ys - cy) - r) <= 0.3 * r + snap) >= 0.8 for cx, cy, r in seals)


def find_grids(horizontal: np.ndarray, vertical: np.ndarray, scale: Scale,
               seals: Sequence[tuple[float, float, float]] = ()) -> list[Grid]:
    """The ruled tables of a page: each connected web of horizontal and vertical lines with at least
    three of each, top to bottom; line segments along a seal's ring are not lines."""
    web = cv2.dilate(horizontal | vertical, _square(scale.px(_LINE_EDGE)))
    snap = scale.px(_SNAP)
    h_segs = [s for s in _segments(horizontal) if not _on_stamp(s, seals, snap)]
    v_segs = [s for s in _segments(vertical) if not _on_stamp(s, seals, snap)]
    grids = []
    for box in _segments(web):
        grid = _grid([s for s in h_segs if _within(s, box)], [s for s in v_segs if _within(s, box)],
                     horizontal, vertical, scale)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.ys[0])


def _within(segment: Sequence[int], box: Sequence[int]) -> bool:
    """Whether a segment's bounding box (x, y, w, h) lies inside another's."""
    return (box[0] <= segment[0] and segment[0] + segment[2] <= box[0] + box[2]
            and box[1] <= segment[1] and segment[1] + segment[3] <= box[1] + box[3])


@dataclass(frozen=True, slots=True)
class _Rule:
    """A ruling line: where it lies across (y of a horizontal line), where it starts and ends along,
    and how much of it is printed (its segments, pieces broken off by noise, added up)."""

    at: int
    start: int
    end: int
    length: int


def _grid(h_segs: Sequence, v_segs: Sequence, horizontal: np.ndarray, vertical: np.ndarray,
          scale: Scale) -> Grid | None:
    """The grid of one web of lines: line positions, stray positions dropped, cells merged where
    their shared border is not printed."""
    if len(h_segs) < 2 or len(v_segs) < 2:
        return None
    snap = scale.px(_SNAP)
    h_rules = _rules(((x, y, w, h) for x, y, w, h in h_segs), snap)
    v_rules = _rules(((y, x, h, w) for x, y, w, h in v_segs), snap)
    h_rules, v_rules = _straight(h_rules, v_rules, snap), _straight(v_rules, h_rules, snap)
    xs, ys = _frame([r.at for r in v_rules], h_rules, snap), _frame([r.at for r in h_rules], v_rules, snap)
    xs = _printed(xs, _border_cover(vertical, xs, ys, scale).max(axis=0, initial=0))
    ys = _printed(ys, _border_cover(horizontal.T, ys, xs, scale).max(axis=0, initial=0))
    if len(xs) < 3 or len(ys) < 3:
        return None
    return Grid(tuple(xs), tuple(ys), _cells(xs, ys, _border_cover(vertical, xs, ys, scale) >= _COVERED,
                                             _border_cover(horizontal.T, ys, xs, scale).T >= _COVERED))


def _rules(segments: Iterable[tuple[int, int, int, int]], snap: int) -> list[_Rule]:
    """Segments (along, across, length, thickness) whose centres lie closer than `snap` across are
    one line; its position is their length-weighted centre."""
    groups: list[list[tuple[float, int, int]]] = []
    for centre, start, length in sorted((a + t / 2, s, n) for s, a, n, t in segments):
        if groups and centre - groups[-1][-1][0] <= snap:
            groups[-1].append((centre, start, length))
        else:
            groups.append([(centre, start, length)])
    return [_Rule(round(sum(c * n for c, _, n in g) / sum(n for *_, n in g)), int(min(s for _, s, _ in g)),
                  int(max(s + n for _, s, n in g)), int(sum(n for *_, n in g))) for g in groups]


def _straight(rules: list[_Rule], across: list[_Rule], snap: int) -> list[_Rule]:
    """The true ruling lines: those printed along half the table at least, and shorter ones (inner
    header borders) that end on two long lines across. The straight flanks of a round stamp are
    neither: short, and ending in mid-cell."""
    def long(lines: list[_Rule]) -> list[_Rule]:
        """The lines printed along half the extent of all of them."""
        extent = max(r.end for r in lines) - min(r.start for r in lines)
        return [r for r in lines if r.length >= _LONG * extent]

    def meets(end: int, at: int) -> bool:
        """Whether a line lying at `at` and ending at `end` ends on a long line across."""
        return any(c.start - snap <= at <= c.end + snap and abs(c.at - end) <= snap for c in frame)

    keep, frame = long(rules), long(across)
    return [r for r in rules if r in keep or meets(r.start, r.at) and meets(r.end, r.at)]


def _frame(positions: list[int], across: list[_Rule], snap: int) -> list[int]:
    """Add the outer border a table prints without: where most lines across start or end beyond the
    first or last line along (the median, so that one line overrunning by a stroke adds no border)."""
    start, end = int(np.median([r.start for r in across])), int(np.median([r.end for r in across]))
    if positions and start < positions[0] - snap:
        positions = [start, *positions]
    if positions and end > positions[-1] + snap:
        positions = [*positions, end]
    return positions


def _printed(positions: list[int], cover: np.ndarray) -> list[int]:
    """Drop inner line positions printed along no border (a letter stroke or a stamp taken for a
    line); the outer two frame the table."""
    return [p for k, p in enumerate(positions) if k in (0, len(positions) - 1) or cover[k] >= _COVERED]


def _border_cover(mask: np.ndarray, across: Sequence[int], along: Sequence[int], scale: Scale) -> np.ndarray:
    """How much of each border is printed: for every line position in `across` (columns of `mask`)
    and every interval between consecutive `along` positions (its rows), the share of the interval
    where the line shows. Shape (len(along) - 1, len(across))."""
    cover = np.zeros((max(len(along) - 1, 0), len(across)))
    margin, snap = scale.px(_MARGIN), scale.px(_SNAP)
    for i, (a0, a1) in enumerate(itertools.pairwise(along)):
        lo, hi = a0 + margin, a1 - margin
        if hi <= lo:
            continue
        for j, p in enumerate(across):
            cover[i, j] = mask[lo:hi, max(p - snap, 0):p + snap + 1].any(axis=1).mean()
    return cover


def _cells(xs: Sequence[int], ys: Sequence[int], v_border: np.ndarray, h_border: np.ndarray) -> tuple[Cell, ...]:
    """Merge elementary cells across unprinted borders (union-find); each group is one cell.
    `v_border[i, j]`: line xs[j] is printed in row i; `h_border[i, j]`: line ys[i] in column j."""
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def root(k: int) -> int:
        """The group of elementary cell k (with path halving)."""
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i in range(rows):
        for j in range(cols):
            if j + 1 < cols and not v_border[i, j + 1]:
                parent[root(i * cols + j + 1)] = root(i * cols + j)
            if i + 1 < rows and not h_border[i + 1, j]:
                parent[root((i + 1) * cols + j)] = root(i * cols + j)
    groups: dict[int, list[tuple[int, int]]] = {}
    for k in range(rows * cols):
        groups.setdefault(root(k), []).append(divmod(k, cols))
    cells = []
    for members in groups.values():
        r0, r1 = min(i for i, _ in members), max(i for i, _ in members) + 1
        c0, c1 = min(j for _, j in members), max(j for _, j in members) + 1
        cells.append(Cell(r0, c0, r1 - r0, c1 - c0, (xs[c0], ys[r0], xs[c1], ys[r1])))
    return tuple(sorted(cells, key=lambda c: (c.row, c.col)))


# ---------------------------------------------------------------- reading cells


def read_grid(gray: np.ndarray, ink: np.ndarray, lines: np.ndarray, grid: Grid, scale: Scale, low: float,
              seals: Sequence[tuple[float, float, float]] = ()) -> list[tuple[Cell, str, float]]:
    """Every cell's text and confidence (0–1). A blank cell reads "" with full confidence; a cell
    with ink never does: if no look reads it with confidence (`low` at least), it keeps its best
    reading, doubtful (below `low`).

    All cells are first read as Vietnamese text. Below the heading (the rows above the first that
    holds a number), the cells of columns that hold mostly figures are then read as figures (see
    _figure_readings), the others as text (see _text_readings). A lone dash is recognised by its
    shape: Tesseract takes it for a speck of noise."""
    images = {c: im for c in grid.cells if (im := cell_image(gray, ink, lines, c, scale)) is not None}
    dashes = {c for c, im in images.items() if _is_dash(im, scale)}
    first = read_images({c: im for c, im in images.items() if c not in dashes}, scale)
    header = _header_depth(first)
    figures = _figure_readings(first, images, scale, header, low, seals)
    texts = _text_readings({c: r for c, r in first.items() if c not in figures}, images, scale, header, low)
    settled = {c: ("-", _DASH_CONFIDENCE) for c in dashes}
    settled.update({c: _with_separator(*_verdict(r, low), images[c], scale, low) for c, r in figures.items()})
    settled.update({c: _best(r) for c, r in texts.items()})
    return [(c, *settled.get(c, ("", 1.0))) for c in grid.cells]


def cell_image(gray: np.ndarray, ink: np.ndarray, lines: np.ndarray, cell: Cell, scale: Scale) -> np.ndarray | None:
    """The print inside a cell, ruling lines and stray specks whitened, cropped to its ink; None
    when blank (specks of scan noise are not ink)."""
    margin = scale.px(_MARGIN)
    x0, y0, x1, y1 = cell.box
    x0, y0, x1, y1 = x0 + margin, y0 + margin, x1 - margin, y1 - margin
    if x1 <= x0 or y1 <= y0:
        return None
    crop = gray[y0:y1, x0:x1].copy()
    crop[lines[y0:y1, x0:x1] > 0] = 255
    marks = ink[y0:y1, x0:x1] & ~lines[y0:y1, x0:x1]
    _, labels, stats, _ = cv2.connectedComponentsWithStats(marks)
    stray = _stray(stats[1:, :4], scale)
    crop[np.isin(labels, 1 + np.flatnonzero(stray))] = 255
    blobs = stats[1:][(stats[1:, cv2.CC_STAT_AREA] >= scale.area(_SPECK)) & ~stray]
    if not len(blobs):
        return None
    bx0, by0 = blobs[:, 0].min(), blobs[:, 1].min()
    bx1, by1 = (blobs[:, 0] + blobs[:, 2]).max(), (blobs[:, 1] + blobs[:, 3]).max()
    return crop[by0:by1, bx0:bx1]


def _stray(boxes: np.ndarray, scale: Scale) -> np.ndarray:
    """Which ink blobs (x, y, w, h) are stray dots of scan noise: no larger than a full stop and
    further than a letter gap from all the larger print of the cell (a decimal comma sits close to
    its digits). A cell of dots alone keeps them."""
    dot = np.maximum(boxes[:, 2], boxes[:, 3]) <= scale.px(_DOT)
    if dot.all():
        return np.zeros(len(boxes), bool)
    small, large = boxes[dot], boxes[~dot]
    dx = np.maximum(0, np.maximum(large[None, :, 0] - (small[:, None, 0] + small[:, None, 2]),
                                  small[:, None, 0] - (large[None, :, 0] + large[None, :, 2])))
    dy = np.maximum(0, np.maximum(large[None, :, 1] - (small[:, None, 1] + small[:, None, 3]),
                                  small[:, None, 1] - (large[None, :, 1] + large[None, :, 3])))
    stray = np.zeros(len(boxes), bool)
    stray[dot] = np.hypot(dx, dy).min(axis=1) > scale.px(_LETTER_GAP)
    return stray


def _under_seal(box: tuple[int, int, int, int], seals: Sequence[tuple[float, float, float]]) -> bool:
    """Whether a seal's disc reaches into a box (x0, y0, x1, y1); the circle found may be its inner ring."""
    x0, y0, x1, y1 = box
    return any(np.hypot(np.clip(cx, x0, x1) - cx, np.clip(cy, y0, y1) - cy) < _SEAL_REACH * r for cx, cy, r in seals)


def _without_seal(image: np.ndarray) -> np.ndarray:
    """The cell as it would be without a grey seal stamped over it: a seal's ink is lighter than the
    print, so the cell's ink (darker than its paper) is split again at its own Otsu threshold and
    the lighter part turned white. Thin print loses its grey edges and hairlines with it."""
    paper = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[0]
    ink = image[image < paper]
    if ink.size < 2:
        return image
    core = cv2.threshold(ink.reshape(1, -1), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[0]
    return np.where(image > core, 255, image).astype(np.uint8)


def _is_dash(image: np.ndarray, scale: Scale) -> bool:
    """A "-" (not applicable): a short flat stroke and nothing else."""
    h, w = image.shape
    return h <= scale.px(_DASH_HEIGHT) and w >= 1.5 * h


Reading = tuple[str, float]  # a text and its confidence (0–1)


def _header_depth(readings: dict[Cell, Reading]) -> int:
    """How many grid rows the table's heading takes: those above the first row with a cell read as
    a number (a serial number, a score); none on a page a table runs on to."""
    return min((c.row for c, (text, _) in readings.items() if is_number(text)), default=0)


def _figure_readings(first: dict[Cell, Reading], images: dict[Cell, np.ndarray], scale: Scale, header: int,
                     low: float, seals: Sequence[tuple[float, float, float]]) -> dict[Cell, list[Reading]]:
    """The readings of the cells that are figures: the cells of figure columns below the `header`
    rows (a heading is never read as figures, whatever its digits), read again with the figure
    reader, and once more, enlarged, where that reading does not confirm the first. Figures under a
    seal get two more looks with the seal's lighter ink taken out; those that still have no two
    readings that agree (below `low`), one more at twice the size, by the Vietnamese model kept to
    figures: the English one tends to repeat its misreads ("7,9" for a blurred "7,5")."""
    cells = _figure_cells({c: r for c, r in first.items() if c.row >= header})
    readings = {c: [first[c]] for c in cells}
    _look_again(readings, cells, images, scale, _otsu, chars=_FIGURE_CHARS)
    _look_again(readings, [c for c in cells if _agreed(readings[c]) is None], images, scale, _enlarge,
                chars=_FIGURE_CHARS)
    sealed = {c: _without_seal(images[c]) for c in readings if _under_seal(c.box, seals)}
    for look in (_otsu, _enlarge):
        _look_again(readings, list(sealed), sealed, scale, look, chars=_FIGURE_CHARS)
    _look_again(readings, [c for c, r in readings.items() if _verdict(r, low)[1] < low], images, scale, _doubled,
                chars=_FIGURE_CHARS, lang=LANG)
    return readings


def _text_readings(first: dict[Cell, Reading], images: dict[Cell, np.ndarray], scale: Scale, header: int,
                   low: float) -> dict[Cell, list[Reading]]:
    """The readings of the cells that are text: headings (the `header` rows) and uncertain text get
    a second look, binarized and enlarged; column numbers ("(3)=(2)/(1)") are read again with the
    characters they are made of, and that reading is kept; the cells still uncertain (below `low`)
    get one more look at twice the size."""
    readings = {c: [reading] for c, reading in first.items()}
    numbers: dict[Cell, list[Reading]] = {c: [] for c, (text, _) in first.items()
                                          if c.row < header and _numbering(text)}
    _look_again(readings, [c for c, (_, conf) in first.items()
                           if c not in numbers and (c.row < header or conf < _WORD_CONFIDENCE)],
                images, scale, _otsu_enlarged)
    _look_again(numbers, list(numbers), images, scale, _otsu_enlarged, chars=_NUMBERING_CHARS)
    readings.update({c: r for c, r in numbers.items() if r[0][0]})
    _look_again(readings, [c for c, r in readings.items() if _best(r)[1] < low], images, scale, _doubled)
    return readings


def _look_again(readings: dict[Cell, list[Reading]], cells: Sequence[Cell], images: dict[Cell, np.ndarray],
                scale: Scale, look: Callable[[np.ndarray], np.ndarray], *, chars: str = "", lang: str = "") -> None:
    """Add to `readings` one more reading of `cells`, from their images as `look` renders them."""
    for c, reading in read_images({c: look(images[c]) for c in cells}, scale, chars=chars, lang=lang).items():
        readings[c].append(reading)


def _best(readings: Sequence[Reading]) -> Reading:
    """The most confident reading that read anything; ("", 0) when none did (ink, no reading)."""
    return max((r for r in readings if r[0]), key=lambda r: r[1], default=("", 0.0))


def _agreed(readings: Sequence[Reading]) -> Reading | None:
    """The most confident reading that another one agrees with ("5,0" and "5.0" agree), if any."""
    read = sorted(((t, c, v) for t, c in readings if t and (v := _value(t)) is not None), key=lambda r: -r[1])
    return next(((t, c) for k, (t, c, v) in enumerate(read) if any(o == v for *_, o in read[k + 1:])), None)


def _verdict(readings: Sequence[Reading], low: float) -> Reading:
    """The figure a cell's readings settle on: the most confident one another reading agrees with;
    when no two agree, the one nearest the others, doubtful: at most half the `low` threshold."""
    agreed = _agreed(readings)
    if agreed is not None:
        return agreed
    text, conf = _central(readings)
    return text, min(conf, low) / 2


def _central(readings: Sequence[Reading]) -> Reading:
    """Of the readings that are figures (all of them where none is), the one fewest character edits
    away from all the readings ("." and "," alike), the more confident of equals; ("", 0) when none
    read anything. Misreads of one figure each differ from it in a character or two, so the reading
    that shares most with the rest is likeliest right, and a speck read as "%" or "." is no figure."""
    read = [(text, conf, text.replace(".", ",")) for text, conf in readings if text]
    if not read:
        return "", 0.0
    figures = [r for r in read if _value(r[0]) is not None] or read
    text, conf, _ = min(figures, key=lambda r: (sum(Levenshtein.distance(r[2], o[2]) for o in read), -r[1]))
    return text, conf


def _numbering(text: str) -> bool:
    """Whether a reading is a column's number or formula, "(3)", "(5)=(6)+(8)": figures and marks."""
    return bool(_HEADING_MARK.search(text)) and len(_LETTERS.findall(text)) < 2


def _figure_cells(readings: dict[Cell, Reading]) -> list[Cell]:
    """Single-column cells in columns whose read cells are mostly figures (two at least: a column of
    blanks under a smudged heading is no figure column), except those read as a word (a roman
    section number, a rating); a figure misread as text reads as letters with little confidence
    ("ky)" for "3,7"), not as a word."""
    def word(text: str, conf: float) -> bool:
        """A reading that is surely words, not a misread figure."""
        return bool(ROMAN.match(text)) or len(_LETTERS.findall(text)) >= 2 and conf >= _WORD_CONFIDENCE

    votes: dict[int, list[int]] = {}
    for cell, (text, conf) in readings.items():
        if cell.colspan == 1:
            votes.setdefault(cell.col, [0, 0])[0 if word(text, conf) else 1] += 1
    numeric = {col for col, (words, figures) in votes.items() if figures > max(words, 1)}
    return [c for c, (text, conf) in readings.items()
            if c.colspan == 1 and c.col in numeric and not word(text, conf)]


def _value(text: str) -> tuple[float | None, float | None, bool] | None:
    """What a figure reading says, so that "5,0" and "5.0" agree and "55/70" and "55/75" do not;
    None when it is no figure (two misreads that look alike agree on nothing)."""
    try:
        number = parse_number(text)
    except NotANumber:
        return None
    return number.value, number.denominator, number.percent


def _with_separator(text: str, conf: float, image: np.ndarray, scale: Scale, low: float) -> Reading:
    """Put back a decimal comma that the readings dropped ("48" for "4,8": Tesseract loses a comma
    tucked against a digit) where the cell shows one small mark at the foot of its digits, between
    them; such a repaired reading is doubtful (below `low`)."""
    if not text.isdigit():
        return text, conf
    ink = _otsu(image) == 0
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8))
    blobs = stats[1:][stats[1:, cv2.CC_STAT_AREA] >= scale.area(_SPECK)]
    height = blobs[:, cv2.CC_STAT_HEIGHT].max(initial=0)
    digits = blobs[blobs[:, cv2.CC_STAT_HEIGHT] >= 0.6 * height]
    foot = digits[:, cv2.CC_STAT_TOP].min(initial=0) + height / 2
    marks = [b for b in blobs if b[cv2.CC_STAT_HEIGHT] < 0.45 * height and b[cv2.CC_STAT_TOP] >= foot
             and b[cv2.CC_STAT_AREA] >= 0.04 * digits[:, cv2.CC_STAT_AREA].mean()]
    if len(marks) != 1 or len(digits) != len(text):
        return text, conf
    before = int(np.sum(digits[:, cv2.CC_STAT_LEFT] + digits[:, cv2.CC_STAT_WIDTH] / 2
                        < marks[0][cv2.CC_STAT_LEFT] + marks[0][cv2.CC_STAT_WIDTH] / 2))
    if not 0 < before < len(text):
        return text, conf
    return f"{text[:before]},{text[before:]}", min(conf, low) / 2


def _enlarge(image: np.ndarray) -> np.ndarray:
    """The cell half as large again: a second look that does not repeat the first one's mistakes."""
    return cv2.resize(image, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)


def _otsu_enlarged(image: np.ndarray) -> np.ndarray:
    """The cell half as large again, then black on white."""
    return _otsu(_enlarge(image))


def _doubled(image: np.ndarray) -> np.ndarray:
    """The cell twice as large, black on white: a last look at small or faint print."""
    return _otsu(cv2.resize(image, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC))


def _otsu(image: np.ndarray) -> np.ndarray:
    """Black on white at the threshold that best splits the cell's own greys."""
    return cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]


def read_images(images: dict, scale: Scale, *, chars: str = "", lang: str = "") -> dict:
    """Read many small images with few Tesseract runs: they are stacked into montages, one image
    per line with white space between, and each word goes back to the image it lies in. Values:
    (text, confidence 0–1 = the least confident word; 0 when nothing was read). Text is read with
    the Vietnamese model; with `chars`, only those characters are read, with no dictionary and the
    English model unless `lang` names another (figures, column numbers)."""
    lang, pad = lang or (_FIGURE_LANG if chars else LANG), scale.px(_PAD)
    out = {}
    for chunk in _chunks(list(images.items()), pad):
        slots, montage = _montage([im for _, im in chunk], pad)
        found: dict[int, list[tuple[str, float]]] = {}
        for word in _words(tesseract.read(montage, lang, tesseract.Layout.BLOCK, scale.dpi, chars)):
            k = int(np.searchsorted(slots, word.top + word.height / 2, side="right")) - 1
            found.setdefault(k, []).append((word.text, word.conf))
        for k, (key, _) in enumerate(chunk):
            words = found.get(k, [])
            out[key] = (clean(" ".join(t for t, _ in words)), min((c for _, c in words), default=0.0))
    return out


def _chunks(items: list, pad: int) -> Iterator[list]:
    """Split images so that each montage stays under _MONTAGE_HEIGHT."""
    chunk, height = [], 0
    for item in items:
        h = item[1].shape[0] + 2 * pad
        if chunk and height + h > _MONTAGE_HEIGHT:
            yield chunk
            chunk, height = [], 0
        chunk.append(item)
        height += h
    if chunk:
        yield chunk


def _montage(images: Sequence[np.ndarray], pad: int) -> tuple[np.ndarray, np.ndarray]:
    """The images stacked on white, left-aligned, `pad` pixels apart; returns the top of each slot
    and the montage."""
    heights = [im.shape[0] + 2 * pad for im in images]
    tops = np.concatenate([[0], np.cumsum(heights)[:-1]]).astype(int)
    montage = np.full((sum(heights), max(im.shape[1] for im in images) + 2 * pad), 255, np.uint8)
    for top, im in zip(tops, images):
        montage[top + pad:top + pad + im.shape[0], pad:pad + im.shape[1]] = im
    return tops, montage


def _words(boxes: Iterable[tesseract.Box]) -> Iterator[tesseract.Box]:
    """The words among Tesseract's results (not the lines and blocks holding them, nor empty words)."""
    return (b for b in boxes if b.level == tesseract.Level.WORD and b.text)


def _cell_word(table: int, cell: Cell, text: str, conf: float, scale: Scale) -> dict:
    """A cell as a word dict: its box in points (`size` is its height), and where it sits in its grid."""
    x0, y0, x1, y1 = (v / scale.per_point for v in cell.box)
    return {"text": text, "x0": x0, "x1": x1, "top": y0, "bottom": y1, "size": y1 - y0, "fontname": "ocr",
            "conf": conf, "cell": (table, cell.row, cell.col, cell.rowspan, cell.colspan)}


# ---------------------------------------------------------------- text outside tables


def read_text(gray: np.ndarray, ink: np.ndarray, boxes: Sequence[tuple[int, int, int, int]],
              scale: Scale) -> list[dict]:
    """The words outside the tables (`boxes`), in PDF points. Every word of a line takes the line's
    top and bottom, so the layout puts them on one line whatever their accents; `size` is the line
    height. Tesseract reads only the part of the page that holds print: on bare paper (a page that is
    all table) it spends a second or more reading the grain of the paper as words."""
    page, marks, margin = gray.copy(), ink.copy(), scale.px(_MARGIN)
    for x0, y0, x1, y1 in boxes:
        page[max(y0 - margin, 0):y1 + margin, max(x0 - margin, 0):x1 + margin] = 255
        marks[max(y0 - margin, 0):y1 + margin, max(x0 - margin, 0):x1 + margin] = 0
    printed = _printed_box(marks, scale)
    if printed is None:
        return []
    x0, y0, x1, y1 = printed
    results = tesseract.read(page[y0:y1, x0:x1], LANG, tesseract.Layout.COLUMN, scale.dpi)
    lines = {(b.block, b.paragraph, b.line): b for b in results if b.level == tesseract.Level.LINE}
    words, pt = [], scale.per_point
    for w in _words(results):
        if _noise(w.text, w.conf):
            continue
        line = lines[w.block, w.paragraph, w.line]
        words.append({"text": w.text, "x0": (x0 + w.left) / pt, "x1": (x0 + w.left + w.width) / pt,
                      "top": (y0 + line.top) / pt, "bottom": (y0 + line.top + line.height) / pt,
                      "size": line.height / pt, "fontname": "ocr", "conf": w.conf})
    return words


def _printed_box(marks: np.ndarray, scale: Scale) -> tuple[int, int, int, int] | None:
    """x0, y0, x1, y1 around the marks at least a letter high (specks of the paper's grain are not),
    with a montage's white space around them; None when there are none."""
    letters = [s for s in _segments(marks) if s[3] >= scale.px(_LETTER[0])]
    if not letters:
        return None
    pad, (height, width) = scale.px(_PAD), marks.shape
    return (max(min(s[0] for s in letters) - pad, 0), max(min(s[1] for s in letters) - pad, 0),
            min(max(s[0] + s[2] for s in letters) + pad, width), min(max(s[1] + s[3] for s in letters) + pad, height))


def _noise(text: str, conf: float) -> bool:
    """Specks read as a dash or a dot ("ngày — tháng" where the day is left blank): no letter or
    figure, and read with little confidence."""
    return conf < _NOISE_CONFIDENCE and not re.search(r"\w", text)


# ---------------------------------------------------------------- cells → grids


def grids(words: Sequence[dict], page: int,
          size: tuple[float, float] | None = None) -> tuple[list[page_grid.Grid], list[dict]]:
    """A page's cells as the ruled grids they belong to, top to bottom, for the ruled finder (which
    reads a table from them as from a text-layer PDF's ruling lines, and joins one running on over
    the next page), each row boxed on a page of `size` points where known; and the page's other
    words, for the text reader."""
    tables: dict[int, list[dict]] = {}
    for w in words:
        if "cell" in w:
            tables.setdefault(w["cell"][0], []).append(w)
    return [_page_grid(tables[t], page, size) for t in sorted(tables)], [w for w in words if "cell" not in w]


def _page_grid(cells: Sequence[dict], page: int, size: tuple[float, float] | None) -> page_grid.Grid:
    """One grid's cells, each with its confidence, its text mended where OCR slips: the words that
    name a column's role in the heading (the rows above the first figure), a unit's kind below."""
    nrows = max(c["cell"][1] + c["cell"][3] for c in cells)
    ncols = max(c["cell"][2] + c["cell"][4] for c in cells)
    texts = [[""] * ncols for _ in range(nrows)]
    confidence = [[1.0] * ncols for _ in range(nrows)]
    tops: list[float | None] = [None] * nrows
    spans = {}
    for c in cells:
        _, r, col, rowspan, colspan = c["cell"]
        texts[r][col], confidence[r][col] = clean(c["text"]), c["conf"]
        tops[r] = min(c["top"], tops[r] if tops[r] is not None else c["top"])
        if (rowspan, colspan) != (1, 1):
            spans[r, col] = (rowspan, colspan)
    head = min((r for r, row in enumerate(texts) if any(t and is_number(t) for t in row)), default=0)
    texts = [[_heading(t) if r < head else _body_cell(t) for t in row] for r, row in enumerate(texts)]
    top = min(c["top"] for c in cells)
    for r in range(nrows):  # a row all of whose cells begin above it begins where the row above does
        tops[r] = tops[r] if tops[r] is not None else (tops[r - 1] if r else top)
    boxes = tuple(page_grid.box_of((c for c in cells if c["cell"][1] == r), size) for r in range(nrows))
    return page_grid.Grid(tuple(map(tuple, texts)), spans, tuple(map(tuple, confidence)), pages=(page,) * nrows,
                          tops=tuple(tops), top=top, bottom=max(c["bottom"] for c in cells), boxes=boxes)


def _heading(text: str) -> str:
    """A header cell with the words that name a column's role spelled right: Tesseract reads the
    tone marks of capitals loosely ("QUY ĐỐI" for "QUY ĐỔI"), and "(5đ)" as "(54)"."""
    text = _MAXIMUM.sub(r"(\1đ)", clean(text)) if _LETTERS.search(text) else clean(text)
    return _respell(text, _HEADING_WORDS)


def _body_cell(text: str) -> str:
    """A body cell with a unit's kind ("UBND huyên") and a total row's name ("TỐNG SỐ") spelled right."""
    return _respell(_respell(text, _UNIT_WORDS), _TOTAL_WORDS)


def _respell(text: str, spellings: tuple[re.Pattern[str], dict[str, str]]) -> str:
    """Give the phrases of `spellings` their marks, keeping the printed case: OCR drops or swaps
    tone marks ("huyên" for "huyện", "ĐỐI" for "ĐỔI") far more often than letters."""
    pattern, words = spellings
    bare = strip_marks(text).casefold()  # one letter for one letter: positions stay aligned
    for m in pattern.finditer(bare):
        start, end = m.span(1)
        right = "".join(r.upper() if p.isupper() else r for p, r in zip(text[start:end], words[m.group(1)]))
        text = text[:start] + right + text[end:]
    return text
