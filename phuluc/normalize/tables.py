"""Raw tables → typed tables: of the readings the finders made of a table, the one whose figures
hold best; its columns' roles (normalize/roles.py), typed values, the criteria of its framework.
Tables whose columns the layout lost go to normalize/stream.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from phuluc.extract.tables import Column, columns
from phuluc.model import Criterion, Number, RawRow, RawTable, ScoreTable
from phuluc.normalize import roles, stream
from phuluc.normalize.frameworks import Framework, choose, matching_shape
from phuluc.normalize.roles import Layout
from phuluc.normalize.rows import cell, formulas, number, on_hundred, ratios, section_name, typed_row
from phuluc.normalize.units import Match
from phuluc.settings import DEFAULT
from phuluc.vi.numbers import is_number, parse_max

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
        return stream.read(raw, frameworks, match)
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


def _is_section(row: RawRow, layout: Layout) -> bool:
    values = [c for j, c in enumerate(row.cells) if j not in (layout.stt, layout.unit) and c.strip()]
    text = " ".join(c for c in row.cells if c.strip())
    return bool(text) and not any(is_number(c) and c.strip() not in "-–—" for c in values) and not values


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
    """The framework of a table by its criteria's printed maxima (unknown ones match any)."""
    return choose(matching_shape(list(maxima)), named, printed=any(m is not None for m in maxima))


def _score_table(raw: RawTable, layout: Layout, named: Sequence[Framework], match: Callable[[str], Match],
                 low_confidence: float) -> ScoreTable:
    maxima = [parse_max(layout.labels[j]) for j in layout.criteria]
    framework = choose_framework(maxima, named)
    criteria = _criteria(layout, framework)
    limit = framework.total_max if framework else layout.total_max
    rows, section = [], None
    for raw_row in raw.rows:
        if _is_section(raw_row, layout):
            section = section_name(raw_row)
            continue
        values = tuple(number(cell(raw_row, j), c.max) or Number(None, cell(raw_row, j))
                       for j, c in zip(layout.criteria, criteria))
        row = typed_row(raw_row, layout, values, criteria, section, limit, match, on_hundred=on_hundred(framework))
        rows.append(replace(row, uncertain=_uncertain(raw_row, _field_names(layout, layout.criteria), low_confidence)))
    unlabeled = len(layout.unlabeled)
    return ScoreTable(kind="scores", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, unlabeled_columns=unlabeled, framework=framework.code if framework else None,
                      finder=raw.finder)


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
        values = tuple(number(cell(raw_row, j)) or Number(None, cell(raw_row, j)) for j in value_cols)
        row = typed_row(raw_row, plain, values, criteria, None, None, match)
        rows.append(replace(row, uncertain=_uncertain(raw_row, _field_names(plain, value_cols), low_confidence)))
    return ScoreTable(kind="other", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, formulas=formulas([c.label for c in criteria]) or ratios(rows, len(criteria)),
                      finder=raw.finder)


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


