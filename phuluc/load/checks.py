"""Checks: one small function per rule code, each reading a Report and returning its findings.

Rounding is not an error. A printed figure is exact to half a unit of its last printed digit (an
integer counts as exact), so a sum is wrong only when it misses the printed total by more than the
half-units of every figure in it, and a converted score only beyond its half-unit plus the total's
half-unit scaled by 100 / max. CONFLICTING_SUBMISSION spans reports and lives in load/db.py.

Abstain rather than accuse: an arithmetic finding that rests on a cell OCR read with low confidence
(`Row.uncertain`) is not raised, since the misread may be ours; OCR_LOW_CONFIDENCE names that cell.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from phuluc.model import Finding, Number, Report, Row, ScoreTable
from phuluc.normalize.frameworks import Framework, by_code
from phuluc.vi.text import fold

Check = Callable[[Report], Iterator[Finding]]
CHECKS: dict[str, Check] = {}
SEVERITY = {
    "SUM_MISMATCH": "error", "CONVERTED_MISMATCH": "error", "RATING_MISMATCH": "error", "OVER_MAX": "error",
    "MAX_MISMATCH": "error", "SUMMARY_COUNT_MISMATCH": "error", "SUMMARY_UNIT_MISMATCH": "error",
    "FORMULA_MISMATCH": "error", "TOTAL_ROW_MISMATCH": "error", "DUPLICATE_UNIT": "error",
    "CONFLICTING_SUBMISSION": "error", "MISSING_UNIT": "warning", "UNKNOWN_UNIT": "warning",
    "MISSING_APPENDIX": "warning", "UNLABELED_COLUMN": "warning", "ORDER_MISMATCH": "warning",
    "OCR_LOW_CONFIDENCE": "warning",
}
_EPS = 1e-9
_ORDER_SLACK = 0.1  # a table is "sorted by score" when at most this share of neighbours is out of order
_ONE_OUT = 7  # … or, from this many neighbour pairs on, one of them


def check(rule: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[rule] = fn
        return fn
    return register


def run_checks(report: Report) -> tuple[Finding, ...]:
    """Every within-report rule, in rule-table order."""
    return tuple(f for fn in CHECKS.values() for f in fn(report))


Where = tuple[int, ScoreTable]  # a table and its index in the report


def _finding(rule: str, row: Row | None = None, *, where: Where | None = None, about: str | None = None,
             rests_on: Iterable[str] = (), expected: float | str | None = None, actual: float | str | None = None,
             unit: str | None = None, **params: object) -> Finding:
    """A finding at its place: the row and table, the field it is `about` and the printed cells of that
    field and of those it `rests_on`."""
    index, table = where if where is not None else (None, None)
    fields = tuple(dict.fromkeys(f for f in (about, *rests_on) if f is not None))
    return Finding(rule=rule, severity=SEVERITY[rule], unit=unit if unit is not None else (row.unit if row else None),
                   unit_raw=row.unit_raw if row else None, expected=expected, actual=actual,
                   page=row.page if row else None, table=index, bbox=row.bbox if row else None,
                   params=tuple((k, str(v)) for k, v in params.items()),
                   row=_position(table, row), stt=row.stt if row else None, about=about,
                   criterion=_label(table, about),
                   cells=tuple(c for f in fields if row is not None and (c := printed(row, f))))


def _position(table: ScoreTable | None, row: Row | None) -> int | None:
    """The index of `row` in `table` (the row itself, not an equal one: a duplicate prints the same)."""
    if table is None or row is None:
        return None
    return next((k for k, r in enumerate(table.rows) if r is row), None)


_FIELD = re.compile(r"(?P<name>\w+)\[(?P<index>\d+)\]")


def printed(row: Row, name: str) -> str | None:
    """A field of a row as printed ("values[3]" → "8,75", "rating" → "Tốt"), None where it is empty."""
    if m := _FIELD.fullmatch(name):
        numbers = getattr(row, m["name"])
        k = int(m["index"])
        return numbers[k].text if k < len(numbers) else None
    value = (row.rating_raw or row.rating) if name == "rating" else getattr(row, name)
    return value.text if isinstance(value, Number) else value


def _label(table: ScoreTable | None, name: str | None) -> str | None:
    """The printed label of a criterion's field ("values[3]"); None for the other fields."""
    m = _FIELD.fullmatch(name) if name else None
    if table is None or m is None or m["name"] != "values" or int(m["index"]) >= len(table.criteria):
        return None
    return table.criteria[int(m["index"])].label


def _doubtful(row: Row, *fields: str) -> bool:
    """Whether any of `fields` ("values[3]", "total") of a row was read by OCR with low confidence."""
    return any(f in row.uncertain for f in fields)


def _values(row: Row, columns: Iterable[int] | None = None) -> tuple[str, ...]:
    """The field names of a row's values (all of them, or those of `columns`)."""
    return tuple(f"values[{k}]" for k in (range(len(row.values)) if columns is None else columns))


def _maximum(row: Row) -> tuple[str, ...]:
    """The fields a row's maximum rests on: none when printed ("55/70"), else every value, since
    which criteria apply (and so the maximum) is read from them."""
    return () if row.total is not None and row.total.denominator is not None else _values(row)


def _units(report: Report) -> Iterator[tuple[int, ScoreTable, Row]]:
    """Unit rows of score tables (not total rows), with their table and its index."""
    for i, t in enumerate(report.tables):
        if t.kind == "scores":
            yield from ((i, t, r) for r in t.rows if not r.is_total_row)


def _round(value: float, *numbers: Number) -> float:
    return round(value, max((n.decimals for n in numbers), default=0) + 2)


# ---------------------------------------------------------------- arithmetic of a row


@check("SUM_MISMATCH")
def sum_mismatch(report: Report) -> Iterator[Finding]:
    for i, t, row in _units(report):
        present = [k for k, v in enumerate(row.values) if v.value is not None]
        if row.total is None or not present:
            continue
        numbers = [row.values[k] for k in present]
        total = sum(v.value for v in numbers)
        slack = sum(v.half_unit for v in numbers) + row.total.half_unit
        if abs(total - row.total.value) > slack + _EPS and not _doubtful(row, "total", *_values(row)):
            yield _finding("SUM_MISMATCH", row, where=(i, t), about="total", rests_on=_values(row, present),
                           expected=_round(total, *numbers), actual=row.total.value)


@check("CONVERTED_MISMATCH")
def converted_mismatch(report: Report) -> Iterator[Finding]:
    for i, t, row in _units(report):
        if row.converted is None or row.total is None or not row.total_max or t.source == "prose":
            continue
        expected = row.total.value / row.total_max * 100
        slack = row.converted.half_unit + row.total.half_unit * 100 / row.total_max
        if abs(expected - row.converted.value) > slack + _EPS and not _doubtful(row, "total", "converted",
                                                                                  *_maximum(row)):
            yield _finding("CONVERTED_MISMATCH", row, where=(i, t), about="converted", rests_on=("total",),
                           expected=round(expected, 2), actual=row.converted.value)


def _framework(report: Report, table: ScoreTable) -> Framework | None:
    return by_code(table.framework or report.meta.framework)


@check("RATING_MISMATCH")
def rating_mismatch(report: Report) -> Iterator[Finding]:
    for i, t, row in _units(report):
        framework = _framework(report, t)
        if framework is None or row.rating is None or _doubtful(row, "rating", *_rated_fields(row, framework)):
            continue
        score = _rated_score(row, framework)
        if score is None:
            continue
        band = framework.band_for(score)
        rated = _rated_fields(row, framework)[:1]
        if band is not None and band.rating != row.rating:
            yield _finding("RATING_MISMATCH", row, where=(i, t), about="rating", rests_on=rated,
                           expected=band.rating, actual=row.rating)
        elif band is None and row.rating in framework.known_ratings_above(score):
            expected = next((b.rating for b in framework.bands if b.rating not in
                             framework.known_ratings_above(score)), None)
            yield _finding("RATING_MISMATCH", row, where=(i, t), about="rating", rests_on=rated,
                           expected=expected, actual=row.rating)


def _rated_fields(row: Row, framework: Framework) -> tuple[str, ...]:
    """The fields the score a framework rates rests on (see _rated_score)."""
    if framework.rating_on != "converted":
        return ("total",)
    return ("converted",) if row.converted is not None else ("total", *_maximum(row))


def _rated_score(row: Row, framework: Framework) -> float | None:
    """The score a framework rates: the converted score (computed when not printed) or the total."""
    if framework.rating_on == "converted":
        if row.converted is not None:
            return row.converted.value
        if row.total is not None and row.total_max:
            return row.total.value / row.total_max * 100
        return None
    return row.total.value if row.total is not None else None


@check("OVER_MAX")
def over_max(report: Report) -> Iterator[Finding]:
    for i, t, row in _units(report):
        over = [(f"values[{k}]", c.label, v.value, c.max) for k, (c, v) in enumerate(zip(t.criteria, row.values))
                if c.max is not None and v.value is not None and v.value > c.max + _EPS
                and not _doubtful(row, *_values(row, [k]))]
        if (row.total is not None and row.total_max and row.total.value > row.total_max + _EPS
                and not _doubtful(row, "total", *_maximum(row))):
            over.append(("total", "total", row.total.value, row.total_max))
        if over:
            about, figure, value, top = over[0]
            yield _finding("OVER_MAX", row, where=(i, t), about=about, expected=top, actual=value, figure=figure)


@check("MAX_MISMATCH")
def max_mismatch(report: Report) -> Iterator[Finding]:
    for i, t, row in _units(report):
        if row.total is None or row.total.denominator is None:
            continue
        maxima = [c.max for c, v in zip(t.criteria, row.values) if v.value is not None]
        if not maxima or any(m is None for m in maxima) or _doubtful(row, "total", *_values(row)):
            continue
        if abs(sum(maxima) - row.total.denominator) > _EPS:
            yield _finding("MAX_MISMATCH", row, where=(i, t), about="total", expected=sum(maxima),
                           actual=row.total.denominator)


# ---------------------------------------------------------------- a table as a whole


@check("DUPLICATE_UNIT")
def duplicate_unit(report: Report) -> Iterator[Finding]:
    for i, t in enumerate(report.tables):
        if t.kind != "scores":
            continue
        seen: set[str] = set()
        for row in t.rows:
            key = row.unit or fold(row.unit_raw)
            if row.is_total_row or not key:
                continue
            if key in seen:
                yield _finding("DUPLICATE_UNIT", row, where=(i, t), about="unit_raw")
            seen.add(key)


@check("ORDER_MISMATCH")
def order_mismatch(report: Report) -> Iterator[Finding]:
    """In a table sorted by score (within each section), the rows that score above the row before;
    a score read with low confidence is left out of the comparison."""
    for i, t in enumerate(report.tables):
        if t.kind != "scores" or t.source != "table":
            continue
        for section in _sections(t):
            scores = [(r, None if _doubtful(r, *_ranked_field(r)) else _score(r)) for r in section]
            pairs = [(a, b) for a, b in zip(scores, scores[1:]) if a[1] is not None and b[1] is not None]
            rising = [b[0] for a, b in pairs if b[1] > a[1] + _EPS]
            if pairs and len(pairs) >= 3 and len(rising) <= _out_of_order_allowed(len(pairs)):
                yield from (_finding("ORDER_MISMATCH", r, where=(i, t), about=_ranked_field(r)[0]) for r in rising)


def _out_of_order_allowed(pairs: int) -> float:
    """How many neighbours may be out of order in a table still sorted by score: a share of them, and
    one from `_ONE_OUT` pairs on (a table in another order rises there far more often: of 8 rows in
    chance order, 0.6 % rise at most once)."""
    return max(_ORDER_SLACK * pairs, 1 if pairs >= _ONE_OUT else 0)


def _sections(table: ScoreTable) -> list[list[Row]]:
    groups: dict[str | None, list[Row]] = {}
    for row in table.rows:
        if not row.is_total_row:
            groups.setdefault(row.section, []).append(row)
    return list(groups.values())


def _score(row: Row) -> float | None:
    number = row.converted or row.total
    return number.value if number else None


def _ranked_field(row: Row) -> tuple[str, ...]:
    """The field _score reads."""
    return ("converted",) if row.converted else ("total",)


@check("UNLABELED_COLUMN")
def unlabeled_column(report: Report) -> Iterator[Finding]:
    for i, t in enumerate(report.tables):
        for k in range(t.unlabeled_columns):
            yield _finding("UNLABELED_COLUMN", where=(i, t), detail=str(len(t.criteria) + k + 1))


@check("FORMULA_MISMATCH")
def formula_mismatch(report: Report) -> Iterator[Finding]:
    for i, t in enumerate(report.tables):
        for f in t.formulas:
            for row in t.rows:
                target = row.values[f.target]
                operands = [row.values[k].value for k in f.operands]
                if (target.value is None or any(v is None for v in operands)
                        or _doubtful(row, *_values(row, [f.target, *f.operands]))):
                    continue
                expected = _apply(f.op, operands, target.value)
                if expected is None:
                    continue
                slack = target.half_unit if f.op == "/" and target.decimals else (0.5 if f.op == "/" else 0.0)
                if abs(expected - target.value) > slack + 1e-6:
                    yield _finding("FORMULA_MISMATCH", row, where=(i, t), about=f"values[{f.target}]",
                                   rests_on=_values(row, f.operands), expected=round(expected, 2),
                                   actual=target.value, detail=f.text)


def _apply(op: str, operands: list[float], printed: float) -> float | None:
    if op == "+":
        return sum(operands)
    if op == "-":
        return operands[0] - sum(operands[1:])
    if op == "*":
        product = 1.0
        for v in operands:
            product *= v
        return product
    if op == "/":
        if not operands[1]:
            return 0.0 if printed == 0 else None
        ratio = operands[0] / operands[1]
        return ratio * 100 if printed > 1 or ratio * 100 - printed < abs(ratio - printed) else ratio
    return None


@check("TOTAL_ROW_MISMATCH")
def total_row_mismatch(report: Report) -> Iterator[Finding]:
    """A "Tổng số"/"Tổng cộng" row against the sum of the rows above it, column by column; ratio
    columns (a "Tỷ lệ"/% heading or a "/" formula) are not sums and are left to FORMULA_MISMATCH; a
    column only the total row fills is no sum either (its figures were read into other columns)."""
    for i, t in enumerate(report.tables):
        ratios = {f.target for f in t.formulas if f.op == "/"}
        ratios |= {k for k, c in enumerate(t.criteria) if "tỷ lệ" in fold(c.label) or "%" in c.label}
        above: list[Row] = []
        for row in t.rows:
            if not row.is_total_row:
                above.append(row)
                continue
            for k, printed in enumerate(row.values):
                if (k in ratios or printed.value is None or not above
                        or any(_doubtful(r, *_values(r, [k])) for r in (row, *above))):
                    continue
                column = [r.values[k] for r in above if k < len(r.values)]
                if all(v.value is None for v in column):
                    continue  # a figure under a column no row fills: the reading lost the column, unsure
                total = sum(v.value or 0.0 for v in column)
                slack = sum(v.half_unit for v in column) + printed.half_unit
                if abs(total - printed.value) > slack + _EPS:
                    yield _finding("TOTAL_ROW_MISMATCH", row, where=(i, t), about=f"values[{k}]",
                                   expected=_round(total, printed, *column), actual=printed.value,
                                   unit=None, detail=t.criteria[k].label)
            above = []


# ---------------------------------------------------------------- units


@check("MISSING_UNIT")
def missing_unit(report: Report) -> Iterator[Finding]:
    """Units of the issuer (per register) without a row, when the tables report on those units."""
    codes = {r.unit_code for _, _, r in _units(report) if r.unit_code}
    children = dict(report.issuer_children)
    if not children or not codes & children.keys():
        return
    for code, name in report.issuer_children:
        if code not in codes:
            yield _finding("MISSING_UNIT", unit=name)


@check("UNKNOWN_UNIT")
def unknown_unit(report: Report) -> Iterator[Finding]:
    for i, t in enumerate(report.tables):
        for row in t.rows:
            if row.claims_unit and row.unit is None and not row.is_total_row:
                yield _finding("UNKNOWN_UNIT", row, where=(i, t), about="unit_raw")


# ---------------------------------------------------------------- body text against tables


@check("MISSING_APPENDIX")
def missing_appendix(report: Report) -> Iterator[Finding]:
    if report.refers_to_appendix and not any(t.source == "table" for t in report.tables):
        yield _finding("MISSING_APPENDIX")


@check("SUMMARY_COUNT_MISMATCH")
def summary_count_mismatch(report: Report) -> Iterator[Finding]:
    """The body's count per rating against the table (ratings the body leaves out count as 0); one
    finding per report at most."""
    table = Counter(r.rating for _, t, r in _units(report) if r.rating and t.source == "table")
    stated = Counter()
    for s in report.summary:
        if s.count is not None:
            stated[s.rating] += s.count
    if not table or not stated:
        return
    for rating in sorted(set(table) | set(stated), key=lambda r: (r not in stated, r)):
        if table[rating] != stated[rating]:
            yield _finding("SUMMARY_COUNT_MISMATCH", expected=table[rating], actual=stated[rating], rating=rating)
            return


@check("SUMMARY_UNIT_MISMATCH")
def summary_unit_mismatch(report: Report) -> Iterator[Finding]:
    """A unit the body text gives a rating the table does not: the finding is at the table's row,
    where there is one, and names the body's page."""
    rows: dict[str, tuple[int, ScoreTable, Row]] = {}
    for i, t, row in _units(report):
        if t.source == "table":
            rows[row.unit or fold(row.unit_raw)] = (i, t, row)
    if not rows:
        return
    for s in report.summary:
        for unit, raw in zip(s.units, s.units_raw):
            i, t, row = rows.get(unit if unit in rows else fold(raw), (None, None, None))
            rating = row.rating if row else None
            if rating != s.rating:
                found = _finding("SUMMARY_UNIT_MISMATCH", row, where=(i, t) if row else None,
                                 about="rating" if row else None, unit=unit, expected=rating, actual=s.rating)
                yield replace(found, unit_raw=raw, page=s.page)


@check("OCR_LOW_CONFIDENCE")
def ocr_low_confidence(report: Report) -> Iterator[Finding]:
    """Every doubtful cell of a unit row, in any table: the arithmetic findings it would have carried
    were not raised."""
    for i, t in enumerate(report.tables):
        for row in t.rows:
            if not row.is_total_row:
                yield from (_finding("OCR_LOW_CONFIDENCE", row, where=(i, t), about=name,
                                     figure=_label(t, name) or name) for name in row.uncertain)
