"""Tables whose columns the layout lost (plain PDF-to-text): rows of printed tokens placed with the
framework. The printed scores fill the criteria in order, the summary columns come last; where fewer
scores than criteria are printed, the blank criteria are the ones that make the applicable maximum
agree with the printed total and converted score (ties: the blanks leftmost)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

from phuluc.model import Criterion, Number, RawTable, ScoreTable
from phuluc.normalize import roles
from phuluc.normalize.frameworks import Framework
from phuluc.normalize.roles import Layout
from phuluc.normalize.rows import formulas, number, section_name, typed_row
from phuluc.normalize.units import Match
from phuluc.vi.numbers import is_number, parse_max
from phuluc.vi.text import clean, fold


def _summary_roles(header: str) -> list[str]:
    """The numeric summary columns a header names, in printed order (e.g. total, converted)."""
    found = []
    text = fold(header)
    for role, phrases in roles.role_phrases():
        hits = [text.find(p) for p in phrases if p in text]
        if hits and role not in ("rating", "note"):
            found.append((min(hits), role))
    return [role for _, role in sorted(found)]


def read(raw: RawTable, named: Sequence[Framework], match: Callable[[str], Match]) -> ScoreTable:
    header = " ".join(h.text for h in raw.header)
    maxima = [parse_max(m.group(0)) for m in re.finditer(r"\(\d+(?:[.,]\d+)?\s*đ\)", header)]
    framework = next((f for f in named if sorted(f.maxima) == sorted(m for m in maxima if m is not None)),
                     None) or (named[0] if named and not maxima and roles.CRITERION.search(header) else None)
    if framework is None or roles.role_of(fold(header)) is None:
        return _other(raw, header, match)
    criteria = tuple(Criterion(label=c.display, group=c.group, max=c.max, key=c.key) for c in framework.criteria)
    summary = _summary_roles(header)
    layout = Layout(stt=0, unit=1)
    rows, section = [], None
    for raw_row in raw.rows:
        tokens = list(raw_row.cells[2:])
        if not tokens:
            section = section_name(raw_row)
            continue
        rating = tokens.pop() if tokens and not is_number(tokens[-1]) else ""
        cells = {"rating": rating}
        for role in reversed(summary):
            if tokens:
                cells[role] = tokens.pop()
        values = _place(tokens, criteria, cells, framework)
        rows.append(typed_row(raw_row, layout, values, criteria, section, framework.total_max, match, cells))
    return ScoreTable(kind="scores", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, framework=framework.code, finder=raw.finder)


def _place(tokens: Sequence[str], criteria: Sequence[Criterion], cells: dict[str, str],
           framework: Framework) -> tuple[Number, ...]:
    """Put printed scores into criteria when fewer are printed than there are criteria."""
    numbers = [number(t, c.max) or Number(None, t) for t, c in zip(tokens, criteria)]
    if len(tokens) >= len(criteria):
        return tuple(number(t, c.max) or Number(None, t) for t, c in zip(tokens, criteria))
    total = number(cells.get("total", ""))
    converted = number(cells.get("converted", ""), 100.0)
    target = total.denominator if total and total.denominator else (
        total.value / converted.value * 100 if total and converted and total.value and converted.value else None)
    maxima = [c.max or 0.0 for c in criteria]
    choices = []
    for filled in itertools.combinations(range(len(criteria)), len(tokens)):
        nums = [number(t, maxima[k]) for t, k in zip(tokens, filled)]
        if any(n is None or (n.value is not None and n.value > maxima[k] + 1e-9) for n, k in zip(nums, filled)):
            continue
        miss = abs(sum(maxima[k] for k in filled) - target) if target else 0.0
        blanks = tuple(k for k in range(len(criteria)) if k not in filled)
        choices.append((round(miss, 6), blanks, filled))
    if not choices:
        return tuple(numbers) + tuple(Number(None, "") for _ in range(len(criteria) - len(numbers)))
    placed = dict(zip(min(choices)[2], tokens))
    return tuple(number(placed[k], maxima[k]) or Number(None, placed[k]) if k in placed else Number(None, "")
                 for k in range(len(criteria)))


def _other(raw: RawTable, header: str, match: Callable[[str], Match]) -> ScoreTable:
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
        values = tuple(number(t) or Number(None, t) for t in tokens) + tuple(
            Number(None, "") for _ in range(width - len(tokens)))
        rows.append(typed_row(raw_row, layout, values, criteria, None, None, match, {}))
    return ScoreTable(kind="other", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, formulas=formulas(labels), finder=raw.finder)
