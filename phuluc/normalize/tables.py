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
from phuluc.normalize import roles
from phuluc.normalize.frameworks import Framework, matching_shape
from phuluc.normalize.roles import Layout
from phuluc.vi.numbers import NotANumber, is_number, parse_max, parse_number
from phuluc.vi.text import clean, fold
from phuluc.normalize.units import Match
from phuluc.settings import DEFAULT

_NUMBERING = re.compile(r"\((\d+)\)")
_FORMULA = re.compile(r"\((\d+)\)\s*=\s*\((\d+)\)\s*([+\-/:x×*])\s*\((\d+)\)((?:\s*[+\-]\s*\(\d+\))*)")
_NOT_APPLICABLE = {"", "-", "–", "—", "--"}


def read_table(raw: RawTable, *, frameworks: Sequence[Framework], match: Callable[[str], Match],
               low_confidence: float = DEFAULT.ocr.low_confidence) -> ScoreTable:
    """Type one raw table: of the readings the finders made of it (`raw` and its alternatives), the
    one whose figures hold best. `frameworks` are those the document names (most likely first); an
    OCR'd cell read with less confidence than `low_confidence` (0–1) is doubtful."""
    readings = [_read(r, frameworks, match, low_confidence) for r in _readings(raw)]
    return max(readings, key=fit)  # the first reading on a tie


def _readings(raw: RawTable) -> list[RawTable]:
    """A table and every alternative reading of it, the finders' own alternatives included."""
    return [raw] + [r for alternative in raw.alternatives for r in _readings(alternative)]


def _read(raw: RawTable, frameworks: Sequence[Framework], match: Callable[[str], Match],
          low_confidence: float) -> ScoreTable:
    if raw.rows and not raw.rows[0].aligned:
        return _stream_table(raw, frameworks, match)
    cols = columns(raw.header, raw.ncols)
    layout = roles.layout(cols, raw.rows)
    if layout.criteria and (layout.roles.keys() & {"total", "converted", "rating"}):
        return _score_table(raw, layout, frameworks, match, low_confidence)
    return _other_table(raw, cols, layout, match, low_confidence)


def fit(table: ScoreTable) -> tuple[bool, float]:
    """How well a reading explains its table: a score table before any other, then the count of
    what holds — criteria that are the framework's, rows whose unit is found, whose criteria add up
    to the total, whose converted score is the total over its maximum, whose printed maximum is that
    of the criteria that apply — less what cannot be: a score over its criterion's maximum, a cell
    that is no figure at all."""
    held = len(table.rows) / 2 if table.framework else 0.0
    for row in table.rows:
        present = [(c, v) for c, v in zip(table.criteria, row.values) if v.value is not None]
        garbled = sum(1 for v in row.values if v.value is None and v.text.strip() not in _NOT_APPLICABLE)
        over = sum(1 for c, v in present if c.max is not None and v.value > c.max + 1e-9)
        held += (row.unit is not None) - garbled - over
        if row.total is not None and present:
            held += abs(sum(v.value for _, v in present) - row.total.value) <= sum(
                v.half_unit for _, v in present) + row.total.half_unit + 1e-9
        if row.converted is not None and row.total is not None and row.total_max:
            held += abs(row.total.value / row.total_max * 100 - row.converted.value) <= (
                row.converted.half_unit + row.total.half_unit * 100 / row.total_max + 1e-9)
        maxima = [c.max for c, _ in present]
        if row.total is not None and row.total.denominator and maxima and None not in maxima:
            held += 1 if abs(sum(maxima) - row.total.denominator) < 1e-6 else -1
    return table.kind == "scores", held


# ---------------------------------------------------------------- typed rows


def _number(text: str, limit: float | None = None) -> Number | None:
    try:
        return parse_number(text, limit=limit)
    except NotANumber:
        return None


def _cell(row: RawRow, j: int | None) -> str:
    return row.cells[j] if j is not None and j < len(row.cells) else ""


def _is_section(row: RawRow, layout: Layout) -> bool:
    values = [c for j, c in enumerate(row.cells) if j not in (layout.stt, layout.unit) and c.strip()]
    text = " ".join(c for c in row.cells if c.strip())
    return bool(text) and not any(is_number(c) and c.strip() not in "-–—" for c in values) and not values


def _section_name(row: RawRow) -> str:
    return clean(" ".join(c for c in row.cells if c.strip()))


def _criteria(layout: Layout, framework: Framework | None) -> tuple[Criterion, ...]:
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


def _score_table(raw: RawTable, layout: Layout, named: Sequence[Framework], match: Callable[[str], Match],
                 low_confidence: float) -> ScoreTable:
    maxima = [parse_max(layout.labels[j]) for j in layout.criteria]
    framework = choose_framework(maxima, named)
    criteria = _criteria(layout, framework)
    limit = framework.total_max if framework else layout.total_max
    rows, section = [], None
    for raw_row in raw.rows:
        if _is_section(raw_row, layout):
            section = _section_name(raw_row)
            continue
        values = tuple(_number(_cell(raw_row, j), c.max) or Number(None, _cell(raw_row, j))
                       for j, c in zip(layout.criteria, criteria))
        row = _row(raw_row, layout, values, criteria, section, limit, match, on_hundred=_on_hundred(framework))
        rows.append(replace(row, uncertain=_uncertain(raw_row, _field_names(layout, layout.criteria), low_confidence)))
    unlabeled = len(layout.unlabeled)
    return ScoreTable(kind="scores", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, unlabeled_columns=unlabeled, framework=framework.code if framework else None,
                      finder=raw.finder)


def _on_hundred(framework: Framework | None) -> bool:
    """Whether a framework's total is already the score out of 100 (766): its converted score is the total."""
    return framework is not None and framework.rating_on == "total" and framework.total_max == 100


def _row(raw_row: RawRow, layout: Layout, values: tuple[Number, ...], criteria: Sequence[Criterion],
         section: str | None, limit: float | None, match: Callable[[str], Match],
         cells: dict[str, str] | None = None, on_hundred: bool = False) -> Row:
    """One typed row; `cells` gives the summary cells by role when the layout lost the columns;
    `on_hundred`: the total is the score out of 100, so it is the converted score where none is printed."""
    get = (lambda role: cells.get(role, "")) if cells is not None else (
        lambda role: _cell(raw_row, layout.roles.get(role)))
    unit_raw, stt = clean(_cell(raw_row, layout.unit)), clean(_cell(raw_row, layout.stt)).rstrip(".")
    if not unit_raw and stt and not is_number(stt):  # "Tổng cộng" printed across the STT and name cells
        unit_raw, stt = stt, ""
    total = _number(get("total"), limit)
    converted = _number(get("converted"), 100.0)
    if on_hundred and (converted is None or converted.value is None):
        converted = total
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


def _other_table(raw: RawTable, cols: Sequence[Column], layout: Layout,
                 match: Callable[[str], Match], low_confidence: float) -> ScoreTable:
    start = (layout.unit if layout.unit is not None else 0) + 1
    value_cols = [j for j in range(start, len(cols)) if roles.numeric_share(raw.rows, j)[0]]
    criteria = tuple(Criterion(label=layout.labels[j]) for j in value_cols)
    rows = []
    plain = Layout(stt=layout.stt, unit=layout.unit)
    for raw_row in raw.rows:
        if _is_section(raw_row, layout):
            continue
        values = tuple(_number(_cell(raw_row, j)) or Number(None, _cell(raw_row, j)) for j in value_cols)
        row = _row(raw_row, plain, values, criteria, None, None, match)
        rows.append(replace(row, uncertain=_uncertain(raw_row, _field_names(plain, value_cols), low_confidence)))
    return ScoreTable(kind="other", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, formulas=formulas([c.label for c in criteria]), finder=raw.finder)


def _field_names(layout: Layout, value_cols: Sequence[int]) -> dict[int, str]:
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
    for role, phrases in roles.role_phrases():
        hits = [text.find(p) for p in phrases if p in text]
        if hits and role not in ("rating", "note"):
            found.append((min(hits), role))
    return [role for _, role in sorted(found)]


def _stream_table(raw: RawTable, named: Sequence[Framework], match: Callable[[str], Match]) -> ScoreTable:
    header = " ".join(h.text for h in raw.header)
    maxima = [parse_max(m.group(0)) for m in re.finditer(r"\(\d+(?:[.,]\d+)?\s*đ\)", header)]
    framework = next((f for f in named if sorted(f.maxima) == sorted(m for m in maxima if m is not None)),
                     None) or (named[0] if named and not maxima and roles.CRITERION.search(header) else None)
    if framework is None or roles.role_of(fold(header)) is None:
        return _stream_other(raw, header, match)
    criteria = tuple(Criterion(label=c.display, group=c.group, max=c.max, key=c.key) for c in framework.criteria)
    summary = _stream_roles(header)
    layout = Layout(stt=0, unit=1)
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
                      pages=raw.pages, framework=framework.code, finder=raw.finder)


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
    layout = Layout(stt=0, unit=1)
    rows = []
    for raw_row in raw.rows:
        tokens = raw_row.cells[2:]
        if not tokens:
            continue
        values = tuple(_number(t) or Number(None, t) for t in tokens) + tuple(
            Number(None, "") for _ in range(width - len(tokens)))
        rows.append(_row(raw_row, layout, values, criteria, None, None, match, {}))
    return ScoreTable(kind="other", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, formulas=formulas(labels), finder=raw.finder)
