"""Raw tables → typed tables: which column is what, typed values, criteria of the framework.

A column's role comes from its heading ("TỔNG ĐIỂM QUY ĐỔI" → converted, "(5đ)" → a criterion of
5 points) and, where a heading is split or missing, from where it sits: the figures between the unit
names and the first total-like column are the criteria. Rows whose columns the layout lost (plain
PDF-to-text) are placed with the framework: the printed scores fill the criteria in order, and where
fewer scores than criteria are printed, the blank criteria are the ones that make the applicable
maximum agree with the printed total and converted score (ties: the blanks leftmost).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from phuluc.extract.tables import TOTAL, Column, columns
from phuluc.model import Criterion, Formula, Number, RawRow, RawTable, Row, ScoreTable
from phuluc.vi import ratings
from phuluc.normalize.frameworks import Framework, matching_shape
from phuluc.vi.numbers import NotANumber, is_number, parse_max, parse_number
from phuluc.vi.text import clean, fold
from phuluc.normalize.units import Match
from phuluc.settings import DEFAULT

_CRITERION = re.compile(r"(?:tiêu chí|chỉ số|tc)\s*(?:số\s*)?\d", re.IGNORECASE)
_ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (  # first hit wins
    ("converted", ("quy đổi",)),
    ("rating", ("xếp loại",)),
    ("rank", ("xếp hạng", "thứ hạng")),
    ("avg_staff", ("đtb", "ccvc", "cbcc", "điểm trung bình")),
    ("note", ("ghi chú",)),
    ("total", ("tổng điểm", "điểm đạt", "đạt được", "tổng số điểm", "tổng cộng điểm", "điểm tổng")),
)
_STT = {"stt", "tt", "số tt", "số thứ tự"}
_NUMBERING = re.compile(r"\((\d+)\)")
_FORMULA = re.compile(r"\((\d+)\)\s*=\s*\((\d+)\)\s*([+\-/:x×*])\s*\((\d+)\)((?:\s*[+\-]\s*\(\d+\))*)")
_SUMMARY_ROLES = ("total", "converted", "rating", "avg_staff", "rank")


@dataclass
class _Layout:
    """Column indices by role."""

    stt: int | None = None
    unit: int | None = None
    criteria: list[int] = field(default_factory=list)
    unlabeled: list[int] = field(default_factory=list)
    roles: dict[str, int] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)


def read_table(raw: RawTable, *, frameworks: Sequence[Framework], match: Callable[[str], Match],
               low_confidence: float = DEFAULT.ocr.low_confidence) -> ScoreTable:
    """Type one raw table. `frameworks` are those the document names (most likely first); an OCR'd
    cell read with less confidence than `low_confidence` (0–1) is doubtful."""
    if raw.rows and not raw.rows[0].aligned:
        return _stream_table(raw, frameworks, match)
    cols = columns(raw.header, raw.ncols)
    layout = _roles(cols, raw.rows)
    if layout.criteria and (layout.roles.keys() & {"total", "converted", "rating"}):
        return _score_table(raw, cols, layout, frameworks, match, low_confidence)
    return _other_table(raw, cols, layout, match, low_confidence)


# ---------------------------------------------------------------- roles of columns


def _header_text(col: Column) -> str:
    return fold(" ".join(col.path) or col.label)


def _numeric_share(rows: Sequence[RawRow], j: int) -> tuple[int, int]:
    filled = [r.cells[j] for r in rows if j < len(r.cells) and r.cells[j].strip()]
    return sum(1 for c in filled if is_number(c)), len(filled)


def _says(text: str, phrase: str) -> bool:
    """Whether a heading says `phrase`, its words in order though other words may come between: a
    positioned header interleaves the words of neighbouring headings ("TỔNG Tiêu chí ĐIỂM")."""
    words = iter(text.split())
    return all(any(w == p for w in words) for p in phrase.split())


def _role_of(text: str) -> str | None:
    return next((role for role, phrases in _ROLE_WORDS if any(_says(text, p) for p in phrases)), None)


def _roles(cols: Sequence[Column], rows: Sequence[RawRow]) -> _Layout:
    layout = _Layout()
    texts = [_header_text(c) for c in cols]
    for j, text in enumerate(texts):
        role = _role_of(text)
        if parse_max(text) is not None or _CRITERION.search(text) and role is None:
            layout.criteria.append(j)
        elif role is not None and role not in layout.roles:
            layout.roles[role] = j
    taken = set(layout.criteria) | set(layout.roles.values())
    layout.unit = _unit_column(cols, rows, taken)
    stt = next((j for j, t in enumerate(texts) if t in _STT), None)
    layout.stt = stt if stt is not None and stt != layout.unit else (0 if layout.unit and 0 not in taken else None)
    taken |= {layout.unit, layout.stt}
    first_summary = min((layout.roles[r] for r in _SUMMARY_ROLES if r in layout.roles), default=len(cols))
    start = (layout.unit if layout.unit is not None else -1) + 1
    for j in range(start, len(cols)):
        if j in taken:
            continue
        numbers, filled = _numeric_share(rows, j)
        if not filled or numbers < filled / 2:
            continue
        if not cols[j].label:
            layout.unlabeled.append(j)
        elif j < first_summary:
            layout.criteria.append(j)
    layout.criteria.sort()
    layout.labels = {j: clean(cols[j].label or " ".join(cols[j].path)) for j in range(len(cols))}
    return layout


def _unit_column(cols: Sequence[Column], rows: Sequence[RawRow], taken: set[int]) -> int | None:
    """The column of unit names: mostly words; headed "Tên …/Đơn vị" where a heading says so."""
    def words(j: int) -> int:
        return sum(1 for r in rows if j < len(r.cells) and r.cells[j] and not is_number(r.cells[j])
                   and ratings.canonical(r.cells[j]) is None)
    candidates = [j for j in range(len(cols)) if j not in taken]
    if not candidates:
        return None
    best = max(candidates, key=lambda j: (words(j), -j))
    return best if words(best) else None


# ---------------------------------------------------------------- typed rows


def _number(text: str, limit: float | None = None) -> Number | None:
    try:
        return parse_number(text, limit=limit)
    except NotANumber:
        return None


def _cell(row: RawRow, j: int | None) -> str:
    return row.cells[j] if j is not None and j < len(row.cells) else ""


def _is_section(row: RawRow, layout: _Layout) -> bool:
    values = [c for j, c in enumerate(row.cells) if j not in (layout.stt, layout.unit) and c.strip()]
    text = " ".join(c for c in row.cells if c.strip())
    return bool(text) and not any(is_number(c) and c.strip() not in "-–—" for c in values) and not values


def _section_name(row: RawRow) -> str:
    return clean(" ".join(c for c in row.cells if c.strip()))


def _criteria(layout: _Layout, framework: Framework | None) -> tuple[Criterion, ...]:
    printed = [parse_max(layout.labels[j]) for j in layout.criteria]
    out = []
    for k, j in enumerate(layout.criteria):
        fc = framework.criteria[k] if framework else None
        label = fc.display if fc else layout.labels[j]
        out.append(Criterion(label=label, group=fc.group if fc else None,
                             max=printed[k] if printed[k] is not None else (fc.max if fc else None),
                             key=fc.key if fc else None))
    return tuple(out)


def choose_framework(maxima: Sequence[float | None], named: Sequence[Framework]) -> Framework | None:
    """The framework of a table: one the text names whose criteria fit the table, else the one
    framework the table's shape fits."""
    fits = matching_shape(list(maxima))
    for f in named:
        if f in fits:
            return f
    return fits[0] if len(fits) == 1 else None


def _score_table(raw: RawTable, cols: Sequence[Column], layout: _Layout, named: Sequence[Framework],
                 match: Callable[[str], Match], low_confidence: float) -> ScoreTable:
    maxima = [parse_max(layout.labels[j]) for j in layout.criteria]
    framework = choose_framework(maxima, named)
    criteria = _criteria(layout, framework)
    limit = framework.total_max if framework else None
    rows, section = [], None
    for raw_row in raw.rows:
        if _is_section(raw_row, layout):
            section = _section_name(raw_row)
            continue
        values = tuple(_number(_cell(raw_row, j), c.max) or Number(None, _cell(raw_row, j))
                       for j, c in zip(layout.criteria, criteria))
        row = _row(raw_row, layout, values, criteria, section, limit, match)
        rows.append(replace(row, uncertain=_uncertain(raw_row, _field_names(layout, layout.criteria), low_confidence)))
    unlabeled = len(layout.unlabeled)
    return ScoreTable(kind="scores", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, unlabeled_columns=unlabeled, framework=framework.code if framework else None)


def _row(raw_row: RawRow, layout: _Layout, values: tuple[Number, ...], criteria: Sequence[Criterion],
         section: str | None, limit: float | None, match: Callable[[str], Match],
         cells: dict[str, str] | None = None) -> Row:
    """One typed row; `cells` gives the summary cells by role when the layout lost the columns."""
    get = (lambda role: cells.get(role, "")) if cells is not None else (
        lambda role: _cell(raw_row, layout.roles.get(role)))
    unit_raw, stt = clean(_cell(raw_row, layout.unit)), clean(_cell(raw_row, layout.stt)).rstrip(".")
    if not unit_raw and stt and not is_number(stt):  # "Tổng cộng" printed across the STT and name cells
        unit_raw, stt = stt, ""
    total = _number(get("total"), limit)
    converted = _number(get("converted"), 100.0)
    applicable = [c.max for c, v in zip(criteria, values) if v.value is not None]
    total_max = total.denominator if total and total.denominator else (
        sum(applicable) if applicable and all(m is not None for m in applicable) else None)
    is_total = bool(TOTAL.match(unit_raw)) and not stt
    m = match(unit_raw) if unit_raw and not is_total else Match(None, 0.0, False, "")
    rating_raw = clean(get("rating")) or None
    return Row(unit_raw=unit_raw, values=values, stt=stt or None,
               section=section, unit=m.unit.name if m.unit else None, unit_code=m.unit.code if m.unit else None,
               total=total if total and total.value is not None else None, total_max=total_max,
               converted=converted if converted and converted.value is not None else None,
               rating=ratings.canonical(rating_raw), rating_raw=rating_raw,
               avg_staff=_number(get("avg_staff")), rank=clean(get("rank")) or None, note=clean(get("note")) or None,
               unlabeled=tuple(n for j in layout.unlabeled if (n := _number(_cell(raw_row, j)))),
               is_total_row=is_total, claims_unit=m.claims, page=raw_row.page)


def _other_table(raw: RawTable, cols: Sequence[Column], layout: _Layout,
                 match: Callable[[str], Match], low_confidence: float) -> ScoreTable:
    start = (layout.unit if layout.unit is not None else 0) + 1
    value_cols = [j for j in range(start, len(cols)) if _numeric_share(raw.rows, j)[0]]
    criteria = tuple(Criterion(label=layout.labels[j]) for j in value_cols)
    rows = []
    plain = _Layout(stt=layout.stt, unit=layout.unit)
    for raw_row in raw.rows:
        if _is_section(raw_row, layout):
            continue
        values = tuple(_number(_cell(raw_row, j)) or Number(None, _cell(raw_row, j)) for j in value_cols)
        row = _row(raw_row, plain, values, criteria, None, None, match)
        rows.append(replace(row, uncertain=_uncertain(raw_row, _field_names(plain, value_cols), low_confidence)))
    return ScoreTable(kind="other", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, formulas=formulas([c.label for c in criteria]))


def _field_names(layout: _Layout, value_cols: Sequence[int]) -> dict[int, str]:
    """The Row field each column fills, named as OCR_LOW_CONFIDENCE reports it ("values[3]", "total")."""
    names = {j: role for role, j in layout.roles.items()}
    names.update({j: f"unlabeled[{k}]" for k, j in enumerate(layout.unlabeled)})
    names.update({j: f"values[{k}]" for k, j in enumerate(value_cols)})
    names.update({j: name for j, name in ((layout.stt, "stt"), (layout.unit, "unit_raw")) if j is not None})
    return names


def _uncertain(raw_row: RawRow, names: dict[int, str], low_confidence: float) -> tuple[str, ...]:
    """The fields of a row whose cells OCR read with low confidence, in column order."""
    return tuple(names[j] for j, conf in enumerate(raw_row.confidence) if conf < low_confidence and j in names)


def formulas(labels: Sequence[str]) -> tuple[Formula, ...]:
    """Column formulas declared in headings: "(3)=(2)/(1)", "(6)=(7)+(9)" (column numbers as printed)."""
    number_at: dict[str, int] = {}
    for k, label in enumerate(labels):
        for n in _NUMBERING.findall(label)[:1]:
            number_at.setdefault(n, k)
    out = []
    for k, label in enumerate(labels):
        m = _FORMULA.search(label)
        if not m:
            continue
        op = {":": "/", "x": "*", "×": "*"}.get(m.group(3), m.group(3))
        names = [m.group(2), m.group(4)] + re.findall(r"\((\d+)\)", m.group(5) or "")
        if op in "+-" and m.group(5):
            signs = [op] + re.findall(r"([+\-])\s*\(", m.group(5))
            op = "+" if all(s == "+" for s in signs) else op
        if m.group(1) in number_at and all(n in number_at for n in names):
            out.append(Formula(target=number_at[m.group(1)], op=op,
                               operands=tuple(number_at[n] for n in names), text=clean(m.group(0))))
    return tuple(out)


# ---------------------------------------------------------------- stream rows (columns lost)


def _stream_roles(header: str) -> list[str]:
    """The numeric summary columns a header names, in printed order (e.g. total, converted)."""
    found = []
    text = fold(header)
    for role, phrases in _ROLE_WORDS:
        hits = [text.find(p) for p in phrases if p in text]
        if hits and role not in ("rating", "note"):
            found.append((min(hits), role))
    return [role for _, role in sorted(found)]


def _stream_table(raw: RawTable, named: Sequence[Framework], match: Callable[[str], Match]) -> ScoreTable:
    header = " ".join(h.text for h in raw.header)
    maxima = [parse_max(m.group(0)) for m in re.finditer(r"\(\d+(?:[.,]\d+)?\s*đ\)", header)]
    framework = next((f for f in named if sorted(f.maxima) == sorted(m for m in maxima if m is not None)),
                     None) or (named[0] if named and not maxima and _CRITERION.search(header) else None)
    if framework is None or _role_of(fold(header)) is None:
        return _stream_other(raw, header, match)
    criteria = tuple(Criterion(label=c.display, group=c.group, max=c.max, key=c.key) for c in framework.criteria)
    summary = _stream_roles(header)
    layout = _Layout(stt=0, unit=1)
    rows, section = [], None
    for raw_row in raw.rows:
        tokens = list(raw_row.cells[2:])
        if not tokens:
            section = _section_name(raw_row)
            continue
        rating = tokens.pop() if tokens and not is_number(tokens[-1]) else ""
        cells = {"rating": rating}
        for role in reversed(summary):
            if tokens:
                cells[role] = tokens.pop()
        values = _place(tokens, criteria, cells, framework)
        rows.append(_row(raw_row, layout, values, criteria, section, framework.total_max, match, cells))
    return ScoreTable(kind="scores", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, framework=framework.code)


def _place(tokens: Sequence[str], criteria: Sequence[Criterion], cells: dict[str, str],
           framework: Framework) -> tuple[Number, ...]:
    """Put printed scores into criteria when fewer are printed than there are criteria."""
    numbers = [_number(t, c.max) or Number(None, t) for t, c in zip(tokens, criteria)]
    if len(tokens) >= len(criteria):
        return tuple(_number(t, c.max) or Number(None, t) for t, c in zip(tokens, criteria))
    total = _number(cells.get("total", ""))
    converted = _number(cells.get("converted", ""), 100.0)
    target = total.denominator if total and total.denominator else (
        total.value / converted.value * 100 if total and converted and total.value and converted.value else None)
    maxima = [c.max or 0.0 for c in criteria]
    choices = []
    for filled in itertools.combinations(range(len(criteria)), len(tokens)):
        nums = [_number(t, maxima[k]) for t, k in zip(tokens, filled)]
        if any(n is None or (n.value is not None and n.value > maxima[k] + 1e-9) for n, k in zip(nums, filled)):
            continue
        miss = abs(sum(maxima[k] for k in filled) - target) if target else 0.0
        blanks = tuple(k for k in range(len(criteria)) if k not in filled)
        choices.append((round(miss, 6), blanks, filled))
    if not choices:
        return tuple(numbers) + tuple(Number(None, "") for _ in range(len(criteria) - len(numbers)))
    placed = dict(zip(min(choices)[2], tokens))
    return tuple(_number(placed[k], maxima[k]) or Number(None, placed[k]) if k in placed else Number(None, "")
                 for k in range(len(criteria)))


def _stream_other(raw: RawTable, header: str, match: Callable[[str], Match]) -> ScoreTable:
    numbering = re.findall(r"\(\d+\)(?:\s*=\s*\(\d+\)\s*[+\-/:x×*]\s*\(\d+\)(?:\s*[+\-]\s*\(\d+\))*)?", header)
    width = max((len(r.cells) - 2 for r in raw.rows), default=0)
    labels = [clean(n) for n in numbering] if len(numbering) == width else [f"Cột {k + 1}" for k in range(width)]
    criteria = tuple(Criterion(label=label) for label in labels)
    layout = _Layout(stt=0, unit=1)
    rows = []
    for raw_row in raw.rows:
        tokens = raw_row.cells[2:]
        if not tokens:
            continue
        values = tuple(_number(t) or Number(None, t) for t in tokens) + tuple(
            Number(None, "") for _ in range(width - len(tokens)))
        rows.append(_row(raw_row, layout, values, criteria, None, None, match, {}))
    return ScoreTable(kind="other", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, formulas=formulas(labels))
