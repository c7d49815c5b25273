"""The records handed from stage to stage: extract → normalize → checks → load.

Every record is a frozen dataclass; no stage passes dicts to another. Text is always NFC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FinderName = Literal["ruled", "positioned", "tabbed", "stream", "prose"]
Format = Literal["pdf", "pdf-scanned", "docx", "xlsx", "text", "md", "doc", "rtf", "odt", "xls", "ods", "html", "spreadsheetml",
                 "image"]


Box = tuple[float, float, float, float]  # a box on a page: x0, top, x1, bottom as fractions of its width and height
Era = Literal["legacy", "current"]  # a register: before 2025-07-01 (with districts), or the current one
# how a printed name found its unit: exact, the same letters without marks ("ascii"), a fuzzy winner, a legacy
# ward's name (its successor, "merger"), a department, an office of no register entry, a person's accepted
# alias, a person's rejection (no unit); "": no match
Via = Literal["exact", "ascii", "fuzzy", "merger", "agency", "office", "alias", "rejected", ""]

# ---------------------------------------------------------------- extract → normalize


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A paragraph (or layout line group) of body text."""

    text: str
    page: int | None = None


@dataclass(frozen=True, slots=True)
class HeaderCell:
    """One cell of a table header; spans are explicit so every format shares one header model."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class RawRow:
    """A body row as printed: cell strings, in grid columns when `aligned`.

    A row is not aligned when the layout lost the column positions (plain PDF-to-text output):
    its cells are then the printed tokens in reading order and normalize/ places them.
    """

    cells: tuple[str, ...]
    page: int | None = None
    aligned: bool = True
    line: int | None = None
    confidence: tuple[float, ...] = ()  # per cell, 0–1, where OCR read the row; () for a text layer
    bbox: Box | None = None  # where the row is printed on its page (a PDF, a scan); None without positions


@dataclass(frozen=True, slots=True)
class RawTable:
    """A table as a finder read it; `alternatives` are other finders' readings of the same table, of
    which normalize/ keeps the one that explains the figures best."""

    header: tuple[HeaderCell, ...]
    rows: tuple[RawRow, ...]
    ncols: int
    title: str | None = None
    pages: tuple[int, ...] = ()
    finder: FinderName = "ruled"
    alternatives: tuple[RawTable, ...] = ()


@dataclass(frozen=True, slots=True)
class RawDocument:
    source: str
    sha256: str
    format: Format
    blocks: tuple[TextBlock, ...]
    tables: tuple[RawTable, ...]


# ---------------------------------------------------------------- normalize → checks → load


@dataclass(frozen=True, slots=True)
class Number:
    """A printed number: its value, the text as printed, and what the print says about precision.

    `value` is None for a blank or "-" cell. `decimals` is the count of printed decimal digits (the
    rounding tolerance of a figure is half a unit of its last digit). "55/70" has value 55 and
    denominator 70.
    """

    value: float | None
    text: str
    decimals: int = 0
    denominator: float | None = None
    percent: bool = False

    @property
    def half_unit(self) -> float:
        """Half a unit of the last printed digit; 0 for an integer, which counts as exact."""
        return 0.5 * 10 ** -self.decimals if self.decimals else 0.0


@dataclass(frozen=True, slots=True)
class Criterion:
    label: str
    group: str | None = None
    max: float | None = None
    key: str | None = None  # the framework's id for the criterion, when mapped


@dataclass(frozen=True, slots=True)
class Formula:
    """A column declared as a formula in the header, e.g. "(3)=(2)/(1)" (indices into `criteria`)."""

    target: int
    op: str  # "+", "-", "/" (a ratio, printed as a percentage)
    operands: tuple[int, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Row:
    unit_raw: str
    values: tuple[Number, ...]  # one per criterion of the table, in its order
    stt: str | None = None
    section: str | None = None
    unit: str | None = None
    unit_code: str | None = None
    total: Number | None = None
    total_max: float | None = None
    converted: Number | None = None
    rating: str | None = None  # canonical band name
    rating_raw: str | None = None  # as printed
    avg_staff: Number | None = None
    rank: str | None = None  # as printed: "6", "06/63"
    rank_of: int | None = None  # the N of a "k/N" rank: how many units were ranked
    change: Number | None = None  # points gained (+) or lost (-) against the previous period, as printed
    rank_change: int | None = None  # places gained (+) or lost (-) against the previous period, as printed
    note: str | None = None
    unlabeled: tuple[Number, ...] = ()
    is_total_row: bool = False
    claims_unit: bool = False  # the printed name claims a registered unit (xã, huyện, Sở …)
    match_via: Via = ""  # how `unit` was matched (normalize.units.Match)
    match_score: float = 0.0  # 0–100: 100 for an exact name or an alias, 0 without a unit
    match_margin: float | None = None  # the lead over the runner-up where a ranking chose the unit
    page: int | None = None
    uncertain: tuple[str, ...] = ()  # fields read with low confidence (OCR)
    bbox: Box | None = None  # where the row is printed on its page (RawRow.bbox)


@dataclass(frozen=True, slots=True)
class ScoreTable:
    kind: str  # "scores" | "other"
    source: str  # "table" | "prose"
    criteria: tuple[Criterion, ...]
    rows: tuple[Row, ...]
    title: str | None = None
    pages: tuple[int, ...] = ()
    formulas: tuple[Formula, ...] = ()
    unlabeled_columns: int = 0
    framework: str | None = None  # code of the framework whose criteria the table carries
    finder: FinderName = "ruled"  # which reader produced the table ("prose" for scores read from sentences)


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of the body text: how many units of a scope got a rating, and which."""

    rating: str
    count: int | None
    scope: str | None = None
    units: tuple[str, ...] = ()  # canonical names where matched, else as printed
    units_raw: tuple[str, ...] = ()
    of: int | None = None
    score: float | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class ReportMeta:
    issuer: str | None = None
    issuer_code: str | None = None
    province: str | None = None
    province_code: str | None = None  # the register code of the issuer's province, which scopes its aliases
    number: str | None = None
    date: str | None = None  # ISO date
    period: str | None = None  # "YYYY-MM", "YYYY-Qn", "YYYY-H1", "YYYY", "YYYY-Www" (phuluc.periods)
    framework: str | None = None
    corrects: bool = False  # a correction ("điều chỉnh") of a report sent before, which it supersedes


@dataclass(frozen=True, slots=True)
class Report:
    source: str
    sha256: str
    format: Format
    meta: ReportMeta
    tables: tuple[ScoreTable, ...] = ()
    summary: tuple[Statement, ...] = ()
    refers_to_appendix: bool = False
    issuer_children: tuple[tuple[str, str], ...] = ()  # (code, name) units the issuer must report on
    era: Era = "legacy"  # the register the rows' units and codes belong to (codes are reused across eras)

    @property
    def score_tables(self) -> tuple[ScoreTable, ...]:
        return tuple(t for t in self.tables if t.kind == "scores")


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str  # "error" | "warning"
    unit: str | None = None
    unit_raw: str | None = None
    expected: float | str | None = None
    actual: float | str | None = None
    page: int | None = None
    table: int | None = None  # index of the table in the report
    params: tuple[tuple[str, str], ...] = field(default=())  # extra words for the message
    # where it is, for an auditor to find it: the row (its index in the table and its STT), the field
    # of the row it is about ("values[3]", "total", "rating", "unit_raw": the names of Row.uncertain),
    # that criterion's label as printed, the printed cells it rests on (the field's own first), and
    # the row's box on its page (fractions of the page: x0, top, x1, bottom) where it was read from one
    row: int | None = None
    stt: str | None = None
    about: str | None = None
    criterion: str | None = None
    cells: tuple[str, ...] = ()
    bbox: Box | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """What `phuluc extract` yields for one file: the report and its findings."""

    report: Report
    findings: tuple[Finding, ...]
